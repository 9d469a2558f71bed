//! The report mailbox's refusals against hostile servers: a server that does not offer
//! STARTTLS gets no password (Mailwright never signs in without TLS), and a server that says
//! nothing is given up on. The real fetch is tested against Dovecot in tests/e2e/real_imap.rs.

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
