//! The OpenSPF RFC 7208 conformance suite against Mailwright's `check_host()`: every scenario's
//! DNS data served by the testkit's DNS server on loopback, every test's client address, MAIL
//! FROM and HELO evaluated, the result (and, where the suite gives one, the explanation)
//! compared. Tests whose expected result is not met are listed in `EXCEPTIONS` with the RFC
//! clause that justifies Mailwright's answer (also in the README); any other difference fails.

use std::time::Duration;

use futures::future::join_all;
use mailwright_core::dns::{DnsConfig, NameserverSource};
use mailwright_core::parse_domain_input;
use mailwright_core::spf::{SpfQuery, check_host, cross_check_spf};
use mailwright_testkit::openspf::{SpfSuiteTest, rfc7208_scenarios};

/// Tests whose expected result Mailwright does not give, each with the clause that says why.
const EXCEPTIONS: &[(&str, &str)] = &[];

/// Whether Mailwright gives the suite's preferred result for one test; what it answered
/// instead when that is not a result the suite accepts.
/// Whether mail-auth (the library Mailwright shows beside its own result) gives a result the
/// suite accepts; `None` when the test's domain is not one a check can be asked for.
async fn mail_auth_right(test: &SpfSuiteTest, dns: &DnsConfig) -> Option<bool> {
    let domain = match test.mail_from.rsplit_once('@') {
        Some((_, domain)) => domain,
        None => &test.helo,
    };
    let domain = parse_domain_input(domain).ok()?.domain;
    let query = SpfQuery {
        ip: test.host.parse().ok()?,
        mail_from: test.mail_from.clone(),
        helo: test.helo.clone(),
    };
    let cross = cross_check_spf(&domain, &query, None, dns, None)
        .await
        .ok()?;
    let theirs = cross.mail_auth_result.unwrap_or(cross.evaluation.result);
    Some(test.results.iter().any(|r| r == theirs.word()))
}

async fn run(test: &SpfSuiteTest, dns: &DnsConfig) -> Result<bool, String> {
    let query = SpfQuery {
        ip: test.host.parse().expect("the suite's addresses are valid"),
        mail_from: test.mail_from.clone(),
        helo: test.helo.clone(),
    };
    let evaluation = check_host(&query, None, None, dns, None)
        .await
        .expect("the resolver is configured");
    let result = format!("{:?}", evaluation.result).to_ascii_lowercase();
    let explanation = evaluation.explanation.as_deref().unwrap_or("DEFAULT");
    let result_ok = test.results.contains(&result);
    let explanation_ok = test
        .explanation
        .as_deref()
        .is_none_or(|expected| expected == explanation);
    if result_ok && explanation_ok {
        // Where the suite accepts two results, whether Mailwright gives the preferred one.
        return Ok(test.results.first() == Some(&result));
    }
    Err(format!(
        "{} (§{}): expected {:?}{}, got {result} ({}){}",
        test.name,
        test.spec,
        test.results,
        test.explanation
            .as_deref()
            .map(|e| format!(" with explanation “{e}”"))
            .unwrap_or_default(),
        evaluation.problem.as_deref().unwrap_or("-"),
        if explanation_ok {
            String::new()
        } else {
            format!(" with explanation “{explanation}”")
        }
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openspf_rfc7208_suite_passes() {
    let mut total = 0;
    let mut wrong = Vec::new();
    let mut not_preferred = 0;
    // mail-auth's results beside ours: (accepted by the suite, not accepted).
    let mut mail_auth = (0, 0);
    for scenario in rfc7208_scenarios() {
        let server = scenario.serve().await;
        let mut dns = DnsConfig::with_nameserver(server.addr(), NameserverSource::CommandLine);
        // The suite's TIMEOUT entries never answer: a short timeout keeps the run fast.
        dns.timeout = Duration::from_millis(300);
        dns.retries = 0;
        dns.deadline = Duration::from_secs(5);
        total += scenario.tests.len();
        let results = join_all(scenario.tests.iter().map(|test| run(test, &dns))).await;
        for right in join_all(
            scenario
                .tests
                .iter()
                .map(|test| mail_auth_right(test, &dns)),
        )
        .await
        {
            match right {
                Some(true) => mail_auth.0 += 1,
                Some(false) => mail_auth.1 += 1,
                None => {}
            }
        }
        for result in results {
            match result {
                Ok(preferred) => not_preferred += usize::from(!preferred),
                Err(w) => wrong.push(w),
            }
        }
    }
    let unexpected: Vec<&String> = wrong
        .iter()
        .filter(|w| {
            !EXCEPTIONS
                .iter()
                .any(|(name, _)| w.starts_with(&format!("{name} ")))
        })
        .collect();
    println!(
        "OpenSPF RFC 7208 suite: {} of {total} tests pass ({not_preferred} with the second \
         result the suite accepts), {} listed exceptions",
        total - wrong.len(),
        wrong.len() - unexpected.len()
    );
    for w in &wrong {
        println!("  {w}");
    }
    println!(
        "mail-auth 0.13.3 on the same tests: {} of {} give a result the suite accepts, {} do not",
        mail_auth.0,
        mail_auth.0 + mail_auth.1,
        mail_auth.1
    );
    assert!(
        unexpected.is_empty(),
        "{} tests give another result than the suite expects:\n{}",
        unexpected.len(),
        unexpected
            .iter()
            .map(|w| w.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(total > 150, "the suite was read ({total} tests)");
}
