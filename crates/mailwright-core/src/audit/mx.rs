//! Mail servers: the MX records (null MX recognized, RFC 7505) and each host's addresses.

use crate::dns::{RData, RecordType};
use futures::future::join_all;

use crate::dns::lookup_failed;
use crate::dns::{DnsClient, Lookup, Outcome};
use crate::domain::DomainName;
use crate::finding::{Finding, Severity, Topic};

const TOPIC: Topic = Topic::MailServers;

/// Looks up the MX records, then the A and AAAA records of every MX host, concurrently.
pub async fn check(dns: &DnsClient, domain: &DomainName) -> Vec<Finding> {
    let mx = dns.lookup(domain.as_str(), RecordType::MX).await;
    match &mx.outcome {
        Outcome::Timeout | Outcome::ServFail(_) => {
            lookup_failed(TOPIC, "your mail servers", &[&mx])
                .into_iter()
                .collect()
        }
        Outcome::NxDomain => vec![not_found(domain, &mx)],
        Outcome::NoData => vec![missing(domain, &mx)],
        Outcome::Records(records) => {
            let hosts: Vec<(u16, String)> = records
                .iter()
                .filter_map(|r| match r {
                    RData::MX(mx) => Some((mx.preference, mx.exchange.to_string())),
                    _ => None,
                })
                .collect();
            if hosts.iter().any(|(_, host)| host == ".") {
                return vec![null_mx(domain, &mx, hosts.len() > 1)];
            }
            hosts_with_addresses(dns, domain, &mx, hosts).await
        }
    }
}

async fn hosts_with_addresses(
    dns: &DnsClient,
    domain: &DomainName,
    mx: &Lookup,
    hosts: Vec<(u16, String)>,
) -> Vec<Finding> {
    let mut names: Vec<String> = hosts
        .iter()
        .map(|(_, h)| h.trim_end_matches('.').to_owned())
        .collect();
    names.sort();
    names.dedup();
    let lookups: Vec<(Lookup, Lookup)> = join_all(names.iter().map(|host| async move {
        tokio::join!(
            dns.lookup(host, RecordType::A),
            dns.lookup(host, RecordType::AAAA)
        )
    }))
    .await;
    let mut findings = Vec::new();
    let mut evidence = mx.evidence();
    let mut without_address = Vec::new();
    for (a, aaaa) in &lookups {
        for lookup in [a, aaaa] {
            if !lookup.records().is_empty() {
                evidence.extend(lookup.evidence());
            }
        }
        let resolved = !a.records().is_empty() || !aaaa.records().is_empty();
        if !resolved && !a.failed() && !aaaa.failed() {
            without_address.push((a, aaaa));
        }
    }
    let failed: Vec<&Lookup> = lookups.iter().flat_map(|(a, aaaa)| [a, aaaa]).collect();
    findings.extend(lookup_failed(
        TOPIC,
        "the addresses of your mail servers",
        &failed,
    ));
    for (a, aaaa) in without_address {
        findings.push(
            Finding::new(
                "mx.host_no_address",
                Severity::Warn,
                TOPIC,
                format!(
                    "The mail server {} has no IP address, so mail cannot reach it.",
                    a.name
                ),
                "An MX record names this host, but the host has neither an A (IPv4) nor an AAAA \
                 (IPv6) record. Replies and bounces sent to that host are lost.",
            )
            .fix(format!(
                "Publish an A record for {}, or remove the MX record that points to it.",
                a.name
            ))
            .evidence(a.evidence().into_iter().chain(aaaa.evidence())),
        );
    }
    findings.push(
        Finding::new(
            "mx.found",
            Severity::Pass,
            TOPIC,
            format!(
                "{domain} publishes {} mail server{} (MX).",
                names.len(),
                if names.len() == 1 { "" } else { "s" }
            ),
            "Receivers can send replies and bounces back to your domain, and many check that a \
             sending domain accepts mail.",
        )
        .evidence(evidence),
    );
    findings
}

fn missing(domain: &DomainName, mx: &Lookup) -> Finding {
    Finding::new(
        "mx.missing",
        Severity::Warn,
        TOPIC,
        format!("{domain} publishes no mail servers (MX records)."),
        "Without MX records, replies and bounces to your domain cannot be delivered, and some \
         receivers distrust mail from a domain that cannot receive any.",
    )
    .fix("Publish the MX records your mail provider gives you.")
    .evidence(mx.evidence())
}

fn not_found(domain: &DomainName, mx: &Lookup) -> Finding {
    Finding::new(
        "domain.not_found",
        Severity::Fail,
        TOPIC,
        format!("{domain} does not exist in DNS."),
        "The DNS server says there is no such domain (NXDOMAIN). Mail from it will be refused \
         everywhere.",
    )
    .fix("Check the spelling of the domain; if it is new, make sure it is registered and its DNS is set up.")
    .evidence(mx.evidence())
}

fn null_mx(domain: &DomainName, mx: &Lookup, mixed: bool) -> Finding {
    let finding = if mixed {
        Finding::new(
            "mx.null_mixed",
            Severity::Warn,
            TOPIC,
            format!("{domain} mixes a \"null MX\" with other MX records."),
            "A null MX (\"0 .\") says a domain accepts no mail; it must be the only MX record \
             (RFC 7505 §3). Mixed with others, receivers may treat the domain either way.",
        )
        .fix("Remove the \"0 .\" MX record if the domain receives mail, or remove the other MX records if it does not.")
    } else {
        Finding::new(
            "mx.null",
            Severity::Warn,
            TOPIC,
            format!("{domain} says it accepts no mail (null MX)."),
            "This domain publishes a \"null MX\" (RFC 7505): it receives no mail. Receivers may \
             refuse mail sent from it (reply code 550 5.7.27), and replies and bounces cannot \
             come back.",
        )
        .fix("If people should be able to reply, replace the null MX with your mail provider's MX records; otherwise send from a domain that receives mail.")
    };
    finding.evidence(mx.evidence())
}
