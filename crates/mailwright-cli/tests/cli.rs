//! The `mailwright` binary against the testkit's DNS server.

use std::process::Output;

use mailwright_core::dns::{DnsConfig, NameserverSource};
use mailwright_core::{AuditRequest, run_audit};
use mailwright_testkit::fixtures::*;
use mailwright_testkit::silent_dns_server;
use serde_json::Value;
use tokio::process::Command;

async fn mailwright(args: &[&str], env_nameserver: Option<String>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mailwright"));
    command.args(args).env_remove("MAILWRIGHT_NAMESERVER");
    if let Some(ns) = env_nameserver {
        command.env("MAILWRIGHT_NAMESERVER", ns);
    }
    command.output().await.expect("the mailwright binary runs")
}

/// Asserts the exit status, showing standard error when it differs.
fn assert_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

fn ids(value: &Value) -> Vec<String> {
    value["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn json_output_has_the_documented_shape_and_exit_zero_when_nothing_fails() {
    let dns = start_demo_dns().await;
    let ns = dns.addr().to_string();
    let out = mailwright(
        &[
            "audit",
            GOOD,
            "--selector",
            USER_SELECTOR,
            "--nameserver",
            &ns,
            "--json",
        ],
        None,
    )
    .await;
    assert_exit(&out, 0);
    let value = json(&out);
    assert_eq!(value["domain"], GOOD);
    for finding in value["findings"].as_array().unwrap() {
        for key in ["id", "severity", "title", "detail", "fix", "evidence"] {
            assert!(finding.get(key).is_some(), "{key} missing in {finding}");
        }
    }
    assert!(ids(&value).contains(&"dmarc.ok".to_owned()));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_finding_exits_one_and_reads_well() {
    let dns = start_demo_dns().await;
    let out = mailwright(
        &["audit", NO_SPF, "--nameserver", &dns.addr().to_string()],
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("[FAIL] nospf.test publishes no SPF record.  (spf.missing)"),
        "{text}"
    );
    assert!(text.contains("Fix: Publish one TXT record"), "{text}");
    assert!(
        text.contains("\nSPF\n") && text.contains("\nDMARC\n"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_environment_variable_names_the_server_and_urls_are_normalized() {
    let dns = start_demo_dns().await;
    let out = mailwright(
        &["audit", "https://www.good.test/contact", "--json"],
        Some(dns.addr().to_string()),
    )
    .await;
    assert_exit(&out, 0);
    let value = json(&out);
    assert_eq!(value["domain"], GOOD);
    assert_eq!(value["nameserver"], dns.addr().to_string());
    assert!(value["note"].as_str().unwrap().contains("web address"));
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_exits_two_with_a_sentence() {
    let out = mailwright(&["audit", "not a domain"], None).await;
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("mailwright: “not a domain” is not a valid domain name."),
        "{err}"
    );
    let out = mailwright(
        &[
            "audit",
            "example.com",
            "--nameserver",
            "dns.example",
            "--json",
        ],
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json(&out)["error"]["code"], "invalid_nameserver");
    let out = mailwright(
        &["audit", "example.com", "--selector", "bad_selector"],
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_server_exits_two() {
    let (_socket, addr) = silent_dns_server();
    let out = mailwright(
        &["audit", GOOD, "--nameserver", &addr.to_string(), "--json"],
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(ids(&json(&out)), ["dns.unreachable"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cli_shows_exactly_the_engines_findings() {
    let dns = start_demo_dns().await;
    let config = DnsConfig::with_nameserver(dns.addr(), NameserverSource::CommandLine);
    for domain in [
        GOOD,
        NO_SPF,
        TWO_SPF,
        MONITOR_ONLY,
        SUBDOMAIN,
        CNAME_DKIM,
        NULL_MX,
        SERVFAIL,
    ] {
        let (request, _) = AuditRequest::parse(domain, &[]).unwrap();
        let engine = run_audit(&request, &config, None).await.unwrap();
        let out = mailwright(
            &[
                "audit",
                domain,
                "--nameserver",
                &dns.addr().to_string(),
                "--json",
            ],
            None,
        )
        .await;
        let cli = json(&out);
        assert_eq!(
            cli["findings"],
            serde_json::to_value(&engine.findings).unwrap(),
            "{domain}"
        );
    }
}
