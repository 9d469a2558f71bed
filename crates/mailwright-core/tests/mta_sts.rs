//! MTA-STS and TLS-RPT against the testkit DNS server and its local HTTPS policy server: the
//! policy fetched over HTTPS with a certificate from the test CA, modes, MX coverage, and the
//! fetch failures (404, wrong certificate name, redirect, untrusted CA).

use std::time::Duration;

use mailwright_core::dns::{DnsConfig, NameserverSource};
use mailwright_core::mta_sts::{
    HttpsConfig, MtaStsCheckReport, MtaStsSetup, StsMode, check_mta_sts, compose_mta_sts_for,
};
use mailwright_core::parse_domain_input;
use mailwright_core::{Finding, Severity};
use mailwright_testkit::PolicyServer;
use mailwright_testkit::fixtures::mta_sts::*;
use mailwright_testkit::fixtures::{start_demo_dns, start_policy_server};

async fn check_with(domain: &str, trust_test_ca: bool) -> MtaStsCheckReport {
    let dns = start_demo_dns().await;
    let server: PolicyServer = start_policy_server().await;
    let mut config = DnsConfig::with_nameserver(dns.addr(), NameserverSource::CommandLine);
    config.timeout = Duration::from_millis(400);
    let https = HttpsConfig {
        port: server.addr().port(),
        extra_roots: if trust_test_ca {
            vec![server.ca()]
        } else {
            Vec::new()
        },
        timeout: Duration::from_secs(5),
    };
    check_mta_sts(
        &parse_domain_input(domain).unwrap().domain,
        &config,
        &https,
        None,
    )
    .await
    .unwrap()
}

async fn check(domain: &str) -> MtaStsCheckReport {
    check_with(domain, true).await
}

fn find<'a>(report: &'a MtaStsCheckReport, id: &str) -> &'a Finding {
    report
        .findings
        .iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("no {id} in {:#?}", report.findings))
}

#[tokio::test]
async fn an_enforced_policy_covering_every_mx_passes() {
    let report = check(ENFORCE).await;
    assert_eq!(find(&report, "mta_sts.ok").severity, Severity::Pass);
    assert_eq!(find(&report, "tls_rpt.found").severity, Severity::Pass);
    assert_eq!(report.policy.as_ref().unwrap().mode, StsMode::Enforce);
    assert_eq!(report.mx_hosts, ["mx1.sts.test", "mx2.backup.sts.test"]);
    assert!(report.findings.iter().all(|f| f.severity == Severity::Pass));
}

#[tokio::test]
async fn testing_mode_and_uncovered_mx_hosts() {
    assert_eq!(
        find(&check(TESTING).await, "mta_sts.testing").severity,
        Severity::Info
    );
    let uncovered = check(UNCOVERED).await;
    let finding = find(&uncovered, "mta_sts.policy.mx_not_covered");
    assert_eq!(
        finding.severity,
        Severity::Fail,
        "enforce mode loses that mail"
    );
    assert!(finding.title.contains("mx2.uncovered.sts.test"));
    assert!(!finding.title.contains("mx1."));

    // A withdrawn policy lists no server and covers none: that is not a fault.
    let withdrawn = check(WITHDRAWN).await;
    assert_eq!(
        find(&withdrawn, "mta_sts.withdrawn").severity,
        Severity::Info
    );
    assert!(
        withdrawn
            .findings
            .iter()
            .all(|f| f.id != "mta_sts.policy.mx_not_covered"),
        "{:#?}",
        withdrawn.findings
    );
}

#[tokio::test]
async fn fetch_failures_say_why() {
    let not_served = find(&check(NOT_SERVED).await, "mta_sts.policy.unreachable")
        .title
        .clone();
    assert!(not_served.contains("HTTP 404"), "{not_served}");
    let wrong_name = find(&check(WRONG_NAME).await, "mta_sts.policy.unreachable")
        .title
        .clone();
    assert!(wrong_name.contains("certificate"), "{wrong_name}");
    // Plain words, not the TLS library's error names.
    assert!(
        wrong_name.contains("it is for another name"),
        "{wrong_name}"
    );
    assert!(!wrong_name.contains("NotValidForName"), "{wrong_name}");
    let redirect = find(&check(REDIRECT).await, "mta_sts.policy.unreachable")
        .title
        .clone();
    assert!(redirect.contains("redirect"), "{redirect}");
    let untrusted = find(
        &check_with(ENFORCE, false).await,
        "mta_sts.policy.unreachable",
    )
    .title
    .clone();
    assert!(untrusted.contains("certificate"), "{untrusted}");
    assert!(
        untrusted.contains("not signed by an authority that mail servers trust"),
        "{untrusted}"
    );
    assert!(!untrusted.contains("UnknownIssuer"), "{untrusted}");
}

#[tokio::test]
async fn no_records_are_optional_and_the_composer_lists_each_mx() {
    let report = check(NONE).await;
    assert_eq!(find(&report, "mta_sts.missing").severity, Severity::Info);
    assert_eq!(find(&report, "tls_rpt.missing").severity, Severity::Info);
    let dns = start_demo_dns().await;
    let config = DnsConfig::with_nameserver(dns.addr(), NameserverSource::CommandLine);
    let (composed, published) = compose_mta_sts_for(
        &parse_domain_input(NONE).unwrap().domain,
        &MtaStsSetup::default(),
        &config,
        &HttpsConfig::default(),
    )
    .await
    .unwrap();
    assert_eq!(published.record, None);
    assert!(!composed.unchanged);
    assert_eq!(
        composed.policy.mx,
        ["mx1.plain.sts.test", "mx2.plain.sts.test"]
    );
    assert!(composed.policy_text.contains("mode: testing\r\n"));
    assert_eq!(composed.record_name, format!("_mta-sts.{NONE}"));
    assert_eq!(
        composed.tls_rpt,
        format!("v=TLSRPTv1; rua=mailto:tls-reports@{NONE}")
    );
}
