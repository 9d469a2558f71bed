//! The verify loop against the testkit's DNS server acting as the domain's own name server
//! (found through NS) and as the resolver: not found, different with the difference shown,
//! visible; a record that appears only after a few polls; a silent server bounded by time.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mailwright_core::dns::{DnsConfig, NameserverSource};
use mailwright_core::dns_record::DnsRecord;
use mailwright_core::publish::{
    RecordState, VerifySettings, authoritative_servers, verify_until_published,
};
use mailwright_testkit::fixtures::{PUBLISH, UNREACHABLE_NS, dmarc, start_demo_dns};
use mailwright_testkit::silent_dns_server;

fn record(name: &str, rtype: &str, value: &str) -> DnsRecord {
    DnsRecord {
        purpose: "test".into(),
        name: name.into(),
        rtype: rtype.into(),
        value: value.into(),
        ttl: 3600,
    }
}

fn settings(port: u16, rounds: u32) -> VerifySettings {
    VerifySettings {
        port,
        first_wait: Duration::from_millis(50),
        max_wait: Duration::from_millis(200),
        max_rounds: rounds,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn each_record_is_found_missing_or_different_at_the_domains_own_servers() {
    let dns = start_demo_dns().await;
    let config = DnsConfig::with_nameserver(dns.addr(), NameserverSource::CommandLine);
    let servers = authoritative_servers(PUBLISH, &config, dns.addr().port())
        .await
        .unwrap();
    assert_eq!(servers[0].0, "ns1.publish.test");
    assert_eq!(servers[0].1, dns.addr());

    let records = vec![
        record("_mta-sts.publish.test", "TXT", "v=STSv1; id=20261122"),
        record(
            "s1._domainkey.publish.test",
            "CNAME",
            "s1.domainkey.u1.wl.sendgrid.net",
        ),
        record(
            "_dmarc.publish.test",
            "TXT",
            "v=DMARC1; p=quarantine; rua=mailto:d@publish.test",
        ),
        record(
            "mw202611._domainkey.publish.test",
            "TXT",
            "v=DKIM1; k=rsa; p=MIIB",
        ),
    ];
    let last = verify_until_published(
        &records,
        PUBLISH,
        &config,
        &settings(dns.addr().port(), 2),
        None,
    )
    .await
    .unwrap();
    let states: Vec<RecordState> = last.checks.iter().map(|c| c.state).collect();
    assert_eq!(
        states,
        [
            RecordState::Visible,
            RecordState::Visible,
            RecordState::Different,
            RecordState::NotFound
        ]
    );
    assert!(!last.done);
    assert_eq!(last.round, 2, "gave up after the rounds allowed");
    let notice = last.notice().expect("the last round has a notice");
    assert_eq!(notice.title, "Some DNS records are not published yet");
    assert!(
        notice.body.starts_with("2 of 4 records are published."),
        "{notice:?}"
    );
    let diff = last.checks[2].difference.as_deref().unwrap();
    assert!(diff.contains("differ from character 13"), "{diff}");
    assert!(
        diff.contains("p=none") && diff.contains("p=quarantine"),
        "{diff}"
    );
    assert_eq!(
        last.checks[2].found,
        ["v=DMARC1; p=none; rua=mailto:d@publish.test"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_report_receivers_authorization_is_asked_of_the_receivers_own_servers() {
    let dns = start_demo_dns().await;
    let config = DnsConfig::with_nameserver(dns.addr(), NameserverSource::CommandLine);
    let authorized = format!("{}._report._dmarc.{}", dmarc::EXTERNAL_OK, dmarc::VENDOR);
    let missing = format!("{PUBLISH}._report._dmarc.{}", dmarc::VENDOR);
    let records = vec![
        record(&authorized, "TXT", "v=DMARC1"),
        record(&missing, "TXT", "v=DMARC1"),
    ];
    let last = verify_until_published(
        &records,
        PUBLISH,
        &config,
        &settings(dns.addr().port(), 1),
        None,
    )
    .await
    .unwrap();
    let states: Vec<RecordState> = last.checks.iter().map(|c| c.state).collect();
    assert_eq!(states, [RecordState::Visible, RecordState::NotFound]);
    assert!(
        last.servers
            .iter()
            .any(|s| s.starts_with("ns1.vendor.test ")),
        "the receiver's name server was asked: {:?}",
        last.servers
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn polls_with_backoff_until_a_record_appears() {
    let dns = start_demo_dns().await;
    let config = DnsConfig::with_nameserver(dns.addr(), NameserverSource::CommandLine);
    // Not at the name server for its first three queries: three rounds of "not found".
    dns.hide_for("_mta-sts.publish.test", 3);
    let rounds = Arc::new(Mutex::new(Vec::new()));
    let seen = rounds.clone();
    let first = Arc::new(Mutex::new(None));
    let first_seen = first.clone();
    let sink = Arc::new(move |r: mailwright_core::publish::VerifyRound| {
        first_seen.lock().unwrap().get_or_insert(r.checks[0].state);
        // Each round's last message, with every answer in.
        if r.complete {
            seen.lock()
                .unwrap()
                .push((r.round, r.checks[0].state, r.next_in_ms, r.notice()));
        }
    });
    let records = vec![record(
        "_mta-sts.publish.test",
        "TXT",
        "v=STSv1; id=20261122",
    )];
    let last = verify_until_published(
        &records,
        PUBLISH,
        &config,
        &settings(dns.addr().port(), 10),
        Some(sink),
    )
    .await
    .unwrap();
    assert!(last.done);
    assert_eq!(
        *first.lock().unwrap(),
        Some(RecordState::Checking),
        "the first message comes at once, before any answer"
    );
    let rounds = rounds.lock().unwrap().clone();
    assert!(rounds.len() >= 3, "{rounds:?}");
    assert_eq!(rounds[0].1, RecordState::NotFound);
    assert_eq!(rounds.last().unwrap().1, RecordState::Visible);
    assert_eq!(rounds[0].2, Some(50));
    assert_eq!(rounds[1].2, Some(100), "the wait doubles");
    assert_eq!(rounds.last().unwrap().2, None);
    assert!(rounds[0].3.is_none(), "no notice while checking goes on");
    let notice = rounds.last().unwrap().3.clone().unwrap();
    assert_eq!(notice.title, "Your DNS records are published");
    assert!(
        notice
            .body
            .starts_with("The record is published and visible."),
        "{notice:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_silent_resolver_means_could_not_check_within_its_deadline() {
    let (_socket, addr) = silent_dns_server();
    let mut config = DnsConfig::with_nameserver(addr, NameserverSource::CommandLine);
    config.timeout = Duration::from_millis(300);
    config.deadline = Duration::from_secs(2);
    let started = Instant::now();
    let records = vec![record("_dmarc.publish.test", "TXT", "v=DMARC1; p=none")];
    let last = verify_until_published(&records, PUBLISH, &config, &settings(53, 1), None)
        .await
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(last.checks[0].state, RecordState::CouldNotCheck);
    let why = last.checks[0].why.as_deref().unwrap();
    assert!(why.contains("did not answer in time"), "{why}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_name_server_is_could_not_check_never_not_found() {
    let dns = start_demo_dns().await;
    let mut config = DnsConfig::with_nameserver(dns.addr(), NameserverSource::CommandLine);
    config.timeout = Duration::from_millis(300);
    let records = vec![
        record(
            "_dmarc.farns.test",
            "TXT",
            "v=DMARC1; p=none; rua=mailto:d@farns.test",
        ),
        record("mw1._domainkey.farns.test", "TXT", "v=DKIM1; p=MIIB"),
    ];
    let last = verify_until_published(
        &records,
        UNREACHABLE_NS,
        &config,
        &settings(dns.addr().port(), 1),
        None,
    )
    .await
    .unwrap();
    // The record the resolver shows is published for receivers; the one it does not show is
    // unknown, because the domain's own server could not be asked.
    assert_eq!(last.checks[0].state, RecordState::Visible);
    assert_eq!(last.checks[1].state, RecordState::CouldNotCheck);
    for check in &last.checks {
        let why = check.why.as_deref().unwrap();
        assert!(why.contains("ns1.farns.test (127.0.0.2:"), "{why}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_name_server_at_the_chosen_dns_servers_address_is_asked_on_its_port() {
    let dns = start_demo_dns().await;
    let config = DnsConfig::with_nameserver(dns.addr(), NameserverSource::Settings);
    // Port 53 asked for the domain's name servers, except the one at the chosen server's address.
    let servers = authoritative_servers(PUBLISH, &config, 53).await.unwrap();
    assert_eq!(servers[0].1, dns.addr());
}
