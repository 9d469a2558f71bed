//! Benchmark: the audit of a test domain whose DNS server adds 50 ms to every answer.
//! Lookups run concurrently, so the wall time must stay within 3 × 50 ms + 100 ms (the longest
//! chain is three queries deep) instead of growing with the number of lookups.
//!
//! Run: `cargo bench -p mailwright-core --bench audit_latency`

use std::time::{Duration, Instant};

use mailwright_core::dns::{DnsConfig, NameserverSource};
use mailwright_core::{AuditRequest, run_audit};
use mailwright_testkit::fixtures::{GOOD, USER_SELECTOR, start_demo_dns};

const LATENCY: Duration = Duration::from_millis(50);
const RUNS: usize = 7;

#[tokio::main]
async fn main() {
    let dns = start_demo_dns().await;
    dns.set_latency(LATENCY);
    let config = DnsConfig::with_nameserver(dns.addr(), NameserverSource::CommandLine);
    let (request, _) =
        AuditRequest::parse(GOOD, &[USER_SELECTOR.to_owned()]).expect("a valid request");
    let budget = LATENCY * 3 + Duration::from_millis(100);

    let mut times = Vec::new();
    let mut queries = 0;
    for _ in 0..RUNS {
        let before = dns.queries();
        let started = Instant::now();
        let report = run_audit(&request, &config, None)
            .await
            .expect("the audit runs");
        times.push(started.elapsed());
        queries = dns.queries() - before;
        assert!(!report.has_failures(), "the benchmark domain should pass");
    }
    times.sort();
    let median = times[RUNS / 2];
    println!(
        "audit of {GOOD} with {} ms latency per DNS query, {RUNS} runs",
        LATENCY.as_millis()
    );
    println!("  DNS queries per audit: {queries}");
    println!(
        "  wall time: min {} ms, median {} ms, max {} ms (budget {} ms; one after another would take {} ms)",
        times[0].as_millis(),
        median.as_millis(),
        times[RUNS - 1].as_millis(),
        budget.as_millis(),
        (LATENCY * queries as u32).as_millis()
    );
    if median > budget {
        eprintln!("FAILED: the median wall time is over budget");
        std::process::exit(1);
    }
}
