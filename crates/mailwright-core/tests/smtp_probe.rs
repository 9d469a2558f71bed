//! The mail server test against the testkit's scripted SMTP server: good 587 and 465, each
//! certificate failure, a CA and a single certificate the user trusts, no STARTTLS, AUTH before
//! TLS, refusals of real providers, and the hostile servers (slow, endless, huge, garbage,
//! reset, STARTTLS injection, TLS 1.0 only, open relay). Where the password must not be sent,
//! the server's own record proves it never arrived.

use std::time::{Duration, Instant};

use mailwright_core::dns::{DnsConfig, NameserverSource};
use mailwright_core::secrets::Sensitive;
use mailwright_core::smtp::{
    AuthMechanism, Credentials, PortReport, ProbeLimits, SmtpTarget, SmtpTestRequest, TestMessage,
    TlsMode, Trust, test_smtp,
};
use mailwright_testkit::{Greeting, SMTP_NAME, SmtpScript, SmtpServer, TestCertificate};

const PASSWORD: &str = "correct horse battery staple";

fn limits() -> ProbeLimits {
    ProbeLimits {
        connect: Duration::from_secs(2),
        reply: Duration::from_millis(800),
        handshake: Duration::from_secs(2),
        port: Duration::from_secs(10),
    }
}

fn credentials(password: &str, mechanism: Option<AuthMechanism>) -> Option<Credentials> {
    Some(Credentials {
        user: "tester@example.com".into(),
        secret: Sensitive::new(password.into()),
        mechanism,
    })
}

fn target(server: &SmtpServer, tls: TlsMode) -> SmtpTarget {
    SmtpTarget {
        host: "127.0.0.1".into(),
        port: server.addr().port(),
        tls,
        server_name: Some(SMTP_NAME.into()),
    }
}

fn request(server: &SmtpServer, tls: TlsMode, trust_ca: bool) -> SmtpTestRequest {
    SmtpTestRequest {
        targets: vec![target(server, tls)],
        trust: if trust_ca {
            Trust::from_pem(server.ca_pem(), "test CA").unwrap()
        } else {
            Trust::default()
        },
        credentials: credentials(PASSWORD, None),
        relay_check: false,
        message: None,
        limits: limits(),
    }
}

async fn probe(request: &SmtpTestRequest) -> PortReport {
    // The targets are IP addresses, so DNS is never asked; nothing listens on port 9.
    let dns = DnsConfig::with_nameserver(
        "127.0.0.1:9".parse().unwrap(),
        NameserverSource::CommandLine,
    );
    let mut report = test_smtp(request, &dns, None).await.unwrap();
    report.ports.remove(0)
}

fn ids(report: &PortReport) -> Vec<&str> {
    report.findings.iter().map(|f| f.id.as_str()).collect()
}

fn assert_password_never_sent(server: &SmtpServer, report: &PortReport) {
    assert!(
        server
            .seen()
            .iter()
            .all(|l| !l.contains(PASSWORD) && !l.to_ascii_uppercase().starts_with("AUTH")),
        "{:?}",
        server.seen()
    );
    assert!(
        ids(report).contains(&"smtp.auth.withheld"),
        "{:?}",
        ids(report)
    );
}

fn assert_transcript_clean(report: &PortReport) {
    let text = report.transcript.render();
    assert!(!text.contains(PASSWORD), "{text}");
    assert!(
        !text.contains("Y29ycmVjdCBob3JzZSBiYXR0ZXJ5IHN0YXBsZQ"),
        "{text}"
    );
}

#[tokio::test]
async fn good_587_signs_in_over_starttls_and_sends_the_test_message() {
    let server = SmtpServer::start(SmtpScript::default()).await;
    let mut request = request(&server, TlsMode::Starttls, true);
    request.message =
        Some(TestMessage::new("tester@example.com", "someone@example.net", None).unwrap());
    let report = probe(&request).await;
    assert_eq!(
        ids(&report),
        ["smtp.tls.ok", "smtp.auth.ok", "smtp.message.accepted"]
    );
    let tls = report.tls.as_ref().unwrap();
    assert!(tls.version.starts_with("TLSv1."), "{tls:?}");
    assert!(!tls.cipher_suite.is_empty() && !tls.key_exchange.is_empty());
    let certificate = tls.certificate.as_ref().unwrap();
    assert!(certificate.covers_host && certificate.trusted && certificate.trusted_by_user);
    assert_eq!(certificate.names, [SMTP_NAME]);
    assert!(certificate.days_left > 300);
    assert!(report.auth_before_tls.is_empty());
    assert_eq!(report.auth_after_tls, ["PLAIN", "LOGIN"]);
    assert!(
        report
            .capabilities_before_tls
            .iter()
            .any(|c| c == "STARTTLS")
    );
    assert_eq!(
        report.message.as_ref().unwrap().queue_id.as_deref(),
        Some("4TESTQ1D")
    );
    let labels: Vec<&str> = report.steps.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Connect",
            "Greeting",
            "EHLO",
            "TLS",
            "Certificate",
            "EHLO",
            "AUTH",
            "Message"
        ]
    );
    assert!(report.steps.iter().all(|s| s.ok));
    let text = report.transcript.render();
    assert!(
        text.contains(" -> STARTTLS") && text.contains(" ~> AUTH PLAIN [redacted]"),
        "{text}"
    );
    assert!(text.contains("<~  235 2.7.0"), "{text}");
    assert_transcript_clean(&report);
    assert!(
        server.seen().iter().any(|l| l.contains(PASSWORD)),
        "the server did get it"
    );
}

#[tokio::test]
async fn good_465_with_login() {
    let server = SmtpServer::start(SmtpScript {
        implicit_tls: true,
        ..SmtpScript::default()
    })
    .await;
    let mut request = request(&server, TlsMode::Implicit, true);
    request.credentials = credentials(PASSWORD, Some(AuthMechanism::Login));
    let report = probe(&request).await;
    assert_eq!(ids(&report), ["smtp.tls.ok", "smtp.auth.ok"]);
    assert_eq!(report.auth.as_ref().unwrap().mechanism, "LOGIN");
    assert!(report.capabilities_before_tls.is_empty());
    assert_transcript_clean(&report);
}

#[tokio::test]
async fn certificate_failures_say_why_and_keep_the_password() {
    for (certificate, expected) in [
        (TestCertificate::Expired, "smtp.tls.cert_expired"),
        (TestCertificate::WrongName, "smtp.tls.name_mismatch"),
        (TestCertificate::SelfSigned, "smtp.tls.untrusted"),
    ] {
        let server = SmtpServer::start(SmtpScript {
            certificate,
            ..SmtpScript::default()
        })
        .await;
        let report = probe(&request(&server, TlsMode::Starttls, true)).await;
        assert!(
            ids(&report).contains(&expected),
            "{certificate:?}: {:?}",
            ids(&report)
        );
        assert!(!ids(&report).contains(&"smtp.tls.ok"));
        // The rest is still shown.
        let tls = report.tls.as_ref().unwrap();
        assert!(tls.version.starts_with("TLSv1.") && tls.certificate.is_some());
        assert_password_never_sent(&server, &report);
    }
    let server = SmtpServer::start(SmtpScript {
        certificate: TestCertificate::WrongName,
        ..SmtpScript::default()
    })
    .await;
    let report = probe(&request(&server, TlsMode::Starttls, true)).await;
    let mismatch = report
        .findings
        .iter()
        .find(|f| f.id == "smtp.tls.name_mismatch")
        .unwrap();
    assert!(
        mismatch.title.contains(SMTP_NAME) && mismatch.detail.contains("other.test"),
        "{mismatch:?}"
    );
}

/// Two ports probed at once, a good one and one whose certificate names another host and whose
/// server holds back its Finished message for a second (TLS 1.2, so the client has judged the
/// certificate long before the handshake ends). The good port's handshake falls inside that
/// second. Each port must be judged on its own certificate: a verdict kept in one slot shared
/// by the ports let the bad port read the good port's and send the password.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ports_probed_at_once_are_each_judged_on_their_own_certificate() {
    let dns = DnsConfig::with_nameserver(
        "127.0.0.1:9".parse().unwrap(),
        NameserverSource::CommandLine,
    );
    for round in 0..20 {
        let good = SmtpServer::start(SmtpScript {
            greeting: Greeting::Slow(Duration::from_millis(150)),
            ..SmtpScript::default()
        })
        .await;
        let bad = SmtpServer::start(SmtpScript {
            certificate: TestCertificate::WrongName,
            hold_finished: Some(Duration::from_secs(1)),
            ..SmtpScript::default()
        })
        .await;
        let both_cas = format!("{}{}", good.ca_pem(), bad.ca_pem());
        let request = SmtpTestRequest {
            targets: vec![
                target(&good, TlsMode::Starttls),
                target(&bad, TlsMode::Starttls),
            ],
            trust: Trust::from_pem(&both_cas, "test CAs").unwrap(),
            credentials: credentials(PASSWORD, None),
            relay_check: false,
            message: None,
            limits: limits(),
        };
        let report = test_smtp(&request, &dns, None).await.unwrap();
        let (good_port, bad_port) = (&report.ports[0], &report.ports[1]);
        assert_eq!(
            ids(good_port),
            ["smtp.tls.ok", "smtp.auth.ok"],
            "round {round}"
        );
        let names = |port: &PortReport| {
            port.tls
                .as_ref()
                .and_then(|t| t.certificate.as_ref())
                .map(|c| c.names.clone())
        };
        assert_eq!(names(good_port), Some(vec![SMTP_NAME.to_owned()]));
        assert_eq!(names(bad_port), Some(vec!["other.test".to_owned()]));
        assert_eq!(
            bad_port.tls.as_ref().map(|t| t.version.as_str()),
            Some("TLSv1.2")
        );
        assert!(
            ids(bad_port).contains(&"smtp.tls.name_mismatch")
                && !ids(bad_port).contains(&"smtp.tls.ok"),
            "round {round}: {:?}",
            ids(bad_port)
        );
        assert_password_never_sent(&bad, bad_port);
    }
}

#[tokio::test]
async fn a_private_ca_is_untrusted_until_the_user_trusts_it_or_the_certificate() {
    let server = SmtpServer::start(SmtpScript::default()).await;
    let report = probe(&request(&server, TlsMode::Starttls, false)).await;
    assert!(
        ids(&report).contains(&"smtp.tls.untrusted"),
        "{:?}",
        ids(&report)
    );
    assert_password_never_sent(&server, &report);

    let server = SmtpServer::start(SmtpScript {
        certificate: TestCertificate::SelfSigned,
        ..SmtpScript::default()
    })
    .await;
    let mut request = request(&server, TlsMode::Starttls, false);
    request.trust = Trust::from_pem(server.certificate_pem(), "server certificate").unwrap();
    let report = probe(&request).await;
    assert_eq!(ids(&report), ["smtp.tls.ok", "smtp.auth.ok"]);
}

#[tokio::test]
async fn no_starttls_on_587_means_no_password() {
    let server = SmtpServer::start(SmtpScript {
        starttls: false,
        auth_before_tls: true,
        ..SmtpScript::default()
    })
    .await;
    let report = probe(&request(&server, TlsMode::Starttls, true)).await;
    assert!(
        ids(&report).contains(&"smtp.starttls.missing"),
        "{:?}",
        ids(&report)
    );
    assert!(ids(&report).contains(&"smtp.auth.plaintext_offered"));
    assert!(report.tls.is_none());
    assert_password_never_sent(&server, &report);
}

#[tokio::test]
async fn auth_before_tls_is_a_finding_and_sign_in_waits_for_tls() {
    let server = SmtpServer::start(SmtpScript {
        auth_before_tls: true,
        ..SmtpScript::default()
    })
    .await;
    let report = probe(&request(&server, TlsMode::Starttls, true)).await;
    assert_eq!(
        ids(&report),
        ["smtp.auth.plaintext_offered", "smtp.tls.ok", "smtp.auth.ok"]
    );
    assert_eq!(report.auth_before_tls, ["PLAIN", "LOGIN"]);
    let text = report.transcript.render();
    assert!(!text.contains(" -> AUTH"), "AUTH only inside TLS: {text}");
}

#[tokio::test]
async fn refusals_are_explained() {
    let server = SmtpServer::start(SmtpScript::default()).await;
    let mut request = request(&server, TlsMode::Starttls, true);
    request.credentials = credentials("wrong password", None);
    let report = probe(&request).await;
    let failed = report
        .findings
        .iter()
        .find(|f| f.id == "smtp.auth.failed")
        .unwrap();
    assert!(failed.title.contains("wrong"), "{failed:?}");
    assert!(failed.detail.contains("535 5.7.8"));
    assert!(!report.transcript.render().contains("wrong password"));

    let server = SmtpServer::start(SmtpScript {
        auth_reply: Some(
            "550 5.7.30 Basic authentication is not supported for Client Submission".into(),
        ),
        ..SmtpScript::default()
    })
    .await;
    let report = probe(&request_for(&server)).await;
    let failed = report
        .findings
        .iter()
        .find(|f| f.id == "smtp.auth.failed")
        .unwrap();
    assert!(failed.title.contains("Microsoft 365"), "{failed:?}");
    assert!(failed.fix.as_deref().unwrap().contains("OAuth"));
}

fn request_for(server: &SmtpServer) -> SmtpTestRequest {
    request(server, TlsMode::Starttls, true)
}

#[tokio::test]
async fn hostile_greetings_end_within_their_bounds() {
    for (greeting, expected) in [
        (Greeting::Slow(Duration::from_secs(5)), "smtp.timeout"),
        (Greeting::Endless, "smtp.reply.cut"),
        (Greeting::HugeLine, "smtp.reply.cut"),
        (Greeting::Garbage, "smtp.protocol.broken"),
    ] {
        let server = SmtpServer::start(SmtpScript {
            greeting,
            ..SmtpScript::default()
        })
        .await;
        let started = Instant::now();
        let report = probe(&request_for(&server)).await;
        assert_eq!(ids(&report), [expected], "{greeting:?}");
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{greeting:?}: {:?}",
            started.elapsed()
        );
        assert_password_never_sent_quietly(&server);
    }
}

fn assert_password_never_sent_quietly(server: &SmtpServer) {
    assert!(server.seen().iter().all(|l| !l.contains(PASSWORD)));
}

#[tokio::test]
async fn a_reset_during_the_handshake_and_a_tls_1_0_server_are_told_apart() {
    let server = SmtpServer::start(SmtpScript {
        reset_in_handshake: true,
        ..SmtpScript::default()
    })
    .await;
    let report = probe(&request_for(&server)).await;
    assert_eq!(ids(&report), ["smtp.tls.failed"]);
    assert_eq!(report.legacy_tls, None);

    let server = SmtpServer::start(SmtpScript {
        legacy_only: true,
        ..SmtpScript::default()
    })
    .await;
    let report = probe(&request_for(&server)).await;
    assert_eq!(ids(&report), ["smtp.tls.legacy_only"]);
    assert_eq!(report.legacy_tls.as_deref(), Some("TLS 1.0"));
    assert_password_never_sent_quietly(&server);
}

#[tokio::test]
async fn bytes_injected_after_ready_stop_the_probe() {
    let server = SmtpServer::start(SmtpScript {
        inject_after_ready: true,
        ..SmtpScript::default()
    })
    .await;
    let report = probe(&request_for(&server)).await;
    assert_eq!(ids(&report), ["smtp.starttls.injection"]);
    assert!(report.tls.is_none());
    assert_password_never_sent_quietly(&server);
}

#[tokio::test]
async fn the_relay_check_tells_open_from_closed_without_sending_a_message() {
    for (open, expected) in [(false, "smtp.relay.refused"), (true, "smtp.relay.open")] {
        let server = SmtpServer::start(SmtpScript {
            open_relay: open,
            ..SmtpScript::default()
        })
        .await;
        let mut request = request_for(&server);
        request.credentials = None;
        request.relay_check = true;
        let report = probe(&request).await;
        assert_eq!(ids(&report), ["smtp.tls.ok", expected]);
        assert_eq!(report.relay.as_ref().unwrap().open, open);
        assert!(
            !server.seen().iter().any(|l| l == "DATA"),
            "no message is ever sent"
        );
    }
}

#[tokio::test]
async fn unreachable_ports_and_the_whole_port_bound() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = listener.local_addr().unwrap().port();
    drop(listener);
    let server = SmtpServer::start(SmtpScript {
        greeting: Greeting::Slow(Duration::from_secs(30)),
        ..SmtpScript::default()
    })
    .await;
    let mut request = request_for(&server);
    request.targets.push(SmtpTarget {
        port: closed,
        ..target(&server, TlsMode::Starttls)
    });
    request.limits.reply = Duration::from_secs(30);
    request.limits.port = Duration::from_millis(700);
    let dns = DnsConfig::with_nameserver(
        "127.0.0.1:9".parse().unwrap(),
        NameserverSource::CommandLine,
    );
    let started = Instant::now();
    let report = test_smtp(&request, &dns, None).await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(ids(&report.ports[0]), ["smtp.timeout"]);
    assert_eq!(ids(&report.ports[1]), ["smtp.connect.failed"]);
}

#[tokio::test]
async fn host_names_are_resolved_through_the_configured_dns_server() {
    let dns = mailwright_testkit::fixtures::start_demo_dns().await;
    let config = DnsConfig::with_nameserver(dns.addr(), NameserverSource::CommandLine);
    let server = SmtpServer::start(SmtpScript::default()).await;
    let mut request = request_for(&server);
    request.targets[0].host = "mail.srv.test".into();
    request.targets.push(SmtpTarget {
        host: "backup.srv.test".into(),
        ..request.targets[0].clone()
    });
    let report = test_smtp(&request, &config, None).await.unwrap();
    assert_eq!(ids(&report.ports[0]), ["smtp.tls.ok", "smtp.auth.ok"]);
    assert!(
        report.ports[0]
            .address
            .as_deref()
            .unwrap()
            .starts_with("127.0.0.1:")
    );
    assert_eq!(ids(&report.ports[1]), ["smtp.connect.failed"]);
    assert!(
        report.ports[1].findings[0]
            .detail
            .contains("no A or AAAA record")
    );
}
