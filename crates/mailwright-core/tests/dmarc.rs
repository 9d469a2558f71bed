//! The DMARC checker against the testkit DNS server: syntax errors naming the tag, a missing
//! `p`, removed and unknown tags, the tree walk, and external report authorization.

use std::time::Duration;

use mailwright_core::dmarc::{DmarcCheckReport, DmarcPolicy, check_dmarc};
use mailwright_core::dns::{DnsConfig, NameserverSource};
use mailwright_core::parse_domain_input;
use mailwright_core::{Finding, Severity};
use mailwright_testkit::fixtures::dmarc::*;
use mailwright_testkit::fixtures::{MONITOR_ONLY, NO_SPF, ORG, SUBDOMAIN, start_demo_dns};

async fn check(domain: &str) -> DmarcCheckReport {
    let dns = start_demo_dns().await;
    let mut config = DnsConfig::with_nameserver(dns.addr(), NameserverSource::CommandLine);
    config.timeout = Duration::from_millis(400);
    check_dmarc(&parse_domain_input(domain).unwrap().domain, &config, None)
        .await
        .unwrap()
}

fn find<'a>(report: &'a DmarcCheckReport, id: &str) -> &'a Finding {
    report
        .findings
        .iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("no {id} in {:?}", report.findings))
}

fn ids(report: &DmarcCheckReport) -> Vec<&str> {
    report.findings.iter().map(|f| f.id.as_str()).collect()
}

#[tokio::test]
async fn a_bad_policy_value_is_a_syntax_error_naming_the_tag() {
    let report = check(SYNTAX).await;
    let syntax = find(&report, "dmarc.syntax");
    assert_eq!(syntax.severity, Severity::Fail);
    assert!(
        syntax.title.contains("p= has the value “block”"),
        "{}",
        syntax.title
    );
    assert_eq!(report.policy, None);
}

#[tokio::test]
async fn a_missing_p_is_a_syntax_error_and_applies_as_none() {
    let report = check(NO_POLICY).await;
    assert!(
        find(&report, "dmarc.syntax")
            .title
            .contains("p= is missing")
    );
    assert_eq!(report.policy, Some(DmarcPolicy::None));
    assert!(!ids(&report).contains(&"dmarc.ok"));
}

#[tokio::test]
async fn external_reports_are_checked_for_authorization() {
    let authorized = check(EXTERNAL_OK).await;
    let ok = find(&authorized, "dmarc.external_report.authorized");
    assert_eq!(
        ok.evidence[0].name,
        format!("{EXTERNAL_OK}._report._dmarc.{VENDOR}")
    );
    assert!(ids(&authorized).contains(&"dmarc.ok"));
    let missing = check(EXTERNAL_MISSING).await;
    let unauthorized = find(&missing, "dmarc.external_report.unauthorized");
    assert_eq!(unauthorized.severity, Severity::Warn);
    assert!(
        unauthorized
            .fix
            .as_deref()
            .unwrap()
            .contains(&format!("{EXTERNAL_MISSING}._report._dmarc.{VENDOR}"))
    );
    // The other address is at the domain itself: no authorization needed.
    assert_eq!(
        ids(&missing)
            .iter()
            .filter(|id| id.starts_with("dmarc.external_report"))
            .count(),
        1
    );
}

#[tokio::test]
async fn removed_and_unknown_tags_are_explained() {
    let report = check(OLD_TAGS).await;
    let obsolete = find(&report, "dmarc.obsolete_tags");
    assert!(obsolete.title.contains("pct=25"));
    assert_eq!(
        obsolete.severity,
        Severity::Warn,
        "pct below 100 changes meaning"
    );
    assert!(find(&report, "dmarc.unknown_tag").title.contains("adkm=s"));
}

#[tokio::test]
async fn policy_none_missing_and_inherited() {
    assert_eq!(
        find(&check(MONITOR_ONLY).await, "dmarc.policy_none").severity,
        Severity::Warn
    );
    let inherited = check(SUBDOMAIN).await;
    assert_eq!(inherited.found_at.as_deref(), Some(ORG));
    assert_eq!(
        inherited.policy,
        Some(DmarcPolicy::Quarantine),
        "sp= applies"
    );
    assert!(ids(&inherited).contains(&"dmarc.inherited"));
    let ok = check(NO_SPF).await;
    assert!(ids(&ok).contains(&"dmarc.ok"));
    let missing = check("nothing-here.test").await;
    assert_eq!(ids(&missing), ["dmarc.missing"]);
}
