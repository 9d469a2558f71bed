//! Bounces Postfix itself writes: a message to an unknown user (the receiving server refuses it
//! with 550 5.1.1 at RCPT TO) and one to a mailbox over its quota (the Maildir takes nothing over
//! 2 KiB) are sent through the real Postfix; the bounces it delivers back to the sender are read
//! by the bounce reader (hard; soft) and imported from the Maildir into the suppression list.
//! Needs root; run by `cargo xtask test`.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use mailwright_core::bounces::{
    AddressState, BounceClass, BounceImporter, SuppressionRule, bounces_view, explain_bounce,
};
use mailwright_core::reports::ReportStore;
use support::postfix::{INBOX_DOMAIN, MailServers};

/// Sends one message to `rcpt` through the listener at `port` (plain SMTP from a trusted
/// network, as an application on the server would), from `shop@inbox.test`.
fn send(port: u16, rcpt: &str, body: &str) {
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    let mut expect = |code: &str| loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert!(line.starts_with(code), "wanted {code}, got {line:?}");
        if line.as_bytes().get(3) != Some(&b'-') {
            break;
        }
    };
    expect("220");
    for (command, code) in [
        ("EHLO app.shop.test".to_owned(), "250"),
        (format!("MAIL FROM:<shop@{INBOX_DOMAIN}>"), "250"),
        (format!("RCPT TO:<{rcpt}>"), "250"),
        ("DATA".to_owned(), "354"),
    ] {
        write!(writer, "{command}\r\n").unwrap();
        expect(code);
    }
    write!(
        writer,
        "From: shop@{INBOX_DOMAIN}\r\nTo: {rcpt}\r\nSubject: Our news\r\nMessage-ID: <{}@shop.test>\r\n\r\n{body}\r\n.\r\n",
        rcpt.replace('@', ".")
    )
    .unwrap();
    expect("250");
    write!(writer, "QUIT\r\n").unwrap();
}

#[test]
#[ignore = "needs root and Postfix: run by cargo xtask test"]
fn postfix_s_own_bounces_are_read_hard_and_soft() {
    let servers = MailServers::start();
    send(servers.open_relay, "nobody@gone.test", "Hello.");
    // Over the 2 KiB the full mailbox takes.
    send(
        servers.open_relay,
        "big@full.test",
        &"A long letter. ".repeat(400),
    );
    let bounces = servers.delivered_all(2, Duration::from_secs(60));
    assert_eq!(bounces.len(), 2, "{}", servers.log());

    let mut explained: Vec<_> = bounces
        .iter()
        .flat_map(|b| explain_bounce(b).unwrap())
        .collect();
    explained.sort_by(|a, b| a.recipient.cmp(&b.recipient));
    let seen: Vec<_> = explained
        .iter()
        .map(|e| (e.recipient.as_deref(), e.status.as_deref(), e.class))
        .collect();
    assert_eq!(
        seen,
        [
            (Some("big@full.test"), Some("5.2.2"), BounceClass::Soft),
            (Some("nobody@gone.test"), Some("5.1.1"), BounceClass::Hard),
        ],
        "{explained:#?}"
    );
    // The unknown user's bounce quotes the receiving server's own reply and names it.
    let gone = &explained[1];
    assert!(
        gone.reply
            .as_deref()
            .is_some_and(|r| r.contains("User unknown")),
        "{gone:?}"
    );

    // The Maildir the bounces arrived in, imported: one suppressed, one watched.
    let dir = tempfile::tempdir().unwrap();
    let mut store = ReportStore::open(&dir.path().join("mail.db"), 0)
        .unwrap()
        .store;
    let stop = AtomicBool::new(false);
    let progress = |_: &_| {};
    let mut importer = BounceImporter::new(
        &mut store,
        jiff::Timestamp::now().as_second(),
        &progress,
        &stop,
    );
    importer.paths(&[servers.inbox()]);
    let summary = importer.finish().unwrap();
    assert_eq!(
        (summary.new_events, summary.problem_count),
        (2, 0),
        "{summary:?}"
    );
    let (view, _) = bounces_view(&store, &SuppressionRule::default()).unwrap();
    let state = |address: &str| {
        view.addresses
            .iter()
            .find(|a| a.address == address)
            .map(|a| (a.state, a.suppressed))
    };
    assert_eq!(
        state("nobody@gone.test"),
        Some((AddressState::HardBounced, true))
    );
    assert_eq!(
        state("big@full.test"),
        Some((AddressState::SoftBounced, false))
    );
}
