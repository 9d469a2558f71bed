//! The step "DMARC reports" in the real window: two weeks of generated aggregate reports from two
//! receivers (and a TLS report) are imported from a folder typed into the step; the source
//! table names Google Workspace (its SPF, served by the test DNS server, lists the address) and
//! shows a spoofer and an unlisted own server; "Not mine" and "This is mine" decide them, the
//! latter adding the server to Senders; the ramp's verdict follows. Screenshots.

use fantoccini::Locator;
use mailwright_e2e::{
    Driver, app_env, click_button, click_step, nameserver_env, screenshot, scroll_to, text_of,
    type_into, wait_for, wait_for_text,
};
use mailwright_testkit::reports::{Row, aggregate_xml, gzip, tls_json};
use mailwright_testkit::{TestDns, Zone};

const DOMAIN: &str = "shop.test";
const GOOGLE_IP: &str = "192.0.2.10";
const SPOOFER: &str = "203.0.113.66";
const OWN_SERVER: &str = "198.51.100.20";

/// 14 days of reports from two receivers, ending yesterday, and one TLS report.
fn write_reports(dir: &std::path::Path) {
    let today = jiff::Timestamp::now().as_second().div_euclid(86_400);
    for back in 1..=14 {
        let day = (today - back) * 86_400;
        for reporter in ["google.com", "Outlook.com"] {
            let own = Row {
                spf: (DOMAIN.into(), false),
                dkim: None,
                dkim_aligned: false,
                spf_aligned: false,
                ..Row::passing(OWN_SERVER, 3, DOMAIN)
            };
            let rows = [
                Row::passing(GOOGLE_IP, 120, DOMAIN),
                Row::spoofed(SPOOFER, 7, "none"),
                own,
            ];
            let xml = aggregate_xml(
                reporter,
                &format!("{reporter}-{back}"),
                DOMAIN,
                day,
                "none",
                &rows,
            );
            std::fs::write(
                dir.join(format!("{reporter}!{DOMAIN}!{day}.xml.gz")),
                gzip(xml.as_bytes()),
            )
            .unwrap();
        }
    }
    let tls = tls_json(
        "mail.ru",
        "tls-1",
        DOMAIN,
        (today - 2) * 86_400,
        200,
        &[("certificate-expired", &format!("mx.{DOMAIN}"), 6)],
    );
    std::fs::write(dir.join("mail.ru!tls-1.json"), tls).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb; run by `cargo xtask test`"]
async fn reports_show_who_sends_and_the_ramp_follows_the_decisions() {
    // Google's SPF and the reverse DNS of its address, on the test DNS server.
    let dns = TestDns::start(&[
        Zone::new(
            "google.com",
            &format!("_spf TXT \"v=spf1 ip4:192.0.2.0/24 ~all\"\nmail-sor-f10 A {GOOGLE_IP}\n"),
        ),
        Zone::new("2.0.192.in-addr.arpa", "10 PTR mail-sor-f10.google.com.\n"),
        Zone::new(DOMAIN, "@ TXT \"v=spf1 include:_spf.google.com -all\"\n"),
    ])
    .await;
    let root = tempfile::tempdir().unwrap();
    let mut env = app_env(
        root.path(),
        &format!(
            "{{\"version\": 1, \"domain\": \"{DOMAIN}\", \"senders\": {{\"senders\": [{{\"id\": \"google\"}}]}}}}"
        ),
    );
    env.push(nameserver_env(dns.addr()));
    let reports = root.path().join("Downloads/dmarc-reports");
    std::fs::create_dir_all(&reports).unwrap();
    write_reports(&reports);

    let driver = Driver::start(&env);
    let client = driver.session().await;
    wait_for(&client, "#domain", 30).await;
    click_step(&client, "DMARC reports").await;
    wait_for(&client, "#reports-path", 10).await;
    type_into(&client, "#reports-path", &reports.display().to_string()).await;
    click_button(&client, "Import").await;
    let summary = wait_for_text(
        &client,
        "[data-testid=reports-import-summary]",
        "new reports",
        60,
    )
    .await;
    assert!(summary.contains("29 new reports"), "{summary}");
    screenshot(&client, "90-reports-import").await;

    // The table: unknown first, Google recognised by its SPF and named by its reverse DNS.
    let table = wait_for_text(
        &client,
        "[data-testid=reports-sources]",
        "Google Workspace",
        30,
    )
    .await;
    assert!(table.contains("mail-sor-f10.google.com"), "{table}");
    assert!(
        table.contains(SPOOFER) && table.contains(OWN_SERVER),
        "{table}"
    );
    let ramp = text_of(&client, "[data-testid=reports-ramp]").await;
    assert!(
        ramp.contains("Not yet safe to move to p=quarantine"),
        "{ramp}"
    );
    assert!(
        ramp.contains("2 sources with failing mail have not been decided"),
        "{ramp}"
    );
    scroll_to(&client, "[data-testid=reports-sources]").await;
    screenshot(&client, "91-reports-sources").await;

    // The spoofer is not ours; the own server is.
    decide(&client, SPOOFER, "Not mine").await;
    wait_for_text(
        &client,
        &format!("tr[data-ip='{SPOOFER}']"),
        "Not yours",
        20,
    )
    .await;
    decide(&client, OWN_SERVER, "This is mine").await;
    wait_for_text(&client, &format!("tr[data-ip='{OWN_SERVER}']"), "Yours", 20).await;
    let ramp = text_of(&client, "[data-testid=reports-ramp]").await;
    // Its failing mail of the 14-day window (13 days with reports) is named as what quarantine
    // would send to spam.
    let refused = text_of(&client, "[data-testid=reports-refused]").await;
    assert!(
        refused.contains(OWN_SERVER) && refused.contains("78 messages"),
        "{refused}\n{ramp}"
    );
    assert!(ramp.contains("97.6"), "share of own mail passing: {ramp}");
    let tls = text_of(&client, "[data-testid=reports-tls]").await;
    assert!(
        tls.contains("certificate-expired") && tls.contains("Renew the certificate"),
        "{tls}"
    );
    scroll_to(&client, "[data-testid=reports-ramp]").await;
    screenshot(&client, "92-reports-ramp").await;
    // The charts: passed and failed per day, the biggest sources, TLS failures.
    wait_for(&client, "[data-testid=reports-source-chart]", 10).await;
    wait_for(&client, "[data-testid=reports-tls-chart]", 10).await;
    scroll_to(&client, "[data-testid=reports-dmarc-chart]").await;
    screenshot(&client, "93-reports-charts").await;

    // "This is mine" put the server into Senders.
    click_step(&client, "Who sends as you").await;
    wait_for(&client, "#own-server-hosts", 20).await;
    let hosts = client
        .execute(
            "return document.querySelector('#own-server-hosts').value",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(hosts.as_str(), Some(OWN_SERVER));
}

/// Presses `label` in the row of the source `ip`.
async fn decide(client: &fantoccini::Client, ip: &str, label: &str) {
    let row = client
        .find(Locator::Css(&format!("tr[data-ip='{ip}']")))
        .await
        .unwrap();
    for button in row.find_all(Locator::Css("button")).await.unwrap() {
        if button.text().await.unwrap_or_default().contains(label) {
            let element = serde_json::to_value(&button).unwrap();
            client
                .execute(
                    "arguments[0].scrollIntoView({block: 'center'})",
                    vec![element],
                )
                .await
                .unwrap();
            button.click().await.unwrap();
            return;
        }
    }
    panic!("no “{label}” in the row of {ip}");
}
