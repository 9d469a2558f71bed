//! The mail server test against real servers: Postfix with Dovecot SASL on loopback ports
//! (STARTTLS-only submission, implicit TLS, a port-25 style listener, an open relay whose every
//! transport discards, and a TLS 1.0/1.1-only port). AUTH PLAIN and LOGIN succeed and fail on
//! 587 and 465, a test message is accepted with a queue id, relaying is refused (and an open
//! relay is named), and old TLS is detected; a DKIM-signed test message delivered by Postfix
//! into a Maildir is read back by the message check. Needs root; run by `cargo xtask test`.

mod support;

use std::time::Duration;

use mailwright_core::dns::{DnsConfig, NameserverSource};
use mailwright_core::secrets::Sensitive;
use mailwright_core::smtp::{
    AuthMechanism, Credentials, PortReport, ProbeLimits, SmtpTarget, SmtpTestRequest, TestMessage,
    TlsMode, Trust, test_smtp,
};
use support::postfix::{INBOX_DOMAIN, MailServers, NAME, PASSWORD, USER};

fn request(servers: &MailServers, port: u16, tls: TlsMode) -> SmtpTestRequest {
    SmtpTestRequest {
        targets: vec![SmtpTarget {
            host: "127.0.0.1".into(),
            port,
            tls,
            server_name: Some(NAME.into()),
        }],
        trust: Trust::from_pem_file(&servers.ca_file).unwrap(),
        credentials: None,
        relay_check: false,
        message: None,
        limits: ProbeLimits {
            port: Duration::from_secs(20),
            ..ProbeLimits::default()
        },
    }
}

fn credentials(password: &str, mechanism: AuthMechanism) -> Option<Credentials> {
    Some(Credentials {
        user: USER.into(),
        secret: Sensitive::new(password.into()),
        mechanism: Some(mechanism),
    })
}

async fn probe(request: &SmtpTestRequest) -> PortReport {
    let dns = DnsConfig::with_nameserver(
        "127.0.0.1:9".parse().unwrap(),
        NameserverSource::CommandLine,
    );
    test_smtp(request, &dns, None)
        .await
        .unwrap()
        .ports
        .remove(0)
}

fn ids(report: &PortReport) -> Vec<&str> {
    report.findings.iter().map(|f| f.id.as_str()).collect()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs root and Postfix + Dovecot: run by cargo xtask test"]
async fn a_message_delivered_by_postfix_is_checked_as_received() {
    use mailwright_core::dkim::read_private_key_pem;
    use mailwright_core::message::check_message;
    use mailwright_core::smtp::DkimSigning;
    use mailwright_core::{Selector, parse_domain_input};
    use mailwright_testkit::fixtures::{
        TEST_DKIM_PRIVATE_KEY, TEST_DKIM_PUBLIC_KEY, USER_SELECTOR,
    };
    use mailwright_testkit::{TestDns, Zone};

    let servers = MailServers::start();
    // The sender's domain as a receiver would see it: the test key, SPF for the sending
    // address (loopback here) and DMARC.
    let key = format!("v=DKIM1; k=rsa; p={TEST_DKIM_PUBLIC_KEY}");
    let (a, b) = key.split_at(200);
    let dns = TestDns::start(&[Zone::new(
        NAME,
        &format!(
            "{USER_SELECTOR}._domainkey TXT \"{a}\" \"{b}\"\n@ TXT \"v=spf1 ip4:127.0.0.1 -all\"\n\
             _dmarc TXT \"v=DMARC1; p=reject\"\n@ A 127.0.0.1\n"
        ),
    )])
    .await;
    let config = DnsConfig::with_nameserver(dns.addr(), NameserverSource::CommandLine);

    let mut send = request(&servers, servers.submission, TlsMode::Starttls);
    send.credentials = credentials(PASSWORD, AuthMechanism::Plain);
    let signing = DkimSigning {
        pair: read_private_key_pem(TEST_DKIM_PRIVATE_KEY).unwrap(),
        selector: Selector::parse(USER_SELECTOR).unwrap(),
        domain: parse_domain_input(NAME).unwrap().domain,
    };
    send.message =
        Some(TestMessage::new(USER, &format!("someone@{INBOX_DOMAIN}"), Some(signing)).unwrap());
    let report = probe(&send).await;
    assert!(
        ids(&report).contains(&"smtp.message.accepted"),
        "{:?}",
        ids(&report)
    );
    let delivered = servers
        .delivered(Duration::from_secs(30))
        .unwrap_or_else(|| panic!("nothing delivered:\n{}", servers.log()));

    let check = check_message(&delivered, &config, None).await.unwrap();
    let hop = check.hops.last().unwrap();
    assert_eq!(hop.by.as_deref(), Some(NAME), "{:?}", check.hops);
    assert!(
        hop.encrypted,
        "Postfix wrote ESMTPSA and the TLS version: {hop:?}"
    );
    assert_eq!(check.sending_ip.as_deref(), Some("127.0.0.1"));
    assert_eq!(check.signatures.len(), 1, "{:?}", check.signatures);
    assert_eq!(check.signatures[0].result, "pass", "{:?}", check.signatures);
    assert_eq!(
        check.spf.as_ref().unwrap().result,
        mailwright_core::spf::SpfVerdict::Pass
    );
    assert_eq!(
        check.dmarc.as_ref().unwrap().result,
        mailwright_core::dmarc::DmarcResult::Pass
    );
    assert_eq!(check.return_path.as_deref(), Some(USER));
}

#[tokio::test]
#[ignore = "needs root and Postfix + Dovecot: run by cargo xtask test"]
async fn postfix_and_dovecot_sign_in_send_and_refuse_to_relay() {
    let servers = MailServers::start();

    for (port, tls) in [
        (servers.submission, TlsMode::Starttls),
        (servers.submissions, TlsMode::Implicit),
    ] {
        for mechanism in [AuthMechanism::Plain, AuthMechanism::Login] {
            let mut good = request(&servers, port, tls);
            good.credentials = credentials(PASSWORD, mechanism);
            let report = probe(&good).await;
            assert_eq!(
                ids(&report),
                ["smtp.tls.ok", "smtp.auth.ok"],
                "{tls:?} {mechanism:?}\n{}\n{}",
                report.transcript.render(),
                servers.log()
            );
            let tls_details = report.tls.as_ref().unwrap();
            assert!(tls_details.version == "TLSv1.3" || tls_details.version == "TLSv1.2");
            assert_eq!(report.auth.as_ref().unwrap().mechanism, mechanism.name());
            assert!(!report.transcript.render().contains(PASSWORD));

            let mut bad = request(&servers, port, tls);
            bad.credentials = credentials("not the password", mechanism);
            let report = probe(&bad).await;
            assert!(
                ids(&report).contains(&"smtp.auth.failed"),
                "{:?}",
                ids(&report)
            );
            let failed = report
                .findings
                .iter()
                .find(|f| f.id == "smtp.auth.failed")
                .unwrap();
            assert!(failed.detail.contains("535"), "{failed:?}");
        }
    }
    // The STARTTLS-only port offers no AUTH before TLS (smtpd_tls_auth_only).
    let report = probe(&request(&servers, servers.submission, TlsMode::Starttls)).await;
    assert!(report.auth_before_tls.is_empty());
    assert_eq!(report.auth_after_tls, ["PLAIN", "LOGIN"]);

    // A test message, accepted with Postfix's queue id (and discarded: nothing leaves).
    let mut send = request(&servers, servers.submission, TlsMode::Starttls);
    send.credentials = credentials(PASSWORD, AuthMechanism::Plain);
    send.message = Some(TestMessage::new(USER, "someone@example.net", None).unwrap());
    let report = probe(&send).await;
    assert!(
        ids(&report).contains(&"smtp.message.accepted"),
        "{:?}\n{}",
        ids(&report),
        report.transcript.render()
    );
    let queue_id = report.message.as_ref().unwrap().queue_id.clone().unwrap();
    assert!(
        queue_id.len() >= 6 && queue_id.chars().all(|c| c.is_ascii_alphanumeric()),
        "{queue_id}"
    );

    // The relay check: refused on the port-25 listener, named on the open one.
    let mut relay = request(&servers, servers.smtp, TlsMode::Starttls);
    relay.relay_check = true;
    let report = probe(&relay).await;
    assert!(
        ids(&report).contains(&"smtp.relay.refused"),
        "{:?}\n{}\n{}",
        ids(&report),
        report.transcript.render(),
        servers.log()
    );
    let mut open = request(&servers, servers.open_relay, TlsMode::Starttls);
    open.relay_check = true;
    let report = probe(&open).await;
    assert!(
        ids(&report).contains(&"smtp.relay.open"),
        "{:?}\n{}",
        ids(&report),
        report.transcript.render()
    );
}

#[tokio::test]
#[ignore = "needs root and Postfix + Dovecot: run by cargo xtask test"]
async fn a_postfix_port_with_only_tls_1_0_and_1_1_is_named() {
    let servers = MailServers::start();
    let report = probe(&request(&servers, servers.legacy, TlsMode::Starttls)).await;
    assert_eq!(
        ids(&report),
        ["smtp.tls.legacy_only"],
        "{}\n{}",
        report.transcript.render(),
        servers.log()
    );
    assert!(
        report
            .legacy_tls
            .as_deref()
            .is_some_and(|v| v.starts_with("TLS 1."))
    );
}
