//! The steps "Who sends as you", "SPF", "DMARC" and "MTA-STS" end to end in the real window,
//! against the testkit DNS server and its local HTTPS policy server: the inventory, the
//! composed SPF record simulated with its lookup count and a redundant include removed, the
//! mail-auth cross-check, the DMARC check with an unauthorized external address, the composed
//! record with its ramp and alignment table, and the MTA-STS policy fetched over HTTPS.
//! Screenshots of each screen.

use std::path::Path;

use fantoccini::{Client, Locator};
use mailwright_core::project::Project;
use mailwright_e2e::{
    APP_DATA_DIR, Driver, checked_project_env, click, click_button, click_step, finding_ids,
    screenshot, scroll_to, text_of, type_into, wait_for, wait_for_text,
};
use mailwright_testkit::fixtures::mta_sts::ENFORCE as DOMAIN;
use mailwright_testkit::fixtures::{start_demo_dns, start_policy_server};

fn app_env(
    root: &Path,
    dns: std::net::SocketAddr,
    policies: &mailwright_testkit::PolicyServer,
) -> Vec<(&'static str, String)> {
    checked_project_env(root, DOMAIN, dns, policies.addr().port(), policies.ca_pem())
}

fn saved_project(root: &Path) -> Project {
    let text = std::fs::read_to_string(root.join(APP_DATA_DIR).join("project.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

async fn composed_spf(client: &Client) -> String {
    text_of(client, "[data-testid=spf-composed] [data-field=value]").await
}

async fn tick(client: &Client, id: &str) {
    click(client, &format!("[data-sender-id={id}] > label.tick input")).await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb; run by `cargo xtask test`"]
async fn senders_spf_dmarc_and_mta_sts_steps() {
    let dns = start_demo_dns().await;
    let policy_server = start_policy_server().await;
    let root = tempfile::tempdir().unwrap();
    let env = app_env(root.path(), dns.addr(), &policy_server);
    let driver = Driver::start(&env);
    let client = driver.session().await;
    wait_for(&client, "#domain", 30).await;

    // Who sends as you: staff mail on Google, receipts through SendGrid, one own server.
    click_step(&client, "Who sends as you").await;
    wait_for(&client, "[data-sender-id=google]", 10).await;
    tick(&client, "google").await;
    tick(&client, "sendgrid").await;
    tick(&client, "own_server").await;
    type_into(&client, "#own-server-hosts", "203.0.113.7").await;
    let page = text_of(&client, "[data-sender-id=sendgrid]").await;
    assert!(page.contains("Return-Path subdomain"), "{page}");
    screenshot(&client, "30-senders").await;
    let saved = saved_project(root.path());
    let ids: Vec<&str> = saved
        .senders
        .senders
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(ids, ["google", "sendgrid", "own_server"]);
    assert_eq!(saved.senders.senders[2].hosts, ["203.0.113.7"]);

    // SPF: the published record merged with the inventory, simulated before publishing.
    click_button(&client, "Go to SPF").await;
    wait_for(&client, "[data-testid=spf-composed] [data-field=value]", 20).await;
    assert_eq!(
        composed_spf(&client).await,
        "v=spf1 include:_spf.google.com include:sendgrid.net ip4:203.0.113.7 ~all"
    );
    let lookups = text_of(&client, "[data-testid=spf-lookups]").await;
    assert!(lookups.contains("2 of 10"), "{lookups}");
    let row = text_of(&client, "tr[data-term='include:sendgrid.net']").await;
    assert!(row.contains("Consider removing"), "{row}");
    assert!(finding_ids(&client).await.contains(&"spf.ok".to_owned()));
    screenshot(&client, "31-spf-composed").await;

    // The redundant include goes only when the user says so.
    scroll_to(&client, "[data-testid=spf-fixes]").await;
    screenshot(&client, "32-spf-fixes").await;
    click_button(&client, "Remove it").await;
    wait_for_text(&client, "[data-testid=spf-lookups]", "1 of 10", 20).await;
    assert_eq!(
        composed_spf(&client).await,
        "v=spf1 include:_spf.google.com ip4:203.0.113.7 ~all"
    );
    assert_eq!(
        saved_project(root.path()).spf.remove,
        ["include:sendgrid.net"]
    );

    // The new record is evaluated for the own server's address, as a receiver does.
    type_into(&client, "#spf-ip", "203.0.113.7").await;
    click_button(&client, "Evaluate").await;
    let cross = wait_for_text(
        &client,
        "[data-testid=spf-cross-check]",
        "Mail from 203.0.113.7",
        20,
    )
    .await;
    assert!(cross.contains("would pass SPF: ip4:203.0.113.7"), "{cross}");
    assert!(!cross.contains("mail-auth"), "both readings agree: {cross}");
    scroll_to(&client, "[data-testid=spf-cross-check]").await;
    screenshot(&client, "33-spf-cross-check").await;

    // DMARC: p=none today, reports to a domain that has not agreed to receive them.
    click_step(&client, "DMARC").await;
    wait_for(&client, "[data-testid=dmarc-today] [data-finding-id]", 20).await;
    let ids = finding_ids(&client).await;
    assert!(ids.contains(&"dmarc.policy_none".to_owned()), "{ids:?}");
    assert!(
        ids.contains(&"dmarc.external_report.unauthorized".to_owned()),
        "{ids:?}"
    );
    screenshot(&client, "34-dmarc-today").await;
    wait_for(
        &client,
        "[data-testid=dmarc-records] [data-field=value]",
        10,
    )
    .await;
    // The composer starts from the published record: its policy and its report address.
    assert_eq!(
        text_of(&client, "[data-testid=dmarc-records] [data-field=value]").await,
        "v=DMARC1; p=none; rua=mailto:agg@reports.vendor.test"
    );
    let stages = client
        .find_all(Locator::Css("[data-testid=dmarc-ramp] li[data-stage]"))
        .await
        .unwrap();
    assert_eq!(stages.len(), 3);
    // SendGrid's DKIM is not set up and its Return-Path is not ours: refused at p=reject.
    let sendgrid = text_of(
        &client,
        "[data-testid=dmarc-alignment] tr[data-sender-id=sendgrid]",
    )
    .await;
    assert!(sendgrid.contains("Refused"), "{sendgrid}");
    let google = text_of(
        &client,
        "[data-testid=dmarc-alignment] tr[data-sender-id=google]",
    )
    .await;
    assert!(google.contains("Delivered"), "{google}");
    scroll_to(&client, "[data-testid=dmarc-ramp]").await;
    screenshot(&client, "35-dmarc-ramp").await;
    scroll_to(&client, "[data-testid=dmarc-alignment]").await;
    screenshot(&client, "36-dmarc-alignment").await;

    // MTA-STS: the enforced policy in force is kept, with the domain's MX hosts; then the
    // published one fetched over HTTPS.
    click_step(&client, "MTA-STS").await;
    let policy = wait_for_text(&client, "[data-testid=mta-sts-policy-text]", "mx:", 20).await;
    assert!(policy.contains("mode: enforce"), "{policy}");
    assert!(
        policy.contains("mx: mx1.sts.test") && policy.contains("mx: mx2.backup.sts.test"),
        "{policy}"
    );
    screenshot(&client, "37-mta-sts-compose").await;
    click_button(&client, "Check MTA-STS and TLS-RPT").await;
    wait_for(&client, "[data-testid=mta-sts-check] [data-finding-id]", 20).await;
    assert_eq!(
        finding_ids(&client).await,
        ["mta_sts.found", "mta_sts.ok", "tls_rpt.found"]
    );
    scroll_to(&client, "[data-testid=mta-sts-check]").await;
    screenshot(&client, "38-mta-sts-check").await;
    client.close().await.unwrap();
}
