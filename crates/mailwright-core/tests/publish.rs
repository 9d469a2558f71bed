//! Every DNS host's presentation of the same records, compared with golden files
//! (`tests/golden/publish/<host>.md`, rewritten with `UPDATE_GOLDEN=1`), and the rules each
//! relies on: relative names and `@`, the doubled-domain warning, quoted and split TXT, the
//! Cloudflare proxy, the second SPF record, and the BIND snippet read back by hickory's zone
//! parser.

use mailwright_core::dns_record::DnsRecord;
use mailwright_core::publish::{
    dns_host, dns_hosts, handoff_html, handoff_markdown, present, zone_snippet,
};
use mailwright_testkit::fixtures::TEST_DKIM_PUBLIC_KEY;

const ZONE: &str = "example.com";
const PUBLISHED_SPF: &str = "v=spf1 mx -all";

fn record(purpose: &str, name: &str, rtype: &str, value: &str) -> DnsRecord {
    DnsRecord {
        purpose: purpose.into(),
        name: name.into(),
        rtype: rtype.into(),
        value: value.into(),
        ttl: 3600,
    }
}

fn records() -> Vec<DnsRecord> {
    vec![
        record(
            "DKIM key",
            "mw202611._domainkey.example.com",
            "TXT",
            &format!("v=DKIM1; k=rsa; p={TEST_DKIM_PUBLIC_KEY}"),
        ),
        record(
            "SendGrid DKIM key",
            "s1._domainkey.example.com",
            "CNAME",
            "s1.domainkey.u123.wl.sendgrid.net",
        ),
        record(
            "SPF",
            "example.com",
            "TXT",
            "v=spf1 include:_spf.google.com include:sendgrid.net -all",
        ),
        record(
            "DMARC policy",
            "_dmarc.example.com",
            "TXT",
            "v=DMARC1; p=none; rua=mailto:dmarc@example.com",
        ),
        record(
            "MTA-STS",
            "_mta-sts.example.com",
            "TXT",
            "v=STSv1; id=20261122",
        ),
        record(
            "TLS reporting",
            "_smtp._tls.example.com",
            "TXT",
            "v=TLSRPTv1; rua=mailto:tls@example.com",
        ),
        record(
            "Report receiver's authorization",
            "example.com._report._dmarc.reports.vendor.example",
            "TXT",
            "v=DMARC1",
        ),
    ]
}

fn golden(name: &str, text: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/publish");
    mailwright_testkit::assert_golden(&dir.join(name), text);
}

#[test]
fn golden_every_hosts_presentation_and_the_zone_snippet() {
    for host in dns_hosts() {
        golden(
            &format!("{}.md", host.id),
            &handoff_markdown(&records(), host, ZONE, Some(PUBLISHED_SPF)),
        );
    }
    golden("zone.txt", &zone_snippet(&records(), ZONE));
}

#[test]
fn names_quotes_and_warnings_follow_each_host() {
    let all = records();
    let (dkim, cname, spf, dmarc) = (&all[0], &all[1], &all[2], &all[3]);
    let godaddy = dns_host("godaddy").unwrap();
    let p = present(dmarc, godaddy, ZONE, None);
    assert_eq!(p.name, "_dmarc");
    assert!(
        p.warnings[0].contains("_dmarc.example.com.example.com"),
        "{:?}",
        p.warnings
    );
    assert_eq!(present(spf, godaddy, ZONE, None).name, "@");
    assert_eq!(
        present(spf, dns_host("route53").unwrap(), ZONE, None).name,
        ""
    );

    let route53 = present(dkim, dns_host("route53").unwrap(), ZONE, None);
    assert!(dkim.value.len() > 255);
    assert_eq!(
        route53.value.matches('"').count(),
        4,
        "two quoted strings: {}",
        route53.value
    );
    let joined: String = route53.value.split('"').skip(1).step_by(2).collect();
    assert_eq!(joined, dkim.value, "the strings join back to the key");
    let cloudflare = dns_host("cloudflare").unwrap();
    assert_eq!(
        present(dkim, cloudflare, ZONE, None).value,
        dkim.value,
        "pasted whole"
    );
    assert!(
        present(cname, cloudflare, ZONE, None)
            .warnings
            .iter()
            .any(|w| w.contains("DNS only"))
    );
    let bind = present(cname, dns_host("bind").unwrap(), ZONE, None);
    assert_eq!(bind.name, "s1._domainkey.example.com.");
    assert_eq!(bind.value, "s1.domainkey.u123.wl.sendgrid.net.");

    let second = present(spf, godaddy, ZONE, Some(PUBLISHED_SPF));
    assert!(
        second
            .warnings
            .iter()
            .any(|w| w.contains("Edit that record")),
        "{:?}",
        second.warnings
    );
    assert!(
        present(dmarc, godaddy, ZONE, Some(PUBLISHED_SPF))
            .warnings
            .iter()
            .all(|w| !w.contains("SPF"))
    );
}

#[test]
fn the_zone_snippet_parses_as_a_zone_file() {
    use hickory_proto::rr::RData;
    use hickory_proto::serialize::txt::Parser;
    let snippet = zone_snippet(&records(), ZONE);
    let text = format!(
        "$ORIGIN example.com.\n@ 3600 IN SOA ns.example.com. admin.example.com. 1 7200 3600 1209600 3600\n{snippet}"
    );
    let (_, zone) = Parser::new(text, None, None)
        .parse()
        .expect("a valid zone file");
    let strings: Vec<Vec<String>> = zone
        .values()
        .flat_map(|set| set.records_without_rrsigs())
        .filter(|r| r.name.to_string().starts_with("mw202611"))
        .filter_map(|r| match &r.data {
            RData::TXT(txt) => Some(
                txt.txt_data
                    .iter()
                    .map(|b| String::from_utf8_lossy(b).into_owned())
                    .collect(),
            ),
            _ => None,
        })
        .collect();
    assert_eq!(strings.len(), 1);
    assert_eq!(strings[0].len(), 2, "two character-strings");
    assert_eq!(
        strings[0].concat(),
        records()[0].value,
        "joined, they are the key"
    );
    assert!(
        zone.keys()
            .all(|key| key.name().to_string().ends_with("example.com.")),
        "only the zone's own names"
    );
    assert!(
        snippet.contains("; Not for this zone: whoever runs that domain publishes example.com._report._dmarc.reports.vendor.example."),
        "{snippet}"
    );
}

#[test]
fn the_html_handoff_is_one_safe_file() {
    let mut hostile = records();
    hostile.push(record(
        "Odd",
        "odd.example.com",
        "TXT",
        "<script>alert(1)</script>",
    ));
    let html = handoff_html(&hostile, dns_host("namecheap").unwrap(), ZONE, None);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script"));
    assert!(html.contains("Namecheap"));
}
