//! DMARC: the record at `_dmarc.<domain>`, or else the one found by the RFC 9989 DNS tree walk.

use hickory_proto::rr::RecordType;
use mail_auth::common::parse::TxtRecordParser;
use mail_auth::dmarc::{Dmarc, Policy};

use super::failure::lookup_failed;
use crate::dns::{DnsClient, Lookup};
use crate::domain::DomainName;
use crate::finding::{Evidence, Finding, Severity, Topic};

const TOPIC: Topic = Topic::Dmarc;

/// At most this many queries in one tree walk (RFC 9989 §4.10).
const MAX_WALK_QUERIES: usize = 8;

/// The names a DMARC tree walk queries for `domain`, in order (RFC 9989 §4.10): the domain,
/// then — jumping to the seven right-most labels when there are eight or more — one label
/// shorter each time, down to the top-level domain.
pub fn tree_walk_targets(domain: &str) -> Vec<String> {
    let labels: Vec<&str> = domain.split('.').collect();
    let mut targets = vec![domain.to_owned()];
    let mut count = labels.len();
    if count >= 8 {
        count = 7;
    } else {
        count -= 1;
    }
    while count >= 1 && targets.len() < MAX_WALK_QUERIES {
        targets.push(labels[labels.len() - count..].join("."));
        count -= 1;
    }
    targets
}

/// Finds the DMARC record that applies to the domain and checks its policy.
pub async fn check(dns: &DnsClient, domain: &DomainName) -> Vec<Finding> {
    let mut looked_up: Vec<Lookup> = Vec::new();
    for target in tree_walk_targets(domain.as_str()) {
        let lookup = dns
            .lookup(&format!("_dmarc.{target}"), RecordType::TXT)
            .await;
        if let Some(failed) = lookup_failed(TOPIC, "DMARC", &[&lookup]) {
            return vec![failed];
        }
        let records: Vec<String> = lookup.txt().into_iter().filter(|t| is_dmarc(t)).collect();
        match records.len() {
            0 => looked_up.push(lookup),
            1 => return policy_findings(domain, &target, &lookup.name, &records[0]),
            n => {
                // RFC 7489 §6.6.3: several records mean no policy at all.
                return vec![
                    Finding::new(
                        "dmarc.multiple_records",
                        Severity::Fail,
                        TOPIC,
                        format!(
                            "{} publishes {n} DMARC records; receivers ignore them all.",
                            lookup.name
                        ),
                        "When more than one v=DMARC1 record is published at the same name, \
                         receivers apply no DMARC policy at all (RFC 7489 §6.6.3).",
                    )
                    .fix("Keep one v=DMARC1 record and delete the others.")
                    .evidence(
                        records
                            .iter()
                            .map(|r| Evidence::new(&lookup.name, "TXT", r)),
                    ),
                ];
            }
        }
    }
    vec![
        Finding::new(
            "dmarc.missing",
            Severity::Fail,
            TOPIC,
            format!("{domain} has no DMARC record."),
            "DMARC tells receivers what to do with mail that fails SPF and DKIM, and sends you \
             reports of who sends as your domain. Gmail, Yahoo and Microsoft require it from bulk \
             senders; p=none is enough to start.",
        )
        .fix(format!(
            "Publish a TXT record at _dmarc.{domain} such as \"v=DMARC1; p=none; rua=mailto:dmarc-reports@{domain}\" (Mailwright's DMARC step composes it)."
        ))
        .evidence(looked_up.iter().flat_map(Lookup::evidence)),
    ]
}

/// True when a TXT record is a DMARC record (it starts with the `v=DMARC1` tag).
fn is_dmarc(txt: &str) -> bool {
    let mut parts = txt.trim_start().splitn(2, ';');
    let first = parts.next().unwrap_or_default();
    first
        .split_once('=')
        .is_some_and(|(k, v)| k.trim() == "v" && v.trim() == "DMARC1")
}

fn policy_findings(domain: &DomainName, found_at: &str, name: &str, record: &str) -> Vec<Finding> {
    let evidence = [Evidence::new(name, "TXT", record)];
    let parsed = match Dmarc::parse(record.as_bytes()) {
        Ok(parsed) => parsed,
        Err(error) => {
            return vec![
                Finding::new(
                    "dmarc.syntax",
                    Severity::Fail,
                    TOPIC,
                    format!("The DMARC record at {name} cannot be read ({error})."),
                    "Receivers ignore a DMARC record they cannot parse, so your domain has no \
                     DMARC policy in effect.",
                )
                .fix("Correct the record so that it reads like \"v=DMARC1; p=none; rua=mailto:…\" (tags separated by semicolons).")
                .evidence(evidence),
            ];
        }
    };
    let inherited = found_at != domain.as_str();
    // For a subdomain the organizational record's sp= applies, else its p= (RFC 9989 §4.10).
    let policy = match (inherited, parsed.sp) {
        (true, sp) if sp != Policy::Unspecified => sp,
        _ => parsed.p,
    };
    let mut findings = Vec::new();
    if inherited {
        findings.push(
            Finding::new(
                "dmarc.inherited",
                Severity::Info,
                TOPIC,
                format!("{domain} has no DMARC record of its own; receivers apply the one of {found_at}."),
                format!(
                    "Receivers walk up the DNS tree (RFC 9989) and use the policy published for \
                     {found_at}, which is {} for its subdomains.",
                    policy_word(policy)
                ),
            )
            .fix(format!(
                "Nothing is required. To set a different policy for {domain}, publish its own record at _dmarc.{domain}."
            ))
            .evidence(evidence.clone()),
        );
    }
    findings.push(match policy {
        Policy::None | Policy::Unspecified => Finding::new(
            "dmarc.policy_none",
            Severity::Warn,
            TOPIC,
            format!("The DMARC policy for {domain} is p=none: mail that fails checks is still delivered."),
            "p=none only monitors. It is the right first step, but anyone can still send mail \
             that looks like yours. Once your reports show every real sender passes, move to \
             quarantine and then reject.",
        )
        .fix("Review your DMARC reports, then change the policy to p=quarantine, and later to p=reject.")
        .evidence(evidence.clone()),
        Policy::Quarantine | Policy::Reject => Finding::new(
            "dmarc.ok",
            Severity::Pass,
            TOPIC,
            format!("DMARC for {domain} is enforced ({}).", policy_word(policy)),
            "Receivers quarantine or reject mail that claims to be from your domain but fails \
             SPF and DKIM alignment.",
        )
        .evidence(evidence.clone()),
    });
    if parsed.rua.is_empty() {
        findings.push(
            Finding::new(
                "dmarc.no_reports",
                Severity::Info,
                TOPIC,
                "The DMARC record asks for no aggregate reports (no rua=).",
                "Without reports you cannot see which servers send mail as your domain, which \
                 you need before tightening the policy.",
            )
            .fix("Add rua=mailto:an-address-you-read to the DMARC record.")
            .evidence(evidence),
        );
    }
    findings
}

fn policy_word(policy: Policy) -> &'static str {
    match policy {
        Policy::None | Policy::Unspecified => "p=none",
        Policy::Quarantine => "quarantine",
        Policy::Reject => "reject",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_walk_goes_up_to_the_top_level_domain() {
        assert_eq!(
            tree_walk_targets("mail.example.com"),
            ["mail.example.com", "example.com", "com"]
        );
        assert_eq!(tree_walk_targets("example.com"), ["example.com", "com"]);
    }

    #[test]
    fn tree_walk_jumps_to_seven_labels_and_stays_within_eight_queries() {
        let long = "a.b.c.d.e.f.g.h.i.example.com";
        let targets = tree_walk_targets(long);
        assert_eq!(targets[0], long);
        assert_eq!(targets[1], "e.f.g.h.i.example.com");
        assert_eq!(targets[1].split('.').count(), 7);
        assert_eq!(targets.len(), 8);
        assert_eq!(targets.last().unwrap(), "com");
    }

    #[test]
    fn recognizes_dmarc_records() {
        assert!(is_dmarc("v=DMARC1; p=none"));
        assert!(is_dmarc("v = DMARC1;p=reject"));
        assert!(!is_dmarc("p=none; v=DMARC1"));
        assert!(!is_dmarc("v=spf1 -all"));
    }
}
