//! `mailwright report` against the testkit's DNS server: from a saved project (its warm-up in
//! the report) and from a domain alone, in Markdown and JSON, to a file or standard output; with
//! a saved `mailwright smtp test --json` from the testkit's SMTP server.

use mailwright_testkit::fixtures::{GOOD, NO_SPF, start_demo_dns, start_policy_server};
use mailwright_testkit::{SmtpScript, SmtpServer};
mod common;

use common::{ca_file, mailwright, smtp_test_args};

#[tokio::test(flavor = "multi_thread")]
async fn reports_a_saved_project_with_its_warm_up_and_a_bare_domain() {
    let dns = start_demo_dns().await;
    let ns = dns.addr().to_string();
    let policies = start_policy_server().await;
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, policies.ca_pem()).unwrap();
    let policy_port = policies.addr().port().to_string();
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
        "--ca",
        ca.to_str().unwrap(),
        "--policy-port",
        &policy_port,
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

/// The JSON item `id` of a report.
fn item<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["items"].as_array().unwrap())
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no item {id}"))
}

/// `mailwright report --domain GOOD --nameserver ns --format json`, then `more`.
async fn report_json(ns: &str, more: &[&str]) -> std::process::Output {
    let args = [
        "report",
        "--domain",
        GOOD,
        "--nameserver",
        ns,
        "--format",
        "json",
    ];
    let args: Vec<&str> = args.iter().chain(more).copied().collect();
    mailwright(&args).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_saved_mail_server_test_fills_the_tls_item() {
    let dns = start_demo_dns().await;
    let ns = dns.addr().to_string();
    let server = SmtpServer::start(SmtpScript::default()).await;
    let ca = ca_file(&server);
    let args = smtp_test_args(&server, &ca, &["--json"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let tested = mailwright(&args).await;
    assert_eq!(tested.status.code(), Some(0));
    let dir = tempfile::tempdir().unwrap();
    let smtp_json = dir.path().join("smtp.json");
    std::fs::write(&smtp_json, &tested.stdout).unwrap();

    let out = report_json(&ns, &["--smtp-result", smtp_json.to_str().unwrap()]).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let tls = item(&value, "before.tls");
    assert_eq!(tls["status"], "pass", "{tls}");
    let evidence = tls["evidence"][0].as_str().unwrap();
    let port = server.addr().port();
    assert!(
        evidence.starts_with(&format!("127.0.0.1:{port}: TLS")) && evidence.contains("days left"),
        "{evidence}"
    );

    // Without it the item is to do by hand, and its fix names the way to add it.
    let bare = report_json(&ns, &[]).await;
    let value: serde_json::Value = serde_json::from_slice(&bare.stdout).unwrap();
    let tls = item(&value, "before.tls");
    assert_eq!(tls["status"], "manual");
    assert!(tls["fix"].as_str().unwrap().contains("--smtp-result"));

    // A file that is not a mail server test is refused with a sentence, and nothing is written.
    let wrong = dir.path().join("wrong.json");
    std::fs::write(&wrong, "{\"ports\": 3}").unwrap();
    let out = report_json(&ns, &["--smtp-result", wrong.to_str().unwrap()]).await;
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("is not what mailwright smtp test --json prints"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}
