//! The step "Check a sent message" in the real window: a message signed with the testkit's key
//! and received through a TLS hop is pasted, checked against the testkit's DNS server, and its
//! path, the decision and the providers' rules are shown. Screenshots.

use mailwright_core::dkim::{read_private_key_pem, sign_message};
use mailwright_core::{Selector, parse_domain_input};
use mailwright_e2e::{
    Driver, click_button, click_step, finding_ids, nameserver_env, project_env, screenshot,
    scroll_to, text_of, wait_for, wait_for_text,
};
use mailwright_testkit::fixtures::{
    DKIM_DOMAIN, TEST_DKIM_PRIVATE_KEY, USER_SELECTOR, start_demo_dns,
};

/// A message from `DKIM_DOMAIN`, signed with the test key, delivered over TLS.
fn message() -> String {
    let key = read_private_key_pem(TEST_DKIM_PRIVATE_KEY).unwrap();
    let body = format!(
        "From: Shop <hello@{DKIM_DOMAIN}>\r\nTo: <ann@example.org>\r\nSubject: Our news\r\n\
         Date: Tue, 01 Dec 2026 10:00:00 +0000\r\nMessage-ID: <m1@{DKIM_DOMAIN}>\r\n\r\nHello.\r\n"
    );
    let signed = sign_message(
        &key,
        &Selector::parse(USER_SELECTOR).unwrap(),
        &parse_domain_input(DKIM_DOMAIN).unwrap().domain,
        &body,
    )
    .unwrap();
    format!(
        "Return-Path: <bounce@{DKIM_DOMAIN}>\r\nReceived: from mail.{DKIM_DOMAIN} (mail.{DKIM_DOMAIN} [198.51.100.20])\r\n\
         \tby mx.example.org with ESMTPS (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384); Tue, 01 Dec 2026 10:00:03 +0000\r\n\
         Received: from laptop ([10.0.0.5]) by mail.{DKIM_DOMAIN} with ESMTPSA; Tue, 01 Dec 2026 10:00:01 +0000\r\n{signed}"
    )
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb; run by `cargo xtask test`"]
async fn a_pasted_message_shows_its_path_decision_and_rules() {
    let dns = start_demo_dns().await;
    let root = tempfile::tempdir().unwrap();
    let mut env = project_env(root.path(), DKIM_DOMAIN);
    env.push(nameserver_env(dns.addr()));
    let driver = Driver::start(&env);
    let client = driver.session().await;
    wait_for(&client, "#domain", 30).await;

    click_step(&client, "Check a sent message").await;
    wait_for(&client, "#message-source", 10).await;
    // Pasting: the value as a paste would set it (line ends as the browser keeps them).
    let paste = "const el = document.querySelector('#message-source'); el.value = arguments[0]; \
                 el.dispatchEvent(new Event('input', { bubbles: true }));";
    client.execute(paste, vec![message().into()]).await.unwrap();
    screenshot(&client, "80-message-paste").await;
    click_button(&client, "Check the pasted message").await;

    let hops = wait_for_text(&client, "[data-testid=message-hops]", "mx.example.org", 20).await;
    assert!(hops.contains("encrypted (TLSv1.3)"), "{hops}");
    assert!(hops.contains("laptop"), "{hops}");
    let now = text_of(&client, "[data-testid=message-now]").await;
    assert!(now.contains("d=dkim.test"), "{now}");
    assert!(now.contains("RSA 2048-bit): pass"), "{now}");
    let rules = text_of(&client, "[data-testid=message-rules]").await;
    assert!(rules.contains("A DKIM signature verifies"), "{rules}");
    assert!(
        rules.contains("Fix it in SPF"),
        "dkim.test publishes no SPF: {rules}"
    );
    let ids = finding_ids(&client).await;
    assert!(ids.iter().any(|i| i == "message.dkim.pass"), "{ids:?}");
    assert!(ids.iter().any(|i| i == "message.spf.none"), "{ids:?}");
    scroll_to(&client, "[data-testid=message-hops]").await;
    screenshot(&client, "81-message-check").await;
    scroll_to(&client, "[data-testid=message-rules]").await;
    screenshot(&client, "82-message-rules").await;

    // The sidebar says the step needs attention (SPF none fails).
    let sidebar = text_of(&client, "nav").await;
    assert!(sidebar.contains("Check a sent message"), "{sidebar}");
}
