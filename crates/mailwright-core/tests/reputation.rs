//! Reverse DNS and blocklists against the testkit's DNS server: a list that answers its test
//! points right is trusted (a listed address is named with its meaning and delisting page), one
//! that lists everything is "cannot check from here", Spamhaus's public-resolver answer is a
//! refusal (never "listed"), an answer outside 127/8 is tampering; PTR names forward-confirmed,
//! missing or dynamic-looking.

use mailwright_core::dns::{DnsClient, DnsConfig, NameserverSource};
use mailwright_core::reputation::{
    Blocklist, ListKind, Listing, blocklists, check_blocklists, check_ptr,
};
use mailwright_testkit::{TestDns, Zone};

async fn dns() -> TestDns {
    TestDns::start(&[
        Zone::new("bl.test", "2.0.0.127 A 127.0.0.2\n99.2.0.192 A 127.0.0.2\n"),
        Zone::new("everything.test", "* A 127.0.0.2\n"),
        Zone::new("zen.test", "* A 127.255.255.254\n"),
        Zone::new("rewrites.test", "* A 10.0.0.1\n"),
        Zone::new("dom.test", "test A 127.0.0.2\nspammy.example A 127.0.0.2\n"),
        Zone::new(
            "2.0.192.in-addr.arpa",
            "99 PTR mail.good.test.\n98 PTR 192-0-2-98.dyn.isp.test.\n97 PTR elsewhere.good.test.\n",
        ),
        Zone::new(
            "good.test",
            "mail A 192.0.2.99\nmail AAAA 2001:db8::25\nelsewhere A 198.51.100.1\nalias A 192.0.2.99\n",
        ),
        Zone::new(
            "8.b.d.0.1.0.0.2.ip6.arpa",
            "5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0 PTR mail.good.test.\n6.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0 PTR elsewhere.good.test.\n",
        ),
        Zone::new("isp.test", "192-0-2-98.dyn A 192.0.2.98\n"),
    ])
    .await
}

fn config(server: &TestDns) -> DnsConfig {
    DnsConfig::with_nameserver(server.addr(), NameserverSource::CommandLine)
}

#[tokio::test]
async fn each_list_is_trusted_only_when_its_test_points_answer_right() {
    let server = dns().await;
    let zen = blocklists()
        .iter()
        .find(|l| l.zone == "zen.spamhaus.org")
        .unwrap();
    let lists = vec![
        Blocklist::custom("bl.test", ListKind::Ip),
        Blocklist::custom("everything.test", ListKind::Ip),
        Blocklist {
            zone: "zen.test".into(),
            ..zen.clone()
        },
        Blocklist::custom("rewrites.test", ListKind::Ip),
        Blocklist::custom("dom.test", ListKind::Domain),
    ];
    let ips = ["192.0.2.99".parse().unwrap(), "192.0.2.1".parse().unwrap()];
    let domains = ["spammy.example".to_owned(), "clean.example".to_owned()];
    let verdicts = check_blocklists(&lists, &ips, &domains, &config(&server))
        .await
        .unwrap();
    let of = |zone: &str, subject: &str| {
        verdicts
            .iter()
            .find(|v| v.zone == zone && v.subject == subject)
            .unwrap_or_else(|| panic!("{zone} {subject}: {verdicts:?}"))
            .listing
            .clone()
    };
    assert!(matches!(
        of("bl.test", "192.0.2.99"),
        Listing::Listed { .. }
    ));
    assert_eq!(of("bl.test", "192.0.2.1"), Listing::NotListed);
    assert!(
        matches!(of("everything.test", "192.0.2.1"), Listing::CannotCheck { why } if why.contains("for everything"))
    );
    assert!(
        matches!(of("zen.test", "192.0.2.99"), Listing::CannotCheck { why } if why.contains("public DNS resolvers"))
    );
    assert!(
        matches!(of("rewrites.test", "192.0.2.99"), Listing::CannotCheck { why } if why.contains("rewrites"))
    );
    assert!(matches!(
        of("dom.test", "spammy.example"),
        Listing::Listed { .. }
    ));
    assert_eq!(of("dom.test", "clean.example"), Listing::NotListed);
    // IP lists are not asked about domains, nor domain lists about addresses.
    assert!(
        !verdicts
            .iter()
            .any(|v| v.zone == "bl.test" && v.subject.contains("example"))
    );

    // The catalog's real lists cannot be reached from the test DNS server: their test points
    // fail, so they say "cannot check from here", never "not listed".
    let real = check_blocklists(blocklists(), &ips[..1], &[], &config(&server))
        .await
        .unwrap();
    assert!(!real.is_empty());
    assert!(real.iter().all(|v| matches!(&v.listing, Listing::CannotCheck { why } if why.contains("not answering as documented") || why.contains("did not answer"))), "{real:?}");
}

#[tokio::test]
async fn reverse_dns_is_forward_confirmed_and_not_a_dynamic_pool() {
    let server = dns().await;
    let client = DnsClient::new(&config(&server), None).unwrap();
    let good = check_ptr(&client, "192.0.2.99".parse().unwrap()).await;
    assert!(good.passes && good.confirmed && !good.generic, "{good:?}");
    let dynamic = check_ptr(&client, "192.0.2.98".parse().unwrap()).await;
    assert!(
        !dynamic.passes && dynamic.confirmed && dynamic.generic,
        "{dynamic:?}"
    );
    assert!(dynamic.sentence.contains("dynamic"));
    let unconfirmed = check_ptr(&client, "192.0.2.97".parse().unwrap()).await;
    assert!(
        !unconfirmed.passes && !unconfirmed.confirmed,
        "{unconfirmed:?}"
    );
    // IPv6: forward-confirmed through AAAA; a name without the address is not.
    let six = check_ptr(&client, "2001:db8::25".parse().unwrap()).await;
    assert!(six.passes && six.confirmed, "{six:?}");
    let six_elsewhere = check_ptr(&client, "2001:db8::26".parse().unwrap()).await;
    assert!(
        !six_elsewhere.passes && !six_elsewhere.confirmed,
        "{six_elsewhere:?}"
    );
    let missing = check_ptr(&client, "192.0.2.5".parse().unwrap()).await;
    assert!(
        !missing.passes && missing.sentence.contains("no reverse DNS"),
        "{missing:?}"
    );
}

#[tokio::test]
async fn the_server_s_own_name_must_resolve_to_it_and_be_its_reverse_name() {
    use mailwright_core::reputation::{ReputationRequest, check_reputation};
    let server = dns().await;
    let ip: std::net::IpAddr = "192.0.2.99".parse().unwrap();
    let run = |name: &str| {
        let request = ReputationRequest {
            ips: vec![ip],
            domains: Vec::new(),
            lists: vec![Blocklist::custom("bl.test", ListKind::Ip)],
            ehlo: Some((name.to_owned(), ip)),
        };
        let config = config(&server);
        async move { check_reputation(&request, &config).await.unwrap() }
    };
    // mail.good.test resolves to 192.0.2.99, whose PTR names it — but bl.test lists the address.
    let listed = run("mail.good.test").await;
    let ehlo = listed.ehlo.as_ref().unwrap();
    assert!(ehlo.passes && ehlo.resolves && ehlo.matches_ptr, "{ehlo:?}");
    assert_eq!(listed.listed, 1);
    assert!(!listed.passed);
    assert!(
        listed.next_step.starts_with("192.0.2.99 is on bl.test"),
        "{}",
        listed.next_step
    );
    // A name that resolves elsewhere, and one that resolves to it but is not its PTR name.
    let elsewhere = run("elsewhere.good.test").await;
    let ehlo = elsewhere.ehlo.as_ref().unwrap();
    assert!(!ehlo.passes && !ehlo.resolves, "{ehlo:?}");
    assert!(
        ehlo.sentence.contains("does not resolve to 192.0.2.99"),
        "{}",
        ehlo.sentence
    );
    let alias = run("alias.good.test").await;
    let ehlo = alias.ehlo.unwrap();
    assert!(
        !ehlo.passes && ehlo.resolves && !ehlo.matches_ptr,
        "{ehlo:?}"
    );
    assert!(
        ehlo.sentence
            .contains("set the PTR of 192.0.2.99 to alias.good.test"),
        "{}",
        ehlo.sentence
    );
}
