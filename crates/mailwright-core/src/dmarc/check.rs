//! The DMARC checker: discovery, the strict reader, the policy in effect and the external
//! report authorizations, as findings.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::discovery::{Discovery, discover};
use super::external::{authorization_name, check_authorization, external_destinations};
use super::record::{DiscardedTag, DmarcPolicy, DmarcRecord};
use crate::dns::lookup_failed;
use crate::dns::{DnsClient, DnsConfig, Lookup, ProgressSink};
use crate::domain::DomainName;
use crate::error::EngineError;
use crate::finding::{Evidence, Finding, Severity, Topic};

const TOPIC: Topic = Topic::Dmarc;

/// The DMARC check of one domain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DmarcCheckReport {
    /// The domain, in ASCII form.
    pub domain: String,
    /// The DNS server asked.
    pub nameserver: String,
    /// The domain whose record applies (the domain itself or a parent), if one was found.
    pub found_at: Option<String>,
    /// The record as published.
    pub record: Option<String>,
    /// The record as read, when it could be read.
    pub parsed: Option<DmarcRecord>,
    /// The policy receivers apply to this domain's mail.
    pub policy: Option<DmarcPolicy>,
    /// The findings, worst first.
    pub findings: Vec<Finding>,
}

/// Checks the DMARC policy that applies to `domain`.
pub async fn check_dmarc(
    domain: &DomainName,
    dns: &DnsConfig,
    progress: Option<ProgressSink>,
) -> Result<DmarcCheckReport, EngineError> {
    let client = DnsClient::new(dns, progress)?;
    let outcome = dmarc_findings(&client, domain).await;
    let mut findings = outcome.findings;
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    Ok(DmarcCheckReport {
        domain: domain.as_str().to_owned(),
        nameserver: client.server().to_owned(),
        found_at: outcome.found_at,
        record: outcome.record,
        policy: outcome.policy,
        parsed: outcome.parsed,
        findings,
    })
}

/// What the checker found, for the audit and the report.
pub(crate) struct DmarcOutcome {
    pub found_at: Option<String>,
    pub record: Option<String>,
    pub parsed: Option<DmarcRecord>,
    pub policy: Option<DmarcPolicy>,
    pub findings: Vec<Finding>,
}

/// The policy for the domain as published: its own `p`, or for a subdomain the organization's
/// `sp` (else `p`). A record without `p` is applied as none (RFC 9989).
fn published_policy(record: &DmarcRecord, inherited: bool) -> DmarcPolicy {
    match (inherited, record.sp) {
        (true, Some(sp)) => sp,
        _ => record.p.unwrap_or(DmarcPolicy::None),
    }
}

/// The policy in effect: the published one, one step lower while `t=y` (RFC 9989 §4.7).
fn effective_policy(record: &DmarcRecord, inherited: bool) -> DmarcPolicy {
    let policy = published_policy(record, inherited);
    if record.testing {
        policy.lowered()
    } else {
        policy
    }
}

fn outcome(findings: Vec<Finding>) -> DmarcOutcome {
    DmarcOutcome {
        found_at: None,
        record: None,
        parsed: None,
        policy: None,
        findings,
    }
}

/// Runs discovery and turns it into findings.
pub(crate) async fn dmarc_findings(dns: &DnsClient, domain: &DomainName) -> DmarcOutcome {
    let (target, lookup, record) = match discover(dns, domain.as_str()).await {
        Discovery::Found {
            target,
            lookup,
            record,
        } => (target, lookup, record),
        Discovery::Failed(lookup) => {
            return outcome(
                lookup_failed(TOPIC, "DMARC", &[&lookup])
                    .into_iter()
                    .collect(),
            );
        }
        Discovery::Multiple { lookup, records } => {
            return outcome(vec![
                Finding::new(
                    "dmarc.multiple_records",
                    Severity::Fail,
                    TOPIC,
                    format!("{} publishes {} DMARC records; receivers ignore them all.", lookup.name, records.len()),
                    "When more than one v=DMARC1 record is published at the same name, receivers apply no DMARC policy at all.",
                )
                .fix("Keep one v=DMARC1 record and delete the others.")
                .reference("RFC 7489 §6.6.3")
                .evidence(records.iter().map(|r| Evidence::record(&lookup.name, "TXT", r))),
            ]);
        }
        Discovery::Missing(looked_up) => {
            return outcome(vec![
                Finding::new(
                    "dmarc.missing",
                    Severity::Fail,
                    TOPIC,
                    format!("{domain} has no DMARC record."),
                    "DMARC tells receivers what to do with mail that fails SPF and DKIM, and sends you reports of who sends as your domain. Gmail, Yahoo and Microsoft require it from bulk senders; p=none is enough to start.",
                )
                .fix(format!(
                    "Publish a TXT record at _dmarc.{domain} such as \"v=DMARC1; p=none; rua=mailto:dmarc-reports@{domain}\" (Mailwright's DMARC step composes it)."
                ))
                .evidence(looked_up.iter().flat_map(Lookup::evidence)),
            ]);
        }
    };
    let evidence = [Evidence::record(&lookup.name, "TXT", &record)];
    let inherited = target != domain.as_str();
    let mut result = DmarcOutcome {
        found_at: Some(target.clone()),
        record: Some(record.clone()),
        parsed: None,
        policy: None,
        findings: Vec::new(),
    };
    let parsed = match DmarcRecord::parse(&record) {
        Ok(parsed) => parsed,
        Err(error) => {
            result
                .findings
                .push(syntax(&lookup.name, &error.to_string(), &evidence));
            return result;
        }
    };
    let findings = &mut result.findings;
    if parsed.validate().is_err() {
        findings.push(missing_policy(&lookup.name, &parsed, &evidence));
        if parsed.rua.is_empty() {
            // Receivers ignore the record: no policy applies.
            result.parsed = Some(parsed);
            return result;
        }
    }
    findings.extend(
        parsed
            .discarded
            .iter()
            .filter(|d| d.tag != "p")
            .map(|d| discarded(&lookup.name, d, &evidence)),
    );
    let unsupported = parsed.unsupported_report_uris();
    if !unsupported.is_empty() {
        findings.push(
            Finding::new(
                "dmarc.report_uri.unsupported",
                Severity::Warn,
                TOPIC,
                format!(
                    "The DMARC record at {} sends reports to {}, where receivers do not deliver them.",
                    lookup.name,
                    unsupported.join(", ")
                ),
                "These are valid addresses, but receivers send DMARC reports only by email (mailto:), so no report reaches them.",
            )
            .fix("Use a mailto: address you read, such as rua=mailto:dmarc-reports@your-domain.")
            .reference("RFC 7489 §6.2; RFC 9990 §3")
            .evidence(evidence.clone()),
        );
    }
    let policy = effective_policy(&parsed, inherited);
    if inherited {
        findings.push(
            Finding::new(
                "dmarc.inherited",
                Severity::Info,
                TOPIC,
                format!("{domain} has no DMARC record of its own; receivers apply the one of {target}."),
                format!(
                    "Receivers walk up the DNS tree and use the policy published for {target}, which is {} for its subdomains.",
                    policy_word(policy)
                ),
            )
            .fix(format!("Nothing is required. To set a different policy for {domain}, publish its own record at _dmarc.{domain}."))
            .reference("RFC 9989 §4.10")
            .evidence(evidence.clone()),
        );
    }
    if parsed.p.is_some() || !parsed.rua.is_empty() {
        findings.push(policy_finding(domain, policy, &parsed, &evidence));
    }
    if !parsed.unknown.is_empty() {
        findings.push(
            Finding::new(
                "dmarc.unknown_tag",
                Severity::Warn,
                TOPIC,
                format!("The DMARC record at {} has tags receivers do not know: {}.", lookup.name, parsed.unknown.join(", ")),
                "Receivers ignore unknown tags, so whatever they were meant to do does not happen. Often they are typos of real tags.",
            )
            .fix("Remove them, or correct the spelling (known tags: p, sp, np, adkim, aspf, fo, rua, ruf, t, psd).")
            .evidence(evidence.clone()),
        );
    }
    let obsolete: Vec<String> = [
        parsed.pct.map(|p| format!("pct={p}")),
        parsed.rf.as_ref().map(|v| format!("rf={v}")),
        parsed.ri.map(|v| format!("ri={v}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !obsolete.is_empty() {
        let partial = parsed.pct.is_some_and(|p| p < 100);
        findings.push(
            Finding::new(
                "dmarc.obsolete_tags",
                if partial { Severity::Warn } else { Severity::Info },
                TOPIC,
                format!("The DMARC record uses {}, which the current DMARC standard removed.", obsolete.join(", ")),
                "pct= applied the policy to only that percentage of failing mail; rf= chose the failure-report format; ri= asked for reports more often than daily. Receivers following the current standard ignore all three, so a pct below 100 now means the full policy for everyone on those receivers, and the old meaning on the others.",
            )
            .reference("RFC 9989")
            .fix("Remove pct, rf and ri. To ramp up gently, use p=quarantine first (or t=y for a test period) instead of pct.")
            .evidence(evidence.clone()),
        );
    }
    if parsed.testing {
        findings.push(
            Finding::new(
                "dmarc.test_mode",
                Severity::Info,
                TOPIC,
                "The DMARC record is in test mode (t=y).",
                "Receivers following the current standard apply one step less than the policy says (quarantine becomes none, reject becomes quarantine) while t=y is set.",
            )
            .fix("Remove t=y once your reports show every sender passing.")
            .reference("RFC 9989")
            .evidence(evidence.clone()),
        );
    }
    if parsed.rua.is_empty() {
        findings.push(
            Finding::new(
                "dmarc.no_reports",
                Severity::Info,
                TOPIC,
                "The DMARC record asks for no aggregate reports (no rua=).",
                "Without reports you cannot see which servers send mail as your domain, which you need before tightening the policy.",
            )
            .fix("Add rua=mailto:an-address-you-read to the DMARC record.")
            .evidence(evidence.clone()),
        );
    }
    let uris: Vec<String> = parsed.rua.iter().chain(&parsed.ruf).cloned().collect();
    for destination in external_destinations(&target, &uris) {
        let name = authorization_name(&target, &destination);
        match check_authorization(dns, &target, &destination).await {
            Ok(found) => findings.push(
                Finding::new(
                    "dmarc.external_report.authorized",
                    Severity::Pass,
                    TOPIC,
                    format!("{destination} accepts DMARC reports for {target}."),
                    format!("It publishes {name}, so receivers send it your reports."),
                )
                .reference("RFC 7489 §7.1")
                .evidence(found.evidence()),
            ),
            Err(missing) if missing.failed() => {
                findings.extend(lookup_failed(TOPIC, "DMARC report authorization", &[&missing]));
            }
            Err(missing) => findings.push(
                Finding::new(
                    "dmarc.external_report.unauthorized",
                    Severity::Warn,
                    TOPIC,
                    format!("Reports for {target} go to {destination}, which has not agreed to receive them."),
                    format!(
                        "A report address at another domain only receives reports when that domain publishes a TXT record \"v=DMARC1\" at {name}. Without it receivers send nothing."
                    ),
                )
                .reference("RFC 7489 §7.1")
                .fix(format!(
                    "Ask whoever runs {destination} to publish TXT \"v=DMARC1\" at {name}, or send reports to an address at {target}."
                ))
                .evidence(missing.evidence()),
            ),
        }
    }
    result.policy = Some(policy);
    result.parsed = Some(parsed);
    result
}

/// `p=` missing or unreadable: applied as `p=none` when the record has a report address
/// (RFC 7489 §6.6.3, RFC 9989), ignored otherwise.
fn missing_policy(name: &str, parsed: &DmarcRecord, evidence: &[Evidence]) -> Finding {
    let written = parsed.discarded.iter().find(|d| d.tag == "p").map_or_else(
        || " (it has none)".to_owned(),
        |d| format!(" (it says p=“{}”)", d.value),
    );
    if parsed.rua.is_empty() {
        return syntax(
            name,
            &format!(
                "the required tag p= is missing or unreadable{written}, and there is no report address"
            ),
            evidence,
        );
    }
    Finding::new(
        "dmarc.missing_policy",
        Severity::Warn,
        TOPIC,
        format!(
            "The DMARC record at {name} has no valid p={written}: receivers apply it as p=none."
        ),
        "Without a readable p= tag, receivers that find a report address (rua=) act as if the record said p=none: they send reports but protect nothing.",
    )
    .fix("Add p=none (to start), p=quarantine or p=reject right after v=DMARC1.")
    .reference("RFC 7489 §6.6.3; RFC 9989 §4.7")
    .evidence(evidence.to_vec())
}

/// A tag receivers cannot read: ignored by RFC 9989 receivers, which keep the rest.
fn discarded(name: &str, tag: &DiscardedTag, evidence: &[Evidence]) -> Finding {
    let default = match tag.tag.as_str() {
        "sp" => " (subdomains then get p=)",
        "np" => " (subdomains that do not exist then get sp= or p=)",
        "adkim" | "aspf" => " (relaxed)",
        "pct" => " (100)",
        "t" => " (not in test mode)",
        "p" => " (no policy)",
        _ => "",
    };
    Finding::new(
        "dmarc.tag_discarded",
        Severity::Warn,
        TOPIC,
        format!("The DMARC record at {name} has a part receivers cannot read: {}.", tag.reason),
        format!(
            "Receivers that follow RFC 9989 ignore it and use the default{default}; some that follow RFC 7489 ignore the whole record, so your domain may have no DMARC policy with them."
        ),
    )
    .fix("Correct the value or remove it; Mailwright's DMARC step composes a clean record.")
    .reference("RFC 9989 §4.7; RFC 7489 §6.3")
    .evidence(evidence.to_vec())
}

fn syntax(name: &str, reason: &str, evidence: &[Evidence]) -> Finding {
    Finding::new(
        "dmarc.syntax",
        Severity::Fail,
        TOPIC,
        format!("The DMARC record at {name} is malformed: {reason}."),
        "Receivers ignore a DMARC record they cannot read, so your domain may have no DMARC policy in effect.",
    )
    .fix("Correct the record so that it reads like \"v=DMARC1; p=none; rua=mailto:…\" (tags separated by semicolons); Mailwright's DMARC step composes one.")
    .evidence(evidence.to_vec())
}

fn policy_finding(
    domain: &DomainName,
    policy: DmarcPolicy,
    parsed: &DmarcRecord,
    evidence: &[Evidence],
) -> Finding {
    match policy {
        DmarcPolicy::None => Finding::new(
            "dmarc.policy_none",
            Severity::Warn,
            TOPIC,
            if parsed.testing && parsed.p.is_some_and(|p| p != DmarcPolicy::None) {
                format!("The DMARC policy in effect for {domain} is none: test mode (t=y) lowers the published quarantine, so mail that fails checks is still delivered.")
            } else {
                format!("The DMARC policy for {domain} is p=none: mail that fails checks is still delivered.")
            },
            "p=none only monitors. It is the right first step, but anyone can still send mail that looks like yours. Once your reports show every real sender passes, move to quarantine and then reject.",
        )
        .fix("Review your DMARC reports, then change the policy to p=quarantine, and later to p=reject.")
        .evidence(evidence.to_vec()),
        DmarcPolicy::Quarantine | DmarcPolicy::Reject => Finding::new(
            "dmarc.ok",
            Severity::Pass,
            TOPIC,
            format!(
                "DMARC for {domain} is enforced ({}{}).",
                policy_word(policy),
                if parsed.testing { ", lowered from reject by test mode (t=y)" } else { "" }
            ),
            "Receivers quarantine or reject mail that claims to be from your domain but fails SPF and DKIM alignment.",
        )
        .evidence(evidence.to_vec()),
    }
}

fn policy_word(policy: DmarcPolicy) -> &'static str {
    match policy {
        DmarcPolicy::None => "p=none",
        DmarcPolicy::Quarantine => "quarantine",
        DmarcPolicy::Reject => "reject",
    }
}
