//! The report mailbox's refusals against hostile servers: a server that does not offer
//! STARTTLS gets no password (Mailwright never signs in without TLS), and a server that says
//! nothing is given up on; a scripted IMAPS server that drops the connection in the middle of
//! a FETCH (which ends like a complete answer) is told apart from a message expunged meanwhile.
//! The real fetch is tested against Dovecot in tests/e2e/real_imap.rs.

use std::sync::{Arc, Mutex};

use mailwright_core::dns::{DnsConfig, NameserverSource};
use mailwright_core::reports::{MailboxAccess, MailboxSetup, MailboxTls, list_folders};
use mailwright_core::secrets::Sensitive;
use mailwright_core::smtp::Trust;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// A plain IMAP server that refuses STARTTLS and records every line it receives.
async fn no_starttls_server() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let lines = Arc::new(Mutex::new(Vec::new()));
    let seen = lines.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let _ = write
                    .write_all(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n")
                    .await;
                let mut read = BufReader::new(read).lines();
                while let Ok(Some(line)) = read.next_line().await {
                    seen.lock().unwrap().push(line.clone());
                    let tag = line.split(' ').next().unwrap_or("*").to_owned();
                    let _ = write
                        .write_all(format!("{tag} BAD STARTTLS is not offered here\r\n").as_bytes())
                        .await;
                }
            });
        }
    });
    (port, lines)
}

#[tokio::test]
async fn a_server_without_starttls_never_gets_the_password() {
    let (port, lines) = no_starttls_server().await;
    let setup = MailboxSetup {
        host: "127.0.0.1".into(),
        port,
        tls: MailboxTls::Starttls,
        user: "dmarc@example.com".into(),
        folder: "INBOX".into(),
        server_name: Some("mail.example.com".into()),
        move_to: None,
    };
    let password = Sensitive::new("secret-never-sent".to_owned());
    let dns = DnsConfig::with_nameserver(
        "127.0.0.1:9".parse().unwrap(),
        NameserverSource::CommandLine,
    );
    let access = MailboxAccess {
        setup: &setup,
        password: &password,
        trust: &Trust::default(),
        dns: &dns,
    };
    let error = list_folders(&access).await.unwrap_err().to_string();
    assert!(error.contains("does not offer STARTTLS"), "{error}");
    assert!(
        error.contains("never sends a password without encryption"),
        "{error}"
    );
    let seen = lines.lock().unwrap().join("\n");
    assert!(seen.contains("STARTTLS"), "{seen}");
    assert!(
        !seen.contains("secret-never-sent") && !seen.to_ascii_uppercase().contains("LOGIN"),
        "{seen}"
    );
}

#[tokio::test]
async fn a_setup_the_window_could_send_is_checked_first() {
    let bad = MailboxSetup {
        host: "imap.example.com\r\nA1 LOGIN".into(),
        port: 993,
        user: "me".into(),
        ..MailboxSetup::default()
    };
    assert!(
        bad.validate()
            .unwrap_err()
            .to_string()
            .contains("is not a mail server name")
    );
    let folder = MailboxSetup {
        host: "imap.example.com".into(),
        port: 993,
        user: "me".into(),
        folder: "INBOX\" DELETE".into(),
        ..MailboxSetup::default()
    };
    assert!(folder.validate().is_err());
}

/// What the scripted server does when message 2's body is asked for, or when the folders are
/// listed.
#[derive(Clone, Copy, PartialEq)]
enum Second {
    /// Says BYE instead of answering and closes TLS properly: what Dovecot's login process
    /// does when the IMAP process behind it dies. The client sees a clean end of the stream
    /// (async-imap ends the FETCH's answer there, without an error).
    Cut,
    /// Answers OK without the message, as a server does for a message expunged meanwhile.
    Expunged,
    /// Lists one folder of two, then says BYE and closes TLS properly (the rest answers as
    /// `Expunged` does).
    CutInList,
}

/// An IMAPS server (certificate from `ca`) with three report messages (UIDs 1–3) whose answer
/// to message 2's body is `second`.
async fn scripted_imaps(ca: &mailwright_testkit::TestCa, message: Vec<u8>, second: Second) -> u16 {
    let certificate = ca.issue(&["imap.example.com"], false);
    let acceptor =
        tokio_rustls::TlsAcceptor::from(Arc::new(mailwright_testkit::server_config(&certificate)));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let message = message.clone();
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(stream).await else {
                    return;
                };
                let (read, mut write) = tokio::io::split(tls);
                let _ = write
                    .write_all(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n")
                    .await;
                let mut read = BufReader::new(read).lines();
                while let Ok(Some(line)) = read.next_line().await {
                    let (tag, command) = line.split_once(' ').unwrap_or((&line, ""));
                    let upper = command.to_ascii_uppercase();
                    let answer: Vec<u8> = if upper.starts_with("LOGIN") || upper.starts_with("NOOP")
                    {
                        format!("{tag} OK done\r\n").into_bytes()
                    } else if upper.starts_with("EXAMINE") || upper.starts_with("SELECT") {
                        format!(
                            "* 3 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n{tag} OK [READ-ONLY] done\r\n"
                        )
                        .into_bytes()
                    } else if upper.starts_with("UID SEARCH") {
                        format!("* SEARCH 1 2 3\r\n{tag} OK done\r\n").into_bytes()
                    } else if upper.starts_with("UID FETCH") && upper.contains("RFC822.SIZE") {
                        let mut a = String::new();
                        for uid in 1..=3 {
                            a += &format!(
                                "* {uid} FETCH (UID {uid} RFC822.SIZE {})\r\n",
                                message.len()
                            );
                        }
                        a += &format!("{tag} OK done\r\n");
                        a.into_bytes()
                    } else if upper.starts_with("UID FETCH") {
                        let uid: u32 = upper["UID FETCH ".len()..]
                            .split(' ')
                            .next()
                            .and_then(|n| n.parse().ok())
                            .unwrap_or(0);
                        match (uid, second) {
                            (2, Second::Cut) => {
                                let _ = write.write_all(b"* BYE Server shutting down.\r\n").await;
                                let _ = write.shutdown().await;
                                // Half closed: what the client sends next is read and dropped.
                                while let Ok(Some(_)) = read.next_line().await {}
                                return;
                            }
                            (2, Second::Expunged | Second::CutInList) => {
                                format!("{tag} OK done\r\n").into_bytes()
                            }
                            _ => {
                                let mut a = format!(
                                    "* {uid} FETCH (UID {uid} BODY[] {{{}}}\r\n",
                                    message.len()
                                )
                                .into_bytes();
                                a.extend_from_slice(&message);
                                a.extend_from_slice(format!(")\r\n{tag} OK done\r\n").as_bytes());
                                a
                            }
                        }
                    } else if upper.starts_with("LIST") {
                        let _ = write.write_all(b"* LIST () \"/\" INBOX\r\n").await;
                        if second == Second::CutInList {
                            let _ = write.write_all(b"* BYE Server shutting down.\r\n").await;
                            let _ = write.shutdown().await;
                            while let Ok(Some(_)) = read.next_line().await {}
                            return;
                        }
                        format!("* LIST () \"/\" Reports\r\n{tag} OK done\r\n").into_bytes()
                    } else if upper.starts_with("LOGOUT") {
                        format!("* BYE bye\r\n{tag} OK done\r\n").into_bytes()
                    } else {
                        format!("{tag} BAD not in this script\r\n").into_bytes()
                    };
                    if write.write_all(&answer).await.is_err() {
                        return;
                    }
                    let _ = write.flush().await;
                }
            });
        }
    });
    port
}

/// A session for example.com trusting the scripted server's CA, the setup that reaches it, and
/// the folder holding the CA file and the database (kept until the test ends).
async fn scripted_session(
    second: Second,
) -> (
    mailwright_core::session::Session,
    MailboxSetup,
    tempfile::TempDir,
) {
    use mailwright_testkit::reports::{Row, aggregate_xml, gzip, report_message};
    let day = 1_764_547_200;
    let xml = aggregate_xml(
        "google.com",
        "r-1",
        "example.com",
        day,
        "none",
        &[Row::passing("192.0.2.10", 40, "example.com")],
    );
    // The same report three times: the first stored, the others duplicates.
    let message = report_message(
        "google.com",
        "dmarc@example.com",
        "Report Domain: example.com",
        "google.com!example.com!1764547200!1764633599.xml.gz",
        "application/gzip",
        &gzip(xml.as_bytes()),
    );
    let ca = mailwright_testkit::TestCa::new("Mailwright test CA");
    let port = scripted_imaps(&ca, message, second).await;
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, ca.pem()).unwrap();
    let dns = DnsConfig::with_nameserver(
        "127.0.0.1:9".parse().unwrap(),
        NameserverSource::CommandLine,
    );
    let session = mailwright_core::session::Session::for_domain("example.com", dns);
    session.use_reports_database(dir.path().join("reports.db"));
    let trust = ca_file.display().to_string();
    session
        .change(move |p| {
            p.reports.trust_file = trust;
            Ok(())
        })
        .unwrap();
    let setup = MailboxSetup {
        host: "127.0.0.1".into(),
        port,
        tls: MailboxTls::Implicit,
        user: "dmarc@example.com".into(),
        folder: "INBOX".into(),
        server_name: Some("imap.example.com".into()),
        move_to: None,
    };
    (session, setup, dir)
}

async fn fetch_from_scripted(second: Second) -> mailwright_core::reports::ImportSummary {
    let (session, setup, _dir) = scripted_session(second).await;
    session
        .fetch_report_mailbox(setup, Sensitive::new("pw".into()), None)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_folders_are_listed_and_a_listing_cut_halfway_is_said() {
    let (session, setup, _dir) = scripted_session(Second::Expunged).await;
    let folders = session
        .report_mailbox_folders(setup, Sensitive::new("pw".into()))
        .await
        .unwrap();
    assert_eq!(folders, ["INBOX", "Reports"]);

    let (session, setup, _dir) = scripted_session(Second::CutInList).await;
    let error = session
        .report_mailbox_folders(setup, Sensitive::new("pw".into()))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("stopped answering while listing folders") && error.contains("Try again"),
        "{error}"
    );
}

#[tokio::test]
async fn a_connection_cut_inside_a_fetch_is_said_not_taken_for_the_end() {
    let summary = fetch_from_scripted(Second::Cut).await;
    assert_eq!(summary.imported, 1, "{summary:?}");
    assert!(summary.stopped, "{summary:?}");
    assert!(
        summary
            .problems
            .iter()
            .any(|p| p.sentence.contains("fetch again to get the rest")),
        "{summary:?}"
    );
}

#[tokio::test]
async fn a_message_expunged_meanwhile_is_skipped_and_the_fetch_goes_on() {
    let summary = fetch_from_scripted(Second::Expunged).await;
    assert!(!summary.stopped, "{summary:?}");
    assert_eq!(summary.problem_count, 0, "{summary:?}");
    // Messages 1 and 3 were read: one report stored, the other a duplicate.
    assert_eq!(
        (summary.imported, summary.duplicates),
        (1, 1),
        "{summary:?}"
    );
}
