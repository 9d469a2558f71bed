//! DKIM checks and the sign-and-verify proof against a real DNS server (the testkit's
//! hickory-server on loopback): matching key, different key, truncated, revoked, CNAME, t=y,
//! 1024-bit, not published, and hosted providers' CNAMEs.

use std::time::Duration;

use mailwright_core::dkim::{
    DkimCheckReport, DkimKeyPair, KeyAlgorithm, KeyType, SelectorUse, check_provider,
    check_selector, dkim_provider, generate_key, read_private_key_pem, selector_use,
};
use mailwright_core::dns::{DnsConfig, NameserverSource};
use mailwright_core::{DomainName, Selector, Severity, parse_domain_input};
use mailwright_testkit::fixtures::*;
use mailwright_testkit::{TestDns, silent_dns_server};

fn config(addr: std::net::SocketAddr) -> DnsConfig {
    let mut config = DnsConfig::with_nameserver(addr, NameserverSource::CommandLine);
    config.timeout = Duration::from_millis(400);
    config
}

fn domain(name: &str) -> DomainName {
    parse_domain_input(name).unwrap().domain
}

fn test_key() -> DkimKeyPair {
    read_private_key_pem(TEST_DKIM_PRIVATE_KEY).unwrap()
}

async fn check(dns: &TestDns, selector: &str, key: Option<&DkimKeyPair>) -> DkimCheckReport {
    let selector = Selector::parse(selector).unwrap();
    check_selector(
        &domain(DKIM_DOMAIN),
        &selector,
        key,
        &config(dns.addr()),
        None,
    )
    .await
    .unwrap()
}

fn ids(report: &DkimCheckReport) -> Vec<&str> {
    report.findings.iter().map(|f| f.id.as_str()).collect()
}

#[tokio::test]
async fn the_matching_key_passes_the_proof() {
    let dns = start_demo_dns().await;
    let report = check(&dns, USER_SELECTOR, Some(&test_key())).await;
    assert_eq!(ids(&report), ["dkim.selftest.pass"]);
    assert_eq!(report.proof_passed, Some(true));
    assert_eq!(report.key, Some(KeyType::Rsa { bits: 2048 }));
    let evidence: Vec<&str> = report.findings[0]
        .evidence
        .iter()
        .map(|e| e.value.as_str())
        .collect();
    assert!(
        evidence
            .iter()
            .any(|e| e.contains("verifies against the record Mailwright composed")),
        "{evidence:?}"
    );
    assert!(
        evidence
            .iter()
            .any(|e| e.contains("verifies against the published record")),
        "{evidence:?}"
    );
}

#[tokio::test]
async fn a_different_published_key_is_a_mismatch() {
    let dns = start_demo_dns().await;
    let report = check(&dns, "other", Some(&test_key())).await;
    assert_eq!(ids(&report), ["dkim.key_mismatch"]);
    assert_eq!(report.proof_passed, Some(false));
    let finding = &report.findings[0];
    assert_eq!(finding.severity, Severity::Fail);
    assert!(finding.evidence.iter().any(|e| {
        e.value
            .contains("does not verify against the published record")
    }));
    // A freshly generated key is not the published one either.
    let fresh = generate_key(KeyAlgorithm::Rsa2048).unwrap();
    assert_eq!(
        ids(&check(&dns, USER_SELECTOR, Some(&fresh)).await),
        ["dkim.key_mismatch"]
    );
}

#[tokio::test]
async fn broken_revoked_testing_and_weak_records_are_named() {
    let dns = start_demo_dns().await;
    let key = test_key();
    let cut = check(&dns, "cut", Some(&key)).await;
    assert_eq!(ids(&cut), ["dkim.syntax"]);
    assert!(
        cut.findings[0].title.contains("cut off"),
        "{}",
        cut.findings[0].title
    );

    let gone = check(&dns, "gone", Some(&key)).await;
    assert_eq!(ids(&gone), ["dkim.revoked"]);
    assert_eq!(gone.findings[0].severity, Severity::Fail);
    assert_eq!(
        check(&dns, "gone", None).await.findings[0].severity,
        Severity::Info
    );

    let trial = check(&dns, "trial", None).await;
    assert_eq!(ids(&trial), ["dkim.testing", "dkim.selector_found"]);

    let weak = check(&dns, "weak", None).await;
    assert_eq!(ids(&weak), ["dkim.weak_key", "dkim.selector_found"]);
    assert_eq!(weak.key, Some(KeyType::Rsa { bits: 1024 }));
    assert_eq!(weak.findings[0].severity, Severity::Warn);
}

#[tokio::test]
async fn a_matching_1024_bit_key_is_a_warning_not_a_failed_proof() {
    // ring will not sign with it, so the public keys are compared instead.
    let key = generate_key(KeyAlgorithm::Rsa1024).unwrap();
    let selector = Selector::parse("short").unwrap();
    let record = key.record(&selector, &domain(DKIM_DOMAIN)).value;
    let dns = TestDns::start(&[mailwright_testkit::Zone::new(
        DKIM_DOMAIN,
        &format!("short._domainkey TXT \"{record}\""),
    )])
    .await;
    let report = check(&dns, "short", Some(&key)).await;
    assert_eq!(
        ids(&report),
        ["dkim.weak_key", "dkim.selftest.unsigned"],
        "{:#?}",
        report.findings
    );
    assert!(report.findings.iter().all(|f| f.severity == Severity::Warn));
    let unsigned = &report.findings[1];
    assert!(
        unsigned.title.contains("matches your private key"),
        "{}",
        unsigned.title
    );
    assert!(unsigned.detail.contains("too short"), "{}", unsigned.detail);

    // A different 1024-bit key is still a mismatch.
    let other = generate_key(KeyAlgorithm::Rsa1024).unwrap();
    let mismatch = check(&dns, "short", Some(&other)).await;
    assert!(ids(&mismatch).contains(&"dkim.key_mismatch"));
}

#[tokio::test]
async fn a_cname_to_a_provider_is_followed() {
    let dns = start_demo_dns().await;
    let report = check(&dns, "hosted", None).await;
    assert_eq!(ids(&report), ["dkim.selector_found"]);
    assert!(
        report.findings[0]
            .detail
            .contains("CNAME to selector1-cname-test._domainkey.provider.test")
    );
    assert!(
        report.findings[0]
            .evidence
            .iter()
            .any(|e| e.rtype == "CNAME")
    );
}

#[tokio::test]
async fn an_unpublished_selector_fails_only_when_we_mean_to_sign_with_it() {
    let dns = start_demo_dns().await;
    let fresh = generate_key(KeyAlgorithm::Rsa2048).unwrap();
    let report = check(&dns, "mw202612", Some(&fresh)).await;
    assert_eq!(ids(&report), ["dkim.not_published"]);
    assert_eq!(report.findings[0].severity, Severity::Fail);
    assert!(report.findings[0].evidence.iter().any(|e| {
        e.value
            .contains("verifies against the record Mailwright composed")
    }));
    assert_eq!(
        check(&dns, "mw202612", None).await.findings[0].severity,
        Severity::Warn
    );
}

#[tokio::test]
async fn a_silent_server_is_a_lookup_failure_within_the_deadline() {
    let (_socket, addr) = silent_dns_server();
    let mut config = config(addr);
    config.deadline = Duration::from_secs(2);
    let started = std::time::Instant::now();
    let report = check_selector(
        &domain(DKIM_DOMAIN),
        &Selector::parse("mw").unwrap(),
        None,
        &config,
        None,
    )
    .await
    .unwrap();
    assert_eq!(ids(&report), ["dns.lookup_failed"]);
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[tokio::test]
async fn a_published_selector_is_reported_before_replacing_it() {
    let dns = start_demo_dns().await;
    let config = config(dns.addr());
    let used = selector_use(
        &domain(DKIM_DOMAIN),
        &Selector::parse(USER_SELECTOR).unwrap(),
        &config,
    )
    .await
    .unwrap();
    assert!(
        matches!(used, SelectorUse::Published { ref record, .. } if record.contains(TEST_DKIM_PUBLIC_KEY))
    );
    let cname = selector_use(
        &domain(DKIM_DOMAIN),
        &Selector::parse("hosted").unwrap(),
        &config,
    )
    .await
    .unwrap();
    assert!(matches!(cname, SelectorUse::Published { .. }));
    let free = selector_use(
        &domain(DKIM_DOMAIN),
        &Selector::parse("mw202612").unwrap(),
        &config,
    )
    .await
    .unwrap();
    assert_eq!(free, SelectorUse::Free);
}

#[tokio::test]
async fn a_providers_cnames_are_checked_one_by_one() {
    let dns = start_demo_dns().await;
    let fastmail = dkim_provider("fastmail").unwrap();
    let report = check_provider(fastmail, &domain(HOSTED), &[], &config(dns.addr()), None)
        .await
        .unwrap();
    let mut ids: Vec<&str> = report.findings.iter().map(|f| f.id.as_str()).collect();
    ids.sort();
    assert_eq!(
        ids,
        [
            "dkim.provider.missing",
            "dkim.provider.ok",
            "dkim.provider.ok",
            "dkim.provider.wrong_target"
        ]
    );
    let missing = report
        .findings
        .iter()
        .find(|f| f.id == "dkim.provider.missing")
        .unwrap();
    assert!(missing.title.contains("fm3._domainkey.hosted.test"));
    assert!(
        missing
            .fix
            .as_deref()
            .unwrap()
            .contains("fm3.hosted.test.dkim.fmhosted.com")
    );
    let wrong = report
        .findings
        .iter()
        .find(|f| f.id == "dkim.provider.wrong_target")
        .unwrap();
    assert!(wrong.title.contains("fm2.elsewhere.test"));
}
