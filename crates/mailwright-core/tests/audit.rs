//! The domain audit against a real DNS server (the testkit's hickory-server on loopback).

use std::time::{Duration, Instant};

use mailwright_core::dns::{DnsConfig, LookupProgress, NameserverSource};
use mailwright_core::{Audit, AuditRequest, AuditStatus, Finding, Severity, Topic, run_audit};
use mailwright_testkit::fixtures::*;
use mailwright_testkit::{TestDns, silent_dns_server};

fn config(addr: std::net::SocketAddr) -> DnsConfig {
    let mut config = DnsConfig::with_nameserver(addr, NameserverSource::CommandLine);
    config.timeout = Duration::from_millis(400);
    config
}

async fn audit_with(dns: &TestDns, domain: &str, selectors: &[&str]) -> Audit {
    let selectors: Vec<String> = selectors.iter().map(|s| s.to_string()).collect();
    let (request, _) = AuditRequest::parse(domain, &selectors).unwrap();
    run_audit(&request, &config(dns.addr()), None)
        .await
        .unwrap()
}

async fn audit(domain: &str) -> Audit {
    let dns = start_demo_dns().await;
    audit_with(&dns, domain, &[]).await
}

fn ids(report: &Audit) -> Vec<&str> {
    report.findings.iter().map(|f| f.id.as_str()).collect()
}

fn find<'a>(report: &'a Audit, id: &str) -> &'a Finding {
    report
        .findings
        .iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("no {id} in {:?}", ids(report)))
}

#[tokio::test]
async fn a_well_configured_domain_passes_everything() {
    let dns = start_demo_dns().await;
    let report = audit_with(&dns, GOOD, &[USER_SELECTOR]).await;
    assert_eq!(report.status, AuditStatus::Complete);
    assert!(!report.has_failures(), "{:?}", ids(&report));
    for id in [
        "mx.found",
        "spf.ok",
        "dmarc.ok",
        "mta_sts.found",
        "tls_rpt.found",
    ] {
        assert_eq!(find(&report, id).severity, Severity::Pass, "{id}");
    }
    let dkim: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.id == "dkim.selector_found")
        .collect();
    assert_eq!(dkim.len(), 2, "{:?}", ids(&report));
    assert!(
        dkim.iter()
            .any(|f| f.title.contains(USER_SELECTOR) && f.title.contains("your selector"))
    );
    assert!(
        dkim.iter()
            .any(|f| f.title.contains("google") && f.title.contains("Google Workspace"))
    );
    // Evidence is the record exactly as published: two 255-octet strings joined without a space.
    let key = &dkim[0].evidence[0];
    assert_eq!(key.rtype, "TXT");
    assert_eq!(
        key.value,
        format!("v=DKIM1; k=rsa; p={TEST_DKIM_PUBLIC_KEY}")
    );
    let mx = find(&report, "mx.found");
    let values: Vec<&str> = mx.evidence.iter().map(|e| e.value.as_str()).collect();
    assert!(
        values.contains(&"10 mx1.good.test")
            && values.contains(&"192.0.2.10")
            && values.contains(&"2001:db8::10"),
        "{values:?}"
    );
    // Topics come in order, worst first within a topic.
    let topics: Vec<Topic> = report.findings.iter().map(|f| f.topic).collect();
    assert!(topics.windows(2).all(|w| w[0] <= w[1]), "{topics:?}");
    assert!(
        report
            .selectors_checked
            .first()
            .is_some_and(|s| s == USER_SELECTOR)
    );
}

#[tokio::test]
async fn a_domain_without_spf_fails_and_shows_what_it_has() {
    let report = audit(NO_SPF).await;
    let missing = find(&report, "spf.missing");
    assert_eq!(missing.severity, Severity::Fail);
    assert_eq!(missing.evidence[0].value, "google-site-verification=xyz");
    assert!(missing.fix.as_deref().unwrap().contains("v=spf1"));
    assert!(report.has_failures());
}

#[tokio::test]
async fn two_spf_records_fail() {
    let report = audit(TWO_SPF).await;
    let multiple = find(&report, "spf.multiple_records");
    assert_eq!(multiple.severity, Severity::Fail);
    assert_eq!(multiple.evidence.len(), 2);
    assert!(!ids(&report).contains(&"spf.ok"));
}

#[tokio::test]
async fn dmarc_p_none_is_a_warning_and_a_missing_record_fails() {
    let report = audit(MONITOR_ONLY).await;
    assert_eq!(find(&report, "dmarc.policy_none").severity, Severity::Warn);
    let report = audit(TWO_SPF).await;
    let missing = find(&report, "dmarc.missing");
    assert_eq!(missing.severity, Severity::Fail);
    // The tree walk asked the domain and then the top-level domain.
    let names: Vec<&str> = missing.evidence.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["_dmarc.twospf.test", "_dmarc.test"]);
}

#[tokio::test]
async fn dmarc_found_only_at_the_organizational_domain_is_inherited() {
    let report = audit(SUBDOMAIN).await;
    let inherited = find(&report, "dmarc.inherited");
    assert_eq!(inherited.severity, Severity::Info);
    assert!(inherited.title.contains(ORG));
    assert_eq!(inherited.evidence[0].name, format!("_dmarc.{ORG}"));
    // The organizational record's sp=quarantine applies to the subdomain.
    assert!(find(&report, "dmarc.ok").title.contains("quarantine"));
    assert!(!ids(&report).contains(&"dmarc.missing"));
}

#[tokio::test]
async fn dkim_behind_a_cname_is_followed_into_the_providers_zone() {
    let report = audit(CNAME_DKIM).await;
    let found = find(&report, "dkim.selector_found");
    assert!(found.title.contains("selector1") && found.title.contains("Microsoft 365"));
    assert_eq!(found.evidence[0].rtype, "CNAME");
    assert_eq!(
        found.evidence[0].value,
        "selector1-cname-test._domainkey.provider.test"
    );
    assert!(found.evidence[1].value.starts_with("v=DKIM1"));
}

#[tokio::test]
async fn no_dkim_anywhere_says_so_and_a_missing_user_selector_is_named() {
    let dns = start_demo_dns().await;
    let report = audit_with(&dns, TWO_SPF, &["custom1"]).await;
    assert_eq!(find(&report, "dkim.none_found").severity, Severity::Warn);
    assert!(
        find(&report, "dkim.selector_not_found")
            .title
            .contains("custom1")
    );
}

#[tokio::test]
async fn a_null_mx_is_recognized() {
    let report = audit(NULL_MX).await;
    let null = find(&report, "mx.null");
    assert_eq!(null.evidence[0].value, "0 .");
    assert!(!ids(&report).contains(&"mx.missing"));
}

#[tokio::test]
async fn an_mx_host_without_address_is_flagged() {
    let report = audit(LOST_MX).await;
    assert!(
        find(&report, "mx.host_no_address")
            .title
            .contains("mx.nowhere.test")
    );
}

#[tokio::test]
async fn a_domain_that_does_not_exist_is_named_as_such() {
    let report = audit("does-not-exist.test").await;
    assert_eq!(find(&report, "domain.not_found").severity, Severity::Fail);
    assert!(!ids(&report).contains(&"mx.missing"));
}

#[tokio::test]
async fn servfail_is_could_not_check_never_missing() {
    let report = audit(SERVFAIL).await;
    let failed = find(&report, "dns.lookup_failed");
    assert_eq!(failed.topic, Topic::Dmarc);
    assert!(
        failed.title.contains("_dmarc.servfail.test"),
        "{}",
        failed.title
    );
    assert!(failed.evidence[0].value.contains("SERVFAIL"));
    assert!(!ids(&report).contains(&"dmarc.missing"));
    assert_eq!(report.status, AuditStatus::Partial);
    // Everything else was still checked.
    assert!(ids(&report).contains(&"spf.ok"));
}

#[tokio::test]
async fn a_timeout_is_could_not_check_never_missing() {
    let report = audit(TIMEOUT).await;
    let failed: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.id == "dns.lookup_failed")
        .collect();
    let topics: Vec<Topic> = failed.iter().map(|f| f.topic).collect();
    assert!(
        topics.contains(&Topic::MailServers) && topics.contains(&Topic::Spf),
        "{topics:?}"
    );
    assert!(
        failed
            .iter()
            .all(|f| f.evidence.iter().all(|e| e.value == "no answer in time"))
    );
    for absent in ["spf.missing", "mx.missing", "domain.not_found"] {
        assert!(!ids(&report).contains(&absent), "{absent}");
    }
    assert_eq!(find(&report, "dmarc.ok").severity, Severity::Pass);
    assert_eq!(report.status, AuditStatus::Partial);
}

#[tokio::test]
async fn a_cname_loop_ends_without_hanging() {
    let started = Instant::now();
    let report = audit(CNAME_LOOP).await;
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(!ids(&report).contains(&"dkim.selector_found"));
}

#[tokio::test]
async fn a_server_that_drops_everything_ends_within_ten_seconds_with_one_message() {
    let dns = TestDns::start(&demo_zones()).await;
    dns.drop_all();
    let (request, _) = AuditRequest::parse(GOOD, &[]).unwrap();
    // Default limits: 2 s per query, one retry, a deadline for the whole audit.
    let config = DnsConfig::with_nameserver(dns.addr(), NameserverSource::Environment);
    let started = Instant::now();
    let report = run_audit(&request, &config, None).await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(report.status, AuditStatus::Unreachable);
    assert_eq!(ids(&report), ["dns.unreachable"]);
    assert!(report.findings[0].title.contains(&dns.addr().to_string()));
}

#[tokio::test]
async fn an_unreachable_server_gives_one_clear_message() {
    let (_socket, addr) = silent_dns_server();
    let (request, _) = AuditRequest::parse(GOOD, &[]).unwrap();
    let report = run_audit(&request, &config(addr), None).await.unwrap();
    assert_eq!(report.status, AuditStatus::Unreachable);
    assert_eq!(report.findings.len(), 1);
    let finding = &report.findings[0];
    assert_eq!(finding.id, "dns.unreachable");
    assert!(finding.fix.as_deref().unwrap().contains("Settings"));
}

#[tokio::test]
async fn progress_reports_every_lookup_start_and_end() {
    let dns = start_demo_dns().await;
    let events = std::sync::Arc::new(std::sync::Mutex::new(Vec::<LookupProgress>::new()));
    let sink = events.clone();
    let (request, _) = AuditRequest::parse(GOOD, &[]).unwrap();
    let report = run_audit(
        &request,
        &config(dns.addr()),
        Some(std::sync::Arc::new(move |p| sink.lock().unwrap().push(p))),
    )
    .await
    .unwrap();
    let events = events.lock().unwrap();
    let finished: Vec<&LookupProgress> = events.iter().filter(|e| e.outcome.is_some()).collect();
    assert_eq!(finished.len() as u32, report.lookups);
    assert_eq!(events.len() as u32, 2 * report.lookups);
    assert_eq!(finished.last().unwrap().completed, report.lookups);
    assert!(
        events
            .iter()
            .any(|e| e.name == "_dmarc.good.test" && e.rtype == "TXT")
    );
}

#[tokio::test]
async fn lookups_run_concurrently() {
    let dns = start_demo_dns().await;
    dns.set_latency(Duration::from_millis(200));
    let started = Instant::now();
    let report = audit_with(&dns, GOOD, &[]).await;
    // Dozens of lookups, but the longest chain is three queries (MX, then A/AAAA; DMARC walk).
    assert!(report.lookups > 30);
    assert!(
        started.elapsed() < Duration::from_millis(1_500),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn topic_headings_summarize_the_findings() {
    let report = audit(NO_SPF).await;
    let titles: Vec<&str> = report.topics.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Mail servers", "SPF", "DKIM", "DMARC", "MTA-STS / TLS-RPT"]
    );
    let spf = &report.topics[1];
    assert_eq!((spf.worst, spf.count), (Severity::Fail, 1));
    let total: u32 = report.topics.iter().map(|t| t.count).sum();
    assert_eq!(total as usize, report.findings.len());
}

#[tokio::test]
async fn dkim_records_are_read_strictly_with_key_size_flags_and_named_faults() {
    let dns = start_demo_dns().await;
    let report = audit_with(&dns, KEY_PROBLEMS, &["weak", "cut", "trial"]).await;
    let weak = find(&report, "dkim.weak_key");
    assert_eq!(weak.severity, Severity::Warn);
    assert!(weak.title.contains("1024 bits"), "{}", weak.title);
    let cut = find(&report, "dkim.syntax");
    assert!(
        cut.title.contains("selector cut") && cut.title.contains("cut off"),
        "{}",
        cut.title
    );
    let found: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.id == "dkim.selector_found")
        .collect();
    assert_eq!(found.len(), 2);
    let trial = found.iter().find(|f| f.title.contains("trial")).unwrap();
    assert!(
        trial.detail.contains("RSA key of 2048 bits"),
        "{}",
        trial.detail
    );
    let testing = find(&report, "dkim.testing");
    assert!(testing.title.contains("trial") && testing.title.contains("t=y"));
    assert!(!ids(&report).contains(&"dkim.none_found"));
}
