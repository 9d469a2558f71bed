//! `mailwright smtp test` against the testkit's scripted SMTP server: JSON and text output, the
//! password from standard input, exit codes, and no password without a keychain or a terminal.

use std::process::{Output, Stdio};

use mailwright_testkit::{SmtpScript, SmtpServer, TestCertificate};
mod common;

use common::{ca_file, smtp_test_args};
use serde_json::Value;
use tokio::io::AsyncWriteExt;
use tokio::process::Command;

const PASSWORD: &str = "correct horse battery staple";
/// Sign in as the scripted server's user, the password read from standard input.
const SIGN_IN: [&str; 3] = ["--user", "tester@example.com", "--password-stdin"];

async fn mailwright(args: &[impl AsRef<std::ffi::OsStr>], stdin: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mailwright"));
    // No keychain reachable: these tests never touch the user's secrets.
    command
        .args(args)
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/mailwright-test-bus",
        )
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

fn ids(report: &Value) -> Vec<String> {
    report["ports"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn signs_in_with_the_password_from_stdin_and_prints_json() {
    let server = SmtpServer::start(SmtpScript::default()).await;
    let ca = ca_file(&server);
    let more = [
        &SIGN_IN[..],
        &["--send-to", "someone@example.net", "--json"],
    ]
    .concat();
    let args = smtp_test_args(&server, &ca, &more);
    let out = mailwright(&args, Some(&format!("{PASSWORD}\n"))).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        ids(&report),
        ["smtp.tls.ok", "smtp.auth.ok", "smtp.message.accepted"]
    );
    assert_eq!(report["ports"][0]["message"]["queue_id"], "4TESTQ1D");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains(PASSWORD), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_certificate_exits_one_with_the_reason_and_a_redacted_transcript() {
    let server = SmtpServer::start(SmtpScript {
        certificate: TestCertificate::Expired,
        ..SmtpScript::default()
    })
    .await;
    let ca = ca_file(&server);
    let args = smtp_test_args(&server, &ca, &[&SIGN_IN[..], &["--transcript"]].concat());
    let out = mailwright(&args, Some(PASSWORD)).await;
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("[FAIL] The server's certificate expired"),
        "{text}"
    );
    assert!(
        text.contains("smtp.tls.cert_expired") && text.contains("smtp.auth.withheld"),
        "{text}"
    );
    assert!(
        text.contains(" -> STARTTLS") && text.contains(" ~> EHLO"),
        "{text}"
    );
    assert!(!text.contains(PASSWORD));
    assert!(server.seen().iter().all(|l| !l.contains(PASSWORD)));
    // Progress goes to standard error as each step happens.
    assert!(String::from_utf8_lossy(&out.stderr).contains("Certificate"));
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_keychain_or_a_terminal_it_asks_for_password_stdin() {
    let server = SmtpServer::start(SmtpScript::default()).await;
    let port = server.addr().port().to_string();
    let out = mailwright(
        &[
            "smtp",
            "test",
            "--host",
            "127.0.0.1",
            "--port",
            &port,
            "--user",
            "tester@example.com",
        ],
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("keychain"), "{text}");
    assert!(server.seen().is_empty(), "nothing was sent");
    let out = mailwright(&["smtp", "test", "--provider", "nope"], None).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("mailwright smtp providers"));
}
