//! Demo domains under the reserved `.test` TLD, one per audit scenario, shared by the engine's,
//! the CLI's and the GUI's tests and by the benchmark.

use crate::dns_server::{TestDns, Zone};

/// A 2048-bit RSA public key (SubjectPublicKeyInfo, base64) for DKIM records. Only the public
/// half exists; nothing can sign with it.
pub const RSA_PUBLIC_KEY: &str = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAzYtO1YZoizpOqAizIF8Y/EOGKjuSQ6Z80pRPYJOBmwdGYHsIWKRW9N2Ub3RXEvfgs0uyirDONFMeWe3sqr5EF3zIrnb5jvkkCDjFlSLsb16R6dnT3c4XmSfpyaKUNR+m/RKc/tosyOUw6Zvu0YAg3X9sQuTZa6m39q5bEdOOtNz+sR2/DqzhkM4u4TGRZJ/b7SqZoeQJtFctmHFDRon54hNrZ5zaBpqnuwwJbykF531JLNvdvc8lT8jIvbLGFb3n/ywMhnvmQB+3/08Z3cyvewEJOmQMePadC0axfz13alP8v12uGPxgjMKoaW7Y4k0wt5gKTJCFdzgL+dqBW5oLhQIDAQAB";

/// Everything published and enforced: MX with address, one SPF, DMARC p=reject, DKIM at the
/// catalog selector `google` and at the user selector [`USER_SELECTOR`], MTA-STS, TLS-RPT.
pub const GOOD: &str = "good.test";
/// The selector the user types for [`GOOD`]; not in the catalog.
pub const USER_SELECTOR: &str = "mw202611";
/// TXT records but no SPF.
pub const NO_SPF: &str = "nospf.test";
/// Two `v=spf1` records.
pub const TWO_SPF: &str = "twospf.test";
/// DMARC with `p=none`.
pub const MONITOR_ONLY: &str = "monitor.test";
/// A subdomain without DMARC whose organizational domain [`ORG`] has a record.
pub const SUBDOMAIN: &str = "shop.org.test";
/// The organizational domain of [`SUBDOMAIN`].
pub const ORG: &str = "org.test";
/// DKIM at `selector1` through a CNAME into the provider's zone.
pub const CNAME_DKIM: &str = "cname.test";
/// A null MX (RFC 7505).
pub const NULL_MX: &str = "nullmx.test";
/// `_dmarc.servfail.test` answers SERVFAIL.
pub const SERVFAIL: &str = "servfail.test";
/// Queries about `slow.test` itself (MX, TXT) are never answered.
pub const TIMEOUT: &str = "slow.test";
/// An MX host without any address.
pub const LOST_MX: &str = "lost.test";
/// DKIM records with problems, at selectors `weak` (1024-bit RSA), `cut` (truncated key) and
/// `trial` (`t=y`).
pub const KEY_PROBLEMS: &str = "keys.test";
/// A 1024-bit RSA public key (below the RFC 8301 recommendation of 2048).
pub const RSA_1024_PUBLIC_KEY: &str = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDNzBEwrVrxwBlaASvLk85SAIlqpQ/HCsVQ3wIbGdVkkWpTD7kqke50GZzsFzG0bdPgWInZ5l6N5F/l8xELGW+2WltwRpF0XoUJsNj6lQV+FQ1pEG70dkrVtcMEll7o5wqMRfz7Sg8zH72o6Hd94qCWT+Qpo4JCb9a0Ac50FfNU2wIDAQAB";
/// A DKIM selector whose CNAME chain loops.
pub const CNAME_LOOP: &str = "loop.test";

/// Splits a TXT value into quoted character-strings of at most 255 octets (RFC 1035 §3.3).
pub fn txt(value: &str) -> String {
    value
        .as_bytes()
        .chunks(255)
        .map(|chunk| format!("\"{}\"", String::from_utf8_lossy(chunk)))
        .collect::<Vec<_>>()
        .join(" ")
}

fn dkim_key() -> String {
    txt(&format!("v=DKIM1; k=rsa; p={RSA_PUBLIC_KEY}"))
}

/// The zones of every demo domain.
pub fn demo_zones() -> Vec<Zone> {
    let key = dkim_key();
    vec![
        Zone::new(
            GOOD,
            &format!(
                r#"
            @ MX 10 mx1.good.test.
            @ MX 20 mx2.good.test.
            mx1 A 192.0.2.10
            mx2 AAAA 2001:db8::10
            @ TXT "v=spf1 mx include:_spf.google.com -all"
            @ TXT "google-site-verification=abc123"
            _dmarc TXT "v=DMARC1; p=reject; rua=mailto:dmarc@good.test"
            google._domainkey TXT {key}
            {USER_SELECTOR}._domainkey TXT {key}
            _mta-sts TXT "v=STSv1; id=20261101"
            _smtp._tls TXT "v=TLSRPTv1; rua=mailto:tls@good.test"
            "#
            ),
        ),
        Zone::new(
            NO_SPF,
            r#"
            @ MX 10 mx.nospf.test.
            mx A 192.0.2.20
            @ TXT "google-site-verification=xyz"
            _dmarc TXT "v=DMARC1; p=quarantine; rua=mailto:d@nospf.test"
            "#,
        ),
        Zone::new(
            TWO_SPF,
            r#"
            @ MX 10 mx.twospf.test.
            mx A 192.0.2.30
            @ TXT "v=spf1 include:_spf.google.com ~all"
            @ TXT "v=spf1 include:sendgrid.net ~all"
            "#,
        ),
        Zone::new(
            MONITOR_ONLY,
            r#"
            @ MX 10 mx.monitor.test.
            mx A 192.0.2.40
            @ TXT "v=spf1 mx ~all"
            _dmarc TXT "v=DMARC1; p=none; rua=mailto:d@monitor.test"
            "#,
        ),
        Zone::new(
            ORG,
            r#"
            @ MX 10 mx.org.test.
            mx A 192.0.2.50
            @ TXT "v=spf1 mx -all"
            _dmarc TXT "v=DMARC1; p=reject; sp=quarantine; rua=mailto:d@org.test"
            shop MX 10 mx.org.test.
            shop TXT "v=spf1 mx -all"
            "#,
        ),
        Zone::new(
            CNAME_DKIM,
            r#"
            @ MX 10 mx.cname.test.
            mx A 192.0.2.60
            @ TXT "v=spf1 include:spf.protection.provider.test -all"
            selector1._domainkey CNAME selector1-cname-test._domainkey.provider.test.
            "#,
        ),
        Zone::new(
            KEY_PROBLEMS,
            &format!(
                r#"
                @ MX 10 mx.keys.test.
                mx A 192.0.2.100
                weak._domainkey TXT "v=DKIM1; k=rsa; p={RSA_1024_PUBLIC_KEY}"
                cut._domainkey TXT "v=DKIM1; k=rsa; p={}"
                trial._domainkey TXT {}
                "#,
                &RSA_PUBLIC_KEY[..120],
                txt(&format!("v=DKIM1; k=rsa; t=y; p={RSA_PUBLIC_KEY}"))
            ),
        ),
        Zone::new(
            "provider.test",
            &format!("selector1-cname-test._domainkey TXT {key}"),
        ),
        Zone::new(
            NULL_MX,
            r#"
            @ MX 0 .
            @ TXT "v=spf1 -all"
            _dmarc TXT "v=DMARC1; p=reject"
            "#,
        ),
        Zone::new(
            SERVFAIL,
            r#"
            @ MX 10 mx.servfail.test.
            mx A 192.0.2.70
            @ TXT "v=spf1 mx -all"
            _dmarc TXT "v=DMARC1; p=reject"
            "#,
        ),
        Zone::new(
            TIMEOUT,
            r#"
            @ MX 10 mx.slow.test.
            mx A 192.0.2.80
            @ TXT "v=spf1 mx -all"
            _dmarc TXT "v=DMARC1; p=reject"
            "#,
        ),
        Zone::new(
            LOST_MX,
            r#"
            @ MX 10 mx.nowhere.test.
            @ TXT "v=spf1 -all"
            "#,
        ),
        Zone::new(
            CNAME_LOOP,
            r#"
            @ MX 10 mx.loop.test.
            mx A 192.0.2.90
            google._domainkey CNAME a.loop.test.
            a CNAME b.loop.test.
            b CNAME google._domainkey.loop.test.
            "#,
        ),
    ]
}

/// Starts a test DNS server with every demo domain and its faults in place.
pub async fn start_demo_dns() -> TestDns {
    let dns = TestDns::start(&demo_zones()).await;
    dns.servfail(&format!("_dmarc.{SERVFAIL}"));
    dns.drop_queries(TIMEOUT);
    dns
}
