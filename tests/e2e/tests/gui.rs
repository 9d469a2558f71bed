//! The Mailwright window end to end: type a domain served by the test DNS server, run the audit,
//! and check the findings on screen are the engine's, for every audit scenario.

use std::time::Duration;

use fantoccini::{Client, Locator};
use mailwright_core::dns::{DnsConfig, NameserverSource};
use mailwright_core::{AuditRequest, run_audit};
use mailwright_e2e::{
    APP_DATA_DIR, Driver, click_button, click_step, finding_ids, nameserver_env, screenshot,
    text_of, type_into, wait_for, wait_for_text,
};
use mailwright_testkit::fixtures::*;

/// Presses "Check domain".
async fn submit(client: &Client) {
    let button = client
        .find(Locator::Css("button[type=submit]"))
        .await
        .unwrap();
    button.click().await.unwrap();
}

/// Types `domain` (and selectors), runs the audit and waits for its result.
async fn audit(client: &Client, domain: &str, selectors: &str) {
    audit_typed(client, domain, selectors, domain).await;
}

/// Types `typed`, runs the audit and waits for the result for `domain`.
async fn audit_typed(client: &Client, typed: &str, selectors: &str, domain: &str) {
    type_into(client, "#domain", typed).await;
    type_into(client, "#selectors", selectors).await;
    submit(client).await;
    // The summary names the domain once this audit (not the previous one) has finished.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(heading) = client.find(Locator::Css("#results-heading")).await
            && heading.text().await.unwrap_or_default().contains(domain)
        {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the audit of {domain} did not finish on screen"
        );
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

async fn engine_ids(dns: std::net::SocketAddr, domain: &str, selectors: &[&str]) -> Vec<String> {
    let selectors: Vec<String> = selectors.iter().map(|s| s.to_string()).collect();
    let (request, _) = AuditRequest::parse(domain, &selectors).unwrap();
    let config = DnsConfig::with_nameserver(dns, NameserverSource::Environment);
    let report = run_audit(&request, &config, None).await.unwrap();
    report.findings.into_iter().map(|f| f.id).collect()
}

/// The text of the first `id` card on screen. A WebDriver command can fail once on a busy
/// machine, so the card is looked for again for up to 10 s; the failure names the WebDriver's
/// error and the cards that were on screen.
async fn card_text(client: &Client, id: &str) -> String {
    let css = format!("[data-finding-id='{id}']");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let error = match client.find(Locator::Css(&css)).await {
            Ok(card) => match card.text().await {
                Ok(text) => return text,
                Err(e) => e.to_string(),
            },
            Err(e) => e.to_string(),
        };
        if std::time::Instant::now() > deadline {
            let heading = match client.find(Locator::Css("#results-heading")).await {
                Ok(heading) => heading.text().await.unwrap_or_default(),
                Err(_) => "no results".to_string(),
            };
            let shown = finding_ids(client).await;
            panic!("no {id} card on screen ({error}); “{heading}” shows {shown:?}");
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

async fn scroll_to_results(client: &Client) {
    client
        .execute(
            "document.getElementById('results-heading')?.scrollIntoView()",
            vec![],
        )
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb; run by `cargo xtask test`"]
async fn the_wizard_audits_real_domains_end_to_end() {
    let dns = start_demo_dns().await;
    let data = tempfile::tempdir().unwrap();
    let env = [
        nameserver_env(dns.addr()),
        (
            "XDG_DATA_HOME",
            data.path().join("data").display().to_string(),
        ),
        (
            "XDG_CONFIG_HOME",
            data.path().join("config").display().to_string(),
        ),
        (
            "XDG_CACHE_HOME",
            data.path().join("cache").display().to_string(),
        ),
    ];
    let driver = Driver::start(&env);
    let client = driver.session().await;

    // The window opens on the wizard's first step.
    wait_for(&client, "#domain", 30).await;
    let steps = text_of(&client, "nav[aria-label='Wizard steps']").await;
    assert!(steps.contains("Your domain"), "{steps}");
    screenshot(&client, "01-your-domain").await;

    // Impossible input gets a sentence, not an error dump.
    audit_input_error(&client, "not a domain", "is not a valid domain name").await;
    screenshot(&client, "02-invalid-domain").await;

    // A well-configured domain, with a user-given selector beside the catalog's.
    audit(&client, GOOD, USER_SELECTOR).await;
    let ids = finding_ids(&client).await;
    assert_eq!(ids, engine_ids(dns.addr(), GOOD, &[USER_SELECTOR]).await);
    assert_eq!(
        ids.iter().filter(|id| *id == "dkim.selector_found").count(),
        2
    );
    assert!(card_text(&client, "dmarc.ok").await.contains("Pass"));
    let summary = text_of(&client, "[data-testid=audit-summary]").await;
    assert!(
        summary.contains("0 to fix") && summary.contains(&dns.addr().to_string()),
        "{summary}"
    );
    scroll_to_results(&client).await;
    screenshot(&client, "03-audit-good").await;

    // Every scenario shows exactly the engine's findings, which the CLI prints too.
    let scenarios = [
        (NO_SPF, "spf.missing", "Fail"),
        (TWO_SPF, "spf.multiple_records", "Fail"),
        (MONITOR_ONLY, "dmarc.policy_none", "Warning"),
        (SUBDOMAIN, "dmarc.inherited", "Info"),
        (CNAME_DKIM, "dkim.selector_found", "Pass"),
        (NULL_MX, "mx.null", "Warning"),
        (SERVFAIL, "dns.lookup_failed", "Warning"),
        (TIMEOUT, "dns.lookup_failed", "Warning"),
    ];
    for (n, (domain, id, badge)) in scenarios.into_iter().enumerate() {
        audit(&client, domain, "").await;
        let ids = finding_ids(&client).await;
        let text = card_text(&client, id).await;
        assert_eq!(ids, engine_ids(dns.addr(), domain, &[]).await, "{domain}");
        assert!(
            text.contains(badge),
            "{domain}: {id} card lacks {badge}: {text}"
        );
        scroll_to_results(&client).await;
        screenshot(
            &client,
            &format!("{:02}-audit-{}", n + 4, domain.replace('.', "-")),
        )
        .await;
    }
    let text = card_text(&client, "dns.lookup_failed").await;
    assert!(
        text.contains("Could not check") && text.contains("no answer in time"),
        "{text}"
    );

    // A running audit can be cancelled (slow.test takes seconds: its server never answers).
    type_into(&client, "#domain", TIMEOUT).await;
    submit(&client).await;
    wait_for(&client, "[data-testid=cancel-audit]", 5)
        .await
        .click()
        .await
        .unwrap();
    let error = wait_for(&client, "[data-testid=domain-error]", 5)
        .await
        .text()
        .await
        .unwrap();
    assert!(error.contains("stopped before it finished"), "{error}");
    assert!(
        client.find(Locator::Css("#results-heading")).await.is_err(),
        "no stale results after a cancel"
    );
    screenshot(&client, "12-audit-cancelled").await;

    // A pasted URL is normalized with a note.
    audit_typed(&client, "https://www.good.test/contact", "", GOOD).await;
    let note = wait_for(&client, "[data-testid=domain-note]", 5)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        note.contains("web address") && note.contains("good.test"),
        "{note}"
    );

    // Settings show which DNS server is asked and why.
    click_step(&client, "Settings").await;
    let effective = wait_for(&client, "[data-testid=dns-effective]", 5)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        effective.contains(&dns.addr().to_string()) && effective.contains("MAILWRIGHT_NAMESERVER"),
        "{effective}"
    );
    screenshot(&client, "13-settings").await;

    // A DNS server typed in Settings is checked by the engine when the field is left (before
    // Save), saved, and then used.
    type_into(&client, "#nameserver", "dns.example").await;
    client
        .execute("document.querySelector('#nameserver').blur()", vec![])
        .await
        .unwrap();
    let left = wait_for(&client, "[role=alert]", 5)
        .await
        .text()
        .await
        .unwrap();
    assert!(left.contains("is not a DNS server address"), "{left}");
    submit(&client).await;
    let error = wait_for(&client, "[role=alert]", 5)
        .await
        .text()
        .await
        .unwrap();
    assert!(error.contains("is not a DNS server address"), "{error}");
    type_into(&client, "#nameserver", &dns.addr().to_string()).await;
    submit(&client).await;
    let mut saved_view = String::new();
    for _ in 0..50 {
        saved_view = wait_for(&client, "[data-testid=dns-effective]", 5)
            .await
            .text()
            .await
            .unwrap();
        if saved_view.contains("from this setting") && saved_view.contains("Saved.") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        saved_view.contains("from this setting") && saved_view.contains("Saved."),
        "{saved_view}"
    );
    assert!(
        saved_view.contains("from this setting. (MAILWRIGHT_NAMESERVER is set to"),
        "{saved_view}"
    );
    screenshot(&client, "14-settings-saved").await;

    // "Copy diagnostics" shows what it copied: the DNS server, the project and the log's last
    // lines, which record the audits just run.
    click_button(&client, "Copy diagnostics").await;
    let diagnostics =
        wait_for_text(&client, "[data-testid=diagnostics]", "audit finished", 10).await;
    for wanted in [
        format!("DNS server: {} (from settings)", dns.addr()),
        "Keychain: ".to_owned(),
        format!("{APP_DATA_DIR}/logs"),
    ] {
        assert!(
            diagnostics.contains(&wanted),
            "{wanted} missing: {diagnostics}"
        );
    }
    let project = diagnostics.lines().find(|l| l.starts_with("Project: "));
    assert!(
        project.is_some_and(|l| l.contains("good.test")),
        "{diagnostics}"
    );
    let copied = text_of(&client, "[role=status]").await;
    assert!(copied.contains("Copied"), "{copied}");
    screenshot(&client, "15-settings-diagnostics").await;
    client.close().await.unwrap();

    // The project survives a restart.
    let client = driver.session().await;
    let input = wait_for(&client, "#domain", 30).await;
    assert_eq!(
        input.prop("value").await.unwrap().as_deref(),
        Some("https://www.good.test/contact")
    );
    client.close().await.unwrap();
    let saved =
        std::fs::read_to_string(data.path().join(APP_DATA_DIR).join("project.json")).unwrap();
    assert!(saved.contains("\"version\": 1"), "{saved}");
    assert!(
        saved.contains(&format!("\"nameserver\": \"{}\"", dns.addr())),
        "{saved}"
    );
}

async fn audit_input_error(client: &Client, text: &str, expected: &str) {
    type_into(client, "#domain", text).await;
    submit(client).await;
    let error = wait_for(client, "[data-testid=domain-error]", 5)
        .await
        .text()
        .await
        .unwrap();
    assert!(error.contains(expected), "{error}");
}
