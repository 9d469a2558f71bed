//! `mailwright reports import|summary`: generated reports imported from a folder, the summary as
//! JSON and CSV, and the crash test — the importer killed mid-run, then run again: every report
//! is counted exactly once.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use mailwright_core::reports::ReportStore;
use mailwright_testkit::reports::{Row, aggregate_xml, gzip};
use serde_json::Value;

const DOMAIN: &str = "example.com";
const DAY: i64 = 1_764_547_200;

fn mailwright(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mailwright"));
    command
        .args(args)
        .args(["--nameserver", "127.0.0.1:9"])
        .env_remove("MAILWRIGHT_NAMESERVER")
        .stdin(Stdio::null());
    command
}

fn run(args: &[&str]) -> Output {
    mailwright(args).output().unwrap()
}

/// `count` gzipped reports, one per reporter and day, 20 rows each; returns the messages in
/// all of them.
fn write_reports(dir: &Path, count: usize) -> u64 {
    let mut messages = 0;
    for n in 0..count {
        let rows: Vec<Row> = (0..20)
            .map(|i| {
                if i % 5 == 0 {
                    Row::spoofed(&format!("203.0.113.{}", i + 1), 2, "none")
                } else {
                    Row::passing(&format!("192.0.2.{}", i + 1), 10 + i as u64, DOMAIN)
                }
            })
            .collect();
        messages += rows.iter().map(|r| r.count).sum::<u64>();
        let reporter = format!("reporter{}.example", n % 7);
        let xml = aggregate_xml(
            &reporter,
            &format!("id-{n}"),
            DOMAIN,
            DAY - (n as i64 / 7) * 86_400,
            "none",
            &rows,
        );
        std::fs::write(
            dir.join(format!("{reporter}!{DOMAIN}!{n}.xml.gz")),
            gzip(xml.as_bytes()),
        )
        .unwrap();
    }
    messages
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

fn database(dir: &Path) -> PathBuf {
    dir.join("reports.db")
}

#[test]
fn a_folder_is_imported_once_and_summarised_as_json_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().join("in");
    std::fs::create_dir(&reports).unwrap();
    let messages = write_reports(&reports, 40);
    std::fs::write(reports.join("broken.xml.gz"), b"\x1f\x8b\x08\x00cut").unwrap();
    let db = database(dir.path());
    let args = |extra: &[&str]| -> Vec<String> {
        let mut a: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        a.extend([
            "--domain".into(),
            DOMAIN.into(),
            "--database".into(),
            db.display().to_string(),
        ]);
        a
    };
    let import = args(&["reports", "import", reports.to_str().unwrap(), "--json"]);
    let out = run(&import.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(out.status.code(), Some(1), "one file is broken");
    let summary = json(&out);
    assert_eq!(summary["imported"], 40);
    assert_eq!(summary["messages"], messages);
    assert_eq!(summary["problem_count"], 1);
    assert!(
        summary["problems"][0]["sentence"]
            .as_str()
            .unwrap()
            .contains("damaged or cut short")
    );

    let again = json(&run(&import.iter().map(String::as_str).collect::<Vec<_>>()));
    assert_eq!(
        (again["imported"].as_u64(), again["duplicates"].as_u64()),
        (Some(0), Some(40))
    );

    let view = args(&["reports", "summary", "--since", "2025-01-01", "--json"]);
    let out = run(&view.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(out.status.code(), Some(1), "unknown sources remain");
    let view = json(&out);
    let total: u64 = view["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["messages"].as_u64().unwrap())
        .sum();
    assert_eq!(total, messages);
    assert_eq!(view["reporters"].as_array().unwrap().len(), 7);

    let csv = args(&["reports", "summary", "--since", "2025-01-01", "--csv"]);
    let out = run(&csv.iter().map(String::as_str).collect::<Vec<_>>());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("ip,kind,sender,reverse_dns"), "{text}");
    assert_eq!(text.lines().count(), 1 + 20);
}

#[test]
fn a_domain_without_a_database_is_refused_with_a_sentence() {
    let out = run(&["reports", "summary", "--domain", DOMAIN]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--database"));
}

#[test]
fn an_import_killed_mid_run_loses_nothing_and_counts_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().join("in");
    std::fs::create_dir(&reports).unwrap();
    const COUNT: usize = 1500;
    let messages = write_reports(&reports, COUNT);
    let db = database(dir.path());
    let db_arg = db.display().to_string();
    let import = [
        "reports",
        "import",
        reports.to_str().unwrap(),
        "--domain",
        DOMAIN,
        "--database",
        &db_arg,
        "--json",
    ];

    let mut child = mailwright(&import)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until some reports are in, then kill it without warning.
    let deadline = Instant::now() + Duration::from_secs(120);
    let stored = |db: &Path| -> u64 {
        ReportStore::open(db, 0)
            .map(|o| o.store.counts().map(|c| c.reports).unwrap_or(0))
            .unwrap_or(0)
    };
    while Instant::now() < deadline {
        if db.exists() && stored(&db) >= 50 {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let after_kill = stored(&db);
    assert!(after_kill >= 50, "the import had begun: {after_kill}");
    assert!(
        after_kill < COUNT as u64,
        "the kill came before the end: {after_kill}"
    );

    let out = run(&import);
    let summary = json(&out);
    assert_eq!(
        summary["imported"].as_u64().unwrap() + summary["duplicates"].as_u64().unwrap(),
        COUNT as u64
    );
    let store = ReportStore::open(&db, 0).unwrap().store;
    assert_eq!(store.counts().unwrap().reports, COUNT as u64);
    let total: u64 = store
        .sources(0, DAY / 86_400 + 1)
        .unwrap()
        .iter()
        .map(|s| s.messages)
        .sum();
    assert_eq!(total, messages, "every message counted exactly once");
}

#[test]
fn without_a_project_the_apps_own_project_and_database_are_used() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let reports = home.path().join("in");
    std::fs::create_dir(&reports).unwrap();
    let messages = write_reports(&reports, 5);
    let run_here = |args: &[&str]| {
        mailwright(args)
            .env("XDG_DATA_HOME", &data)
            .env("HOME", home.path())
            .output()
            .unwrap()
    };
    // No app project yet: a sentence, nothing written.
    let out = run_here(&["reports", "summary"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--project"),
        "{out:?}"
    );

    let app = data.join("org.mailwright.Mailwright");
    std::fs::create_dir_all(&app).unwrap();
    std::fs::write(
        app.join("project.json"),
        format!("{{\"version\": 1, \"domain\": \"{DOMAIN}\"}}"),
    )
    .unwrap();
    let out = run_here(&["reports", "import", reports.to_str().unwrap(), "--json"]);
    assert_eq!(json(&out)["messages"], messages);
    assert!(app.join("reports.db").is_file(), "the app's own database");
    let view = json(&run_here(&[
        "reports",
        "summary",
        "--since",
        "2025-01-01",
        "--json",
    ]));
    let total: u64 = view["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["messages"].as_u64().unwrap())
        .sum();
    assert_eq!(total, messages);
}

#[test]
fn a_policy_published_for_part_of_the_mail_is_said_so_and_not_taken_for_reject() {
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().join("in");
    std::fs::create_dir(&reports).unwrap();
    // A report whose receiver found p=reject with pct=50 (RFC 7489), as older records have.
    let xml = aggregate_xml(
        "google.com",
        "pct-1",
        DOMAIN,
        DAY,
        "reject",
        &[Row::passing("192.0.2.10", 40, DOMAIN)],
    )
    .replace("<p>reject</p>", "<p>reject</p><pct>50</pct>");
    std::fs::write(reports.join("google.com!example.com!1.xml"), xml).unwrap();
    let db = database(dir.path());
    let db = db.to_str().unwrap();
    let common = ["--domain", DOMAIN, "--database", db];
    let mut import = vec!["reports", "import", reports.to_str().unwrap()];
    import.extend(common);
    assert_eq!(run(&import).status.code(), Some(0));

    let mut summary = vec!["reports", "summary", "--since", "2025-01-01"];
    summary.extend(common);
    let text = String::from_utf8(run(&summary).stdout).unwrap();
    assert!(
        text.contains("applies p=reject to 50% of failing mail (pct=50); the rest goes to spam"),
        "{text}"
    );
    assert!(!text.contains("already apply p=reject"), "{text}");
    summary.push("--json");
    let view = json(&run(&summary));
    assert_eq!(view["ramp"]["next"], "reject", "{view}");
    assert_eq!(view["ramp"]["current"], "reject", "{view}");
}
