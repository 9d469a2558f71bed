//! The report mailbox against a real IMAP server: Dovecot on loopback with TLS (993 style and
//! STARTTLS), a certificate from a test CA, and a Maildir holding reports as receivers send
//! them (aggregate reports gzipped and zipped, a TLS report, and a message that is not a
//! report). A fetch imports them, a re-run imports nothing new, a new message is picked up, a
//! wrong password and an untrusted certificate are refused (the latter before any password),
//! and nothing is moved or deleted unless asked. Needs root; run by `cargo xtask test`.

#[path = "support/imap.rs"]
mod imap;

use imap::{ImapServer, NAME, PASSWORD, USER};
use mailwright_core::dns::{DnsConfig, NameserverSource};
use mailwright_core::reports::{ImportSummary, MailboxSetup, MailboxTls};
use mailwright_core::secrets::Sensitive;
use mailwright_core::session::Session;
use mailwright_testkit::reports::{Row, aggregate_xml, gzip, report_message, tls_json, zip};

const DOMAIN: &str = "example.com";
const DAY: i64 = 1_764_547_200; // 2025-12-01, in the past of every test run

fn session(database: &std::path::Path, ca: Option<&std::path::Path>) -> Session {
    // No DNS is needed (the server is an address); naming sources fails fast on port 9.
    let dns = DnsConfig::with_nameserver(
        "127.0.0.1:9".parse().unwrap(),
        NameserverSource::CommandLine,
    );
    let session = Session::for_domain(DOMAIN, dns);
    session.use_reports_database(database.to_path_buf());
    let trust = ca.map(|c| c.display().to_string()).unwrap_or_default();
    session
        .change(move |p| {
            p.reports.trust_file = trust;
            Ok(())
        })
        .unwrap();
    session
}

fn setup(port: u16, tls: MailboxTls, move_to: Option<&str>) -> MailboxSetup {
    MailboxSetup {
        host: "127.0.0.1".into(),
        port,
        tls,
        user: USER.into(),
        folder: "INBOX".into(),
        server_name: Some(NAME.into()),
        move_to: move_to.map(str::to_owned),
    }
}

async fn fetch(
    session: &Session,
    setup: MailboxSetup,
    password: &str,
) -> Result<ImportSummary, String> {
    session
        .fetch_report_mailbox(setup, Sensitive::new(password.into()), None)
        .await
        .map_err(|e| e.to_string())
}

fn aggregate_message(reporter: &str, id: &str, archive: &str) -> Vec<u8> {
    let xml = aggregate_xml(
        reporter,
        id,
        DOMAIN,
        DAY,
        "none",
        &[
            Row::passing("192.0.2.10", 40, DOMAIN),
            Row::spoofed("203.0.113.66", 5, "none"),
        ],
    );
    let name = format!("{reporter}!{DOMAIN}!{DAY}!{}.xml", DAY + 86_399);
    match archive {
        "zip" => report_message(
            reporter,
            "dmarc@mail.test",
            &format!("Report Domain: {DOMAIN} Submitter: {reporter} Report-ID: {id}"),
            &format!("{name}.zip"),
            "application/zip",
            &zip(&name, xml.as_bytes()),
        ),
        _ => report_message(
            reporter,
            "dmarc@mail.test",
            &format!("Report Domain: {DOMAIN} Submitter: {reporter} Report-ID: <{id}>"),
            &format!("{name}.gz"),
            "application/gzip",
            &gzip(xml.as_bytes()),
        ),
    }
}

fn tls_message() -> Vec<u8> {
    let json = tls_json(
        "mail.ru",
        "tls-1",
        DOMAIN,
        DAY,
        90,
        &[("certificate-expired", "mx.example.com", 4)],
    );
    report_message(
        "mail.ru",
        "dmarc@mail.test",
        &format!("Report Domain: {DOMAIN} Submitter: mail.ru Report-ID: <tls-1>"),
        "mail.ru!example.com!2025-12-01!tls-1.json.gz",
        "application/tlsrpt+gzip",
        &gzip(json.as_bytes()),
    )
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs root and Dovecot IMAP: run by cargo xtask test"]
async fn reports_are_fetched_once_over_tls_and_a_rerun_picks_up_only_new_mail() {
    let server = ImapServer::start();
    server.deliver(&aggregate_message("google.com", "g-1", "gz"));
    server.deliver(&aggregate_message("Outlook.com", "m-1", "zip"));
    server.deliver(&tls_message());
    server.deliver(b"From: someone@mail.test\r\nSubject: hello\r\n\r\nNot a report.\r\n");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("reports.db");
    let session = session(&db, Some(&server.ca_file));

    let first = fetch(
        &session,
        setup(server.imaps, MailboxTls::Implicit, None),
        PASSWORD,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}\n{}", server.log()));
    assert_eq!(
        (first.imported, first.messages, first.tls_sessions),
        (3, 2 * 45, 94),
        "{first:?}"
    );
    assert_eq!(first.problem_count, 1, "{first:?}");
    assert!(
        first.problems[0].sentence.contains("holds no report"),
        "{first:?}"
    );

    // Nothing new: nothing is read again.
    let again = fetch(
        &session,
        setup(server.imaps, MailboxTls::Implicit, None),
        PASSWORD,
    )
    .await
    .unwrap();
    assert_eq!((again.documents, again.imported), (0, 0), "{again:?}");

    // A new report arrives; STARTTLS reads the same mailbox and picks up only it.
    server.deliver(&aggregate_message("yahoo.com", "y-1", "gz"));
    let third = fetch(
        &session,
        setup(server.imap, MailboxTls::Starttls, None),
        PASSWORD,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}\n{}", server.log()));
    assert_eq!((third.documents, third.imported), (1, 1), "{third:?}");

    let view = session.reports_view_of(mailwright_core::reports::Period {
        from: DAY / 86_400,
        to: DAY / 86_400,
    });
    let view = view.await.unwrap();
    let spoof = view
        .sources
        .iter()
        .find(|s| s.totals.ip == "203.0.113.66")
        .unwrap();
    assert_eq!((spoof.totals.messages, spoof.totals.dmarc_pass), (15, 0));
    assert_eq!(view.reporters.len(), 3);
    assert_eq!(
        view.tls_failures[0].advice.result_type,
        "certificate-expired"
    );
    // Mailwright only read: every message is still in the INBOX.
    assert_eq!(server.inbox_count(), 5);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs root and Dovecot IMAP: run by cargo xtask test"]
async fn a_wrong_password_and_an_untrusted_certificate_are_refused() {
    let server = ImapServer::start();
    server.deliver(&aggregate_message("google.com", "g-1", "gz"));
    let dir = tempfile::tempdir().unwrap();

    let trusted = session(&dir.path().join("a.db"), Some(&server.ca_file));
    let wrong = fetch(
        &trusted,
        setup(server.imaps, MailboxTls::Implicit, None),
        "not it",
    )
    .await
    .unwrap_err();
    assert!(
        wrong.contains("refused the user name or password"),
        "{wrong}"
    );

    // Dovecot logs the refused login when the connection ends (after its auth delay): wait
    // for that line so it is not counted below.
    server.wait_for_log(0, "auth failed");

    // Without the test CA the certificate is not trusted: refused before the password.
    let before = server.log().len();
    let untrusted = session(&dir.path().join("b.db"), None);
    for (port, tls) in [
        (server.imaps, MailboxTls::Implicit),
        (server.imap, MailboxTls::Starttls),
    ] {
        let refused = fetch(&untrusted, setup(port, tls, None), PASSWORD)
            .await
            .unwrap_err();
        assert!(
            refused.contains("could not be verified") && refused.contains("password was not sent"),
            "{refused}"
        );
    }
    // The implicit-TLS attempt is logged as an unknown CA: the log has caught up.
    server.wait_for_log(before, "unknown ca");
    assert!(
        !server.log()[before..].contains(&format!("user=<{USER}>")),
        "no sign-in may reach the server without a verified certificate:\n{}",
        server.log()
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs root and Dovecot IMAP: run by cargo xtask test"]
async fn imported_reports_are_moved_only_when_asked() {
    let server = ImapServer::start();
    server.create_folder("Imported");
    server.deliver(&aggregate_message("google.com", "g-1", "gz"));
    server.deliver(&aggregate_message("yahoo.com", "y-1", "zip"));
    let dir = tempfile::tempdir().unwrap();
    let session = session(&dir.path().join("reports.db"), Some(&server.ca_file));
    let moved = fetch(
        &session,
        setup(server.imaps, MailboxTls::Implicit, Some("Imported")),
        PASSWORD,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}\n{}", server.log()));
    assert_eq!((moved.imported, moved.problem_count), (2, 0), "{moved:?}");
    assert_eq!(
        (server.inbox_count(), server.folder_count("Imported")),
        (0, 2)
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs root and Dovecot IMAP: run by cargo xtask test"]
async fn a_folder_named_in_any_language_is_listed_and_used_by_its_readable_name() {
    let server = ImapServer::start();
    // Dovecot keeps Maildir folder names in IMAP's modified UTF-7: "Geprüft" on disk.
    server.create_folder("Gepr&APw-ft");
    server.deliver(&aggregate_message("google.com", "g-1", "gz"));
    let dir = tempfile::tempdir().unwrap();
    let session = session(&dir.path().join("reports.db"), Some(&server.ca_file));
    let folders = session
        .report_mailbox_folders(
            setup(server.imaps, MailboxTls::Implicit, None),
            Sensitive::new(PASSWORD.into()),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", server.log()));
    assert!(folders.iter().any(|f| f == "Geprüft"), "{folders:?}");
    let moved = fetch(
        &session,
        setup(server.imaps, MailboxTls::Implicit, Some("Geprüft")),
        PASSWORD,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}\n{}", server.log()));
    assert_eq!((moved.imported, moved.problem_count), (1, 0), "{moved:?}");
    assert_eq!(
        (server.inbox_count(), server.folder_count("Gepr&APw-ft")),
        (0, 1)
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs root and Dovecot IMAP: run by cargo xtask test"]
async fn a_connection_cut_mid_fetch_keeps_what_was_fetched_and_a_rerun_resumes() {
    const COUNT: usize = 60;
    let server = ImapServer::start();
    // Each message carries a 1 MiB note besides its report, so the fetch takes long enough to
    // be cut in the middle.
    let padding = "All work and no play. ".repeat(48_000);
    for n in 0..COUNT {
        let message =
            String::from_utf8(aggregate_message("google.com", &format!("g-{n}"), "gz")).unwrap();
        let padded = message.replacen(
            "--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nThis is a report for your domain.\r\n",
            &format!("--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nThis is a report for your domain.\r\n{padding}\r\n"),
            1,
        );
        assert!(padded.len() > 1_000_000);
        server.deliver(padded.as_bytes());
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("reports.db");
    let session = std::sync::Arc::new(session(&db, Some(&server.ca_file)));
    let imported = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let seen = imported.clone();
    let progress: mailwright_core::session::ImportSink = std::sync::Arc::new(move |p| {
        seen.store(p.imported, std::sync::atomic::Ordering::Relaxed);
    });
    let running = session.clone();
    let port = server.imaps;
    let task = tokio::spawn(async move {
        running
            .fetch_report_mailbox(
                setup(port, MailboxTls::Implicit, None),
                Sensitive::new(PASSWORD.into()),
                Some(progress),
            )
            .await
    });
    // Cut the server once some reports are in.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while imported.load(std::sync::atomic::Ordering::Relaxed) < 5 {
        assert!(std::time::Instant::now() < deadline, "{}", server.log());
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    server.cut_connections();
    let first = task.await.unwrap();
    let kept = match first {
        Ok(summary) => {
            assert!(
                summary.stopped && summary.imported < COUNT as u64,
                "{summary:?}"
            );
            assert!(
                summary
                    .problems
                    .iter()
                    .any(|p| p.sentence.contains("fetch again")),
                "{summary:?}"
            );
            summary.imported
        }
        Err(e) => panic!("what was fetched must be kept and said: {e}"),
    };
    assert!(kept >= 5);
    let second = fetch(
        &session,
        setup(server.imaps, MailboxTls::Implicit, None),
        PASSWORD,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}\n{}", server.log()));
    assert_eq!(kept + second.imported, COUNT as u64, "{second:?}");
    assert_eq!(
        second.duplicates, 0,
        "the re-run resumes after the last stored message: {second:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs root, Dovecot IMAP and a Secret Service: run by cargo xtask test"]
async fn a_saved_password_is_used_for_its_server_only() {
    use mailwright_core::secrets::SecretStore;
    let server = ImapServer::start();
    server.deliver(&aggregate_message("google.com", "g-1", "gz"));
    let dir = tempfile::tempdir().unwrap();
    let session = session(&dir.path().join("reports.db"), Some(&server.ca_file));
    let here = setup(server.imaps, MailboxTls::Implicit, None);
    session
        .save_mailbox_password(&here, Sensitive::new(PASSWORD.into()))
        .await
        .unwrap_or_else(|e| panic!("the test keyring must take it: {e}"));
    // No password typed: the keychain's, bound to this server, is used.
    let fetched = fetch(&session, here.clone(), "")
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", server.log()));
    assert_eq!(fetched.imported, 1);
    // The same user and host with another certificate name: the saved password is not sent.
    let elsewhere = MailboxSetup {
        server_name: Some("other.test".into()),
        ..here.clone()
    };
    let refused = fetch(&session, elsewhere, "").await.unwrap_err();
    assert!(refused.contains("saved for another setup"), "{refused}");
    let _ = SecretStore::system()
        .unwrap()
        .delete(&here.password_account());
}
