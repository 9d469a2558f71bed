//! Runs scripted SMTP servers on 127.0.0.1 until interrupted, so `mailwright smtp test` and the
//! app's "Mail server" step can be tried offline:
//! `cargo run -p mailwright-testkit --example demo_smtp`. The test CA is written to a file.

use mailwright_testkit::{SMTP_NAME, SmtpScript, SmtpServer, TestCertificate};

#[tokio::main]
async fn main() {
    let starttls = SmtpServer::start(SmtpScript::default()).await;
    let implicit = SmtpServer::start(SmtpScript {
        implicit_tls: true,
        ..SmtpScript::default()
    })
    .await;
    let expired = SmtpServer::start(SmtpScript {
        certificate: TestCertificate::Expired,
        ..SmtpScript::default()
    })
    .await;
    let ca = std::env::temp_dir().join("mailwright-demo-smtp-ca.pem");
    std::fs::write(&ca, starttls.ca_pem()).expect("write the CA file");
    println!("STARTTLS (good):      127.0.0.1:{}", starttls.addr().port());
    println!(
        "Implicit TLS (good):  127.0.0.1:{} (its own CA)",
        implicit.addr().port()
    );
    println!(
        "STARTTLS (expired):   127.0.0.1:{} (its own CA)",
        expired.addr().port()
    );
    println!(
        "Certificate name {SMTP_NAME}; CA of the first server: {}",
        ca.display()
    );
    println!(
        "Try: echo 'correct horse battery staple' | mailwright smtp test --host 127.0.0.1 --port {} --server-name {SMTP_NAME} --ca {} --user tester@example.com --password-stdin --transcript",
        starttls.addr().port(),
        ca.display()
    );
    tokio::signal::ctrl_c().await.expect("wait for Ctrl-C");
}
