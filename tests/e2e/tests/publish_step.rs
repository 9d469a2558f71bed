//! The "Publish" step end to end in the real window, against the testkit's DNS server acting
//! as `publish.test`'s own name server: the records written for Cloudflare with their
//! warnings, the check naming the record that differs (and Stop), and the hand-off page saved;
//! then a project whose one record is published: the check ends and a desktop notification
//! (seen on the session bus) says so.

use std::path::Path;

use mailwright_e2e::{
    Driver, app_env, click, click_button, click_step, nameserver_env, screenshot, scroll_to,
    texts_of, type_into, wait_for, wait_for_text,
};
use mailwright_testkit::TestDns;
use mailwright_testkit::fixtures::{PUBLISH, publish_project_json, start_demo_dns};

/// The app with `project` saved, the testkit's DNS server as resolver and as the name server
/// asked directly (on its port).
fn publish_env(root: &Path, project: &str, dns: &TestDns) -> Vec<(&'static str, String)> {
    let mut env = app_env(root, project);
    env.push(nameserver_env(dns.addr()));
    env.push(("MAILWRIGHT_NS_PORT", dns.addr().port().to_string()));
    env
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb; run by `cargo xtask test`"]
async fn the_publish_step_writes_records_for_a_host_and_checks_them() {
    let dns = start_demo_dns().await;
    let root = tempfile::tempdir().unwrap();
    let env = publish_env(root.path(), &publish_project_json(), &dns);
    let driver = Driver::start(&env);
    let client = driver.session().await;
    wait_for(&client, "#domain", 30).await;
    click_step(&client, "Publish").await;
    wait_for_text(
        &client,
        "[data-testid=publish-notes]",
        "No DKIM key yet",
        10,
    )
    .await;
    wait_for(&client, "#publish-host", 5)
        .await
        .select_by_value("cloudflare")
        .await
        .unwrap();
    wait_for_text(&client, "[data-testid=publish-host-note]", "DNS only", 5).await;
    let cards = wait_for(&client, "[data-testid=publish-card]", 5).await;
    let spf = cards.text().await.unwrap();
    assert!(spf.contains("include:_spf.google.com"), "{spf}");
    assert!(spf.contains("already has an SPF record"), "{spf}");
    let names = texts_of(&client, "code[data-field=name]").await;
    assert_eq!(
        names,
        [
            "@",
            "_dmarc",
            "publish.test._report._dmarc.reports.vendor.test"
        ],
        "relative names for Cloudflare; the report receiver's record in full"
    );
    let receiver = texts_of(&client, "[data-testid=publish-card]").await;
    assert!(
        receiver[2].contains("Send it to whoever runs reports.vendor.test"),
        "{receiver:?}"
    );
    screenshot(&client, "55-publish-cards").await;

    click_button(&client, "Check they are published").await;
    // The first message comes at once ("asking…"); the round's result names the servers asked.
    let status = wait_for_text(&client, "[data-testid=publish-status]", "asked of", 15).await;
    assert!(status.contains("ns1.publish.test"), "{status}");
    let diffs = texts_of(&client, "[data-testid=publish-difference]").await;
    assert_eq!(diffs.len(), 2, "SPF and DMARC differ: {diffs:?}");
    assert!(diffs[0].contains("v=spf1 mx -all"), "{diffs:?}");
    assert!(diffs[1].contains("p=none"), "{diffs:?}");
    click_button(&client, "Stop").await;
    scroll_to(&client, "[data-testid=publish-difference]").await;
    screenshot(&client, "56-publish-check").await;

    let handoff = root.path().join("Documents/for-my-dns-person.html");
    type_into(&client, "#publish-path", handoff.to_str().unwrap()).await;
    click(&client, "[data-testid=publish-save]").await;
    wait_for_text(&client, "[data-testid=publish-save-done]", "Saved to", 10).await;
    let html = std::fs::read_to_string(&handoff).unwrap();
    assert!(
        html.contains("Add these records at <strong>Cloudflare</strong>"),
        "{html}"
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb; run by `cargo xtask test`"]
async fn when_every_record_is_published_a_desktop_notification_says_so() {
    let dns = start_demo_dns().await;
    let root = tempfile::tempdir().unwrap();
    // Only a DMARC policy, the very record publish.test publishes already.
    let project = serde_json::json!({
        "version": 1,
        "domain": PUBLISH,
        "dmarc": { "domain": "", "policy": "none", "rua": ["d@publish.test"], "ruf": [], "adkim": "relaxed", "aspf": "relaxed", "sp": null, "np": null, "fo": [], "start": null }
    });
    let env = publish_env(root.path(), &project.to_string(), &dns);
    // The test runs in its own D-Bus session (cargo xtask test): watch it for notifications.
    let mut monitor = std::process::Command::new("dbus-monitor")
        .args(["--session", "interface=org.freedesktop.Notifications"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("dbus-monitor runs (package dbus)");
    let driver = Driver::start(&env);
    let client = driver.session().await;
    wait_for(&client, "#domain", 30).await;
    click_step(&client, "Publish").await;
    wait_for(&client, "#publish-host", 10)
        .await
        .select_by_value("bind")
        .await
        .unwrap();
    wait_for(&client, "[data-testid=publish-card]", 10).await;
    click_button(&client, "Check they are published").await;
    wait_for_text(
        &client,
        "[data-testid=publish-status]",
        "Every record is published",
        15,
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let _ = monitor.kill();
    let seen = String::from_utf8_lossy(&monitor.wait_with_output().unwrap().stdout).into_owned();
    assert!(
        seen.contains("member=Notify"),
        "no notification was sent: {seen}"
    );
    assert!(seen.contains("Your DNS records are published"), "{seen}");
    assert!(
        seen.contains("The record is published and visible. Open Mailwright for the next step."),
        "{seen}"
    );
}
