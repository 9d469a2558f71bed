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
async fn a_bad_policy_value_with_a_report_address_applies_as_none_and_is_named() {
    let report = check(SYNTAX).await;
    let missing = find(&report, "dmarc.missing_policy");
    assert_eq!(missing.severity, Severity::Warn);
    assert!(missing.title.contains("p=“block”"), "{}", missing.title);
    assert!(
        missing.title.contains("apply it as p=none"),
        "{}",
        missing.title
    );
    assert_eq!(report.policy, Some(DmarcPolicy::None));
    assert!(!ids(&report).contains(&"dmarc.syntax"));

    // Without a report address receivers ignore the record: no policy applies.
    let ignored = check(IGNORED).await;
    let syntax = find(&ignored, "dmarc.syntax");
    assert_eq!(syntax.severity, Severity::Fail);
    assert!(syntax.title.contains("p=“block”"), "{}", syntax.title);
    assert_eq!(ignored.policy, None);
}

#[tokio::test]
async fn a_missing_p_with_a_report_address_applies_as_none() {
    let report = check(NO_POLICY).await;
    let missing = find(&report, "dmarc.missing_policy");
    assert!(missing.title.contains("it has none"), "{}", missing.title);
    assert_eq!(report.policy, Some(DmarcPolicy::None));
    assert!(!ids(&report).contains(&"dmarc.ok"));
}

#[tokio::test]
async fn unreadable_optional_tags_are_ignored_and_the_rest_applies() {
    let report = check(LENIENT).await;
    // t=y lowers reject to quarantine: the policy in effect is the lowered one.
    assert_eq!(report.policy, Some(DmarcPolicy::Quarantine));
    let ok = find(&report, "dmarc.ok");
    assert!(ok.title.contains("lowered from reject"), "{}", ok.title);
    let discarded: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.id == "dmarc.tag_discarded")
        .collect();
    assert_eq!(discarded.len(), 2, "sp= and adkim=: {discarded:?}");
    assert!(discarded.iter().all(|f| f.severity == Severity::Warn));
    assert!(discarded[0].detail.contains("RFC 7489"));
    let unsupported = find(&report, "dmarc.report_uri.unsupported");
    assert!(unsupported.title.contains("ftp://reports.example.com/d"));
    assert!(
        !unsupported.title.contains("mailto:"),
        "{}",
        unsupported.title
    );
    assert!(!ids(&report).contains(&"dmarc.no_reports"));
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
