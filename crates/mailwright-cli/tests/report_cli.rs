//! `mailwright report` against the testkit's DNS server: from a saved project (its warm-up in
//! the report) and from a domain alone, in Markdown and JSON, to a file or standard output.

use mailwright_testkit::fixtures::{GOOD, NO_SPF, start_demo_dns};
mod common;

use common::mailwright;

#[tokio::test(flavor = "multi_thread")]
async fn reports_a_saved_project_with_its_warm_up_and_a_bare_domain() {
    let dns = start_demo_dns().await;
    let ns = dns.addr().to_string();
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project.json");
    let setup = serde_json::json!({
        "inputs": {
            "new": "domain", "stream": "marketing", "esp_automatic": false, "target": 5000,
            "start": "2026-11-02", "quality": "good",
            "mix": { "gmail": 40, "microsoft": 30, "yahoo": 10, "other": 20 },
            "sending_days": []
        },
        "defaults": {},
        "days": [],
        "resumed": [],
        "recipients": null
    });
    std::fs::write(
        &project,
        serde_json::json!({ "version": 1, "domain": GOOD, "warmup": setup }).to_string(),
    )
    .unwrap();
    let out_file = dir.path().join("report.json");
    let out = mailwright(&[
        "report",
        "--project",
        project.to_str().unwrap(),
        "--nameserver",
        &ns,
        "--format",
        "json",
        "--output",
        out_file.to_str().unwrap(),
    ])
    .await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["domain"], GOOD);
    assert_eq!(report["warmup"]["target"], 5000);
    assert!(report["warmup"]["plan"].as_array().unwrap().len() > 3);

    let bare = mailwright(&["report", "--domain", NO_SPF, "--nameserver", &ns]).await;
    assert_eq!(bare.status.code(), Some(1), "an item fails");
    let markdown = String::from_utf8(bare.stdout).unwrap();
    assert!(markdown.starts_with(&format!("# Email sending checklist for {NO_SPF}")));
    assert!(!markdown.contains("## Warm-up plan"));

    let pdf = dir.path().join("report.pdf");
    let out = mailwright(&[
        "report",
        "--domain",
        GOOD,
        "--nameserver",
        &ns,
        "--format",
        "pdf",
        "--output",
        pdf.to_str().unwrap(),
    ])
    .await;
    assert_eq!(out.status.code(), Some(0));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    let html = mailwright(&[
        "report",
        "--domain",
        GOOD,
        "--nameserver",
        &ns,
        "--format",
        "html",
    ])
    .await;
    assert!(
        String::from_utf8(html.stdout)
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
    let to_terminal = mailwright(&[
        "report",
        "--domain",
        GOOD,
        "--nameserver",
        &ns,
        "--format",
        "pdf",
    ])
    .await;
    assert_eq!(to_terminal.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&to_terminal.stderr).contains("--output"));

    let missing = mailwright(&["report", "--project", "/nonexistent/project.json"]).await;
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("Could not read"));
}
