//! The log as it runs: a mail server test signed in with a password, a secret stored in a
//! keychain and an audit all leave lines in the day's file, and neither secret is in it. One test
//! per binary, since the log is the process's global subscriber.

use mailwright_core::dns::{DnsConfig, NameserverSource};
use mailwright_core::logs::start_logging;
use mailwright_core::secrets::{SecretStore, Sensitive};
use mailwright_core::smtp::test_smtp;
use mailwright_core::{AuditRequest, run_audit};
use mailwright_testkit::fixtures::{GOOD, start_demo_dns};
use mailwright_testkit::{SmtpScript, SmtpServer, files_containing};

mod common;
use common::signed_in_request;

const PASSWORD: &str = "correct horse battery staple";
const KEY: &[u8] = b"MIIEvQIBADANBgkqhkiG9w0BAQEFAASC-not-a-real-key";

#[tokio::test(flavor = "multi_thread")]
async fn the_log_records_what_happened_and_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    let guard = start_logging(&logs).expect("the log starts");
    let again = start_logging(&dir.path().join("other")).err().unwrap();
    assert!(
        again.to_string().contains("works on without one"),
        "{again}"
    );

    let server = SmtpServer::start(SmtpScript::default()).await;
    let request = signed_in_request(&server, PASSWORD);
    let dns = start_demo_dns().await;
    let config = DnsConfig::with_nameserver(dns.addr(), NameserverSource::Environment);
    let report = test_smtp(&request, &config, None).await.unwrap();
    assert!(report.findings().any(|f| f.id == "smtp.auth.ok"));
    assert!(server.seen().iter().any(|l| l.contains("AUTH")));

    let store = SecretStore::with_store(keyring_core::mock::Store::new().unwrap());
    store
        .put("dkim:mw202611@good.test", &Sensitive::new(KEY.to_vec()))
        .unwrap();

    let (audit, _) = AuditRequest::parse(GOOD, &[]).unwrap();
    run_audit(&audit, &config, None).await.unwrap();

    drop(guard); // writes out what is pending
    let text: String = std::fs::read_dir(&logs)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    for wanted in [
        "log started",
        &format!(
            "mail server port tested target=127.0.0.1:{} findings=smtp.tls.ok,smtp.auth.ok",
            server.addr().port()
        ),
        "keychain item stored account=\"dkim:mw202611@good.test\"",
        &format!("audit finished domain={GOOD}"),
    ] {
        assert!(
            text.contains(wanted),
            "{wanted} missing from the log:\n{text}"
        );
    }
    assert!(files_containing(&logs, PASSWORD.as_bytes()).is_empty());
    assert!(files_containing(&logs, KEY).is_empty());
    assert!(files_containing(&logs, b"not-a-real-key").is_empty());
}
