//! `mailwright reputation check` against the testkit's DNS server: an added list that lists the
//! address is named with its verdict, the catalog's lists (unreachable from here) say "cannot
//! check", and the reverse DNS verdict is printed.

use mailwright_testkit::{TestDns, Zone};

#[tokio::test(flavor = "multi_thread")]
async fn a_listed_address_and_the_lists_that_cannot_be_checked_from_here() {
    let dns = TestDns::start(&[
        Zone::new("bl.test", "2.0.0.127 A 127.0.0.2\n99.2.0.192 A 127.0.0.2\n"),
        Zone::new("2.0.192.in-addr.arpa", "99 PTR mail.good.test.\n"),
        Zone::new("good.test", "mail A 192.0.2.99\n"),
    ])
    .await;
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_mailwright"))
        .args([
            "reputation",
            "check",
            "--ip",
            "192.0.2.99",
            "--blocklist",
            "bl.test:ip",
            "--nameserver",
        ])
        .arg(dns.addr().to_string())
        .env_remove("MAILWRIGHT_NAMESERVER")
        .output()
        .await
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("✓ Reverse DNS: 192.0.2.99 is named mail.good.test"),
        "{text}"
    );
    assert!(
        text.contains("✗ bl.test (bl.test): 192.0.2.99 is LISTED"),
        "{text}"
    );
    assert!(
        text.contains("? Spamhaus ZEN (zen.spamhaus.org): 192.0.2.99 — cannot check from here"),
        "{text}"
    );

    let none = tokio::process::Command::new(env!("CARGO_BIN_EXE_mailwright"))
        .args(["reputation", "check"])
        .output()
        .await
        .unwrap();
    assert_eq!(none.status.code(), Some(2));
}
