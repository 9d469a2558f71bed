//! Property tests over every parser of untrusted input (proptest on stable Rust): arbitrary
//! bytes, and mutations of valid inputs (characters inserted, deleted, replaced, slices
//! repeated). Nothing panics, bounded readers stay within their caps, and the properties that
//! keep secrets and scripts out hold: the transcript never holds a password, and the HTML page
//! never carries a script, a link or an event handler.
//!
//! `cargo xtask test` runs 2,000 cases of each; `cargo xtask fuzz` runs 1,000,000 (the
//! `PROPTEST_CASES` variable sets any other number).

use std::time::Duration;

use mailwright_core::dkim::{DkimKeyRecord, read_private_key_pem};
use mailwright_core::dmarc::DmarcRecord;
use mailwright_core::html_page::{body, plain_text};
use mailwright_core::mta_sts::{StsPolicy, parse_sts_record, parse_tls_rpt_record};
use mailwright_core::parse_domain_input;
use mailwright_core::smtp::{MAX_LINE_OCTETS, MAX_REPLY_LINES, REDACTED, Transcript, read_reply};
use mailwright_core::spf::SpfRecord;
use mailwright_core::tags::tag_list;
use mailwright_core::warmup::{count_recipients, parse_results_csv};
use proptest::prelude::*;
use proptest::sample::Index;

/// Cases per property: `PROPTEST_CASES`, else 2,000.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(2_000),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// One edit of a text: insert, delete or replace a character, or repeat a slice.
#[derive(Clone, Debug)]
enum Edit {
    Insert(Index, char),
    Delete(Index),
    Replace(Index, char),
    Repeat(Index, Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    // Characters that matter to the parsers, and any character at all.
    let interesting = prop_oneof![
        prop::sample::select(vec![
            ';', '=', ':', '/', '.', '-', '%', '{', '}', ' ', '\t', '\r', '\n', '\0', '"', '\\',
            '@', '+', '~', '?', '0', '9', 'v', 'p', 'a', 'é', '\u{202e}', '\u{1b}'
        ]),
        any::<char>(),
    ];
    prop_oneof![
        (any::<Index>(), interesting.clone()).prop_map(|(i, c)| Edit::Insert(i, c)),
        any::<Index>().prop_map(Edit::Delete),
        (any::<Index>(), interesting).prop_map(|(i, c)| Edit::Replace(i, c)),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::Repeat(a, b)),
    ]
}

fn apply(seed: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = seed.chars().collect();
    for e in edits {
        let at = |i: &Index, len: usize| if len == 0 { 0 } else { i.index(len) };
        match e {
            Edit::Insert(i, c) => {
                let n = at(i, chars.len() + 1);
                chars.insert(n, *c);
            }
            Edit::Delete(i) if !chars.is_empty() => {
                let n = at(i, chars.len());
                chars.remove(n);
            }
            Edit::Replace(i, c) if !chars.is_empty() => {
                let n = at(i, chars.len());
                chars[n] = *c;
            }
            Edit::Repeat(a, b) if !chars.is_empty() && chars.len() < 4096 => {
                let (x, y) = (at(a, chars.len()), at(b, chars.len()));
                let slice: Vec<char> = chars[x.min(y)..x.max(y)].to_vec();
                chars.splice(x.max(y)..x.max(y), slice);
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}

/// A valid input from `seeds`, edited 0 to 8 times; or any text at all.
fn input(seeds: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (prop::sample::select(seeds), prop::collection::vec(edit(), 0..8))
            .prop_map(|(seed, edits)| apply(seed, &edits)),
        1 => any::<String>(),
        1 => prop::collection::vec(any::<u8>(), 0..512)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ]
}

const SPF: &[&str] = &[
    "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 include:_spf.google.com ~all",
    "v=spf1 a:mail.example.com/24//64 mx/30 ptr exists:%{i}.%{l1r+-}._spf.%{d} -all",
    "v=spf1 redirect=_spf.example.com exp=explain.%{d2}",
    "v=spf1 +a -mx ?ip4:10.0.0.1 a:foo:bar/baz.example.com ~all",
];
const DMARC: &[&str] = &[
    "v=DMARC1; p=reject; rua=mailto:dmarc@example.com,mailto:x@vendor.example!10m; ruf=mailto:f@example.com; adkim=s; aspf=r; pct=50; sp=quarantine; fo=1:d; ri=86400",
    "v=DMARC1; p=none",
    "v=DMARC1;p=quarantine;np=reject;t=y;psd=n",
];
const DKIM: &[&str] = &[
    "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDNzBEwrVrxwBlaASvLk85SAIlqpQ/HCsVQ3wIbGdVkkWpTD7kqke50GZzsFzG0bdPgWInZ5l6N5F/l8xELGW+2WltwRpF0XoUJsNj6lQV+FQ1pEG70dkrVtcMEll7o5wqMRfz7Sg8zH72o6Hd94qCWT+Qpo4JCb9a0Ac50FfNU2wIDAQAB",
    "v=DKIM1; k=ed25519; h=sha256; t=y:s; s=email; n=note; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
    "v=DKIM1; p=",
];
const STS_POLICY: &[&str] = &[
    "version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\nmax_age: 604800\n",
    "version: STSv1\r\nmode: testing\r\nmx: mx1.example.com\r\nmax_age: 86400\r\n",
    "version: STSv1\nmode: none\nmax_age: 0\n",
];
const STS_RECORDS: &[&str] = &[
    "v=STSv1; id=20261101T000000;",
    "v=TLSRPTv1; rua=mailto:tls@example.com,https://report.example.com/tls",
];
const DOMAINS: &[&str] = &[
    "example.com",
    "https://www.example.com/path?q=1",
    "mailto:alice@Example.COM",
    "bücher.example",
    "[2001:db8::1]",
    "alice@sub.example.co.uk.",
];
const CSV: &[&str] = &[
    "date,sent,delivered,hard_bounces,soft_bounces,complaints\n2026-11-02,500,490,3,5,0\n2026-11-03,700,690,4,2,1\n",
    "date,provider,sent,hard_bounces,complaints\n2026-11-02,gmail,200,1,0\n",
];
const RECIPIENTS: &[&str] = &[
    "alice@gmail.com\nbob@outlook.com; carol@yahoo.com\n\"Dan\" <dan@example.org>\n",
    "email,name\nann@icloud.com,Ann\nmailto:ben@aol.com,Ben\n",
];
const AUTH_RESULTS: &[&str] = &[
    "mx.google.com;\r\n dkim=pass header.i=@example.com header.s=s1 header.b=AbCd;\r\n spf=pass (google.com: domain of a@example.com designates 192.0.2.1 as permitted sender) smtp.mailfrom=a@example.com;\r\n dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=example.com",
    "spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=example.com; dkim=pass (signature was verified) header.d=example.com;dmarc=pass action=none header.from=example.com;compauth=pass reason=100",
    "example.org 1; none",
    "example.com; dkim=fail reason=\"bad; (nested (comment))\" header.d=example.com",
];
const MESSAGES: &[&str] = &[
    "Return-Path: <b@example.com>\r\nAuthentication-Results: mx.google.com; dkim=pass header.d=example.com\r\nReceived: from mail.example.com (mail.example.com [192.0.2.1])\r\n\tby mx.google.com with ESMTPS (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384) id x; Tue, 01 Dec 2026 10:00:02 +0000\r\nDKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s1; h=From:Subject:Date; l=10; x=1; bh=abc=; b=def=\r\nFrom: A <a@example.com>\r\nDate: Tue, 01 Dec 2026 10:00:00 +0000\r\nMessage-ID: <1@example.com>\r\nList-Unsubscribe: <https://example.com/u>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n\r\nBody\r\n",
    "Received: from [10.0.0.1] by x with SMTP; bad date\nFrom: a@b.c, d@e.f\nFrom: g@h.i\n\n",
    "Content-Type: multipart/mixed; boundary=x\r\nFrom: a@example.com\r\n\r\n--x\r\nContent-Type: message/rfc822\r\n\r\nFrom: b@example.com\r\n\r\n--x--\r\n",
];
const REPORTS: &[&str] = &[
    "<?xml version=\"1.0\"?><feedback><report_metadata><org_name>r.example</org_name><email>a@r.example</email><report_id>1</report_id><date_range><begin>1764547200</begin><end>1764633599</end></date_range></report_metadata><policy_published><domain>example.com</domain><p>none</p></policy_published><record><row><source_ip>192.0.2.1</source_ip><count>3</count><policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>fail</spf><reason><type>forwarded</type></reason></policy_evaluated></row><identifiers><header_from>example.com</header_from></identifiers><auth_results><dkim><domain>example.com</domain><selector>s</selector><result>pass</result></dkim><spf><domain>example.com</domain><result>softfail</result></spf></auth_results></record></feedback>",
    "<xs:schema><feedback><report_metadata><email><bad@x></email></report_metadata></feedback></xs:schema>",
    "{\"organization-name\":\"C\",\"date-range\":{\"start-datetime\":\"2026-11-30T00:00:00Z\",\"end-datetime\":\"2026-11-30T23:59:59Z\"},\"report-id\":\"x\",\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-domain\":\"example.com\",\"mx-host\":\"mx.example.com\"},\"summary\":{\"total-successful-session-count\":1,\"total-failure-session-count\":2},\"failure-details\":[{\"result-type\":\"certificate-expired\",\"failed-session-count\":2}]}]}",
    "From: r@x.example\r\nSubject: Report\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: application/xml; name=r.xml\r\n\r\n<feedback/>\r\n--b--\r\n",
    "From a@b Mon Jan  1 00:00:00 2026\nFrom: r@x\nSubject: a\nContent-Type: application/json\n\n{}\n>From x\n",
];
const BOUNCES: &[&str] = &[
    "From: MAILER-DAEMON@x.example\r\nSubject: Undelivered\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=B\r\n\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; x\r\n\r\nFinal-Recipient: rfc822; a@b.example\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 unknown\r\n\r\n--B--\r\n",
    "From: Mailer-Daemon@x.example\nSubject: failure notice\n\n<a@b.example>:\nRemote host said: 550-5.7.26 unauthenticated gsmtp\n",
    "550 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
    "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred",
    "From: feedback@fbl.example\r\nSubject: FW\r\nContent-Type: multipart/report; report-type=feedback-report; boundary=F\r\n\r\n--F\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\nVersion: 1\r\nOriginal-Rcpt-To: <a@b.example>\r\n\r\n--F--\r\n",
    "email,event,reason,timestamp\nA@Example.com,bounce,\"550 5.1.1 user unknown\",1764583200\nb@example.com,spamreport,,2026-12-01\n",
    "From MAILER-DAEMON Tue Dec  1 10:00:00 2026\nFrom: x@y.example\nSubject: unsubscribe\n\n>From here\nFrom b Tue\n",
];
const MARKDOWN: &[&str] = &[
    "<script>alert(1)</script> [x](javascript:alert(1)) ![i](http://t.example/i.png)",
    "<a href=\"http://evil.example\" onclick=\"x()\">click</a> <img src=x onerror=alert(1)>",
    "# Title\n\n| a | b |\n|---|---|\n| `<b>` | **c** |\n\n- [x] item <iframe src=x>",
    "<http://autolink.example> [ref]\n\n[ref]: http://ref.example \"t\"",
];

proptest! {
    #![proptest_config(config())]

    #[test]
    fn spf_records(text in input(SPF)) {
        let _ = SpfRecord::parse(&text);
    }

    #[test]
    fn authentication_results_and_message_paths(header in input(AUTH_RESULTS), raw in input(MESSAGES)) {
        use mailwright_core::message::{parse_auth_results, read_hops};
        let results = parse_auth_results(&header);
        prop_assert!(results.results.len() <= 64);
        if let Ok(hops) = read_hops(raw.as_bytes()) {
            prop_assert!(hops.len() <= 50);
        }
    }

    #[test]
    fn report_documents_and_containers(text in input(REPORTS), bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        use mailwright_core::reports::{Document, Found, read_document, unpack_bytes};
        for raw in [text.as_bytes(), &bytes[..]] {
            let mut found = 0usize;
            unpack_bytes("fuzz", raw, 0, &mut |f| {
                found += 1;
                if let Found::Document(d) = f {
                    let _ = read_document(&d);
                }
                true
            });
            prop_assert!(found >= 1);
            let _ = read_document(&Document { origin: "fuzz".into(), bytes: raw.to_vec() });
        }
    }

    #[test]
    fn bounces_and_replies(text in input(BOUNCES)) {
        use mailwright_core::bounces::{MAX_RECIPIENTS, explain_bounce, explain_reply};
        if let Ok(found) = explain_bounce(text.as_bytes()) {
            prop_assert!(!found.is_empty() && found.len() <= MAX_RECIPIENTS);
        }
        let reply = explain_reply(&text);
        prop_assert!(reply.reply.as_ref().is_none_or(|r| r.chars().count() <= 1_000));
    }

    #[test]
    fn bounce_imports_of_messages_mailboxes_and_csv(text in input(BOUNCES)) {
        use mailwright_core::bounces::{BounceImporter, MAX_RECIPIENTS};
        let dir = tempfile::tempdir().unwrap();
        let mut store = mailwright_core::reports::ReportStore::open(&dir.path().join("r.db"), 0)
            .unwrap()
            .store;
        let stop = std::sync::atomic::AtomicBool::new(false);
        let progress = |_: &_| {};
        let mut importer = BounceImporter::new(&mut store, 1_800_000_000, &progress, &stop);
        importer.bytes("fuzzed", text.as_bytes());
        let summary = importer.finish().unwrap();
        prop_assert!(summary.new_events <= (MAX_RECIPIENTS as u64) * (summary.read.max(1)));
        prop_assert!(!summary.sentence.is_empty());
    }

    #[test]
    fn dmarc_records(text in input(DMARC)) {
        let _ = DmarcRecord::parse(&text);
    }

    #[test]
    fn dkim_key_records_and_tag_lists(text in input(DKIM)) {
        let _ = DkimKeyRecord::parse(&text);
        let tags = tag_list(&text);
        prop_assert!(tags.len() <= text.len() + 1);
    }

    #[test]
    fn mta_sts_policies_and_records(policy in input(STS_POLICY), record in input(STS_RECORDS)) {
        let _ = StsPolicy::parse(&policy);
        let _ = parse_sts_record(&record);
        let _ = parse_tls_rpt_record(&record);
    }

    #[test]
    fn domain_input(text in input(DOMAINS)) {
        if let Ok(parsed) = parse_domain_input(&text) {
            // What is accepted is a DNS name: at most 253 octets, no empty label.
            prop_assert!(parsed.domain.ascii.len() <= 253);
            prop_assert!(parsed.domain.ascii.split('.').all(|l| !l.is_empty() && l.len() <= 63));
        }
    }

    #[test]
    fn warmup_results_csv(text in input(CSV)) {
        let _ = parse_results_csv(&text);
    }

    #[test]
    fn recipient_lists(text in input(RECIPIENTS)) {
        if let Ok(counts) = count_recipients(&text) {
            // Only domains are kept, never an address.
            let json = serde_json::to_string(&counts).unwrap();
            prop_assert!(!json.contains('@'));
        }
    }

    #[test]
    fn private_key_pem_files(text in input(&[mailwright_testkit::fixtures::TEST_DKIM_PRIVATE_KEY])) {
        let _ = read_private_key_pem(&text);
    }

    #[test]
    fn html_pages_never_carry_a_script_a_link_or_a_handler(text in input(MARKDOWN)) {
        for markdown in [text.clone(), plain_text(&text)] {
            let html = body(&markdown);
            let lower = html.to_ascii_lowercase();
            prop_assert!(!lower.contains("<script"), "{html}");
            // Every real tag (text is escaped, so each `<` opens one) is pulldown-cmark's own:
            // no link, image or frame, and no attribute that fetches or runs anything.
            for tag in lower.split('<').skip(1) {
                let inside = tag.split('>').next().unwrap_or_default();
                let mut words = inside.split_whitespace();
                let name = words.next().unwrap_or_default().trim_start_matches('/');
                prop_assert!(!["a", "img", "iframe", "script", "object", "embed", "link", "style"].contains(&name), "{html}");
                prop_assert!(
                    !words.any(|a| a.starts_with("on") || a.starts_with("href") || a.starts_with("src")),
                    "{html}"
                );
            }
        }
        // Escaped for the report, the text renders as one paragraph of text: no heading, list,
        // table, emphasis or code of its own.
        let html = body(&plain_text(&text));
        for tag in ["<h1", "<h2", "<li", "<table", "<em", "<strong", "<code", "<blockquote"] {
            prop_assert!(!html.contains(tag), "{tag} in {html}");
        }
    }

    #[test]
    fn the_transcript_never_holds_the_secret(
        secret in "[!-~]{6,40}",
        user in "[a-z]{1,12}@[a-z]{1,12}\\.test",
        mechanism in prop::sample::select(vec!["PLAIN", "LOGIN", "XOAUTH2", "plain", "Login"]),
        initial in any::<bool>(),
    ) {
        use base64::Engine;
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let mut transcript = Transcript::default();
        transcript.client("EHLO [127.0.0.1]", true);
        transcript.server("250 AUTH PLAIN LOGIN", true);
        let plain = b64(&format!("\0{user}\0{secret}"));
        if initial {
            transcript.client(&format!("AUTH {mechanism} {plain}"), true);
        } else {
            transcript.client(&format!("AUTH {mechanism}"), true);
            transcript.server("334 VXNlcm5hbWU6", true);
            transcript.client(&b64(&user), true);
            transcript.server("334 UGFzc3dvcmQ6", true);
            transcript.client(&b64(&secret), true);
        }
        transcript.server("235 2.7.0 Authentication successful", true);
        transcript.client("QUIT", true);
        let text = transcript.render();
        prop_assert!(!text.contains(&secret), "{text}");
        prop_assert!(!text.contains(&b64(&secret)) && !text.contains(&plain), "{text}");
        prop_assert!(text.contains(REDACTED));
        prop_assert!(text.contains("QUIT"), "the redaction ends with the exchange");
    }
}

/// Replies: well-formed ones edited, and arbitrary bytes. Whatever arrives, the reader ends
/// (the end of the bytes stands for a closed connection) within its caps.
fn reply_bytes() -> impl Strategy<Value = Vec<u8>> {
    const REPLIES: &[&str] = &[
        "220 mail.example.com ESMTP\r\n",
        "250-mail.example.com\r\n250-PIPELINING\r\n250-AUTH PLAIN LOGIN\r\n250 STARTTLS\r\n",
        "535 5.7.8 Error: authentication failed\r\n",
        "220-first\n220-second\r\n220 last\r\n",
    ];
    prop_oneof![
        3 => input(REPLIES).prop_map(String::into_bytes),
        1 => prop::collection::vec(any::<u8>(), 0..4096),
        1 => (1usize..3000, any::<u8>()).prop_map(|(n, b)| {
            let mut v = b"250-".to_vec();
            v.extend(std::iter::repeat_n(b, n));
            v
        }),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn smtp_replies(bytes in reply_bytes()) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
        let result = runtime.block_on(async {
            let mut reader = tokio::io::BufReader::new(&bytes[..]);
            read_reply(&mut reader, Duration::from_secs(5)).await
        });
        if let Ok(reply) = result {
            prop_assert!(reply.lines.len() <= MAX_REPLY_LINES);
            prop_assert!(reply.lines.iter().all(|l| l.len() <= MAX_LINE_OCTETS));
            prop_assert!((100..1000).contains(&reply.code));
        }
    }
}

/// One generated SPF record: terms pointing at the other generated names (includes, redirects,
/// `a`, `mx`, `exists`), loops and self-references, macros, addresses and junk.
fn generated_record(names: usize) -> impl Strategy<Value = String> {
    let target = 0..names;
    let term = prop_oneof![
        target
            .clone()
            .prop_map(|n| format!("include:n{n}.gen.test")),
        target.clone().prop_map(|n| format!("a:n{n}.gen.test")),
        target.clone().prop_map(|n| format!("mx:n{n}.gen.test/24")),
        target.clone().prop_map(|n| format!("exists:n{n}.gen.test")),
        target
            .clone()
            .prop_map(|n| format!("redirect=n{n}.gen.test")),
        Just("include:missing.gen.test".to_owned()),
        Just("include:%{d}.gen.test".to_owned()),
        Just("exists:%{ir}.%{l1r-}.%{o}.gen.test".to_owned()),
        Just("a:%{p}.gen.test".to_owned()),
        target.clone().prop_map(|n| format!("exp=n{n}.gen.test")),
        Just("-all".to_owned()),
        Just("ip4:192.0.2.0/24".to_owned()),
        Just("~all".to_owned()),
        Just("ptr".to_owned()),
        "[a-z:=/%{}.0-9]{1,12}",
    ];
    prop::collection::vec(term, 0..12).prop_map(|terms| format!("v=spf1 {}", terms.join(" ")))
}

proptest! {
    #![proptest_config(ProptestConfig {
        // Each case starts a DNS server: a tenth of the parsers' cases.
        cases: config().cases / 10,
        ..config()
    })]

    /// The whole message check (mail-parser, mail-auth's DKIM, SPF, DMARC, reverse DNS) on
    /// edited messages against a DNS server that knows none of their names: it always ends with
    /// a result or a sentence.
    #[test]
    fn the_message_check_on_any_message(raw in input(MESSAGES)) {
        use mailwright_core::dns::{DnsConfig, NameserverSource};
        use mailwright_core::message::check_message;
        use mailwright_testkit::TestDns;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let checked = runtime.block_on(async {
            let dns = TestDns::start(&[]).await;
            let mut config = DnsConfig::with_nameserver(dns.addr(), NameserverSource::CommandLine);
            config.timeout = Duration::from_millis(300);
            tokio::time::timeout(Duration::from_secs(20), check_message(raw.as_bytes(), &config, None)).await
        });
        let checked = checked.expect("the check ends");
        if let Ok(check) = checked {
            prop_assert!(check.hops.len() <= 50);
            prop_assert!(!check.rules.is_empty());
        }
    }

    /// The walk and check_host() over generated zones against a real DNS server (the
    /// testkit's): both always end, the walk reads at most its budget of records and its totals
    /// add up, and an evaluation that ends without an error kept to the RFC's limits.
    #[test]
    fn the_spf_walk_over_generated_zones(
        records in (1usize..10).prop_flat_map(|n| prop::collection::vec(generated_record(n), n)),
    ) {
        use mailwright_core::dns::{DnsClient, DnsConfig, NameserverSource};
        use mailwright_core::spf::{
            MAX_WALK_NODES, SpfNode, SpfQuery, SpfVerdict, check_host, walk_spf,
        };
        use mailwright_testkit::{TestDns, Zone};
        let zone: String = records
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let quoted: String = r
                    .as_bytes()
                    .chunks(200)
                    .map(|c| format!(" \"{}\"", String::from_utf8_lossy(c).replace('"', "")))
                    .collect();
                format!("n{i} TXT{quoted}\nn{i} A 192.0.2.{}\n", i + 1)
            })
            .collect();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let (walk, evaluation) = runtime.block_on(async {
            let dns = TestDns::start(&[Zone::new("gen.test", &zone)]).await;
            let mut config = DnsConfig::with_nameserver(dns.addr(), NameserverSource::CommandLine);
            config.timeout = Duration::from_millis(300);
            let client = DnsClient::new(&config, None).unwrap();
            let walk =
                tokio::time::timeout(Duration::from_secs(20), walk_spf(&client, "n0.gen.test"));
            // The same records evaluated as a receiver does, for an address some of them list.
            let query = SpfQuery {
                ip: "192.0.2.1".parse().unwrap(),
                mail_from: "strong-bad@n0.gen.test".into(),
                helo: "mail.gen.test".into(),
            };
            let evaluation = tokio::time::timeout(
                Duration::from_secs(20),
                check_host(&query, None, None, &config, None),
            );
            futures::join!(walk, evaluation)
        });
        let walk = walk.expect("the walk ends");
        let evaluation = evaluation.expect("the evaluation ends").expect("the resolver is set");
        if !matches!(evaluation.result, SpfVerdict::PermError | SpfVerdict::TempError) {
            prop_assert!(evaluation.lookups <= 10, "{}", evaluation.sentence);
            prop_assert!(evaluation.void_lookups <= 2, "{}", evaluation.sentence);
        }
        fn count(node: &SpfNode) -> (u32, u32) {
            node.children.iter().map(count).fold((1, node.cost), |(n, c), (m, d)| (n + m, c + d))
        }
        let (nodes, cost) = count(&walk.root);
        prop_assert!(nodes <= MAX_WALK_NODES, "{nodes} nodes");
        prop_assert_eq!(cost, walk.dns_lookups);
    }
}
