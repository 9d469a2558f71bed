//! The "Report" step end to end in the real window, against the testkit's DNS server: the
//! checks run again with progress, the checklist on screen equals the engine's, and the report
//! saved as PDF (rendered with pdftoppm so the pages can be looked at) and as HTML.

use mailwright_e2e::{
    Driver, checked_project_env, click, click_button, click_step, screenshot, scroll_to, text_of,
    type_into, wait_for, wait_for_text,
};
use mailwright_testkit::fixtures::{GOOD, start_demo_dns, start_policy_server};

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the real app under Xvfb; run by `cargo xtask test`"]
async fn the_report_step_checks_again_and_saves_pdf_and_html() {
    let dns = start_demo_dns().await;
    let root = tempfile::tempdir().unwrap();
    // The Report step fetches the MTA-STS policy as the MTA-STS step does.
    let policies = start_policy_server().await;
    let env = checked_project_env(
        root.path(),
        GOOD,
        dns.addr(),
        policies.addr().port(),
        policies.ca_pem(),
    );
    let driver = Driver::start(&env);
    let client = driver.session().await;
    wait_for(&client, "#domain", 30).await;
    click_step(&client, "Report").await;
    click_button(&client, "Make the report").await;
    let summary = wait_for_text(&client, "[data-testid=report-summary]", "pass", 20).await;
    assert!(summary.contains(GOOD), "{summary}");
    assert!(summary.contains("0 fail"), "{summary}");
    for (item, status) in [
        ("before.spf", "Pass"),
        ("before.dkim", "Pass"),
        ("before.dmarc", "Pass"),
        ("before.tls", "To do by hand"),
        ("providers.ptr", "To do by hand"),
    ] {
        let text = text_of(&client, &format!("[data-testid='item-{item}']")).await;
        assert!(text.starts_with(status), "{item}: {text}");
    }
    let tls = text_of(&client, "[data-testid='item-before.tls']").await;
    assert!(
        tls.contains("Mail server step"),
        "the one thing to do: {tls}"
    );
    scroll_to(&client, "[data-testid=report-summary]").await;
    screenshot(&client, "60-report-checklist").await;

    wait_for(&client, "#report-format", 5)
        .await
        .select_by_value("pdf")
        .await
        .unwrap();
    // A path the window sends that the user did not choose, outside Documents and Downloads, or
    // a hidden file: refused with the way out, nothing written.
    for refused in [
        root.path().join("checklist.pdf"),
        root.path().join("Documents/.hidden.pdf"),
    ] {
        type_into(&client, "#report-path", refused.to_str().unwrap()).await;
        click(&client, "[data-testid=report-save]").await;
        let alert = wait_for_text(&client, "p.callout.error", "did not write", 10).await;
        assert!(
            alert.contains("Choose") || alert.contains("hidden"),
            "{alert}"
        );
        assert!(!refused.exists());
    }
    scroll_to(&client, "p.callout.error").await;
    screenshot(&client, "62-report-refused-path").await;
    let pdf = root.path().join("Documents/checklist.pdf");
    type_into(&client, "#report-path", pdf.to_str().unwrap()).await;
    click(&client, "[data-testid=report-save]").await;
    wait_for_text(&client, "[role=status]", "Saved to", 10).await;
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let pages = mailwright_e2e::workspace_root().join("target/e2e-screenshots/61-report-pdf");
    let status = std::process::Command::new("pdftoppm")
        .args(["-png", "-r", "70", "-f", "1", "-l", "1"])
        .arg(&pdf)
        .arg(&pages)
        .status()
        .expect("pdftoppm runs");
    assert!(status.success());

    let html = root.path().join("Documents/checklist.html");
    wait_for(&client, "#report-format", 5)
        .await
        .select_by_value("html")
        .await
        .unwrap();
    type_into(&client, "#report-path", html.to_str().unwrap()).await;
    click(&client, "[data-testid=report-save]").await;
    wait_for_text(&client, "[role=status]", "checklist.html", 10).await;
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains(&format!("Email sending checklist for {GOOD}")));
}
