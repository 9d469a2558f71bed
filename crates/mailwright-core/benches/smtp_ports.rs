//! Benchmark: probing three ports at once takes at most 1.2 × the slowest port alone. Three
//! scripted servers answer every reply after 40, 60 and 80 ms (a distant provider's round
//! trip); each probe does TLS and signs in. Prints each port alone and all three together.
//!
//! Run: `cargo bench -p mailwright-core --bench smtp_ports`

use std::time::{Duration, Instant};

use mailwright_core::dns::{DnsConfig, NameserverSource};
use mailwright_core::secrets::Sensitive;
use mailwright_core::smtp::{Credentials, SmtpTarget, SmtpTestRequest, TlsMode, Trust, test_smtp};
use mailwright_testkit::{SMTP_NAME, SmtpScript, SmtpServer};

const RUNS: usize = 5;

async fn median(request: &SmtpTestRequest, dns: &DnsConfig) -> Duration {
    let mut times = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let report = test_smtp(request, dns, None).await.expect("the test runs");
        times.push(started.elapsed());
        for port in &report.ports {
            assert!(
                port.findings.iter().any(|f| f.id == "smtp.auth.ok"),
                "{:?}",
                port.findings
            );
        }
    }
    times.sort();
    times[RUNS / 2]
}

#[tokio::main]
async fn main() {
    let mut servers = Vec::new();
    for (ms, implicit) in [(40, false), (60, true), (80, false)] {
        servers.push((
            SmtpServer::start(SmtpScript {
                implicit_tls: implicit,
                reply_delay: Duration::from_millis(ms),
                ..SmtpScript::default()
            })
            .await,
            implicit,
        ));
    }
    let mut pem = String::new();
    let mut targets = Vec::new();
    for (server, implicit) in &servers {
        pem.push_str(server.ca_pem());
        targets.push(SmtpTarget {
            host: "127.0.0.1".into(),
            port: server.addr().port(),
            tls: if *implicit {
                TlsMode::Implicit
            } else {
                TlsMode::Starttls
            },
            server_name: Some(SMTP_NAME.into()),
        });
    }
    let dns = DnsConfig::with_nameserver(
        "127.0.0.1:9".parse().unwrap(),
        NameserverSource::CommandLine,
    );
    let request = |targets: Vec<SmtpTarget>| SmtpTestRequest {
        targets,
        trust: Trust::from_pem(&pem, "test CAs").expect("the test CAs"),
        credentials: Some(Credentials {
            user: "tester@example.com".into(),
            secret: Sensitive::new("correct horse battery staple".into()),
            mechanism: None,
        }),
        ..SmtpTestRequest::default()
    };
    let mut slowest = Duration::ZERO;
    for target in &targets {
        let alone = median(&request(vec![target.clone()]), &dns).await;
        println!(
            "port {} ({}) alone: median {alone:.0?}",
            target.port,
            target.tls.label()
        );
        slowest = slowest.max(alone);
    }
    let together = median(&request(targets.clone()), &dns).await;
    let budget = slowest.mul_f64(1.2);
    println!(
        "three ports at once: median {together:.0?}; slowest single port {slowest:.0?}; budget 1.2 × slowest = {budget:.0?}"
    );
    assert!(
        together <= budget,
        "{together:?} is over the {budget:?} budget"
    );
}
