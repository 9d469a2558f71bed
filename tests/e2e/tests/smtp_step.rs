//! The "Mail server" step end to end in the real window, against two scripted SMTP servers on
//! loopback (one good, one with an expired certificate) probed at the same time: the password
//! saved in a real Secret Service (read back with secret-tool), sent only to the good server,
//! the timeline, TLS and certificate details, findings and transcript on screen, and the
//! password in no file the app wrote. Screenshots of each screen.

use std::process::Command;

use fantoccini::Client;
use mailwright_core::secrets::SERVICE;
use mailwright_e2e::{
    APP_DATA_DIR, Driver, click, click_button, click_step, finding_ids, open_disclosure,
    project_env, screenshot, scroll_to, text_of, type_into, wait_for, wait_for_text,
};
use mailwright_testkit::{SMTP_NAME, SmtpScript, SmtpServer, TestCertificate, files_containing};

const USER: &str = "tester@example.com";
const PASSWORD: &str = "correct horse battery staple";

async fn choose_provider(client: &Client, id: &str) {
    wait_for(client, "#smtp-provider", 5)
        .await
        .select_by_value(id)
        .await
        .unwrap();
}

/// Adds a port of another number and answers how it starts encryption (the testkit's servers
/// use STARTTLS): the app asks rather than guess.
async fn add_port(client: &Client, port: u16) {
    type_into(client, "#smtp-other-port", &port.to_string()).await;
    click_button(client, "Add").await;
    let select = format!("select[aria-label='How port {port} starts encryption']");
    wait_for(client, &select, 5)
        .await
        .select_by_value("starttls")
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb with a Secret Service; run by `cargo xtask test`"]
async fn the_mail_server_step_tests_two_ports_and_keeps_the_password_in_the_keychain() {
    let good = SmtpServer::start(SmtpScript::default()).await;
    let expired = SmtpServer::start(SmtpScript {
        certificate: TestCertificate::Expired,
        ..SmtpScript::default()
    })
    .await;
    let root = tempfile::tempdir().unwrap();
    // The user trusts the private CAs of both test servers (one PEM file, two certificates).
    let trust = root.path().join("private-ca.pem");
    std::fs::write(&trust, format!("{}{}", good.ca_pem(), expired.ca_pem())).unwrap();

    let driver = Driver::start(&project_env(root.path(), "example.com"));
    let client = driver.session().await;
    wait_for(&client, "#domain", 30).await;
    click_step(&client, "Mail server").await;
    wait_for(&client, "#smtp-provider option[value=google]", 10).await;

    // A catalog provider fills in its server and ports and says what people get wrong.
    choose_provider(&client, "google").await;
    let note = wait_for_text(
        &client,
        "[data-testid=smtp-provider-note]",
        "app password",
        5,
    )
    .await;
    assert!(note.contains("2-Step"), "{note}");
    // Scrolling makes WebKit repaint the window before the picture.
    scroll_to(&client, "[data-testid=smtp-provider-note]").await;
    screenshot(&client, "40-smtp-provider").await;

    // A private server instead: two ports, a certificate name and the private CA.
    choose_provider(&client, "").await;
    type_into(&client, "#smtp-host", "127.0.0.1").await;
    for port in [465, 587] {
        let checkbox = format!("//label[contains(., '{port} —')]/input");
        let element = client
            .find(fantoccini::Locator::XPath(&checkbox))
            .await
            .unwrap();
        if element.prop("checked").await.unwrap().as_deref() == Some("true") {
            element.click().await.unwrap();
        }
    }
    add_port(&client, good.addr().port()).await;
    add_port(&client, expired.addr().port()).await;
    type_into(&client, "#smtp-user", USER).await;
    // The password is saved for this server, certificate name and trust file: set them first.
    open_disclosure(&client, "Your own server").await;
    type_into(&client, "#smtp-name", SMTP_NAME).await;
    type_into(&client, "#smtp-trust", &trust.display().to_string()).await;
    type_into(&client, "#smtp-password", PASSWORD).await;
    click_button(&client, "Save in keychain").await;
    wait_for(&client, "[data-testid=smtp-password-saved]", 10).await;
    let stored = Command::new("secret-tool")
        .args([
            "lookup",
            "service",
            SERVICE,
            "username",
            &format!("smtp:{USER}@127.0.0.1"),
        ])
        .output()
        .expect("secret-tool runs");
    let stored = String::from_utf8_lossy(&stored.stdout).into_owned();
    assert!(
        stored.ends_with(PASSWORD) && stored.contains(&format!("\"server_name\":\"{SMTP_NAME}\"")),
        "the keychain item holds the password bound to its server"
    );
    screenshot(&client, "41-smtp-form").await;

    click_button(&client, "Test the server").await;
    let good_card = format!("[data-testid=smtp-port-{}]", good.addr().port());
    let bad_card = format!("[data-testid=smtp-port-{}]", expired.addr().port());
    wait_for(&client, &good_card, 30).await;
    let ids = finding_ids(&client).await;
    for id in [
        "smtp.tls.ok",
        "smtp.auth.ok",
        "smtp.tls.cert_expired",
        "smtp.auth.withheld",
    ] {
        assert!(ids.iter().any(|i| i == id), "{id} missing from {ids:?}");
    }
    let good_text = text_of(&client, &good_card).await;
    assert!(
        good_text.contains("good") && good_text.contains("TLSv1.3"),
        "{good_text}"
    );
    assert!(
        good_text.contains("Signed in as tester@example.com"),
        "{good_text}"
    );
    let bad_text = text_of(&client, &bad_card).await;
    assert!(
        bad_text.contains("needs attention") && bad_text.contains("expired"),
        "{bad_text}"
    );
    scroll_to(&client, &good_card).await;
    screenshot(&client, "42-smtp-results").await;
    scroll_to(&client, &bad_card).await;
    screenshot(&client, "43-smtp-expired").await;

    // The transcript: both directions, the password redacted.
    scroll_to(&client, &format!("{good_card} .disclosure-title")).await;
    click(&client, &format!("{good_card} .disclosure-title")).await;
    let transcript = wait_for_text(&client, &format!("{good_card} pre"), "AUTH PLAIN", 5).await;
    assert!(
        transcript.contains("~> AUTH PLAIN [redacted]"),
        "{transcript}"
    );
    assert!(!transcript.contains(PASSWORD));
    screenshot(&client, "44-smtp-transcript").await;

    // The expired server never got the password; the good one did, over TLS.
    assert!(expired.seen().iter().all(|l| !l.contains(PASSWORD)));
    assert!(good.seen().iter().any(|l| l.contains(PASSWORD)));
    let sent = good.seen().iter().filter(|l| l.contains(PASSWORD)).count();

    // Another certificate name than the one the password was saved for: it is asked again,
    // never sent.
    type_into(&client, "#smtp-name", "other.test").await;
    click_button(&client, "Test the server").await;
    let asked = wait_for_text(&client, "p.callout.error", "did not send it", 30).await;
    assert!(asked.contains("Type it again"), "{asked}");
    scroll_to(&client, "p.callout.error").await;
    screenshot(&client, "46-smtp-password-asked-again").await;
    assert_eq!(
        good.seen().iter().filter(|l| l.contains(PASSWORD)).count(),
        sent
    );
    assert!(expired.seen().iter().all(|l| !l.contains(PASSWORD)));
    type_into(&client, "#smtp-name", SMTP_NAME).await;
    // The diagnostics name the server and carry the log of this test, not the password.
    click_step(&client, "Settings").await;
    click_button(&client, "Copy diagnostics").await;
    let diagnostics = wait_for_text(
        &client,
        "[data-testid=diagnostics]",
        "mail server port tested",
        10,
    )
    .await;
    assert!(
        diagnostics.contains("Mail server: 127.0.0.1 ports [")
            && diagnostics.contains("signs in yes")
            && diagnostics.contains("keychain item stored"),
        "{diagnostics}"
    );
    assert!(!diagnostics.contains(PASSWORD), "{diagnostics}");
    screenshot(&client, "45-settings-diagnostics").await;
    // No file the app wrote holds it (the log included); the project keeps the choices, not the
    // secret.
    drop(client);
    drop(driver);
    let hits = files_containing(root.path(), PASSWORD.as_bytes());
    assert!(hits.is_empty(), "the password is in {hits:?}");
    let logs = files_containing(
        &root.path().join(APP_DATA_DIR).join("logs"),
        b"mail server port tested",
    );
    assert_eq!(logs.len(), 1, "one log file with the test in it: {logs:?}");
    let project =
        std::fs::read_to_string(root.path().join(APP_DATA_DIR).join("project.json")).unwrap();
    assert!(
        project.contains("\"host\": \"127.0.0.1\"") && project.contains(USER),
        "{project}"
    );
}
