//! Benchmark: an SPF tree of 30 includes, 4 levels deep (3 → 9 → 18), with 50 ms added to every
//! DNS answer. Includes at one level are looked up concurrently, so the wall time must stay
//! within (depth + 1) × 50 ms + 100 ms instead of growing with the number of includes.
//!
//! Run: `cargo bench -p mailwright-core --bench spf_walk`

use std::time::{Duration, Instant};

use mailwright_core::dns::{DnsConfig, NameserverSource};
use mailwright_core::parse_domain_input;
use mailwright_core::spf::check_spf;
use mailwright_testkit::{TestDns, Zone};

const LATENCY: Duration = Duration::from_millis(50);
const RUNS: usize = 7;

/// `tree.test`: the root includes a1..a3; each a includes three b; each b includes two c.
fn zone() -> Zone {
    let mut lines = vec![
        "@ TXT \"v=spf1 include:a1.tree.test include:a2.tree.test include:a3.tree.test -all\""
            .to_owned(),
    ];
    for a in 1..=3 {
        let bs: Vec<String> = (1..=3)
            .map(|b| format!("include:b{a}{b}.tree.test"))
            .collect();
        lines.push(format!("a{a} TXT \"v=spf1 {} -all\"", bs.join(" ")));
        for b in 1..=3 {
            let cs: Vec<String> = (1..=2)
                .map(|c| format!("include:c{a}{b}{c}.tree.test"))
                .collect();
            lines.push(format!("b{a}{b} TXT \"v=spf1 {} -all\"", cs.join(" ")));
            for c in 1..=2 {
                lines.push(format!(
                    "c{a}{b}{c} TXT \"v=spf1 ip4:192.0.2.{a}{b}{c} -all\""
                ));
            }
        }
    }
    Zone::new("tree.test", &lines.join("\n"))
}

#[tokio::main]
async fn main() {
    let dns = TestDns::start(&[zone()]).await;
    dns.set_latency(LATENCY);
    let config = DnsConfig::with_nameserver(dns.addr(), NameserverSource::CommandLine);
    let domain = parse_domain_input("tree.test")
        .expect("a valid domain")
        .domain;
    let mut times = Vec::new();
    let mut report = None;
    for _ in 0..RUNS {
        let started = Instant::now();
        report = Some(
            check_spf(&domain, &config, None)
                .await
                .expect("the check runs"),
        );
        times.push(started.elapsed());
    }
    let report = report.expect("at least one run");
    let depth = 4u32;
    times.sort();
    let median = times[RUNS / 2];
    let budget = LATENCY * (depth + 1) + Duration::from_millis(100);
    println!(
        "SPF walk of tree.test: {} DNS-querying terms, depth {depth}, wall time min {:.0?}, median {median:.0?}, max {:.0?} (budget {budget:.0?})",
        report.dns_lookups,
        times[0],
        times[RUNS - 1]
    );
    assert_eq!(report.dns_lookups, 30, "the tree has 30 includes");
    assert!(
        median <= budget,
        "median {median:?} is over the {budget:?} budget"
    );
}
