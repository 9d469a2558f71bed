//! Demo domains under the reserved `.test` TLD, one per audit scenario, shared by the engine's,
//! the CLI's and the GUI's tests and by the benchmark.

use crate::dns_server::{TestDns, Zone};

/// A 2048-bit RSA public key (SubjectPublicKeyInfo, base64) for DKIM records. Only the public
/// half exists; nothing can sign with it.
pub const RSA_PUBLIC_KEY: &str = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAzYtO1YZoizpOqAizIF8Y/EOGKjuSQ6Z80pRPYJOBmwdGYHsIWKRW9N2Ub3RXEvfgs0uyirDONFMeWe3sqr5EF3zIrnb5jvkkCDjFlSLsb16R6dnT3c4XmSfpyaKUNR+m/RKc/tosyOUw6Zvu0YAg3X9sQuTZa6m39q5bEdOOtNz+sR2/DqzhkM4u4TGRZJ/b7SqZoeQJtFctmHFDRon54hNrZ5zaBpqnuwwJbykF531JLNvdvc8lT8jIvbLGFb3n/ywMhnvmQB+3/08Z3cyvewEJOmQMePadC0axfz13alP8v12uGPxgjMKoaW7Y4k0wt5gKTJCFdzgL+dqBW5oLhQIDAQAB";

/// The private half of [`TEST_DKIM_PUBLIC_KEY`] (PKCS#8 PEM), published for tests and demos
/// only: it signs for the demo domains and must never sign real mail.
pub const TEST_DKIM_PRIVATE_KEY: &str = "-----BEGIN PRIVATE KEY-----\nMIIEvwIBADANBgkqhkiG9w0BAQEFAASCBKkwggSlAgEAAoIBAQCIPTSt4tS4oW70\nsIoOwNvWjPDhYGqxO0xwrZUhuIrBhnN/Zzgqqw52zypRFGVr/p2k+wKIkL6cpfX4\nKmpqQeaDYhjgxt7x1nO9OkeyMQmNHT/UsA+yJrB7b/NRxcQ480VpYn4WZ8bTN9Gf\nNT0LY3U8j+TVAvb40mdU9zPrGMu+mC3xQBYpX7VWu8U///TKk160HXNgJ5BOseAi\nV10MRmT6z1sA6D4RfZzx+IwJFf6ECmdt9xkyv4toJ8EmN2fSAOjjaJ5suOZap7Zh\nEDr20NsUAvlqxhBbNue9M5g/TUhNDGF0j2WHFvIb17m1MOzbHzZgoFQhrHorvgLy\nL0IOg9mtAgMBAAECggEAQyz+vSCj59e9qIwlvqmMnElJeq96XCJTihmk94gRbuP3\nLiI8mRlYG/ABOxJWAf59R7x23tSUEBRq6G8tonAVE8I6ZxbYFiG6VtsWQAAa6Ag8\nkYgwbRTTn0Gvlanwm24kUxa7+hs4d6xFwX1UOLnVNEP1PqzkDwNb7RKo+Gp1B+g0\nSLTs4LYNqTcXbffhWCO3qMZNa8gnrTgyp9wjAOsHLwZwCRXaahui+DNISniQKTqs\n7TVSmeS5ORAzXjYK/lQwOYY9C6S8naBLBoIHAy72UGEqnCOTwcc5w9cVeamv3Qgc\nuvwq8bGGXWz3cI4enUusSdOyxSUol15r5WALaNtspwKBgQC9+BTHK0VG6j9cqJy3\n+IKScQEdFZes7eKyyFUfBCXn8bz1f83ydBGoRmFX/aPyiOCJWK8LBRgLacM2nzsI\n/p3F3gi1I1bMjNvDTYzf7qIiRNvh6ocE2veNwfxadCo9ywFiGU6QCJntg2zTWTnM\n6yuS5NS4uIRFwew9uTq797jlYwKBgQC3mBj32BDNkQlm1gygVZmyso0+7qIIwHld\nkr2oT4+DL8I4UfiH/WfsOgBBQb+79hImvvS1QzIsEnzj7uzNQeZQrLLO2PIsvCSV\nznWYPJuDQbwXbFw3DtumqMBgBer50Xl4O1DigNt5IWWMrComYPFjV4syAgf5wO9k\npTEfN4Q5rwKBgQCS5GWMrJThBPkBuQ+V4f91JRRrXOrvuPJ2tBm95gM5mt82JiEl\nvUJ6EBHtbB99xwF4sq6HouS4zos4jV+k0N1Gxy2Mg0r22GSGXEz2Sxvry7sKscK9\nqmOJpdpwRyrypSropBDvpvb/hYR82J2tKpuC9pbWTzdYiV8XS0dzWVYLaQKBgQCt\ngDFoV2pZukz2QCaihwK/G3ncFUxPlQWc5oYRP07SnRmge+axLUs+tPl0shvuF3fD\n4gYEHsKVX8ti5HIo77QmXW6FiAQlPpAceoYrHmuguUh1olPrPEFb2HIkzLLo74sp\nknS3+Spv6J29OR6EMm0sgpjq43yCDFCv/mTTqXVtxQKBgQCOP4Z/0WQkRstpqmpz\ndMiibs77w2WpRF/cdIv+qbVzgmghguKdw7vqvwXEQsjWnDbEwoDP01K890ozEpNw\nw04p+iO7GWUjpoiUXR4TD6u/xux4Y2XJ0bXKMkGwXWwjeNYwwIZN3csWp+JpL02x\n+OC+4cmQP1R4VMYb/p8n3Q6fzw==\n-----END PRIVATE KEY-----\n";

/// Panics when `text` holds any base64 line of [`TEST_DKIM_PRIVATE_KEY`] (a leaked private key).
pub fn assert_no_test_private_key(text: &str) {
    for line in TEST_DKIM_PRIVATE_KEY
        .lines()
        .filter(|l| !l.starts_with("-----"))
    {
        assert!(
            !text.contains(line),
            "a line of the private key is in the text"
        );
    }
}

/// A 2048-bit RSA public key whose private half is [`TEST_DKIM_PRIVATE_KEY`].
pub const TEST_DKIM_PUBLIC_KEY: &str = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAiD00reLUuKFu9LCKDsDb1ozw4WBqsTtMcK2VIbiKwYZzf2c4KqsOds8qURRla/6dpPsCiJC+nKX1+CpqakHmg2IY4Mbe8dZzvTpHsjEJjR0/1LAPsiawe2/zUcXEOPNFaWJ+FmfG0zfRnzU9C2N1PI/k1QL2+NJnVPcz6xjLvpgt8UAWKV+1VrvFP//0ypNetB1zYCeQTrHgIlddDEZk+s9bAOg+EX2c8fiMCRX+hApnbfcZMr+LaCfBJjdn0gDo42iebLjmWqe2YRA69tDbFAL5asYQWzbnvTOYP01ITQxhdI9lhxbyG9e5tTDs2x82YKBUIax6K74C8i9CDoPZrQIDAQAB";

/// DKIM checks: `mw202611` holds [`TEST_DKIM_PUBLIC_KEY`]; `other` a different key; `gone` a
/// revoked key; `trial` the test key with `t=y`; `cut` it truncated; `weak` a 1024-bit key;
/// `hosted` a CNAME to a provider's key.
pub const DKIM_DOMAIN: &str = "dkim.test";

/// Fastmail's three DKIM CNAMEs: `fm1` right, `fm2` pointing elsewhere, `fm3` missing.
pub const HOSTED: &str = "hosted.test";

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

fn test_key_record(flags: &str) -> String {
    txt(&format!("v=DKIM1; k=rsa; {flags}p={TEST_DKIM_PUBLIC_KEY}"))
}

fn dkim_key() -> String {
    txt(&format!("v=DKIM1; k=rsa; p={RSA_PUBLIC_KEY}"))
}

/// A domain that is already well set up: SPF ending `-all`, DKIM at the catalog selector
/// `google` (and the test key at `mw202611`), DMARC `p=quarantine` with strict DKIM alignment
/// and reports to `dmarc@strict.test`, MTA-STS enforced (its policy served by
/// [`crate::PolicyServer`]) and TLS reports to `tls@strict.test`. Nothing a composer proposes
/// for it may be weaker without saying so.
pub const STRICT: &str = "strict.test";
/// The DMARC record [`STRICT`] publishes.
pub const STRICT_DMARC: &str = "v=DMARC1; p=quarantine; adkim=s; rua=mailto:dmarc@strict.test";
/// The MTA-STS policy file [`STRICT`] serves.
pub const STRICT_POLICY: &str =
    "version: STSv1\r\nmode: enforce\r\nmx: mx.strict.test\r\nmax_age: 1209600\r\n";
/// The id of [`STRICT`]'s `_mta-sts` record.
pub const STRICT_STS_ID: &str = "20261101T090000";

fn strict_zone() -> Zone {
    Zone::new(
        STRICT,
        &format!(
            r#"
        @ NS ns1.strict.test.
        ns1 A 127.0.0.1
        @ MX 10 mx.strict.test.
        mx A 127.0.0.1
        mta-sts A 127.0.0.1
        @ TXT "v=spf1 mx -all"
        _dmarc TXT "{STRICT_DMARC}"
        _mta-sts TXT "v=STSv1; id={STRICT_STS_ID}"
        _smtp._tls TXT "v=TLSRPTv1; rua=mailto:tls@strict.test"
        mw202611._domainkey TXT {}
        google._domainkey TXT {}
        "#,
            test_key_record(""),
            dkim_key()
        ),
    )
}

/// A domain whose own name server (`ns1.farns.test`, 127.0.0.2) never answers; the testkit
/// server, as resolver, has its records.
pub const UNREACHABLE_NS: &str = "farns.test";

fn unreachable_ns_zone() -> Zone {
    Zone::new(
        UNREACHABLE_NS,
        r#"
        @ NS ns1.farns.test.
        ns1 A 127.0.0.2
        _dmarc TXT "v=DMARC1; p=none; rua=mailto:d@farns.test"
        "#,
    )
}

/// The zones of every demo domain.
pub fn demo_zones() -> Vec<Zone> {
    let mut zones = audit_zones();
    zones.extend(spf_zones());
    zones.extend(dmarc_zones());
    zones.extend(mta_sts_zones());
    zones.push(submission_zone());
    zones.push(publish_zone());
    zones.push(strict_zone());
    zones.push(unreachable_ns_zone());
    zones
}

/// RFC 6186 submission SRV records: implicit TLS on 465 and STARTTLS on 587 (two hosts; only
/// `mail.srv.test` has an address, 127.0.0.1), and a
/// `.` target that means "not offered".
pub const SUBMISSION: &str = "srv.test";
/// Announces `_submission._tcp` with the target `.` only.
pub const NO_SUBMISSION: &str = "nosub.srv.test";

fn submission_zone() -> Zone {
    Zone::new(
        SUBMISSION,
        r#"
        _submissions._tcp SRV 0 1 465 mail.srv.test.
        _submission._tcp SRV 10 1 587 backup.srv.test.
        _submission._tcp SRV 5 1 587 mail.srv.test.
        _submission._tcp.nosub SRV 0 0 0 .
        mail A 127.0.0.1
        "#,
    )
}

/// A domain for the Publish step: its own name server (127.0.0.1, the test server itself), an
/// SPF record that the new one must replace, a DMARC record with another value, a DKIM CNAME,
/// and the MTA-STS record; the DKIM key is missing.
pub const PUBLISH: &str = "publish.test";

fn publish_zone() -> Zone {
    Zone::new(
        PUBLISH,
        r#"
        @ NS ns1.publish.test.
        ns1 A 127.0.0.1
        @ TXT "v=spf1 mx -all"
        _dmarc TXT "v=DMARC1; p=none; rua=mailto:d@publish.test"
        s1._domainkey CNAME s1.domainkey.u1.wl.sendgrid.net.
        _mta-sts TXT "v=STSv1; id=20261122"
        "#,
    )
}

/// A saved project for [`PUBLISH`]: Google Workspace sends, DMARC `p=quarantine` with reports
/// to the domain (so the SPF and DMARC records differ from what is published) and to
/// `reports.vendor.test`, whose authorization for `publish.test` is missing.
pub fn publish_project_json() -> String {
    serde_json::json!({
        "version": 1,
        "domain": PUBLISH,
        "senders": { "senders": [{ "id": "google", "hosts": [], "spf": null, "dkim_set_up": true, "return_path_set_up": false }] },
        "dmarc": { "domain": "", "policy": "quarantine", "rua": ["d@publish.test", "agg@reports.vendor.test"], "ruf": [], "adkim": "relaxed", "aspf": "relaxed", "sp": null, "np": null, "fo": [], "start": null }
    })
    .to_string()
}

/// DMARC scenarios, one domain each.
pub mod dmarc {
    /// `p=block` with a report address: applied as `p=none`, the bad value named.
    pub const SYNTAX: &str = "syntax.dmarc.test";
    /// `p=block` and no report address: receivers ignore the record.
    pub const IGNORED: &str = "ignored.dmarc.test";
    /// Tag names in capitals, a bad `sp=` and `adkim=`, an `ftp:` report address beside a
    /// `mailto:` one, and `t=y` over `p=reject`.
    pub const LENIENT: &str = "lenient.dmarc.test";
    /// A record without `p=`.
    pub const NO_POLICY: &str = "nop.dmarc.test";
    /// Reports to `reports.vendor.test`, which publishes the authorization.
    pub const EXTERNAL_OK: &str = "ext.dmarc.test";
    /// Reports to `reports.vendor.test`, which does not authorize this domain.
    pub const EXTERNAL_MISSING: &str = "noauth.dmarc.test";
    /// An unknown tag (`adkm=s`, a typo) and the removed `pct=25`.
    pub const OLD_TAGS: &str = "old.dmarc.test";
    /// The external report destination.
    pub const VENDOR: &str = "reports.vendor.test";
}

fn dmarc_zones() -> Vec<Zone> {
    vec![
        Zone::new(
            "dmarc.test",
            r#"
            _dmarc.syntax TXT "v=DMARC1; p=block; rua=mailto:d@syntax.dmarc.test"
            _dmarc.nop TXT "v=DMARC1; rua=mailto:d@nop.dmarc.test"
            _dmarc.ignored TXT "v=DMARC1; p=block"
            _dmarc.lenient TXT "V=DMARC1; P=reject; sp=bogus; adkim=x; rua=ftp://reports.example.com/d,mailto:d@lenient.dmarc.test; t=y"
            _dmarc.ext TXT "v=DMARC1; p=quarantine; rua=mailto:agg@reports.vendor.test"
            _dmarc.noauth TXT "v=DMARC1; p=reject; rua=mailto:agg@reports.vendor.test,mailto:d@noauth.dmarc.test"
            _dmarc.old TXT "v=DMARC1; p=quarantine; pct=25; adkm=s; rua=mailto:d@old.dmarc.test"
            "#,
        ),
        Zone::new(
            "vendor.test",
            r#"
            @ NS ns1.vendor.test.
            ns1 A 127.0.0.1
            ext.dmarc.test._report._dmarc.reports TXT "v=DMARC1"
            "#,
        ),
    ]
}

/// MTA-STS scenarios; the policies are served by [`crate::PolicyServer`] on 127.0.0.1.
pub mod mta_sts {
    /// Enforce mode covering its MX; also SPF with Google and SendGrid includes, and DMARC
    /// p=none reporting to an external address that has not authorized it (the GUI test's domain).
    pub const ENFORCE: &str = "sts.test";
    /// Testing mode.
    pub const TESTING: &str = "testing.sts.test";
    /// Enforce mode whose policy does not list the second MX.
    pub const UNCOVERED: &str = "uncovered.sts.test";
    /// The record exists, the web server answers 404.
    pub const NOT_SERVED: &str = "missing.sts.test";
    /// The web server's certificate does not cover `mta-sts.<domain>`.
    pub const WRONG_NAME: &str = "badname.sts.test";
    /// The web server redirects.
    pub const REDIRECT: &str = "redirect.sts.test";
    /// No MTA-STS or TLS-RPT record at all, but an MX (for the composer).
    pub const NONE: &str = "plain.sts.test";
    /// A withdrawn policy (`mode: none`, no `mx` lines) for a domain with MX hosts.
    pub const WITHDRAWN: &str = "withdrawn.sts.test";

    /// The policy files the test web server serves, by host.
    pub fn policies() -> Vec<(String, String)> {
        let policy = |mode: &str, mx: &[&str]| {
            let mut text = format!("version: STSv1\r\nmode: {mode}\r\n");
            for m in mx {
                text.push_str(&format!("mx: {m}\r\n"));
            }
            text + "max_age: 604800\r\n"
        };
        vec![
            (
                format!("mta-sts.{ENFORCE}"),
                policy("enforce", &["mx1.sts.test", "*.backup.sts.test"]),
            ),
            (
                format!("mta-sts.{TESTING}"),
                policy("testing", &["mx.testing.sts.test"]),
            ),
            (
                format!("mta-sts.{UNCOVERED}"),
                policy("enforce", &["mx1.uncovered.sts.test"]),
            ),
            (format!("mta-sts.{WITHDRAWN}"), policy("none", &[])),
            (
                format!("mta-sts.{WRONG_NAME}"),
                policy("enforce", &["mx.badname.sts.test"]),
            ),
            (
                format!("mta-sts.{}", crate::fixtures::STRICT),
                crate::fixtures::STRICT_POLICY.to_owned(),
            ),
            (
                format!("mta-sts.{}", crate::fixtures::GOOD),
                policy("enforce", &["mx1.good.test", "mx2.good.test"]),
            ),
        ]
    }

    /// Host names the test web server's certificate covers.
    pub fn certificate_names() -> Vec<String> {
        [
            ENFORCE,
            TESTING,
            UNCOVERED,
            WITHDRAWN,
            NOT_SERVED,
            REDIRECT,
            crate::fixtures::STRICT,
            crate::fixtures::GOOD,
        ]
        .iter()
        .map(|d| format!("mta-sts.{d}"))
        .collect()
    }
}

fn mta_sts_zones() -> Vec<Zone> {
    use mta_sts::*;
    let mut records = String::new();
    for domain in [
        ENFORCE, TESTING, UNCOVERED, WITHDRAWN, NOT_SERVED, WRONG_NAME, REDIRECT,
    ] {
        let label = domain.trim_end_matches("sts.test").trim_end_matches('.');
        let at = |name: &str| {
            if label.is_empty() {
                name.to_owned()
            } else if name == "@" {
                label.to_owned()
            } else {
                format!("{name}.{label}")
            }
        };
        records.push_str(&format!(
            "{} TXT \"v=STSv1; id=20261122T1\"\n{} A 127.0.0.1\n{} TXT \"v=TLSRPTv1; rua=mailto:tls@{domain}\"\n",
            at("_mta-sts"),
            at("mta-sts"),
            at("_smtp._tls"),
        ));
    }
    records.push_str(
        r#"
        @ TXT "v=spf1 include:_spf.google.com include:sendgrid.net ~all"
        _dmarc TXT "v=DMARC1; p=none; rua=mailto:agg@reports.vendor.test"
        @ MX 10 mx1.sts.test.
        @ MX 20 mx2.backup.sts.test.
        testing MX 10 mx.testing.sts.test.
        uncovered MX 10 mx1.uncovered.sts.test.
        uncovered MX 20 mx2.uncovered.sts.test.
        missing MX 10 mx.missing.sts.test.
        badname MX 10 mx.badname.sts.test.
        redirect MX 10 mx.redirect.sts.test.
        plain MX 10 mx1.plain.sts.test.
        plain MX 20 mx2.plain.sts.test.
        "#,
    );
    vec![
        Zone::new("sts.test", &records),
        // Stand-ins for two providers' SPF records, so includes of them resolve on loopback.
        Zone::new("google.com", r#"_spf TXT "v=spf1 ip4:192.0.2.64/27 ~all""#),
        Zone::new("sendgrid.net", r#"@ TXT "v=spf1 ip4:192.0.2.96/27 ~all""#),
    ]
}

/// SPF lookup-limit scenarios (RFC 7208 §4.6.4), one domain each.
pub mod spf {
    /// Exactly 10 DNS-querying terms: passes.
    pub const TEN: &str = "ten.spf.test";
    /// 11 DNS-querying terms: permerror.
    pub const ELEVEN: &str = "eleven.spf.test";
    /// Three `a:` terms naming nothing: 3 void lookups.
    pub const VOIDS: &str = "voids.spf.test";
    /// `include` chain back to itself.
    pub const LOOP: &str = "loop.spf.test";
    /// `+all`.
    pub const PLUS_ALL: &str = "plusall.spf.test";
    /// `ptr`.
    pub const PTR: &str = "ptr.spf.test";
    /// A 500-octet record split into 255-octet strings, the split falling inside a token.
    pub const SPLIT: &str = "split.spf.test";
    /// `mx` whose domain has 11 MX hosts.
    pub const MX_MANY: &str = "mxmany.spf.test";
    /// A redirect chain: `redirect=` to a record with an include and another redirect.
    pub const REDIRECT: &str = "redirect.spf.test";
    /// `exp=` (not a lookup) and ip4 only: 0 lookups.
    pub const EXP: &str = "exp.spf.test";
    /// A syntax error (a misspelt mechanism).
    pub const SYNTAX: &str = "syntax.spf.test";
    /// An include of a name whose TXT query is never answered ([`super::TIMEOUT`]).
    pub const INCLUDE_FAILS: &str = "failinc.spf.test";
    /// `ip4:192.0.2.0/024`: a prefix length with a leading zero, which RFC 7208's grammar
    /// refuses (permerror) and mail-auth reads as /24.
    pub const LENIENT: &str = "lenient.spf.test";
}

fn spf_zones() -> Vec<Zone> {
    let includes = |n: usize| {
        (1..=n)
            .map(|i| format!("include:n{i}.lk.test"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let leaves: String = (1..=11)
        .map(|i| format!("n{i} TXT \"v=spf1 ip4:192.0.2.{i} -all\"\n"))
        .collect();
    let mx_hosts: String = (1..=11)
        .map(|i| format!("@ MX {i} mx{i}.mxmany.spf.test.\nmx{i} A 192.0.2.{i}\n"))
        .collect();
    let long: String = (0..34).map(|i| format!(" ip4:198.51.100.{i}")).collect();
    vec![
        Zone::new(
            "lk.test",
            &format!("{leaves}r1 TXT \"v=spf1 include:n1.lk.test redirect=n2.lk.test\"\n"),
        ),
        Zone::new(
            "spf.test",
            &format!(
                r#"
                ten TXT "v=spf1 {ten} -all"
                eleven TXT "v=spf1 {eleven} -all"
                voids TXT "v=spf1 a:none1.lk.test a:none2.lk.test a:none3.lk.test -all"
                loop TXT "v=spf1 include:back.spf.test -all"
                back TXT "v=spf1 include:loop.spf.test -all"
                plusall TXT "v=spf1 +all"
                ptr TXT "v=spf1 ptr -all"
                split TXT {split}
                redirect TXT "v=spf1 redirect=r1.lk.test"
                exp TXT "v=spf1 ip4:192.0.2.0/24 exp=explain.spf.test -all"
                explain TXT "Mail from %{{d}} is not allowed from %{{i}}"
                syntax TXT "v=spf1 inlcude:_spf.google.com -all"
                failinc TXT "v=spf1 ip4:192.0.2.1 include:slow.test -all"
                lenient TXT "v=spf1 ip4:192.0.2.0/024 -all"
                "#,
                ten = includes(10),
                eleven = includes(11),
                split = txt(&format!("v=spf1{long} -all")),
            ),
        ),
        Zone::new(
            "mxmany.spf.test",
            &format!("{mx_hosts}@ TXT \"v=spf1 mx -all\""),
        ),
    ]
}

fn audit_zones() -> Vec<Zone> {
    let key = dkim_key();
    let test_key = test_key_record("");
    vec![
        Zone::new(
            DKIM_DOMAIN,
            &format!(
                r#"
                @ MX 10 mx.dkim.test.
                mx A 192.0.2.120
                {USER_SELECTOR}._domainkey TXT {test_key}
                other._domainkey TXT {key}
                gone._domainkey TXT "v=DKIM1; k=rsa; p="
                trial._domainkey TXT {trial}
                cut._domainkey TXT "v=DKIM1; k=rsa; p={cut}"
                weak._domainkey TXT "v=DKIM1; k=rsa; p={RSA_1024_PUBLIC_KEY}"
                hosted._domainkey CNAME selector1-cname-test._domainkey.provider.test.
                "#,
                trial = test_key_record("t=y; "),
                cut = &TEST_DKIM_PUBLIC_KEY[..200],
            ),
        ),
        Zone::new(
            HOSTED,
            r#"
            @ MX 10 in1-smtp.messagingengine.com.
            fm1._domainkey CNAME fm1.hosted.test.dkim.fmhosted.com.
            fm2._domainkey CNAME fm2.elsewhere.test.
            "#,
        ),
        Zone::new("dkim.fmhosted.com", &format!("fm1.hosted.test TXT {key}")),
        Zone::new("elsewhere.test", &format!("fm2 TXT {key}")),
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
            {USER_SELECTOR}._domainkey TXT {test_key}
            _mta-sts TXT "v=STSv1; id=20261101"
            mta-sts A 127.0.0.1
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

/// Starts the HTTPS server for the MTA-STS demo domains (see [`mta_sts`]).
pub async fn start_policy_server() -> crate::PolicyServer {
    crate::PolicyServer::start(mta_sts::certificate_names(), mta_sts::policies()).await
}
