//! `mailwright message check`: a message signed with the testkit's key, read from a file and
//! from standard input, with the engine's findings in JSON; text that is not a message exits 2
//! with one sentence.

use std::process::{Output, Stdio};

use mailwright_core::dkim::{read_private_key_pem, sign_message};
use mailwright_core::{Selector, parse_domain_input};
use mailwright_testkit::fixtures::{
    DKIM_DOMAIN, TEST_DKIM_PRIVATE_KEY, USER_SELECTOR, start_demo_dns,
};
use serde_json::Value;
use tokio::io::AsyncWriteExt;
use tokio::process::Command;

/// A message from `DKIM_DOMAIN`, signed with the test key, as a receiver delivered it.
fn message() -> String {
    let key = read_private_key_pem(TEST_DKIM_PRIVATE_KEY).unwrap();
    let body = format!(
        "From: <hello@{DKIM_DOMAIN}>\r\nTo: <ann@example.org>\r\nSubject: Hello\r\n\
         Date: Tue, 01 Dec 2026 10:00:00 +0000\r\nMessage-ID: <m1@{DKIM_DOMAIN}>\r\n\r\nHello.\r\n"
    );
    let signed = sign_message(
        &key,
        &Selector::parse(USER_SELECTOR).unwrap(),
        &parse_domain_input(DKIM_DOMAIN).unwrap().domain,
        &body,
    )
    .unwrap();
    format!(
        "Received: from mail.{DKIM_DOMAIN} (mail.{DKIM_DOMAIN} [198.51.100.20]) by mx.example.org with ESMTPS; Tue, 01 Dec 2026 10:00:03 +0000\r\n{signed}"
    )
}

async fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mailwright"));
    command
        .args(args)
        .env_remove("MAILWRIGHT_NAMESERVER")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("the mailwright binary runs");
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).await.unwrap();
    }
    drop(input);
    child.wait_with_output().await.unwrap()
}

fn ids(value: &Value) -> Vec<&str> {
    value["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_message_file_and_standard_input_give_the_same_findings() {
    let dns = start_demo_dns().await;
    let ns = dns.addr().to_string();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("message.eml");
    std::fs::write(&path, message()).unwrap();
    let file = run(
        &[
            "message",
            "check",
            path.to_str().unwrap(),
            "--nameserver",
            &ns,
            "--json",
        ],
        None,
    )
    .await;
    let value: Value = serde_json::from_slice(&file.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&file.stderr)));
    assert_eq!(value["signatures"][0]["result"], "pass", "{value}");
    assert_eq!(value["signatures"][0]["domain"], DKIM_DOMAIN);
    assert_eq!(value["sending_ip"], "198.51.100.20");
    assert_eq!(value["hops"][0]["by"], "mx.example.org");
    assert!(value["rules"].as_array().unwrap().len() >= 8);
    let found = ids(&value);
    assert!(found.contains(&"message.dkim.pass"), "{found:?}");
    // dkim.test publishes no SPF and no DMARC.
    assert!(found.contains(&"message.spf.none"), "{found:?}");
    assert!(found.contains(&"message.dmarc.none"), "{found:?}");
    assert_eq!(file.status.code(), Some(1), "SPF none fails");

    let piped = run(
        &["message", "check", "-", "--nameserver", &ns, "--json"],
        Some(&message()),
    )
    .await;
    let piped: Value = serde_json::from_slice(&piped.stdout).unwrap();
    assert_eq!(ids(&piped), found);

    let text = run(
        &[
            "message",
            "check",
            path.to_str().unwrap(),
            "--nameserver",
            &ns,
        ],
        None,
    )
    .await;
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("Gmail, Yahoo and Microsoft's rules"),
        "{text}"
    );
    assert!(
        text.contains("DKIM d=dkim.test s=mw202611 rsa-sha256 (RSA 2048-bit): pass"),
        "{text}"
    );

    // The report cites the message: the format item is decided by it.
    let report = run(
        &[
            "report",
            "--domain",
            DKIM_DOMAIN,
            "--message",
            path.to_str().unwrap(),
            "--nameserver",
            &ns,
            "--format",
            "json",
        ],
        None,
    )
    .await;
    let report: Value = serde_json::from_slice(&report.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&report.stderr)));
    let format = report["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["items"].as_array().unwrap())
        .find(|i| i["id"] == "providers.format")
        .unwrap();
    assert_eq!(format["status"], "pass", "{format}");

    let junk = run(
        &["message", "check", "-", "--nameserver", &ns],
        Some("not a message at all"),
    )
    .await;
    assert_eq!(junk.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&junk.stderr).contains("This is not an email message"),
        "{}",
        String::from_utf8_lossy(&junk.stderr)
    );
}
