//! DMARC for one message against the testkit's DNS server: the policy record and the
//! organizational domains found by the RFC 9989 tree walk (`psd=y`, `psd=n`, the record with the
//! fewest labels), `np` for a subdomain that does not exist, and a DNS failure.

use mailwright_core::dmarc::{
    DkimIdentity, DmarcMessage, DmarcPolicy, DmarcResult, PolicyTag, SpfIdentity, evaluate_dmarc,
};
use mailwright_core::dns::{DnsConfig, NameserverSource};
use mailwright_core::spf::SpfVerdict;
use mailwright_testkit::{TestDns, Zone};

async fn dns() -> (TestDns, DnsConfig) {
    let server = TestDns::start(&[
        Zone::new(
            "org.test",
            r#"
            _dmarc TXT "v=DMARC1; p=reject; sp=quarantine; np=reject; adkim=s"
            @ A 192.0.2.1
            news A 192.0.2.2
            "#,
        ),
        Zone::new(
            "psd.test",
            r#"
            _dmarc TXT "v=DMARC1; p=none; psd=y"
            shop A 192.0.2.3
            other A 192.0.2.4
            "#,
        ),
        Zone::new(
            "split.test",
            r#"
            _dmarc TXT "v=DMARC1; p=reject"
            _dmarc.team TXT "V=DMARC1; P=quarantine; psd=n"
            team A 192.0.2.5
            "#,
        ),
    ])
    .await;
    let config = DnsConfig::with_nameserver(server.addr(), NameserverSource::CommandLine);
    (server, config)
}

fn message(from: &str, spf: Option<&str>, dkim: &[&str]) -> DmarcMessage {
    DmarcMessage {
        from_domain: from.into(),
        spf: spf.map(|domain| SpfIdentity {
            result: SpfVerdict::Pass,
            domain: domain.into(),
        }),
        dkim: dkim
            .iter()
            .map(|d| DkimIdentity {
                passed: true,
                domain: (*d).into(),
            })
            .collect(),
    }
}

#[tokio::test]
async fn subdomains_get_sp_or_np_and_strict_dkim_needs_the_same_domain() {
    let (_server, dns) = dns().await;
    let news = evaluate_dmarc(&message("news.org.test", None, &[]), &dns, None)
        .await
        .unwrap();
    assert_eq!(news.record_domain.as_deref(), Some("org.test"));
    assert_eq!(news.policy_tag, Some(PolicyTag::Sp));
    assert_eq!(news.disposition, DmarcPolicy::Quarantine);

    let gone = evaluate_dmarc(&message("gone.org.test", None, &[]), &dns, None)
        .await
        .unwrap();
    assert_eq!(gone.policy_tag, Some(PolicyTag::Np), "{gone:?}");
    assert_eq!(gone.disposition, DmarcPolicy::Reject);

    // adkim=s: a signature of the parent does not align with the subdomain; SPF (relaxed) does.
    let strict = evaluate_dmarc(&message("news.org.test", None, &["org.test"]), &dns, None)
        .await
        .unwrap();
    assert_eq!(strict.result, DmarcResult::Fail);
    let relaxed_spf = evaluate_dmarc(
        &message("news.org.test", Some("bounce.org.test"), &["org.test"]),
        &dns,
        None,
    )
    .await
    .unwrap();
    assert_eq!(relaxed_spf.result, DmarcResult::Pass);
    assert!(relaxed_spf.spf_aligned && relaxed_spf.dkim_aligned.is_none());
}

#[tokio::test]
async fn the_tree_walk_finds_the_organizational_domain() {
    let (_server, dns) = dns().await;
    // psd=y at psd.test: shop.psd.test is its own organization, so other.psd.test does not
    // align with it, while a subdomain of shop.psd.test does.
    let shop = evaluate_dmarc(
        &message("shop.psd.test", None, &["mail.shop.psd.test"]),
        &dns,
        None,
    )
    .await
    .unwrap();
    assert_eq!(shop.organizational_domain, "shop.psd.test");
    assert_eq!(shop.result, DmarcResult::Pass);
    let other = evaluate_dmarc(
        &message("shop.psd.test", None, &["other.psd.test"]),
        &dns,
        None,
    )
    .await
    .unwrap();
    assert_eq!(other.result, DmarcResult::Fail);
    assert_eq!(other.record_domain.as_deref(), Some("psd.test"));

    // psd=n at team.split.test (tag names in capitals are read too): its own organization.
    let team = evaluate_dmarc(
        &message("team.split.test", None, &["split.test"]),
        &dns,
        None,
    )
    .await
    .unwrap();
    assert_eq!(team.organizational_domain, "team.split.test");
    assert_eq!(team.result, DmarcResult::Fail);
    assert_eq!(team.disposition, DmarcPolicy::Quarantine);

    // No record anywhere: no policy, and the domain is its own organization.
    let none = evaluate_dmarc(&message("nothing.test", None, &[]), &dns, None)
        .await
        .unwrap();
    assert_eq!(none.result, DmarcResult::None);
    assert_eq!(none.organizational_domain, "nothing.test");
}

#[tokio::test]
async fn a_failed_lookup_is_a_temporary_error() {
    let (server, dns) = dns().await;
    server.servfail("_dmarc.org.test");
    let failed = evaluate_dmarc(&message("org.test", None, &["org.test"]), &dns, None)
        .await
        .unwrap();
    assert_eq!(failed.result, DmarcResult::TempError);
    assert!(failed.sentence.contains("try"), "{}", failed.sentence);
}
