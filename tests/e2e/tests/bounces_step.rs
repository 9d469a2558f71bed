//! The step "Bounces" in the real window: a pasted refusal is explained with its class and the
//! step that fixes it; a mailbox of Postfix bounces (with a complaint and an unsubscribe request)
//! typed into the step becomes counts, days and the suppression list; a day goes into the
//! warm-up tracker; the list is saved as CSV; the reputation check finds the own server's
//! forward-confirmed reverse DNS and its listing on a test Spamhaus zone that answers its test
//! points. Screenshots.

use mailwright_core::warmup::WarmupSetup;
use mailwright_e2e::{
    Driver, app_env, click, click_button, click_step, nameserver_env, screenshot, scroll_to,
    text_of, type_into, wait_for, wait_for_text,
};
use mailwright_testkit::bounces::sample_mailbox;
use mailwright_testkit::{TestDns, Zone};

const DOMAIN: &str = "shop.test";
const OWN_SERVER: &str = "198.51.100.20";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb; run by `cargo xtask test`"]
async fn bounces_are_explained_suppressed_and_the_server_checked() {
    // The own server's forward-confirmed reverse DNS, and a Spamhaus ZEN zone that answers its
    // test points right and lists the server (SBL).
    let dns = TestDns::start(&[
        Zone::new(DOMAIN, &format!("mail A {OWN_SERVER}\n")),
        Zone::new("100.51.198.in-addr.arpa", "20 PTR mail.shop.test.\n"),
        Zone::new(
            "zen.spamhaus.org",
            "2.0.0.127 A 127.0.0.2\n2.0.0.127 A 127.0.0.4\n20.100.51.198 A 127.0.0.2\n",
        ),
    ])
    .await;
    // The project: the own server in Senders, and a warm-up that began a week ago.
    let today = jiff::Timestamp::now().as_second().div_euclid(86_400);
    let start = jiff::Zoned::now().date() - jiff::ToSpan::days(7);
    let mut project = serde_json::json!({
        "version": 1,
        "domain": DOMAIN,
        "senders": {"senders": [{"id": "own_server", "hosts": [OWN_SERVER]}]},
    });
    project["warmup"] = serde_json::to_value(WarmupSetup::starter(start)).unwrap();
    let root = tempfile::tempdir().unwrap();
    let mut env = app_env(root.path(), &project.to_string());
    env.push(nameserver_env(dns.addr()));
    let downloads = root.path().join("Downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let mailbox = downloads.join("bounces.mbox");
    std::fs::write(&mailbox, sample_mailbox(today)).unwrap();

    let driver = Driver::start(&env);
    let client = driver.session().await;
    wait_for(&client, "#domain", 30).await;
    click_step(&client, "Bounces").await;

    // One refusal, pasted.
    wait_for(&client, "#bounce-text", 10).await;
    type_into(
        &client,
        "#bounce-text",
        "550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.",
    )
    .await;
    click_button(&client, "Explain").await;
    let explained = wait_for_text(
        &client,
        "[data-testid=bounce-explanations]",
        "Refused for a policy",
        20,
    )
    .await;
    assert!(explained.contains("Open DMARC"), "{explained}");
    screenshot(&client, "94-bounces-explain").await;

    // A refusal for a missing PTR points at the reputation check further down this page.
    type_into(
        &client,
        "#bounce-text",
        "550-5.7.25 [198.51.100.20] The IP address sending this message does not have a PTR record setup.",
    )
    .await;
    click_button(&client, "Explain").await;
    wait_for_text(
        &client,
        "[data-testid=bounce-explanations]",
        "reverse DNS",
        20,
    )
    .await;
    click_button(&client, "Check your server's reputation below").await;
    let seen = client
        .execute(
            "const r = document.querySelector('[data-testid=reputation]').getBoundingClientRect(); \
             return r.top >= -1 && r.top < window.innerHeight - 100;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        seen.as_bool(),
        Some(true),
        "the reputation check is scrolled into view"
    );

    // The mailbox of bounces.
    type_into(&client, "#bounces-path", &mailbox.display().to_string()).await;
    click_button(&client, "Import").await;
    let summary = wait_for_text(
        &client,
        "[data-testid=bounces-import-summary]",
        "new events",
        60,
    )
    .await;
    assert!(summary.contains("8 new events"), "{summary}");
    let list = wait_for_text(
        &client,
        "[data-testid=bounces-addresses]",
        "angry@yahoo.com",
        20,
    )
    .await;
    for wanted in [
        "gone@gmail.com",
        "Hard-bounced",
        "full@example.org",
        "Soft-bounced",
        "Complained",
        "leaving@example.net",
        "Unsubscribed",
        "once@example.org",
        "(watched)",
    ] {
        assert!(list.contains(wanted), "{wanted}: {list}");
    }
    assert!(!list.contains("boss@gmail.com"), "{list}");
    let next = text_of(&client, "[data-testid=bounces-next]").await;
    assert!(next.contains("your setup"), "{next}");
    scroll_to(&client, "[data-testid=bounces-counts]").await;
    screenshot(&client, "95-bounces-list").await;

    // Today's numbers into the warm-up tracker.
    click_button(&client, "Use in the warm-up").await;
    wait_for(&client, "#bounces-sent", 10).await;
    type_into(&client, "#bounces-sent", "400").await;
    click_button(&client, "Put into the warm-up").await;
    wait_for_text(
        &client,
        "[data-testid=bounces-days]",
        "In the warm-up ✓",
        20,
    )
    .await;

    // The list as CSV, in Downloads.
    let csv = downloads.join("suppressed.csv");
    type_into(&client, "#bounces-csv", &csv.display().to_string()).await;
    click_button(&client, "Save").await;
    wait_for(&client, "[data-testid=bounces-export-done]", 20).await;
    let written = std::fs::read_to_string(&csv).unwrap();
    assert!(
        written.starts_with("address,state,times,first,last,reason")
            && written.contains("gone@gmail.com,hard-bounced")
            && !written.contains("once@example.org"),
        "{written}"
    );

    // The person who complained asked to get the mail again: released, after a warning.
    click(&client, "button[data-release=\"angry@yahoo.com\"]").await;
    let warning = wait_for_text(
        &client,
        "[data-testid=bounces-release]",
        "asked to get your mail again",
        10,
    )
    .await;
    assert!(warning.contains("marked your mail as spam"), "{warning}");
    scroll_to(&client, "[data-testid=bounces-release]").await;
    screenshot(&client, "95-bounces-release").await;
    click_button(&client, "Release angry@yahoo.com").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let list = text_of(&client, "[data-testid=bounces-addresses]").await;
        if !list.contains("angry@yahoo.com") {
            assert!(list.contains("gone@gmail.com"), "{list}");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "still listed: {list}");
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    }
    let counts = text_of(&client, "[data-testid=bounces-suppression]").await;
    assert!(counts.contains("3 suppressed"), "{counts}");

    // The reputation check: the PTR is right, and the test zone lists the server.
    click_button(&client, "Check reputation").await;
    let results = wait_for_text(
        &client,
        "[data-testid=reputation-results]",
        "Reverse DNS",
        30,
    )
    .await;
    assert!(
        results.contains("is named mail.shop.test, which resolves back to it"),
        "{results}"
    );
    let lists = text_of(&client, "[data-testid=reputation-lists]").await;
    assert!(lists.contains("Listed: Spamhaus SBL"), "{lists}");
    let next = text_of(&client, "[data-testid=reputation-next]").await;
    assert!(next.contains("is on Spamhaus ZEN"), "{next}");
    scroll_to(&client, "[data-testid=reputation]").await;
    screenshot(&client, "96-bounces-reputation").await;

    // The day reached the warm-up tracker.
    click_step(&client, "Warm-up").await;
    let day = jiff::Timestamp::from_second(today * 86_400)
        .unwrap()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
        .to_string();
    let history = wait_for_text(&client, "[data-testid=warmup-history]", &day, 20).await;
    assert!(history.contains("400"), "{history}");
}
