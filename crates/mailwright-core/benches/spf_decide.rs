//! Benchmark: what `mailwright spf check DOMAIN --ip IP` does (the record's walk, Mailwright's
//! check_host() and mail-auth's beside it), with 50 ms added to every DNS answer. Lookups are
//! fetched ahead and concurrently, so a record of depth d must be decided within
//! (d + 2) × 50 ms + 100 ms; a resolver that asks one name after another (pyspf, mail-auth on
//! its own) takes a round trip per lookup.
//!
//! Run: `cargo bench -p mailwright-core --bench spf_decide`

use std::time::{Duration, Instant};

use mailwright_core::dns::{DnsConfig, NameserverSource};
use mailwright_core::parse_domain_input;
use mailwright_core::spf::{SpfQuery, SpfVerdict, check_spf_for_message};
use mailwright_testkit::{TestDns, Zone};

const LATENCY: Duration = Duration::from_millis(50);
const RUNS: usize = 7;

/// `ten.bench.test`: ten includes of one ip4 each (depth 2, 10 lookups); `deep.bench.test`: a
/// chain of includes four records deep (depth 4, 6 lookups), the address listed at the bottom.
fn zone() -> Zone {
    let mut lines: Vec<String> = (1..=10)
        .map(|i| format!("leaf{i} TXT \"v=spf1 ip4:192.0.2.{i} -all\""))
        .collect();
    let includes: Vec<String> = (1..=10)
        .map(|i| format!("include:leaf{i}.bench.test"))
        .collect();
    // Over 255 octets: two character-strings, joined by receivers without a space.
    lines.push(format!(
        "ten TXT \"v=spf1 {} \" \"{} -all\"",
        includes[..5].join(" "),
        includes[5..].join(" ")
    ));
    lines.extend([
        "deep TXT \"v=spf1 include:a1.bench.test include:a2.bench.test -all\"".to_owned(),
        "a1 TXT \"v=spf1 include:b1.bench.test -all\"".to_owned(),
        "a2 TXT \"v=spf1 include:b2.bench.test -all\"".to_owned(),
        "b1 TXT \"v=spf1 include:c1.bench.test -all\"".to_owned(),
        "b2 TXT \"v=spf1 include:c2.bench.test -all\"".to_owned(),
        "c1 TXT \"v=spf1 ip4:198.51.100.1 -all\"".to_owned(),
        "c2 TXT \"v=spf1 ip4:198.51.100.2 -all\"".to_owned(),
    ]);
    Zone::new("bench.test", &lines.join("\n"))
}

/// Decides `ip` at `domain` RUNS times; the median and its budget for depth `depth`.
async fn measure(
    config: &DnsConfig,
    domain: &str,
    ip: &str,
    depth: u32,
    expected: SpfVerdict,
) -> bool {
    let name = parse_domain_input(domain).expect("a valid domain").domain;
    let query = SpfQuery {
        ip: ip.parse().expect("a valid address"),
        mail_from: format!("postmaster@{domain}"),
        helo: domain.to_owned(),
    };
    let mut times = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let (_, cross) = check_spf_for_message(&name, &query, config, None)
            .await
            .expect("the check runs");
        times.push(started.elapsed());
        assert_eq!(
            cross.evaluation.result, expected,
            "{}",
            cross.evaluation.sentence
        );
        assert_eq!(cross.mail_auth_result, None, "mail-auth agrees");
    }
    times.sort();
    let median = times[RUNS / 2];
    let budget = LATENCY * (depth + 2) + Duration::from_millis(100);
    println!(
        "spf check {domain} --ip {ip} ({expected:?}, depth {depth}): wall time min {:.0?}, median {median:.0?}, max {:.0?} (budget {budget:.0?})",
        times[0],
        times[RUNS - 1]
    );
    median <= budget
}

#[tokio::main]
async fn main() {
    let dns = TestDns::start(&[zone()]).await;
    dns.set_latency(LATENCY);
    let config = DnsConfig::with_nameserver(dns.addr(), NameserverSource::CommandLine);
    let results = [
        measure(&config, "ten.bench.test", "192.0.2.10", 2, SpfVerdict::Pass).await,
        measure(
            &config,
            "ten.bench.test",
            "203.0.113.1",
            2,
            SpfVerdict::Fail,
        )
        .await,
        measure(
            &config,
            "deep.bench.test",
            "198.51.100.2",
            4,
            SpfVerdict::Pass,
        )
        .await,
    ];
    assert!(
        results.iter().all(|within| *within),
        "a median is over its budget"
    );
}
