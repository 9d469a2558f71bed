//! The report mailbox form of the step "DMARC reports" in the real window, against a real
//! Dovecot IMAP server with TLS and a certificate from a private CA: the CA file and the name on
//! the certificate typed into the form count from the first click, "List folders" shows a folder
//! named in German by its readable name, "Fetch new reports" imports what the mailbox holds and
//! a second fetch finds nothing new. Needs root and Dovecot (installed by `cargo xtask test`).
//! Screenshot `97-reports-mailbox`.

// Shared with real_imap.rs, which uses the rest of it.
#[allow(dead_code)]
#[path = "support/imap.rs"]
mod imap;

use fantoccini::Locator;
use imap::{ImapServer, NAME, PASSWORD, USER};
use mailwright_e2e::{
    Driver, app_env, click, click_button, click_step, nameserver_env, screenshot, scroll_to,
    type_into, wait_for, wait_for_text,
};
use mailwright_testkit::reports::{Row, aggregate_xml, gzip, report_message};
use mailwright_testkit::{TestDns, Zone};

const DOMAIN: &str = "shop.test";

fn report(reporter: &str, id: &str, day: i64) -> Vec<u8> {
    let xml = aggregate_xml(
        reporter,
        id,
        DOMAIN,
        day,
        "none",
        &[Row::passing("192.0.2.10", 40, DOMAIN)],
    );
    report_message(
        reporter,
        &format!("dmarc@{DOMAIN}"),
        &format!("Report Domain: {DOMAIN} Submitter: {reporter} Report-ID: {id}"),
        &format!("{reporter}!{DOMAIN}!{day}!{}.xml.gz", day + 86_399),
        "application/gzip",
        &gzip(xml.as_bytes()),
    )
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb with Dovecot IMAP (root); run by `cargo xtask test`"]
async fn the_mailbox_form_lists_folders_and_fetches_over_verified_tls() {
    let server = ImapServer::start();
    // Dovecot keeps Maildir folder names in IMAP's modified UTF-7: "Geprüft" on disk.
    server.create_folder("Gepr&APw-ft");
    let yesterday = (jiff::Timestamp::now().as_second().div_euclid(86_400) - 1) * 86_400;
    server.deliver(&report("google.com", "g-1", yesterday));
    server.deliver(&report("yahoo.com", "y-1", yesterday));
    // Naming the sources asks this server (nothing to find: answered at once).
    let dns = TestDns::start(&[Zone::new(DOMAIN, "")]).await;
    let root = tempfile::tempdir().unwrap();
    let mut env = app_env(
        root.path(),
        &format!("{{\"version\": 1, \"domain\": \"{DOMAIN}\"}}"),
    );
    env.push(nameserver_env(dns.addr()));

    let driver = Driver::start(&env);
    let client = driver.session().await;
    wait_for(&client, "#domain", 30).await;
    click_step(&client, "DMARC reports").await;
    click(&client, "[data-testid=reports-mailbox] .disclosure-title").await;
    wait_for(&client, "#imap-host", 10).await;
    type_into(&client, "#imap-host", "127.0.0.1").await;
    type_into(&client, "#imap-port", &server.imaps.to_string()).await;
    type_into(&client, "#imap-user", USER).await;
    type_into(&client, "#imap-password", PASSWORD).await;
    click_button(&client, "A private mail server").await;
    wait_for(&client, "#imap-server-name", 10).await;
    type_into(&client, "#imap-server-name", NAME).await;
    type_into(
        &client,
        "#imap-trust",
        &server.ca_file.display().to_string(),
    )
    .await;

    // The folders, by their readable names.
    click_button(&client, "List folders").await;
    let folders = wait_for_text(&client, "#imap-folder", "Geprüft", 30).await;
    assert!(folders.contains("INBOX"), "{folders}");
    let chosen = client
        .find(Locator::Css("#imap-folder"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(chosen.as_deref(), Some("INBOX"));

    click_button(&client, "Fetch new reports").await;
    let summary = wait_for_text(&client, "[data-testid=imap-summary]", "imported", 60).await;
    assert!(
        summary.contains("2 new reports (80 messages) were imported"),
        "{summary}\n{}",
        server.log()
    );
    scroll_to(&client, "[data-testid=reports-mailbox]").await;
    screenshot(&client, "97-reports-mailbox").await;
    // Read, not moved.
    assert_eq!(server.inbox_count(), 2);

    // Again: nothing new.
    click_button(&client, "Fetch new reports").await;
    wait_for_text(
        &client,
        "[data-testid=imap-summary]",
        "No new reports were imported",
        60,
    )
    .await;
}
