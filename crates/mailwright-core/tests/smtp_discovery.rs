//! RFC 6186 submission discovery against the testkit DNS server.

use mailwright_core::dns::{DnsConfig, NameserverSource};
use mailwright_core::parse_domain_input;
use mailwright_core::smtp::{TlsMode, discover_submission};
use mailwright_testkit::fixtures::{NO_SUBMISSION, SUBMISSION, start_demo_dns};

#[tokio::test]
async fn implicit_tls_first_then_starttls_by_priority_and_dot_means_none() {
    let dns = start_demo_dns().await;
    let config = DnsConfig::with_nameserver(dns.addr(), NameserverSource::CommandLine);
    let found = discover_submission(&parse_domain_input(SUBMISSION).unwrap().domain, &config)
        .await
        .unwrap();
    let summary: Vec<(&str, u16, TlsMode)> = found
        .iter()
        .map(|s| (s.host.as_str(), s.port, s.tls))
        .collect();
    assert_eq!(
        summary,
        [
            ("mail.srv.test", 465, TlsMode::Implicit),
            ("mail.srv.test", 587, TlsMode::Starttls),
            ("backup.srv.test", 587, TlsMode::Starttls),
        ]
    );
    let none = discover_submission(&parse_domain_input(NO_SUBMISSION).unwrap().domain, &config)
        .await
        .unwrap();
    assert!(none.is_empty());
    let absent = discover_submission(&parse_domain_input("good.test").unwrap().domain, &config)
        .await
        .unwrap();
    assert!(absent.is_empty());
}
