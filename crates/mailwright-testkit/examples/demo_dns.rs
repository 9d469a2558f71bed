//! Serves the demo domains (good.test, nospf.test, …) on 127.0.0.1 until interrupted, so the
//! app or the CLI can be tried offline: `cargo run -p mailwright-testkit --example demo_dns`.

use mailwright_testkit::fixtures::start_demo_dns;

#[tokio::main]
async fn main() {
    let dns = start_demo_dns().await;
    println!("Demo DNS server on {}", dns.addr());
    println!("Try: MAILWRIGHT_NAMESERVER={} cargo xtask run", dns.addr());
    tokio::signal::ctrl_c().await.expect("wait for Ctrl-C");
}
