//! The SPF checker against a real DNS server (the testkit's hickory-server on loopback): the
//! RFC 7208 §4.6.4 limits, loops, `+all`, `ptr`, long and split records, redirect and `exp`.

use std::time::Duration;

use mailwright_core::dns::{DnsConfig, NameserverSource};
use mailwright_core::parse_domain_input;
use mailwright_core::spf::{SpfCheckReport, check_spf};
use mailwright_testkit::fixtures::spf::*;
use mailwright_testkit::fixtures::{TWO_SPF, start_demo_dns};

async fn check(domain: &str) -> SpfCheckReport {
    let dns = start_demo_dns().await;
    let mut config = DnsConfig::with_nameserver(dns.addr(), NameserverSource::CommandLine);
    config.timeout = Duration::from_millis(400);
    check_spf(&parse_domain_input(domain).unwrap().domain, &config, None)
        .await
        .unwrap()
}

fn ids(report: &SpfCheckReport) -> Vec<&str> {
    report.findings.iter().map(|f| f.id.as_str()).collect()
}

#[tokio::test]
async fn ten_lookups_pass_and_eleven_fail() {
    let ten = check(TEN).await;
    assert_eq!((ten.dns_lookups, ids(&ten)), (10, vec!["spf.ok"]));
    assert_eq!(ten.tree.children.len(), 10);
    assert!(
        ten.tree
            .children
            .iter()
            .all(|c| c.cost == 0 && c.via.starts_with("include:"))
    );
    let eleven = check(ELEVEN).await;
    assert_eq!(
        (eleven.dns_lookups, ids(&eleven)),
        (11, vec!["spf.lookups.over_limit"])
    );
    assert!(eleven.findings[0].title.contains("11 DNS lookups"));
}

#[tokio::test]
async fn an_include_that_could_not_be_looked_up_is_not_a_pass() {
    let report = check(INCLUDE_FAILS).await;
    assert_eq!(ids(&report), ["spf.include.lookup_failed"]);
    assert_eq!(report.findings[0].severity, mailwright_core::Severity::Warn);
    assert!(report.findings[0].title.contains("include:slow.test"));
    let failed = &report.tree.children[0];
    assert!(failed.record.is_none());
    assert!(
        failed
            .problem_words
            .as_deref()
            .unwrap()
            .contains("could not be looked up")
    );
}

#[tokio::test]
async fn three_void_lookups_fail() {
    let report = check(VOIDS).await;
    assert_eq!((report.dns_lookups, report.void_lookups), (3, 3));
    assert_eq!(ids(&report), ["spf.void_lookups.over_limit"]);
}

#[tokio::test]
async fn an_include_loop_is_detected() {
    let report = check(LOOP).await;
    assert_eq!(ids(&report), ["spf.loop"]);
    assert_eq!(report.tree.children[0].children[0].domain, LOOP);
}

#[tokio::test]
async fn plus_all_ptr_and_syntax_are_named() {
    assert_eq!(ids(&check(PLUS_ALL).await), ["spf.plus_all"]);
    assert_eq!(ids(&check(PTR).await), ["spf.ptr", "spf.ok"]);
    let syntax = check(SYNTAX).await;
    assert_eq!(ids(&syntax), ["spf.syntax"]);
    assert!(
        syntax.findings[0].title.contains("inlcude:_spf.google.com"),
        "{}",
        syntax.findings[0].title
    );
    assert_eq!(ids(&check(TWO_SPF).await), ["spf.multiple_records"]);
}

#[tokio::test]
async fn a_record_split_inside_a_token_is_joined_and_flagged_as_long() {
    let report = check(SPLIT).await;
    assert_eq!(ids(&report), ["spf.too_long", "spf.ok"]);
    let record = report.tree.record.clone().unwrap();
    assert!(
        record.contains(" ip4:198.51.100.13 ") && record.len() > 450,
        "{record}"
    );
}

#[tokio::test]
async fn mx_with_more_than_ten_hosts_fails() {
    let report = check(MX_MANY).await;
    assert_eq!(ids(&report), ["spf.mx.over_limit"]);
    assert!(report.findings[0].title.contains("11 mail servers"));
}

#[tokio::test]
async fn redirect_chains_count_and_exp_does_not() {
    let redirect = check(REDIRECT).await;
    // redirect (1) → r1: include (1) + redirect (1) → n2: nothing.
    assert_eq!((redirect.dns_lookups, ids(&redirect)), (3, vec!["spf.ok"]));
    assert_eq!(redirect.tree.children[0].children.len(), 2);
    let exp = check(EXP).await;
    assert_eq!((exp.dns_lookups, ids(&exp)), (0, vec!["spf.ok"]));
}

#[tokio::test]
async fn a_domain_without_spf_is_missing() {
    assert_eq!(ids(&check("nospf.test").await), ["spf.missing"]);
}

/// A hostile tree: every record includes the 50 records of the next level, four levels deep
/// (50^4 paths). One budget for the whole walk cuts it after a bounded amount of work, each
/// name is asked once, and the finding says the walk was cut.
#[tokio::test]
async fn a_fan_out_of_includes_is_cut_by_one_budget_for_the_whole_walk() {
    use mailwright_core::spf::{MAX_WALK_NODES, MAX_WALK_QUERIES};
    use mailwright_testkit::{TestDns, Zone};
    const WIDTH: usize = 50;
    let level = |k: usize| -> String {
        let includes: String = (0..WIDTH)
            .map(|i| format!(" \"include:n{i}.l{k}.fan.test \""))
            .collect();
        format!("TXT \"v=spf1 \"{includes} \"-all\"")
    };
    let mut records = format!("@ {}\n", level(1));
    for k in 1..=4 {
        for i in 0..WIDTH {
            let record = if k < 4 {
                level(k + 1)
            } else {
                "TXT \"v=spf1 -all\"".to_owned()
            };
            records.push_str(&format!("n{i}.l{k} {record}\n"));
        }
    }
    let dns = TestDns::start(&[Zone::new("fan.test", &records)]).await;
    let mut config = DnsConfig::with_nameserver(dns.addr(), NameserverSource::CommandLine);
    config.timeout = Duration::from_millis(400);
    let domain = parse_domain_input("fan.test").unwrap().domain;
    let report = tokio::time::timeout(Duration::from_secs(5), check_spf(&domain, &config, None))
        .await
        .expect("the walk ends within its budget")
        .unwrap();
    assert!(
        ids(&report).contains(&"spf.walk.cut") && ids(&report).contains(&"spf.lookups.over_limit"),
        "{:?}",
        ids(&report)
    );
    let over = report
        .findings
        .iter()
        .find(|f| f.id == "spf.lookups.over_limit")
        .unwrap();
    assert!(over.title.contains("at least"), "{}", over.title);
    fn count(node: &mailwright_core::spf::SpfNode) -> u32 {
        1 + node.children.iter().map(count).sum::<u32>()
    }
    assert!(count(&report.tree) <= MAX_WALK_NODES);
    // The tree says where it was cut, in the words the window shows.
    fn cut_here(node: &mailwright_core::spf::SpfNode) -> bool {
        node.problem_words.as_deref() == Some("too many lookups in all: not followed")
            || node.children.iter().any(cut_here)
    }
    assert!(cut_here(&report.tree));
    assert!(
        dns.queries() <= MAX_WALK_QUERIES as usize + 1,
        "{} queries",
        dns.queries()
    );
}
