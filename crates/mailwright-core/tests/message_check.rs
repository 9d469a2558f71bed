//! The check of a received message against the testkit's DNS server: messages made here, signed
//! with the testkit's key (and with one that no longer matches), with and without the
//! unsubscribe headers, with `l=`, with a forged `Authentication-Results` from a foreign
//! authserv-id, with a hop without TLS; headers alone; a body changed on the way.

use mail_auth::common::crypto::{RsaKey, Sha256};
use mail_auth::common::headers::HeaderWriter;
use mail_auth::dkim::DkimSigner;
use mailwright_core::dns::{DnsConfig, NameserverSource};
use mailwright_core::message::{MessageCheck, check_message};
use mailwright_core::{EngineError, Severity};
use mailwright_testkit::fixtures::{TEST_DKIM_PRIVATE_KEY, TEST_DKIM_PUBLIC_KEY};
use mailwright_testkit::{TestDns, Zone};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

const DOMAIN: &str = "shop.test";
const SENDER_IP: &str = "192.0.2.10";

/// `shop.test`: the test key at `s1`, another key at `old`, SPF for 192.0.2.10, DMARC
/// `p=reject`, and forward-confirmed reverse DNS for the sending address.
async fn dns() -> (TestDns, DnsConfig) {
    let other = mailwright_core::dkim::generate_key(mailwright_core::dkim::KeyAlgorithm::Rsa2048)
        .unwrap()
        .public_p;
    let key = |p: &str| {
        let text = format!("v=DKIM1; k=rsa; p={p}");
        let (a, b) = text.split_at(200);
        format!("\"{a}\" \"{b}\"")
    };
    let server = TestDns::start(&[
        Zone::new(
            DOMAIN,
            &format!(
                r#"
                @ TXT "v=spf1 ip4:{SENDER_IP} -all"
                @ A 192.0.2.1
                _dmarc TXT "v=DMARC1; p=reject; rua=mailto:d@shop.test"
                s1._domainkey TXT {}
                old._domainkey TXT {}
                mail A {SENDER_IP}
                "#,
                key(TEST_DKIM_PUBLIC_KEY),
                key(&other)
            ),
        ),
        Zone::new("2.0.192.in-addr.arpa", "10 PTR mail.shop.test."),
    ])
    .await;
    let config = DnsConfig::with_nameserver(server.addr(), NameserverSource::CommandLine);
    (server, config)
}

fn private_key() -> RsaKey<Sha256> {
    let pem = mailwright_core::dkim::read_private_key_pem(TEST_DKIM_PRIVATE_KEY).unwrap();
    let der = pem.private_pkcs8.expose().clone();
    RsaKey::<Sha256>::from_key_der(PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(der))).unwrap()
}

/// The message as the sender's server writes it, signed at `selector` over `headers`.
fn signed(selector: &str, extra: &str, headers: &[&str], body_length: bool) -> String {
    let message = format!(
        "From: Shop <news@{DOMAIN}>\r\nTo: ann@gmail.example\r\nSubject: Our news\r\n\
         Date: Tue, 01 Dec 2026 10:00:00 +0000\r\nMessage-ID: <n1@{DOMAIN}>\r\n{extra}\r\n\
         Hello Ann,\r\nthe news.\r\n"
    );
    let signature = DkimSigner::from_key(private_key())
        .domain(DOMAIN)
        .selector(selector)
        .headers(headers.iter().copied())
        .body_length(body_length)
        .sign(message.as_bytes())
        .unwrap();
    format!("{}{message}", signature.to_header())
}

/// What the receiver adds on top: its Received line (with or without TLS) and its results.
fn received(message: &str, with: &str, auth_results: &str) -> String {
    format!(
        "Return-Path: <bounce@{DOMAIN}>\r\n{auth_results}Received: from mail.{DOMAIN} (mail.{DOMAIN} [{SENDER_IP}])\r\n\
         \tby mx.google.com with {with} id abc123\r\n\tfor <ann@gmail.example>; Tue, 01 Dec 2026 10:00:02 +0000\r\n\
         Received: from laptop ([10.0.0.5]) by mail.{DOMAIN} with ESMTPSA; Tue, 01 Dec 2026 10:00:01 +0000\r\n{message}"
    )
}

const BASIC: &[&str] = &["From", "To", "Subject", "Date", "Message-ID"];
const TLS: &str = "ESMTPS (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256)";

async fn check(dns: &DnsConfig, raw: &str) -> MessageCheck {
    check_message(raw.as_bytes(), dns, None).await.unwrap()
}

fn ids(check: &MessageCheck) -> Vec<&str> {
    check.findings.iter().map(|f| f.id.as_str()).collect()
}

fn rule(check: &MessageCheck, id: &str) -> Option<bool> {
    check.rules.iter().find(|r| r.id == id).unwrap().met
}

#[tokio::test]
async fn a_well_sent_message_passes_dkim_spf_dmarc_and_the_rules() {
    let (_server, dns) = dns().await;
    let raw = received(&signed("s1", "", BASIC, false), TLS, "");
    let check = check(&dns, &raw).await;
    assert_eq!(check.sending_ip.as_deref(), Some(SENDER_IP));
    assert_eq!(check.helo.as_deref(), Some("mail.shop.test"));
    assert_eq!(check.hops.len(), 2);
    assert_eq!(check.hops[1].by.as_deref(), Some("mx.google.com"));
    assert!(check.hops[1].encrypted, "{:?}", check.hops[1]);
    assert_eq!(check.hops[1].delay_seconds, Some(1));
    assert_eq!(check.signatures.len(), 1);
    let s = &check.signatures[0];
    assert_eq!((s.result.as_str(), s.domain.as_str()), ("pass", DOMAIN));
    assert_eq!(s.key.as_deref(), Some("RSA 2048-bit"));
    let found = ids(&check);
    for id in [
        "message.dkim.pass",
        "message.spf.pass",
        "message.dmarc.pass",
        "message.ptr.ok",
        "message.unsubscribe.missing",
    ] {
        assert!(found.contains(&id), "{id} in {found:?}");
    }
    assert!(
        check.findings.iter().all(|f| f.severity <= Severity::Info),
        "{:#?}",
        check.findings
    );
    for id in [
        "spf_pass",
        "dkim_pass",
        "dmarc_published",
        "dmarc_aligned",
        "message_id_and_date",
        "single_from",
        "tls_into_receiver",
        "reverse_dns",
    ] {
        assert_eq!(rule(&check, id), Some(true), "{id}");
    }
    assert_eq!(rule(&check, "one_click_unsubscribe"), None);
}

#[tokio::test]
async fn a_changed_body_a_rotated_key_and_headers_alone() {
    let (_server, dns) = dns().await;
    let changed = received(&signed("s1", "", BASIC, false), TLS, "")
        .replace("the news.", "the news. -- added by a gateway");
    let check_changed = check(&dns, &changed).await;
    let f = check_changed
        .findings
        .iter()
        .find(|f| f.id == "message.dkim.body_changed")
        .unwrap();
    assert_eq!(f.severity, Severity::Fail);
    assert_eq!(
        check_changed.dmarc.as_ref().unwrap().result,
        mailwright_core::dmarc::DmarcResult::Pass,
        "SPF still aligns"
    );

    let headers_only = received(&signed("s1", "", BASIC, false), TLS, "");
    let headers_only = headers_only.split("\r\n\r\n").next().unwrap().to_owned() + "\r\n\r\n";
    let check_headers = check(&dns, &headers_only).await;
    assert!(!check_headers.has_body);
    let f = check_headers
        .findings
        .iter()
        .find(|f| f.id == "message.dkim.body_changed")
        .unwrap();
    assert_eq!(f.severity, Severity::Info, "only headers were given");

    // Signed with the test key but naming the selector of another key: as after a rotation.
    // Gmail's header said pass when it arrived; Mailwright says fail now, and both are shown.
    let gmail = "Authentication-Results: mx.google.com;\r\n       dkim=pass header.i=@shop.test header.s=old;\r\n       spf=pass smtp.mailfrom=bounce@shop.test;\r\n       dmarc=pass (p=REJECT) header.from=shop.test\r\n";
    let rotated = check(
        &dns,
        &received(&signed("old", "", BASIC, false), TLS, gmail),
    )
    .await;
    assert_eq!(rotated.signatures[0].result, "fail");
    assert_eq!(
        rotated.receiver.as_ref().unwrap().provider.as_deref(),
        Some("Gmail")
    );
    let differs = rotated
        .findings
        .iter()
        .find(|f| f.id == "message.receiver.differs")
        .unwrap();
    assert!(differs.title.contains("dkim=pass") && differs.title.contains("dkim=fail"));
    assert!(differs.detail.contains("key"), "{}", differs.detail);
}

#[tokio::test]
async fn forged_results_no_tls_unsubscribe_and_body_length() {
    let (_server, dns) = dns().await;
    // A header the sender wrote itself, with a foreign authserv-id, is not trusted.
    let forged = "Authentication-Results: evil.example; dkim=pass; spf=pass; dmarc=pass\r\n";
    let plain = check(
        &dns,
        &received(&signed("old", "", BASIC, false), "ESMTP", forged),
    )
    .await;
    assert!(plain.receiver.is_none());
    assert_eq!(plain.unverified.len(), 1);
    let found = ids(&plain);
    assert!(found.contains(&"message.receiver.unverified"), "{found:?}");
    assert!(found.contains(&"message.hop.no_tls"), "{found:?}");
    assert!(found.contains(&"message.dkim.fail"), "{found:?}");
    assert_eq!(rule(&plain, "tls_into_receiver"), Some(false));

    // One-click unsubscribe, signed, passes; the same headers unsigned do not.
    let unsubscribe = "List-Unsubscribe: <https://shop.test/u/1>, <mailto:u@shop.test>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n";
    let mut all = BASIC.to_vec();
    all.extend(["List-Unsubscribe", "List-Unsubscribe-Post"]);
    let signed_ok = check(
        &dns,
        &received(&signed("s1", unsubscribe, &all, false), TLS, ""),
    )
    .await;
    assert!(
        ids(&signed_ok).contains(&"message.unsubscribe.ok"),
        "{:?}",
        ids(&signed_ok)
    );
    assert_eq!(rule(&signed_ok, "one_click_unsubscribe"), Some(true));
    let unsigned = check(
        &dns,
        &received(&signed("s1", unsubscribe, BASIC, false), TLS, ""),
    )
    .await;
    let found = ids(&unsigned);
    assert!(
        found.contains(&"message.unsubscribe.not_signed"),
        "{found:?}"
    );
    assert!(
        found.contains(&"message.dkim.headers_not_signed"),
        "{found:?}"
    );

    // l= signs only part of the body.
    let partial = check(&dns, &received(&signed("s1", "", BASIC, true), TLS, "")).await;
    assert!(partial.signatures[0].body_length.is_some());
    assert!(ids(&partial).contains(&"message.dkim.body_length"));
}

#[tokio::test]
async fn a_provider_writing_one_header_per_method_is_read_whole() {
    let (_server, dns) = dns().await;
    let icloud = "Authentication-Results: dmarc.icloud.com; dmarc=pass header.from=shop.test\r\n\
         Authentication-Results: dkim-verifier.icloud.com; dkim=pass (2048-bit key) header.d=shop.test\r\n\
         Authentication-Results: spf.icloud.com; spf=pass smtp.mailfrom=bounce@shop.test\r\n\
         Authentication-Results: mx.shop.test; dkim=fail\r\n";
    let check = check(
        &dns,
        &received(&signed("s1", "", BASIC, false), TLS, icloud),
    )
    .await;
    let receiver = check.receiver.as_ref().unwrap();
    assert_eq!(receiver.provider.as_deref(), Some("Apple iCloud"));
    let methods: Vec<&str> = receiver.results.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(methods, ["dmarc", "dkim", "spf"]);
    assert_eq!(check.unverified.len(), 1, "the header another server wrote");
    assert!(
        !ids(&check).contains(&"message.receiver.differs"),
        "{:?}",
        ids(&check)
    );
}

#[tokio::test]
async fn a_copy_with_bare_line_feeds_verifies_as_sent() {
    // A message pasted from a browser's "Show original" has LF line ends.
    let (_server, dns) = dns().await;
    let raw = received(&signed("s1", "", BASIC, false), TLS, "").replace("\r\n", "\n");
    let check = check(&dns, &raw).await;
    assert_eq!(check.signatures[0].result, "pass", "{:?}", check.signatures);
    assert!(check.has_body);
}

#[tokio::test]
async fn what_is_not_a_message_gets_a_sentence() {
    let (_server, dns) = dns().await;
    let error = check_message(b"just some text\nwithout headers", &dns, None)
        .await
        .unwrap_err();
    assert!(matches!(error, EngineError::NotAMessage), "{error:?}");
    let huge = vec![b'a'; mailwright_core::message::MAX_MESSAGE_OCTETS + 1];
    let error = check_message(&huge, &dns, None).await.unwrap_err();
    assert!(error.to_string().contains("50 MiB"), "{error}");
}
