//! The reports importer against real reports: parsedmarc's and mail-auth's sample folders
//! (`mailwright-testkit/data/reports/`, with their licences). The expected numbers come from
//! the samples themselves (the counts written in the XML, the sessions in the JSON, mail-auth's
//! own parse in its `.json` files), never from Mailwright's reader.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use mailwright_core::reports::{ImportSummary, Importer, Period, ReportStore};
use mailwright_testkit::report_samples;

const NOW: i64 = 1_800_000_000;

fn import(paths: &[PathBuf], domain: &str) -> (ImportSummary, ReportStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = ReportStore::open(&dir.path().join("reports.db"), NOW)
        .unwrap()
        .store;
    let stop = AtomicBool::new(false);
    let progress = |_: &_| {};
    let mut importer = Importer::new(&mut store, domain, NOW, &progress, &stop);
    importer.paths(paths);
    let summary = importer.finish().unwrap();
    (summary, store, dir)
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// The sum of `<count>` in an XML report, read from its text.
fn counts_in(xml: &str) -> u64 {
    xml.split("<count>")
        .skip(1)
        .map(|s| s.split('<').next().unwrap().trim().parse::<u64>().unwrap())
        .sum()
}

/// The policy domain written in an XML report.
fn domain_in(xml: &str) -> String {
    let after = xml.split("<policy_published>").nth(1).unwrap();
    let domain = after.split("<domain>").nth(1).unwrap();
    domain
        .split('<')
        .next()
        .unwrap()
        .trim()
        .to_ascii_lowercase()
}

#[test]
fn every_parsedmarc_aggregate_sample_is_read_with_its_exact_counts() {
    let folder = report_samples().join("parsedmarc/aggregate");
    for path in files(&folder) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".xml") {
            let xml = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            let (summary, _store, _dir) = import(std::slice::from_ref(&path), &domain_in(&xml));
            assert_eq!(summary.problems, vec![], "{name}");
            assert_eq!(summary.imported, 1, "{name}");
            assert_eq!(summary.messages, counts_in(&xml), "{name}");
        } else {
            // Zip, gzip and messages: read (about whichever domain), never a problem.
            let (summary, _store, _dir) = import(std::slice::from_ref(&path), "example.com");
            assert_eq!(summary.problems, vec![], "{name}");
            assert_eq!(
                summary.imported + summary.other_domains.values().sum::<u64>(),
                1,
                "{name}"
            );
        }
    }
}

#[test]
fn upper_case_result_words_are_read_as_the_schema_words() {
    let path =
        report_samples().join("parsedmarc/aggregate_invalid/report_with_upper_cased_pass.xml");
    let xml = std::fs::read_to_string(&path).unwrap();
    let domain = domain_in(&xml);
    let (summary, store, _dir) = import(&[path], &domain);
    assert_eq!(summary.imported, 1);
    let sources = store.sources(0, NOW / 86_400).unwrap();
    let total: u64 = sources.iter().map(|s| s.messages).sum();
    let passed: u64 = sources.iter().map(|s| s.dmarc_pass).sum();
    assert_eq!((passed, total), (counts_in(&xml), counts_in(&xml)));
    assert!(
        sources
            .iter()
            .all(|s| s.spf_aligned == s.messages && s.dkim_aligned == s.messages)
    );
}

#[test]
fn the_same_report_as_xml_gzip_and_zip_counts_once() {
    let folder = report_samples().join("parsedmarc/extract_report");
    let paths: Vec<PathBuf> = ["nice-input.xml", "nice-input.xml.gz", "nice-input.xml.zip"]
        .iter()
        .map(|n| folder.join(n))
        .collect();
    let xml = std::fs::read_to_string(&paths[0]).unwrap();
    let (summary, store, _dir) = import(&paths, &domain_in(&xml));
    assert_eq!((summary.imported, summary.duplicates), (1, 2));
    assert_eq!(summary.messages, counts_in(&xml));
    assert_eq!(store.counts().unwrap().dmarc_reports, 1);
}

#[test]
fn an_empty_file_gets_a_sentence() {
    let (summary, _store, _dir) = import(
        &[report_samples().join("parsedmarc/empty.xml")],
        "example.com",
    );
    assert_eq!(summary.problems.len(), 1);
    assert_eq!(summary.problems[0].sentence, "It is empty.");
}

#[test]
fn mail_auth_samples_match_mail_auths_own_parse() {
    let folder = report_samples().join("mail-auth/dmarc-feedback");
    for path in files(&folder) {
        if path.extension().is_some_and(|e| e == "json") {
            continue;
        }
        let expected: serde_json::Value =
            serde_json::from_slice(&std::fs::read(path.with_extension("json")).unwrap()).unwrap();
        let domain = expected["policy_published"]["domain"].as_str().unwrap();
        let messages: u64 = expected["record"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["row"]["count"].as_u64().unwrap())
            .sum();
        let (summary, store, _dir) = import(std::slice::from_ref(&path), domain);
        let name = path.display();
        assert_eq!(summary.problems, vec![], "{name}");
        assert_eq!(
            (summary.imported, summary.messages),
            (1, messages),
            "{name}"
        );
        assert_eq!(store.counts().unwrap().dmarc_reports, 1, "{name}");
    }
}

/// (successful, failed) sessions written in a TLS report's JSON.
fn sessions_in(json: &serde_json::Value) -> (u64, u64) {
    json["policies"]
        .as_array()
        .unwrap()
        .iter()
        .fold((0, 0), |(s, f), p| {
            (
                s + p["summary"]["total-successful-session-count"]
                    .as_u64()
                    .unwrap_or(0),
                f + p["summary"]["total-failure-session-count"]
                    .as_u64()
                    .unwrap_or(0),
            )
        })
}

#[test]
fn tls_samples_are_read_with_their_session_counts() {
    let cases: Vec<(PathBuf, PathBuf)> = vec![
        (
            report_samples().join("mail-auth/tlsrpt/rpt01.eml"),
            report_samples().join("mail-auth/tlsrpt/rpt01.json"),
        ),
        (
            report_samples().join("mail-auth/tlsrpt/rpt02.eml"),
            report_samples().join("mail-auth/tlsrpt/rpt02.json"),
        ),
        (
            report_samples().join("parsedmarc/smtp_tls/rfc8460.json"),
            report_samples().join("parsedmarc/smtp_tls/rfc8460.json"),
        ),
        (
            report_samples().join("parsedmarc/smtp_tls/smtp_tls.json"),
            report_samples().join("parsedmarc/smtp_tls/smtp_tls.json"),
        ),
        (
            report_samples().join("parsedmarc/smtp_tls/mail.ru.json"),
            report_samples().join("parsedmarc/smtp_tls/mail.ru.json"),
        ),
    ];
    for (path, expected) in cases {
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&expected).unwrap()).unwrap();
        let domain = json["policies"][0]["policy"]["policy-domain"]
            .as_str()
            .unwrap();
        let (summary, store, _dir) = import(std::slice::from_ref(&path), domain);
        let name = path.display();
        assert_eq!(summary.problems, vec![], "{name}");
        assert_eq!(summary.imported, 1, "{name}");
        let tls = store.tls(0, NOW / 86_400).unwrap();
        let got = tls
            .iter()
            .fold((0, 0), |(s, f), t| (s + t.successful, f + t.failed));
        assert_eq!(got, sessions_in(&json), "{name}");
        // The summary counts sessions, not messages.
        assert_eq!(
            (summary.messages, summary.tls_sessions),
            (0, got.0 + got.1),
            "{name}"
        );
        assert!(
            summary.sentence.contains(" TLS session") && !summary.sentence.contains("message"),
            "{}",
            summary.sentence
        );
    }
}

#[test]
fn the_google_tls_report_message_is_read() {
    let path = report_samples().join("parsedmarc/smtp_tls/google.com_smtp_tls_report.eml");
    let (first, _store, _dir) = import(std::slice::from_ref(&path), "example.com");
    assert_eq!(first.problems, vec![]);
    let named: Vec<&String> = first.other_domains.keys().collect();
    let domain = if first.imported == 1 {
        "example.com".to_owned()
    } else {
        named[0].clone()
    };
    let (summary, store, _dir) = import(&[path], &domain);
    assert_eq!(summary.imported, 1);
    assert!(!store.tls(0, NOW / 86_400).unwrap().is_empty());
}

#[test]
fn a_folder_imported_twice_adds_nothing_the_second_time_and_names_other_domains() {
    let folder = report_samples().join("parsedmarc/aggregate");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reports.db");
    let stop = AtomicBool::new(false);
    let progress = |_: &_| {};
    let run = || {
        let mut store = ReportStore::open(&path, NOW).unwrap().store;
        let mut importer = Importer::new(&mut store, "example.com", NOW, &progress, &stop);
        importer.paths(std::slice::from_ref(&folder));
        (importer.finish().unwrap(), store.counts().unwrap())
    };
    let (first, counts) = run();
    assert!(first.imported > 10, "{first:?}");
    assert!(first.other_domains.contains_key("example.de"), "{first:?}");
    assert!(first.sentence.contains("kept aside"));
    let (second, again) = run();
    assert_eq!(second.imported, 0);
    assert_eq!(second.duplicates, first.imported + first.duplicates);
    assert_eq!(again, counts);
    let store = ReportStore::open(&path, NOW).unwrap().store;
    let aside = store.set_aside().unwrap();
    assert!(
        aside
            .iter()
            .any(|a| a.domain == "example.de" && a.reports == 1)
    );
    // Every source of the whole period is counted once.
    let all = Period {
        from: 0,
        to: NOW / 86_400,
    };
    let total: u64 = store
        .sources(all.from, all.to)
        .unwrap()
        .iter()
        .map(|s| s.messages)
        .sum();
    assert_eq!(total, first.messages);
}

#[test]
fn a_report_dated_in_the_future_is_refused_and_one_about_a_subdomain_counts() {
    use mailwright_testkit::reports::{Row, aggregate_xml};
    let dir = tempfile::tempdir().unwrap();
    let future = aggregate_xml(
        "r.example",
        "f1",
        "example.com",
        NOW + 3 * 86_400,
        "none",
        &[Row::passing("192.0.2.1", 5, "example.com")],
    );
    let sub = aggregate_xml(
        "r.example",
        "s1",
        "news.example.com",
        NOW - 86_400,
        "none",
        &[Row::passing("192.0.2.2", 7, "news.example.com")],
    );
    let other = aggregate_xml(
        "r.example",
        "o1",
        "example.com.evil.test",
        NOW - 86_400,
        "none",
        &[Row::passing("192.0.2.3", 9, "x")],
    );
    for (name, xml) in [
        ("future.xml", &future),
        ("sub.xml", &sub),
        ("other.xml", &other),
    ] {
        std::fs::write(dir.path().join(name), xml).unwrap();
    }
    let (summary, store, _db) = import(&[dir.path().to_path_buf()], "example.com");
    assert_eq!(
        (summary.future, summary.imported, summary.messages),
        (1, 1, 7),
        "{summary:?}"
    );
    assert_eq!(summary.other_domains.get("example.com.evil.test"), Some(&1));
    assert!(
        summary
            .sentence
            .contains("dated in the future were not imported"),
        "{}",
        summary.sentence
    );
    assert_eq!(store.counts().unwrap().dmarc_reports, 1);
}

#[test]
fn mail_auth_feedback_reports_are_complaints_or_failure_reports() {
    use mailwright_core::bounces::{BounceClass, explain_bounce};
    let folder = report_samples().join("mail-auth/arf");
    for path in files(&folder) {
        if path.extension().is_some_and(|e| e == "json") {
            continue;
        }
        let expected: serde_json::Value =
            serde_json::from_slice(&std::fs::read(path.with_extension("json")).unwrap()).unwrap();
        let found = explain_bounce(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(found.len(), 1, "{}", path.display());
        let class = match expected["feedback_type"].as_str().unwrap() {
            "Abuse" => BounceClass::Complaint,
            "AuthFailure" => BounceClass::Policy,
            other => panic!("{other}"),
        };
        assert_eq!(found[0].class, class, "{}", path.display());
        let rcpt = expected["original_rcpt_to"]
            .as_str()
            .map(|r| r.trim_matches(['<', '>']).to_owned());
        match (&rcpt, &found[0].recipient) {
            (Some(_), _) => assert_eq!(found[0].recipient, rcpt, "{}", path.display()),
            // Without Original-Rcpt-To, the reported message's own To: names the recipient.
            (None, Some(named)) => {
                let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
                assert!(
                    text.lines()
                        .any(|l| l.starts_with("To:") && l.contains(named.as_str())),
                    "{}: {named}",
                    path.display()
                );
            }
            (None, None) => {}
        }
    }
}
