//! `mailwright report` for a project with its own DKIM key: the private key is read from the
//! real keychain (the Secret Service `cargo xtask test` starts) and the report carries the DKIM
//! proof; with no keychain reachable the proof is "not run", with the reason, and the report is
//! still made.

use mailwright_core::dkim::{KeySummary, delete_key, read_private_key_pem, store_key};
use mailwright_core::project::Project;
use mailwright_core::secrets::SecretStore;
use mailwright_core::{Selector, parse_domain_input};
use mailwright_testkit::fixtures::{
    GOOD, TEST_DKIM_PRIVATE_KEY, USER_SELECTOR, assert_no_test_private_key, start_demo_dns,
    start_policy_server,
};
mod common;

use common::mailwright_with_env;

async fn report(project: &std::path::Path, ns: &str, env: &[(&str, &str)]) -> String {
    // The report fetches good.test's MTA-STS policy, as the MTA-STS step does.
    let policies = start_policy_server().await;
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, policies.ca_pem()).unwrap();
    let port = policies.addr().port().to_string();
    let args = [
        "report",
        "--project",
        project.to_str().unwrap(),
        "--nameserver",
        ns,
        "--ca",
        ca.to_str().unwrap(),
        "--policy-port",
        &port,
    ];
    let out = mailwright_with_env(&args, env).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a running Secret Service; run by `cargo xtask test`"]
async fn the_report_proves_the_projects_dkim_key_from_the_keychain() {
    let dns = start_demo_dns().await;
    let ns = dns.addr().to_string();
    let domain = parse_domain_input(GOOD).unwrap().domain;
    let selector = Selector::parse(USER_SELECTOR).unwrap();
    let pair = read_private_key_pem(TEST_DKIM_PRIVATE_KEY).unwrap();
    let store = SecretStore::system().expect("the test's Secret Service is running");
    store_key(&store, &selector, &domain, &pair).unwrap();

    let mut project = Project::new();
    project.domain = GOOD.into();
    project.selectors = vec![USER_SELECTOR.into()];
    project
        .dkim
        .keys
        .push(KeySummary::new(&pair, &selector, &domain));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("project.json");
    std::fs::write(&file, serde_json::to_string(&project).unwrap()).unwrap();

    let proved = report(&file, &ns, &[]).await;
    let missing = report(
        &file,
        &ns,
        &[(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/mailwright-test-bus",
        )],
    )
    .await;
    delete_key(&store, &selector, &domain).unwrap();

    assert!(
        proved.contains(
            "DKIM proof passed at selector mw202611: a sample message signed with your private key verifies"
        ),
        "{proved}"
    );
    assert!(
        missing.contains("DKIM proof not run for selector mw202611: the private key could not be read. No system keychain is available"),
        "{missing}"
    );
    for text in [&proved, &missing] {
        assert_no_test_private_key(text);
    }
}
