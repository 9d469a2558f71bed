//! The SPF composer simulated against the testkit DNS server before publishing: the include
//! tree of the composed record, fixes in order, and mail-auth's result for an IP beside ours.

use std::net::IpAddr;
use std::time::Duration;

use mailwright_core::dns::{DnsConfig, NameserverSource};
use mailwright_core::parse_domain_input;
use mailwright_core::senders::{Inventory, SenderChoice};
use mailwright_core::spf::{
    SpfComposeRequest, SpfFixKind, SpfVerdict, check_spf, cross_check_spf, simulate_spf,
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

#[tokio::test]
async fn mail_auth_and_our_walk_agree_for_an_address() {
    let (_server, config) = dns().await;
    let ten = parse_domain_input(TEN).unwrap().domain;
    let report = check_spf(&ten, &config, None).await.unwrap();
    let listed: IpAddr = "192.0.2.3".parse().unwrap();
    let pass = cross_check_spf(&ten, listed, None, &report, &config)
        .await
        .unwrap();
    assert_eq!(
        (pass.mail_auth, pass.ours, pass.agree),
        (SpfVerdict::Pass, Some(SpfVerdict::Pass), true)
    );
    let stranger: IpAddr = "198.51.100.1".parse().unwrap();
    let fail = cross_check_spf(&ten, stranger, None, &report, &config)
        .await
        .unwrap();
    assert_eq!(
        (fail.mail_auth, fail.ours),
        (SpfVerdict::Fail, Some(SpfVerdict::Fail))
    );

    let eleven = parse_domain_input(ELEVEN).unwrap().domain;
    let report = check_spf(&eleven, &config, None).await.unwrap();
    // Receivers stop at the 11th lookup: an address listed in the 3rd include still passes,
    // one listed only in the 11th gets permerror.
    let early = cross_check_spf(&eleven, listed, None, &report, &config)
        .await
        .unwrap();
    assert_eq!(
        (early.mail_auth, early.ours),
        (SpfVerdict::Pass, Some(SpfVerdict::Pass))
    );
    let late: IpAddr = "192.0.2.11".parse().unwrap();
    let over = cross_check_spf(&eleven, late, None, &report, &config)
        .await
        .unwrap();
    assert_eq!(
        (over.mail_auth, over.ours),
        (SpfVerdict::PermError, Some(SpfVerdict::PermError))
    );

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
        "203.0.113.9".parse().unwrap(),
        Some(&simulation.composition.record),
        &simulation.report,
        &config,
    )
    .await
    .unwrap();
    assert_eq!(
        (composed.mail_auth, composed.agree),
        (SpfVerdict::Pass, true)
    );
}
