//! The DKIM step end to end in the real window: the dated selector, the warning before
//! replacing a published key, generation with progress into the real keychain (read back with
//! secret-tool), the record, the proof, export to an owner-only file, import, rotation, a
//! hosted provider, and the keychain-unavailable path. Screenshots of each screen.

use std::path::Path;
use std::process::Command;

use fantoccini::{Client, Locator};
use mailwright_core::dkim::{
    DkimKeyPair, check_provider, dkim_provider, overview, read_private_key_pem,
};
use mailwright_core::dns::{DnsConfig, NameserverSource};
use mailwright_core::parse_domain_input;
use mailwright_core::secrets::{SERVICE, Sensitive};
use mailwright_e2e::{
    APP_DATA_DIR, Driver, click, click_button, click_step, finding_ids, nameserver_env,
    open_disclosure, project_env, screenshot, scroll_to, text_of, type_into, wait_for,
    wait_for_text,
};
use mailwright_testkit::files_containing;
use mailwright_testkit::fixtures::*;

/// App data directories under `root`, with a saved project for `domain`.
fn app_env(root: &Path, dns: std::net::SocketAddr, domain: &str) -> Vec<(&'static str, String)> {
    let mut env = project_env(root, domain);
    env.push(nameserver_env(dns));
    env
}

/// The private key the keychain holds for `account`, read by another program (secret-tool).
fn keychain_key(account: &str) -> DkimKeyPair {
    let out = Command::new("secret-tool")
        .args(["lookup", "service", SERVICE, "username", account])
        .output()
        .expect("secret-tool runs");
    assert!(
        !out.stdout.is_empty(),
        "no {account} in the keychain: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    DkimKeyPair::from_pkcs8(Sensitive::new(out.stdout)).unwrap()
}

async fn record_values(client: &Client) -> Vec<String> {
    let mut values = Vec::new();
    for element in client
        .find_all(Locator::Css("[data-testid=dkim-key] [data-field=value]"))
        .await
        .unwrap()
    {
        values.push(element.text().await.unwrap());
    }
    values
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb with a Secret Service; run by `cargo xtask test`"]
async fn the_dkim_step_makes_proves_exports_and_rotates_a_key() {
    let dns = start_demo_dns().await;
    let root = tempfile::tempdir().unwrap();
    let driver = Driver::start(&app_env(root.path(), dns.addr(), DKIM_DOMAIN));
    let client = driver.session().await;
    wait_for(&client, "#domain", 30).await;
    click_step(&client, "DKIM signing").await;

    // A dated selector is suggested (the engine's, from today's date).
    let selector_input = wait_for(&client, "#dkim-selector", 10).await;
    let suggested = overview(&[]).suggested_selector;
    assert_eq!(
        selector_input.prop("value").await.unwrap().as_deref(),
        Some(suggested.as_str())
    );
    screenshot(&client, "20-dkim-start").await;

    // A selector with a key already published is not silently replaced.
    type_into(&client, "#dkim-selector", USER_SELECTOR).await;
    click_button(&client, "Generate key").await;
    let warning = wait_for_text(
        &client,
        "[data-testid=selector-in-use]",
        "already published",
        10,
    )
    .await;
    assert!(
        warning.contains(&format!("{USER_SELECTOR}._domainkey.{DKIM_DOMAIN}")),
        "{warning}"
    );
    screenshot(&client, "21-dkim-selector-in-use").await;
    click_button(&client, "Use another selector").await;
    let selector = wait_for(&client, "#dkim-selector", 5)
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap();
    assert_ne!(selector, USER_SELECTOR);

    // RSA 2048 plus the extra Ed25519 key; progress is visible while it is made.
    click(&client, "[data-testid=extra-ed25519]").await;
    click_button(&client, "Generate key").await;
    wait_for(&client, "[data-testid=keygen-progress]", 5).await;
    wait_for(
        &client,
        &format!("[data-testid=dkim-key][data-selector='{selector}e']"),
        60,
    )
    .await;
    let values = record_values(&client).await;
    assert_eq!(values.len(), 2);

    // The keys are really in the keychain, and the records on screen hold their public halves.
    let rsa = keychain_key(&format!("dkim:{selector}@{DKIM_DOMAIN}"));
    let ed = keychain_key(&format!("dkim:{selector}e@{DKIM_DOMAIN}"));
    assert_eq!(values[0], format!("v=DKIM1; k=rsa; p={}", rsa.public_p));
    assert_eq!(values[1], format!("v=DKIM1; k=ed25519; p={}", ed.public_p));
    let page = text_of(&client, "main").await;
    assert!(
        page.contains("Gmail and Outlook do not verify Ed25519"),
        "the Ed25519 warning is shown"
    );
    scroll_to(&client, "#publish-heading").await;
    screenshot(&client, "22-dkim-key-made").await;

    // Not published yet: the check says so, with the proof against the composed record.
    click(&client, "[data-testid=dkim-check]").await;
    wait_for(&client, "[data-testid=dkim-check-results]", 20).await;
    assert_eq!(finding_ids(&client).await, ["dkim.not_published"]);
    scroll_to(&client, "[data-testid=dkim-check-results]").await;
    screenshot(&client, "23-dkim-not-published").await;

    // No file the app wrote holds any form of the private key.
    let der = rsa.private_pkcs8.expose();
    for needle in [&der[300..340], ed.private_pkcs8.expose()[16..48].as_ref()] {
        let hits = files_containing(root.path(), needle);
        assert!(hits.is_empty(), "private key bytes in {hits:?}");
    }
    let project =
        std::fs::read_to_string(root.path().join(APP_DATA_DIR).join("project.json")).unwrap();
    assert!(
        project.contains(&rsa.public_p) && project.contains("\"in_keychain\": true"),
        "{project}"
    );

    // Export as PKCS#1 to a file only the owner can read.
    open_disclosure(&client, "Export the private key").await;
    let exported = root.path().join("Documents/exported.pem");
    type_into(&client, "#export-path", &exported.display().to_string()).await;
    click(&client, "input[name=pem][value=pkcs1]").await;
    click_button(&client, "Export private key").await;
    let result = wait_for_text(&client, "[data-testid=export-result]", "Saved to", 10).await;
    assert!(result.contains(&exported.display().to_string()), "{result}");
    let pem = std::fs::read_to_string(&exported).unwrap();
    assert!(pem.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    assert_eq!(read_private_key_pem(&pem).unwrap().public_p, rsa.public_p);
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&exported).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    scroll_to(&client, "[data-testid=export-result]").await;
    screenshot(&client, "24-dkim-exported").await;

    // Import the key whose record is published at mw202611: the proof passes.
    let test_key = root.path().join("test-key.pem");
    std::fs::write(&test_key, TEST_DKIM_PRIVATE_KEY).unwrap();
    type_into(&client, "#dkim-selector", USER_SELECTOR).await;
    open_disclosure(&client, "I already have a private key").await;
    type_into(&client, "#import-path", &test_key.display().to_string()).await;
    click_button(&client, "Import key").await;
    wait_for(
        &client,
        &format!("[data-testid=dkim-key][data-selector='{USER_SELECTOR}']"),
        20,
    )
    .await;
    click(&client, "[data-testid=dkim-check]").await;
    wait_for(&client, "[data-testid=dkim-check-results]", 20).await;
    assert_eq!(finding_ids(&client).await, ["dkim.selftest.pass"]);
    scroll_to(&client, "[data-testid=dkim-check-results]").await;
    screenshot(&client, "25-dkim-proof-passed").await;

    // Rotation: dates from today, the next thing to do, steps marked as done.
    open_disclosure(&client, "Change the key").await;
    click_button(&client, "Start a rotation").await;
    let next = wait_for_text(&client, "[data-testid=rotation-next]", "Now:", 10).await;
    assert!(
        next.contains("publish the DKIM record for the new selector"),
        "{next}"
    );
    click(&client, "[data-testid=rotation-advance]").await;
    wait_for_text(
        &client,
        "[data-testid=rotation-next]",
        "make your mail server sign",
        10,
    )
    .await;
    scroll_to(&client, "[data-testid=rotation]").await;
    screenshot(&client, "26-dkim-rotation").await;

    // A hosted provider: its records and the check, as the engine reports them.
    click(&client, "input[name=dkim-mode][value=provider]").await;
    let set = "const s = document.getElementById('provider'); s.value = 'fastmail'; \
               s.dispatchEvent(new Event('change', { bubbles: true }));";
    wait_for(&client, "#provider", 5).await;
    client.execute(set, vec![]).await.unwrap();
    wait_for_text(
        &client,
        "[data-testid=provider-instructions]",
        "Fastmail",
        5,
    )
    .await;
    click(&client, "[data-testid=provider-check]").await;
    wait_for(&client, "[data-testid=provider-results]", 20).await;
    let config = DnsConfig::with_nameserver(dns.addr(), NameserverSource::Environment);
    let domain = parse_domain_input(DKIM_DOMAIN).unwrap().domain;
    let engine = check_provider(
        dkim_provider("fastmail").unwrap(),
        &domain,
        &[],
        &config,
        None,
    )
    .await
    .unwrap();
    let expected: Vec<String> = engine.findings.into_iter().map(|f| f.id).collect();
    assert_eq!(finding_ids(&client).await, expected);
    screenshot(&client, "27-dkim-provider").await;
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb; run by `cargo xtask test`"]
async fn without_a_keychain_the_key_is_offered_for_export_never_written_silently() {
    let dns = start_demo_dns().await;
    let root = tempfile::tempdir().unwrap();
    let mut env = app_env(root.path(), dns.addr(), DKIM_DOMAIN);
    env.push((
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/mailwright-no-keychain".into(),
    ));
    let driver = Driver::start(&env);
    let client = driver.session().await;
    wait_for(&client, "#domain", 30).await;
    click_step(&client, "DKIM signing").await;
    wait_for(&client, "#dkim-selector", 10).await;
    type_into(&client, "#dkim-selector", "mw202612").await;
    click_button(&client, "Generate key").await;
    let error = wait_for_text(
        &client,
        "[data-testid=keychain-error]",
        "not saved in the keychain",
        60,
    )
    .await;
    assert!(
        error.contains("No system keychain is available") && error.contains("export"),
        "{error}"
    );
    let value = record_values(&client).await.remove(0);
    // Nothing was written anywhere but the project (which holds only the public record).
    let written = files_containing(root.path(), b"PRIVATE KEY");
    assert!(written.is_empty(), "{written:?}");
    scroll_to(&client, "[data-testid=keychain-error]").await;
    screenshot(&client, "28-dkim-no-keychain").await;

    let exported = root.path().join("Documents/only-copy.pem");
    type_into(&client, "#export-path", &exported.display().to_string()).await;
    click_button(&client, "Export private key").await;
    wait_for_text(&client, "[data-testid=export-result]", "Saved to", 10).await;
    let pair = read_private_key_pem(&std::fs::read_to_string(&exported).unwrap()).unwrap();
    assert_eq!(value, format!("v=DKIM1; k=rsa; p={}", pair.public_p));
    scroll_to(&client, "[data-testid=export-result]").await;
    screenshot(&client, "29-dkim-no-keychain-exported").await;
    client.close().await.unwrap();
}
