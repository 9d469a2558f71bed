//! `mailwright bounce explain`: a Postfix bounce from a file and a Gmail reply from standard
//! input, as text and JSON, with the exit status saying whether something was refused for good.

use std::io::Write;
use std::process::{Command, Stdio};

const BOUNCE: &str = "From: MAILER-DAEMON@mail.example.com (Mail Delivery System)\r\nSubject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mail.example.com\r\n\r\nFinal-Recipient: rfc822; nobody@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\nRemote-MTA: dns; mx.example.org\r\nDiagnostic-Code: smtp; 550 5.1.1 <nobody@example.org>: User unknown\r\n\r\n--B--\r\n";

fn mailwright(args: &[&str], stdin: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mailwright"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_bounce_file_and_a_pasted_reply_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bounce.eml");
    std::fs::write(&path, BOUNCE).unwrap();
    let out = mailwright(&["bounce", "explain", path.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("nobody@example.org: hard bounce — suppress the address (550 5.1.1)"),
        "{text}"
    );
    assert!(text.contains("Refused by: mx.example.org"), "{text}");

    let out = mailwright(
        &["bounce", "explain", "-", "--json"],
        "421-4.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP address. gsmtp",
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "rate limiting is not a refusal for good"
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json[0]["class"], "rate");
    assert_eq!(json[0]["provider"], "Gmail");
    assert_eq!(json[0]["step"], "warmup");
}

/// A folder with the testkit's mailbox of bounces, dated 2026-12-01.
fn sample_mailbox() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let mailbox = dir.path().join("bounces.mbox");
    std::fs::write(
        &mailbox,
        mailwright_testkit::bounces::sample_mailbox(20_788),
    )
    .unwrap();
    (dir, mailbox)
}

#[test]
fn a_mailbox_of_bounces_is_imported_once_and_the_suppression_list_written() {
    let (dir, mailbox) = sample_mailbox();
    let database = dir.path().join("mail.db");
    let csv = dir.path().join("suppressed.csv");
    let args = [
        "bounce",
        "import",
        mailbox.to_str().unwrap(),
        "--database",
        database.to_str().unwrap(),
        "--csv",
        csv.to_str().unwrap(),
    ];
    let out = mailwright(&args, "");
    let text = String::from_utf8(out.stdout).unwrap();
    // A refusal for the setup (5.7.26) is in the mailbox: exit 1, and the next step says so.
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("Read 8 messages or rows: 8 new events."),
        "{text}"
    );
    assert!(text.contains("4 suppressed, 1 watched"), "{text}");
    assert!(text.contains("✗ angry@yahoo.com  complaint"), "{text}");
    assert!(text.contains("· once@example.org  soft-bounced"), "{text}");
    assert!(
        text.contains("Next: 1 refusal came from your setup"),
        "{text}"
    );
    let written = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(written.lines().count(), 5, "{written}");

    // Again: nothing new; the CSV is not replaced without --force.
    let again = mailwright(&args, "");
    let err = String::from_utf8(again.stderr).unwrap();
    assert_eq!(again.status.code(), Some(2), "{err}");
    let mut forced = args.to_vec();
    forced.push("--force");
    forced.push("--json");
    let out = mailwright(&forced, "");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["import"]["new_events"], 0);
    assert_eq!(json["import"]["duplicates"], 8);
    assert_eq!(json["bounces"]["suppressed"], 4);

    // A stricter rule on the command line suppresses the once-bounced address too.
    let strict = mailwright(
        &[
            "bounce",
            "import",
            mailbox.to_str().unwrap(),
            "--database",
            database.to_str().unwrap(),
            "--soft-bounces",
            "1",
            "--json",
        ],
        "",
    );
    let json: serde_json::Value = serde_json::from_slice(&strict.stdout).unwrap();
    assert_eq!(json["bounces"]["suppressed"], 5);
    // Nonsense is refused with a sentence.
    let bad = mailwright(
        &[
            "bounce",
            "import",
            mailbox.to_str().unwrap(),
            "--database",
            database.to_str().unwrap(),
            "--soft-days",
            "0",
        ],
        "",
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8(bad.stderr)
            .unwrap()
            .contains("soft-bounce rule must count"),
    );
}

#[test]
fn without_a_project_the_app_s_own_database_is_used() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let mailbox = home.path().join("bounces.mbox");
    std::fs::write(
        &mailbox,
        mailwright_testkit::bounces::sample_mailbox(20_788),
    )
    .unwrap();
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_mailwright"))
            .args(["bounce", "import", mailbox.to_str().unwrap(), "--json"])
            .env("XDG_DATA_HOME", &data)
            .env("HOME", home.path())
            .output()
            .unwrap()
    };
    let first: serde_json::Value = serde_json::from_slice(&run().stdout).unwrap();
    assert_eq!(first["import"]["new_events"], 8);
    assert!(
        data.join("org.mailwright.Mailwright/reports.db").is_file(),
        "the app's own database, before the app saved a project"
    );
    let again: serde_json::Value = serde_json::from_slice(&run().stdout).unwrap();
    assert_eq!(again["import"]["duplicates"], 8);
    // The default rule: three soft bounces within 30 days.
    assert_eq!(again["bounces"]["rule"]["soft_bounces"], 3);
}

#[test]
fn a_suppressed_address_is_released_once_and_the_same_bounces_do_not_bring_it_back() {
    let (dir, mailbox) = sample_mailbox();
    let database = dir.path().join("mail.db");
    let db = database.to_str().unwrap();
    let import = [
        "bounce",
        "import",
        mailbox.to_str().unwrap(),
        "--database",
        db,
        "--json",
    ];
    let json: serde_json::Value = serde_json::from_slice(&mailwright(&import, "").stdout).unwrap();
    assert_eq!(json["bounces"]["suppressed"], 4);

    let csv = dir.path().join("after.csv");
    let out = mailwright(
        &[
            "bounce",
            "release",
            " Angry@Yahoo.com ",
            "--database",
            db,
            "--csv",
            csv.to_str().unwrap(),
        ],
        "",
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("angry@yahoo.com is no longer suppressed") && text.contains("3 suppressed"),
        "{text}"
    );
    let written = std::fs::read_to_string(&csv).unwrap();
    assert!(!written.contains("angry@yahoo.com"), "{written}");
    assert_eq!(written.lines().count(), 4, "{written}");

    // Not on the list (any more): refused with a sentence.
    let again = mailwright(
        &["bounce", "release", "angry@yahoo.com", "--database", db],
        "",
    );
    assert_eq!(again.status.code(), Some(2));
    assert!(
        String::from_utf8(again.stderr)
            .unwrap()
            .contains("angry@yahoo.com is not on the suppression list"),
    );
    // The same mailbox imported again does not suppress it again.
    let json: serde_json::Value = serde_json::from_slice(&mailwright(&import, "").stdout).unwrap();
    assert_eq!(json["bounces"]["suppressed"], 3);
    assert!(
        !json["bounces"]["addresses"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["address"] == "angry@yahoo.com")
    );
}
