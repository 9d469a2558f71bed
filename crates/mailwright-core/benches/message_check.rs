//! Benchmark: checking a received message with three DKIM signatures (three selectors), SPF,
//! DMARC and reverse DNS, with 50 ms added to every DNS answer. The lookups run at the same
//! time, so the check must take at most 3 × 50 ms + 100 ms.
//!
//! Run: `cargo bench -p mailwright-core --bench message_check`

use std::time::{Duration, Instant};

use mail_auth::common::crypto::{RsaKey, Sha256};
use mail_auth::common::headers::HeaderWriter;
use mail_auth::dkim::DkimSigner;
use mailwright_core::dkim::read_private_key_pem;
use mailwright_core::dns::{DnsConfig, NameserverSource};
use mailwright_core::message::check_message;
use mailwright_testkit::fixtures::{TEST_DKIM_PRIVATE_KEY, TEST_DKIM_PUBLIC_KEY};
use mailwright_testkit::{TestDns, Zone};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

const LATENCY: Duration = Duration::from_millis(50);
const RUNS: usize = 7;
const SELECTORS: [&str; 3] = ["s1", "s2", "s3"];

fn message() -> String {
    let mut message = "From: <news@bench.test>\r\nTo: <ann@example.org>\r\nSubject: News\r\n\
         Date: Tue, 01 Dec 2026 10:00:00 +0000\r\nMessage-ID: <b1@bench.test>\r\n\r\nHello.\r\n"
        .to_owned();
    let der = read_private_key_pem(TEST_DKIM_PRIVATE_KEY)
        .unwrap()
        .private_pkcs8
        .expose()
        .clone();
    for selector in SELECTORS {
        let key = RsaKey::<Sha256>::from_key_der(PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
            der.clone(),
        )))
        .unwrap();
        let signature = DkimSigner::from_key(key)
            .domain("bench.test")
            .selector(selector)
            .headers(["From", "To", "Subject", "Date", "Message-ID"])
            .sign(message.as_bytes())
            .unwrap();
        message = format!("{}{message}", signature.to_header());
    }
    format!(
        "Return-Path: <bounce@bench.test>\r\nReceived: from mail.bench.test (mail.bench.test [192.0.2.10]) by mx.example.org with ESMTPS; Tue, 01 Dec 2026 10:00:02 +0000\r\n{message}"
    )
}

#[tokio::main]
async fn main() {
    let key = format!("v=DKIM1; k=rsa; p={TEST_DKIM_PUBLIC_KEY}");
    let (a, b) = key.split_at(200);
    let keys: String = SELECTORS
        .iter()
        .map(|s| format!("{s}._domainkey TXT \"{a}\" \"{b}\"\n"))
        .collect();
    let dns = TestDns::start(&[
        Zone::new(
            "bench.test",
            &format!(
                "{keys}@ TXT \"v=spf1 ip4:192.0.2.10 -all\"\n@ A 192.0.2.1\n_dmarc TXT \"v=DMARC1; p=reject\"\nmail A 192.0.2.10\n"
            ),
        ),
        Zone::new("2.0.192.in-addr.arpa", "10 PTR mail.bench.test."),
    ])
    .await;
    dns.set_latency(LATENCY);
    let config = DnsConfig::with_nameserver(dns.addr(), NameserverSource::CommandLine);
    let raw = message();
    let mut times = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let check = check_message(raw.as_bytes(), &config, None)
            .await
            .expect("the check runs");
        times.push(started.elapsed());
        assert_eq!(check.signatures.len(), 3);
        assert!(
            check.signatures.iter().all(|s| s.result == "pass"),
            "{:?}",
            check.signatures
        );
    }
    times.sort();
    let median = times[RUNS / 2];
    let budget = LATENCY * 3 + Duration::from_millis(100);
    println!(
        "message check, 3 signatures: wall time min {:.0?}, median {median:.0?}, max {:.0?} (budget {budget:.0?})",
        times[0],
        times[RUNS - 1]
    );
    assert!(
        median <= budget,
        "median {median:?} is over the {budget:?} budget"
    );
}
