//! The checklist report built from real checks: the audit against the testkit's DNS server,
//! the mail server test against a scripted SMTP server that asked for a password, and a warm-up
//! with results, and the DKIM proof with the test key (and with a wrong or unreadable one).
//! Each section, item status and the warm-up plan are checked in Markdown and JSON, and no form
//! of the password or the private key appears in either.

use base64::Engine;
use jiff::civil::date;
use mailwright_core::dkim::{KeyAlgorithm, generate_key, read_private_key_pem};
use mailwright_core::dns::{DnsConfig, NameserverSource};
use mailwright_core::domain::{Selector, parse_domain_input};
use mailwright_core::project::Project;
use mailwright_core::report::{
    Checklist, DkimProof, ItemStatus, ProofKey, REPORT_SCHEMA_VERSION, ReportInputs, build_report,
    prove_keys, to_json, to_markdown,
};
use mailwright_core::smtp::test_smtp;
use mailwright_core::warmup::{
    DayEntry, DayResult, ListQuality, ProviderMix, Stream, WarmupDefaults, WarmupInputs,
    WarmupSetup, WhatIsNew,
};
use mailwright_core::{AuditRequest, run_audit};
use mailwright_testkit::fixtures::{
    GOOD, NO_SPF, TEST_DKIM_PRIVATE_KEY, USER_SELECTOR, assert_no_test_private_key, start_demo_dns,
};
use mailwright_testkit::{SmtpScript, SmtpServer};

mod common;
use common::signed_in_request;

const PASSWORD: &str = "correct horse battery staple";

async fn audit(domain: &str, dns: &DnsConfig) -> mailwright_core::Audit {
    let (request, _) = AuditRequest::parse(domain, &[]).unwrap();
    run_audit(&request, dns, None).await.unwrap()
}

fn item<'a>(report: &'a Checklist, id: &str) -> &'a mailwright_core::report::ChecklistItem {
    report
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .find(|i| i.id == id)
        .unwrap_or_else(|| panic!("no item {id}"))
}

fn status(report: &Checklist, id: &str) -> ItemStatus {
    item(report, id).status
}

/// The DKIM proof at good.test's `mw202611` with `key`.
async fn proofs(
    key: Result<mailwright_core::dkim::DkimKeyPair, String>,
    dns: &DnsConfig,
) -> Vec<DkimProof> {
    let domain = parse_domain_input(GOOD).unwrap().domain;
    let keys = [ProofKey {
        selector: Selector::parse(USER_SELECTOR).unwrap(),
        key,
    }];
    prove_keys(&domain, &keys, dns).await.unwrap()
}

fn test_key() -> Result<mailwright_core::dkim::DkimKeyPair, String> {
    Ok(read_private_key_pem(TEST_DKIM_PRIVATE_KEY).unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_report_shows_every_check_the_plan_and_never_a_password() {
    let server_dns = start_demo_dns().await;
    let dns = DnsConfig::with_nameserver(server_dns.addr(), NameserverSource::CommandLine);
    let good = audit(GOOD, &dns).await;

    let smtp_server = SmtpServer::start(SmtpScript::default()).await;
    let request = signed_in_request(&smtp_server, PASSWORD);
    let smtp = test_smtp(&request, &dns, None).await.unwrap();
    assert!(
        smtp_server.seen().iter().any(|l| l.starts_with("AUTH")),
        "the password was really sent, so it could leak"
    );

    let start = date(2026, 11, 2);
    let mut warmup = WarmupSetup::new(
        WarmupInputs {
            new: WhatIsNew::Ip,
            stream: Stream::Both,
            esp_automatic: false,
            target: 5_000,
            start,
            quality: ListQuality::Good,
            mix: ProviderMix::default(),
            sending_days: Vec::new(),
        },
        WarmupDefaults::default(),
    );
    let day = DayResult {
        sent: 500,
        delivered: 498,
        hard_bounces: 2,
        complaints: 1,
        ..DayResult::default()
    };
    warmup
        .record(
            DayEntry {
                date: start,
                provider: None,
                result: day,
            },
            start,
        )
        .unwrap();
    let view = warmup.view(date(2026, 11, 3));
    let mut project = Project::new();
    project.domain = GOOD.into();
    project.smtp.user = "tester@example.com".into();
    let dkim_proofs = proofs(test_key(), &dns).await;

    let report = build_report(&ReportInputs {
        audit: &good,
        project: Some(&project),
        message: None,
        smtp: Some(&smtp),
        reports: None,
        bounces: None,
        reputation: None,
        warmup: Some(&view),
        dkim_proofs: &dkim_proofs,
        steps: None,
        generated_at: "2026-11-03T09:00:00Z".into(),
    });
    assert_eq!(report.schema_version, REPORT_SCHEMA_VERSION);
    let ids: Vec<&str> = report.sections.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["before", "during", "after", "providers"]);
    assert_eq!(status(&report, "before.tls"), ItemStatus::Pass);
    assert_eq!(status(&report, "before.dkim"), ItemStatus::Pass);
    let dkim = &item(&report, "before.dkim").evidence;
    assert!(
        dkim.iter().any(|e| e
            == "DKIM proof passed at selector mw202611: a sample message signed with your private key verifies (mail-auth) against the record published at mw202611._domainkey.good.test."),
        "{dkim:?}"
    );
    assert_eq!(status(&report, "before.spf"), ItemStatus::Pass);
    assert_eq!(status(&report, "before.inventory"), ItemStatus::Manual);
    assert_eq!(status(&report, "during.warmup"), ItemStatus::Pass);
    assert_eq!(status(&report, "during.streams"), ItemStatus::Warn);
    // 1 complaint in 498 delivered is 0.2 %: over Gmail's 0.1 %, under 0.3 %.
    assert_eq!(status(&report, "providers.spam_rate"), ItemStatus::Warn);
    assert_eq!(status(&report, "during.monitoring"), ItemStatus::Warn);
    assert_eq!(status(&report, "providers.ptr"), ItemStatus::Manual);
    let total: u32 = report.totals.iter().sum();
    assert_eq!(
        total as usize,
        report.sections.iter().map(|s| s.items.len()).sum::<usize>()
    );

    let markdown = to_markdown(&report);
    let json = to_json(&report);
    assert!(markdown.starts_with("# Email sending checklist for good.test"));
    assert!(
        markdown.contains("**Pass** — TLS works on every outbound relay"),
        "{markdown}"
    );
    assert!(markdown.contains("certificate valid until"), "{markdown}");
    assert!(
        markdown.contains("sign-in with PLAIN accepted"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| good.test | TXT | `v=spf1"),
        "{markdown}"
    );
    assert!(markdown.contains("## Warm-up plan (target 5000 a day)"));
    // 0.2 % complaints held day 1: the plan starts again at 500 today.
    assert!(
        markdown.contains("| 1 | 2026-11-03 | 500 | 200 |"),
        "{markdown}"
    );
    assert!(markdown.contains("## When a threshold is crossed"));
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(parsed["schema_version"], 1);
    assert_eq!(parsed["warmup"]["plan"][0]["total"], 500);
    assert_eq!(parsed["warmup"]["history"][0]["advice"]["action"], "hold");

    let plain = base64::engine::general_purpose::STANDARD
        .encode(format!("\0tester@example.com\0{PASSWORD}"));
    for text in [&markdown, &json] {
        assert!(!text.contains(PASSWORD));
        assert!(!text.contains(&plain));
        assert!(!text.contains("PRIVATE KEY"));
        assert_no_test_private_key(text);
    }

    // A domain without SPF fails the SPF items; the report still has every section.
    let bare = audit(NO_SPF, &dns).await;
    let report = build_report(&ReportInputs {
        audit: &bare,
        project: None,
        message: None,
        smtp: None,
        reports: None,
        bounces: None,
        reputation: None,
        warmup: None,
        dkim_proofs: &[],
        steps: None,
        generated_at: "2026-11-03T09:00:00Z".into(),
    });
    assert_eq!(status(&report, "before.spf"), ItemStatus::Fail);
    assert_eq!(status(&report, "before.tls"), ItemStatus::Manual);
    assert_eq!(status(&report, "during.warmup"), ItemStatus::Manual);
    assert!(report.warmup.is_none());
    assert!(to_markdown(&report).contains("**Fail** — The SPF record is accurate"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_checked_message_decides_the_items_only_a_message_shows() {
    let server_dns = start_demo_dns().await;
    let dns = DnsConfig::with_nameserver(server_dns.addr(), NameserverSource::CommandLine);
    let good = audit(GOOD, &dns).await;
    let body = format!(
        "From: <news@{GOOD}>\r\nTo: <ann@example.org>\r\nSubject: A private subject\r\n\
         Date: Tue, 01 Dec 2026 10:00:00 +0000\r\nMessage-ID: <m1@{GOOD}>\r\n\
         List-Unsubscribe: <https://{GOOD}/u>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n\r\nHello.\r\n"
    );
    let signed = mailwright_core::dkim::sign_message(
        &test_key().unwrap(),
        &Selector::parse(USER_SELECTOR).unwrap(),
        &parse_domain_input(GOOD).unwrap().domain,
        &body,
    )
    .unwrap();
    let raw = format!(
        "Received: from mail.{GOOD} (mail.{GOOD} [198.51.100.30]) by mx.example.org with ESMTPS; Tue, 01 Dec 2026 10:00:02 +0000\r\n{signed}"
    );
    let message = mailwright_core::message::check_message(raw.as_bytes(), &dns, None)
        .await
        .unwrap();
    let inputs = |message| ReportInputs {
        audit: &good,
        project: None,
        message,
        smtp: None,
        reports: None,
        bounces: None,
        reputation: None,
        warmup: None,
        dkim_proofs: &[],
        steps: None,
        generated_at: "2026-12-01T09:00:00Z".into(),
    };
    let report = build_report(&inputs(Some(&message)));
    let format = item(&report, "providers.format");
    assert_eq!(format.status, ItemStatus::Pass, "{format:?}");
    assert!(
        format.evidence[0].starts_with(&format!("In the message checked (m1@{GOOD}")),
        "{:?}",
        format.evidence
    );
    // The unsubscribe headers are there but not signed (the signer signs five fields).
    assert_eq!(status(&report, "providers.unsubscribe"), ItemStatus::Fail);
    // 198.51.100.30 has no PTR in the test DNS.
    assert_eq!(status(&report, "providers.ptr"), ItemStatus::Fail);
    assert!(
        item(&report, "before.dkim")
            .evidence
            .iter()
            .any(|e| e.contains("A DKIM signature verifies — met")),
        "{:?}",
        item(&report, "before.dkim").evidence
    );
    // The subject is named only when the caller kept it (the user's tick); the body never.
    let mut unnamed = message.clone();
    unnamed.subject = None;
    let markdown = to_markdown(&build_report(&inputs(Some(&unnamed))));
    assert!(
        !markdown.contains("A private subject"),
        "the subject is not in the report"
    );
    assert!(!markdown.contains("Hello."), "nor the body");
    let named = to_markdown(&report);
    assert!(named.contains("“A private subject”"), "named when allowed");
    assert!(!named.contains("Hello."), "the body never");

    let without = build_report(&inputs(None));
    for id in ["providers.format", "providers.unsubscribe", "providers.ptr"] {
        assert_eq!(status(&without, id), ItemStatus::Manual, "{id}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_or_unreadable_private_key_is_named_in_the_dkim_item() {
    let server_dns = start_demo_dns().await;
    let dns = DnsConfig::with_nameserver(server_dns.addr(), NameserverSource::CommandLine);
    let good = audit(GOOD, &dns).await;
    let other = generate_key(KeyAlgorithm::Ed25519).unwrap();
    let mut dkim_proofs = proofs(Ok(other), &dns).await;
    assert_eq!(dkim_proofs[0].passed, Some(false), "{dkim_proofs:?}");
    let unreadable = proofs(Err("No keychain is reachable.".into()), &dns).await;
    assert_eq!(unreadable[0].passed, None);
    dkim_proofs.extend(unreadable);
    let report = build_report(&ReportInputs {
        audit: &good,
        project: None,
        message: None,
        smtp: None,
        reports: None,
        bounces: None,
        reputation: None,
        warmup: None,
        dkim_proofs: &dkim_proofs,
        steps: None,
        generated_at: "2026-11-03T09:00:00Z".into(),
    });
    let dkim = item(&report, "before.dkim");
    assert_eq!(
        dkim.status,
        ItemStatus::Fail,
        "a proof that fails fails the item"
    );
    assert!(
        dkim.fix
            .as_deref()
            .is_some_and(|f| f.contains("mw202611._domainkey.good.test")),
        "{:?}",
        dkim.fix
    );
    assert!(
        dkim.evidence.iter().any(|e| e.contains(
            "DKIM proof not run for selector mw202611: the private key could not be read. No keychain is reachable."
        )),
        "{:?}",
        dkim.evidence
    );
}

fn golden(name: &str, text: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    mailwright_testkit::assert_golden(&dir.join(name), text);
}

/// The report of good.test with a warm-up planned, at a fixed time and DNS server.
async fn fixed_report() -> Checklist {
    let server_dns = start_demo_dns().await;
    let dns = DnsConfig::with_nameserver(server_dns.addr(), NameserverSource::CommandLine);
    let good = audit(GOOD, &dns).await;
    let start = date(2026, 11, 2);
    let warmup = WarmupSetup::new(
        WarmupInputs {
            new: WhatIsNew::Domain,
            stream: Stream::Marketing,
            esp_automatic: false,
            target: 3_000,
            start,
            quality: ListQuality::Good,
            mix: ProviderMix::default(),
            sending_days: Vec::new(),
        },
        WarmupDefaults::default(),
    );
    let view = warmup.view(start);
    let dkim_proofs = proofs(test_key(), &dns).await;
    let mut report = build_report(&ReportInputs {
        audit: &good,
        project: None,
        message: None,
        smtp: None,
        reports: None,
        bounces: None,
        reputation: None,
        warmup: Some(&view),
        dkim_proofs: &dkim_proofs,
        steps: None,
        generated_at: "2026-11-02T09:00:00Z".into(),
    });
    report.nameserver = "127.0.0.1:53".into();
    report
}

#[tokio::test(flavor = "multi_thread")]
async fn golden_markdown_html_and_json() {
    let report = fixed_report().await;
    golden("report.md", &to_markdown(&report));
    golden("report.html", &mailwright_core::report::to_html(&report));
    golden("report.json", &to_json(&report));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_html_page_is_self_contained_and_a_hostile_record_cannot_script_it() {
    let mut report = fixed_report().await;
    report.records.push(mailwright_core::Evidence::record(
        "evil.test",
        "TXT",
        "<script>alert(1)</script> [click](javascript:alert(2)) ![x](http://tracker.test/x.png) `tick`",
    ));
    let html = mailwright_core::report::to_html(&report);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<strong class=\"pass\">Pass</strong>"));
    assert!(!html.contains("<script"), "raw HTML is escaped");
    assert!(html.contains("&lt;script&gt;"));
    assert!(
        !html.contains("href=") && !html.contains("src="),
        "no links, no images, nothing fetched"
    );
    assert!(!html.contains("<link") && !html.contains("@import"));
}

/// Text from a record or a server's reply (here: evidence, a record's value) cannot forge a
/// line of the checklist: no new item, no bold "Pass", no table cell, no carriage return.
#[tokio::test(flavor = "multi_thread")]
async fn hostile_text_cannot_forge_a_passing_line() {
    let mut report = fixed_report().await;
    let passes = |html: &str| html.matches("<strong class=\"pass\">").count();
    let before = passes(&mailwright_core::report::to_html(&report));
    let forged =
        "v=spf1 -all\n- [x] **Pass** — Forged item\r\n# Heading\n| cell | **Pass** |\u{1b}[31m";
    report.sections[0].items[0].evidence.push(forged.into());
    report.sections[0].items[0].title = "1. *DMARC* <b>enforced</b>".into();
    report.records.push(mailwright_core::Evidence::record(
        "evil.test",
        "TXT",
        forged,
    ));
    let markdown = to_markdown(&report);
    assert!(!markdown.contains('\r') && !markdown.contains('\u{1b}'));
    assert!(
        !markdown
            .lines()
            .any(|l| l.trim_start().starts_with("- [x] **Pass** — Forged")
                || l.starts_with("# Heading")),
        "{markdown}"
    );
    let html = mailwright_core::report::to_html(&report);
    assert_eq!(passes(&html), before, "no forged Pass");
    assert!(!html.contains("<h1>Heading") && !html.contains("<b>") && !html.contains("<em>DMARC"));
    assert!(html.contains("Forged item") && html.contains("**Pass**"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_pdf_renders_with_pdftoppm() {
    let report = fixed_report().await;
    let pdf = mailwright_core::report::to_pdf(&report).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    // Rendered by poppler (installed by `cargo xtask test`) so the pages can be looked at:
    // target/report-pdf/page-1.png, …
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/report-pdf");
    std::fs::create_dir_all(&out).unwrap();
    let file = out.join("report.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let status = std::process::Command::new("pdftoppm")
        .args(["-png", "-r", "60"])
        .arg(&file)
        .arg(out.join("page"))
        .status()
        .expect("pdftoppm (poppler-utils) is installed");
    assert!(status.success());
    let pages = std::fs::read_dir(&out)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "png")
        })
        .count();
    assert!(pages >= 2, "{pages} pages");
    let text = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("Email sending checklist for good.test"),
        "{text}"
    );
    assert!(text.contains("Warm-up plan"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_records_listed_are_records_never_a_lookup_that_found_none() {
    let server_dns = start_demo_dns().await;
    let dns = DnsConfig::with_nameserver(server_dns.addr(), NameserverSource::CommandLine);
    let audit = audit(NO_SPF, &dns).await;
    let outcomes: Vec<_> = audit
        .findings
        .iter()
        .flat_map(|f| &f.evidence)
        .filter(|e| e.kind == mailwright_core::EvidenceKind::Outcome)
        .collect();
    assert!(
        !outcomes.is_empty(),
        "the audit of {NO_SPF} found lookups without records"
    );
    let report = build_report(&ReportInputs {
        audit: &audit,
        project: None,
        message: None,
        smtp: None,
        reports: None,
        bounces: None,
        reputation: None,
        warmup: None,
        dkim_proofs: &[],
        steps: None,
        generated_at: "2026-11-02T09:00:00Z".into(),
    });
    assert!(!report.records.is_empty());
    for record in &report.records {
        assert_eq!(
            record.kind,
            mailwright_core::EvidenceKind::Record,
            "{record:?}"
        );
        assert!(!outcomes.contains(&record), "{record:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_reports_item_cites_the_imported_reports_and_waits_for_every_source_to_be_decided() {
    use mailwright_core::reports::{Importer, Period, RampThresholds, ReportStore, reports_view};
    use mailwright_core::senders::{Inventory, SenderChoice};
    use mailwright_testkit::reports::{Row, aggregate_xml};

    let server_dns = start_demo_dns().await;
    let dns = DnsConfig::with_nameserver(server_dns.addr(), NameserverSource::CommandLine);
    let audit = audit(NO_SPF, &dns).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("r.xml"),
        aggregate_xml(
            "google.com",
            "r1",
            NO_SPF,
            1_764_547_200,
            "none",
            &[
                Row::passing("192.0.2.1", 30, NO_SPF),
                Row::spoofed("203.0.113.9", 4, "none"),
            ],
        ),
    )
    .unwrap();
    let mut store = ReportStore::open(&dir.path().join("db"), 0).unwrap().store;
    let stop = std::sync::atomic::AtomicBool::new(false);
    let progress = |_: &_| {};
    let mut importer = Importer::new(&mut store, NO_SPF, 1_764_633_600, &progress, &stop);
    importer.paths(&[dir.path().join("r.xml")]);
    importer.finish().unwrap();
    let mut project = Project::new();
    project.senders = Inventory {
        senders: vec![SenderChoice {
            id: "own_server".into(),
            hosts: vec!["192.0.2.1".into()],
            ..SenderChoice::default()
        }],
    };
    let period = Period {
        from: 20_423,
        to: 20_423,
    };
    let build = |view: &mailwright_core::reports::ReportsView| {
        build_report(&ReportInputs {
            audit: &audit,
            project: Some(&project),
            message: None,
            smtp: None,
            reports: Some(view),
            bounces: None,
            reputation: None,
            warmup: None,
            dkim_proofs: &[],
            steps: None,
            generated_at: "2025-12-02T09:00:00Z".into(),
        })
    };
    // The spoofer is not decided: the inventory and the reports item both say so.
    store
        .name_source("192.0.2.1", None, Some("own_server"), Some("listed"), 0)
        .unwrap();
    let view = reports_view(&store, period, &project.senders, RampThresholds::default()).unwrap();
    // The named source was looked up; the other was not, and says so rather than "unknown".
    let source = |ip: &str| view.sources.iter().find(|s| s.totals.ip == ip).unwrap();
    assert!(source("192.0.2.1").totals.looked_up);
    let pending = source("203.0.113.9");
    assert!(!pending.totals.looked_up);
    assert!(
        pending
            .sentence
            .contains("could not look this address up yet"),
        "{pending:?}"
    );
    let report = build(&view);
    let reports = item(&report, "after.reports");
    assert_eq!(reports.status, ItemStatus::Warn, "{reports:?}");
    assert!(
        reports.evidence[0].contains("1 DMARC reports imported"),
        "{reports:?}"
    );
    assert!(
        reports
            .fix
            .as_deref()
            .unwrap()
            .contains("1 sources are not decided")
    );
    let inventory = item(&report, "before.inventory");
    assert_eq!(inventory.status, ItemStatus::Warn, "{inventory:?}");
    assert!(inventory.fix.as_deref().unwrap().contains("203.0.113.9"));
    // "Not mine": every source decided.
    store.mark_source("203.0.113.9", Some(false), 0).unwrap();
    let view = reports_view(&store, period, &project.senders, RampThresholds::default()).unwrap();
    let report = build(&view);
    assert_eq!(status(&report, "after.reports"), ItemStatus::Pass);
    assert_eq!(status(&report, "before.inventory"), ItemStatus::Pass);
}
