//! The whole wizard walked once, in the real window, for a domain that is already well set up
//! (`strict.test`: SPF `-all`, DMARC `p=quarantine; adkim=s`, MTA-STS enforced), against the
//! testkit's DNS and web servers: nothing weaker is proposed without saying so, the report does
//! not pass what a step flags, and the step states survive a restart. Its DMARC and Report
//! screenshots are the README's.

use mailwright_e2e::{
    Driver, checked_project_env, click_button, click_step, screenshot, scroll_to, text_of,
    wait_for, wait_for_text,
};
use mailwright_testkit::fixtures::{STRICT, STRICT_DMARC, start_demo_dns, start_policy_server};

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb; run by `cargo xtask test`"]
async fn an_already_strict_domain_is_never_walked_backwards() {
    let dns = start_demo_dns().await;
    let policies = start_policy_server().await;
    let root = tempfile::tempdir().unwrap();
    let env = checked_project_env(
        root.path(),
        STRICT,
        dns.addr(),
        policies.addr().port(),
        policies.ca_pem(),
    );
    let driver = Driver::start(&env);
    let client = driver.session().await;
    wait_for(&client, "#domain", 30).await;

    // DMARC: the record in force is proposed as it is, and the ramp starts at quarantine.
    click_step(&client, "DMARC").await;
    let record = wait_for_text(
        &client,
        "[data-testid=dmarc-records] [data-field=value]",
        "v=DMARC1",
        20,
    )
    .await;
    assert_eq!(record, STRICT_DMARC);
    let policy = client
        .execute(
            "return document.querySelector('#dmarc-policy').value",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(policy, "quarantine");
    let stages = text_of(&client, "[data-testid=dmarc-ramp] ol").await;
    assert!(!stages.contains("changes nothing"), "{stages}");
    assert!(stages.contains("already"), "{stages}");
    assert!(
        client
            .find(fantoccini::Locator::Css("[data-testid=weaker]"))
            .await
            .is_err(),
        "nothing weaker is proposed"
    );
    screenshot(&client, "70-strict-dmarc").await;

    // Asking for monitoring only keeps what is published and says what it would weaken.
    wait_for(&client, "#dmarc-policy", 5)
        .await
        .select_by_index(0)
        .await
        .unwrap();
    click_button(&client, "Compose").await;
    let weaker = wait_for_text(
        &client,
        "[data-testid=weaker]",
        "Kept what your domain publishes now",
        10,
    )
    .await;
    assert!(weaker.contains("from quarantine to none"), "{weaker}");
    assert_eq!(
        text_of(&client, "[data-testid=dmarc-records] [data-field=value]").await,
        STRICT_DMARC
    );
    scroll_to(&client, "[data-testid=weaker]").await;
    screenshot(&client, "71-strict-dmarc-kept").await;

    // MTA-STS: the enforced policy in force, nothing to change.
    click_step(&client, "MTA-STS").await;
    let policy = wait_for_text(&client, "[data-testid=mta-sts-policy-text]", "mode:", 20).await;
    assert!(policy.contains("mode: enforce"), "{policy}");
    wait_for(&client, "[data-testid=mta-sts-unchanged]", 5).await;
    screenshot(&client, "72-strict-mta-sts").await;

    // SPF: the record keeps -all.
    click_step(&client, "SPF").await;
    let spf = wait_for_text(
        &client,
        "[data-testid=spf-composed] [data-field=value]",
        "v=spf1",
        20,
    )
    .await;
    assert!(spf.ends_with(" -all"), "{spf}");

    // The report: made from the same findings; nothing fails for this domain.
    click_step(&client, "Report").await;
    click_button(&client, "Make the report").await;
    let summary = wait_for_text(&client, "[data-testid=report-summary]", "pass", 30).await;
    assert!(summary.contains(STRICT), "{summary}");
    assert!(summary.contains(" 0 fail"), "{summary}");
    let transport = text_of(&client, "[data-testid='item-before.transport_policy']").await;
    assert!(transport.starts_with("Pass"), "{transport}");
    scroll_to(&client, "[data-testid=report-summary]").await;
    screenshot(&client, "73-strict-report").await;
    client.close().await.unwrap();
    drop(driver);

    // After a restart the sidebar still says what was checked.
    let driver = Driver::start(&env);
    let client = driver.session().await;
    wait_for(&client, "#domain", 30).await;
    let dmarc = client
        .execute(
            "return [...document.querySelectorAll('nav button')].find((b) => b.querySelector('.title')?.textContent === 'DMARC')?.querySelector('.state')?.textContent",
            vec![],
        )
        .await
        .unwrap();
    assert_ne!(dmarc, "Not started", "DMARC was checked before the restart");
    assert_ne!(dmarc, serde_json::Value::Null);
    let progress = text_of(&client, "[data-testid=wizard-progress]").await;
    assert!(progress.contains("Next:"), "{progress}");
    client.close().await.unwrap();
}
