//! The SPF composer simulated against the testkit DNS server before publishing: the include
//! tree of the composed record, fixes in order, and mail-auth's result for an IP beside ours.

use std::time::Duration;

use mailwright_core::dns::{DnsConfig, NameserverSource};
use mailwright_core::parse_domain_input;
use mailwright_core::senders::{Inventory, SenderChoice};
use mailwright_core::spf::{
    SpfComposeRequest, SpfFixKind, SpfQuery, SpfVerdict, cross_check_spf, simulate_spf,
};
use mailwright_testkit::TestDns;
use mailwright_testkit::fixtures::spf::{ELEVEN, TEN};
use mailwright_testkit::fixtures::start_demo_dns;

async fn dns() -> (TestDns, DnsConfig) {
    let dns = start_demo_dns().await;
    let mut config = DnsConfig::with_nameserver(dns.addr(), NameserverSource::CommandLine);
    config.timeout = Duration::from_millis(400);
    (dns, config)
}

fn includes(range: std::ops::RangeInclusive<usize>) -> String {
    range
        .map(|i| format!("include:n{i}.lk.test"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test]
async fn a_composed_record_over_the_limit_gets_fixes_in_order() {
    let (_server, config) = dns().await;
    let domain = parse_domain_input("new.example.test").unwrap().domain;
    let request = SpfComposeRequest {
        published: Some(format!(
            "v=spf1 {} include:sendgrid.net -all",
            includes(1..=10)
        )),
        inventory: Inventory {
            senders: vec![
                SenderChoice {
                    id: "sendgrid".into(),
                    ..SenderChoice::default()
                },
                SenderChoice {
                    id: "own_server".into(),
                    hosts: vec!["203.0.113.7".into()],
                    ..SenderChoice::default()
                },
            ],
        },
        ..SpfComposeRequest::default()
    };
    let simulation = simulate_spf(&domain, &request, &config, None)
        .await
        .unwrap();
    assert!(
        simulation
            .composition
            .record
            .ends_with("include:sendgrid.net ip4:203.0.113.7 -all")
    );
    assert_eq!(simulation.report.dns_lookups, 11);
    assert!(
        simulation
            .report
            .findings
            .iter()
            .any(|f| f.id == "spf.lookups.over_limit")
    );
    let kinds: Vec<SpfFixKind> = simulation.fixes.iter().map(|f| f.kind).collect();
    assert_eq!(kinds[0], SpfFixKind::RemoveRedundant);
    assert_eq!(simulation.fixes[0].term, "include:sendgrid.net");
    assert_eq!(simulation.fixes[0].saves, 1);
    // Removing the redundant include is enough: nothing is flattened.
    assert!(!kinds.contains(&SpfFixKind::Flatten));

    // Without the redundant term, flattening is the last resort, with its warning.
    let request = SpfComposeRequest {
        published: Some(format!("v=spf1 {} -all", includes(1..=11))),
        inventory: Inventory::default(),
        ..SpfComposeRequest::default()
    };
    let simulation = simulate_spf(&domain, &request, &config, None)
        .await
        .unwrap();
    let flatten = simulation.fixes.last().unwrap();
    assert_eq!(flatten.kind, SpfFixKind::Flatten);
    assert_eq!(flatten.replacement.len(), 1);
    assert!(flatten.replacement[0].starts_with("ip4:192.0.2."));
    assert!(flatten.warning.as_deref().unwrap().contains("stale"));
    assert_eq!(
        simulation.fixes.len(),
        1,
        "one include is enough to get to 10"
    );
}

/// The SPF query for mail from `ip` as `postmaster@<domain>`.
fn query(domain: &str, ip: &str) -> SpfQuery {
    SpfQuery {
        ip: ip.parse().unwrap(),
        mail_from: format!("postmaster@{domain}"),
        helo: domain.to_owned(),
    }
}

#[tokio::test]
async fn mailwright_decides_and_mail_auth_agrees_for_an_address() {
    let (_server, config) = dns().await;
    let ten = parse_domain_input(TEN).unwrap().domain;
    let decide = |domain, ip| {
        let config = config.clone();
        async move {
            let d = parse_domain_input(domain).unwrap().domain;
            cross_check_spf(&d, &query(domain, ip), None, &config, None)
                .await
                .unwrap()
        }
    };
    let pass = decide(TEN, "192.0.2.3").await;
    assert_eq!(pass.evaluation.result, SpfVerdict::Pass);
    assert_eq!(
        pass.mail_auth_result, None,
        "mail-auth agrees, so it is not shown"
    );
    assert_eq!(pass.evaluation.decided_in.as_deref(), Some(ten.as_str()));
    assert!(
        pass.evaluation
            .decided_by
            .as_deref()
            .unwrap()
            .starts_with("include:")
    );
    let fail = decide(TEN, "198.51.100.1").await;
    assert_eq!(fail.evaluation.result, SpfVerdict::Fail);
    assert_eq!(fail.evaluation.lookups, 10);
    assert_eq!(fail.evaluation.decided_by.as_deref(), Some("-all"));

    // Receivers stop at the 11th lookup: an address listed in the 3rd include still passes,
    // one listed only in the 11th gets permerror.
    let early = decide(ELEVEN, "192.0.2.3").await;
    assert_eq!(early.evaluation.result, SpfVerdict::Pass);
    assert_eq!(early.evaluation.lookups, 3);
    let over = decide(ELEVEN, "192.0.2.11").await;
    assert_eq!(over.evaluation.result, SpfVerdict::PermError);
    assert!(
        over.evaluation
            .problem
            .as_deref()
            .unwrap()
            .contains("number 11")
    );
    assert_eq!(over.mail_auth_result, None);

    // A composed record is evaluated as if it were published.
    let fresh = parse_domain_input("unpublished.example.test")
        .unwrap()
        .domain;
    let request = SpfComposeRequest {
        inventory: Inventory {
            senders: vec![SenderChoice {
                id: "own_server".into(),
                hosts: vec!["203.0.113.0/24".into()],
                ..SenderChoice::default()
            }],
        },
        ..SpfComposeRequest::default()
    };
    let simulation = simulate_spf(&fresh, &request, &config, None).await.unwrap();
    let composed = cross_check_spf(
        &fresh,
        &query(fresh.as_str(), "203.0.113.9"),
        Some(&simulation.composition.record),
        &config,
        None,
    )
    .await
    .unwrap();
    assert_eq!(composed.evaluation.result, SpfVerdict::Pass);
    assert_eq!(composed.mail_auth_result, None);
}
