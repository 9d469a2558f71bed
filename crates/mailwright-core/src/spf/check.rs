//! The SPF checker for any domain: the walk's tree and totals turned into findings.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::is_spf;
use super::presence::{missing_record, multiple_records};
use super::walk::{MAX_WALK_NODES, SpfNode, SpfProblem, SpfWalk, walk_spf};
use super::{Mechanism, Qualifier, SpfRecord};
use crate::dns::lookup_failed;
use crate::dns::{DnsClient, DnsConfig, ProgressSink};
use crate::domain::DomainName;
use crate::error::EngineError;
use crate::finding::{Evidence, Finding, Severity, Topic};

const TOPIC: Topic = Topic::Spf;

/// DNS-querying terms a receiver evaluates before permerror (RFC 7208 §4.6.4).
pub const MAX_DNS_LOOKUPS: u32 = 10;
/// Void lookups a receiver tolerates (RFC 7208 §4.6.4).
pub const MAX_VOID_LOOKUPS: u32 = 2;
/// Octets above which a record risks not fitting a 512-octet DNS answer (RFC 7208 §3.4).
pub const LONG_RECORD_OCTETS: usize = 450;

/// The SPF check of one domain: findings, the totals and the include tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SpfCheckReport {
    /// The domain, in ASCII form.
    pub domain: String,
    /// The DNS server asked.
    pub nameserver: String,
    /// DNS-querying terms in the whole tree.
    pub dns_lookups: u32,
    /// Void lookups in the whole tree.
    pub void_lookups: u32,
    /// The include tree with each node's cost.
    pub tree: SpfNode,
    /// The findings, worst first.
    pub findings: Vec<Finding>,
}

/// Walks the domain's SPF record and reports what receivers will conclude.
pub async fn check_spf(
    domain: &DomainName,
    dns: &DnsConfig,
    progress: Option<ProgressSink>,
) -> Result<SpfCheckReport, EngineError> {
    let client = DnsClient::new(dns, progress)?;
    let walk = walk_spf(&client, domain.as_str()).await;
    Ok(report(domain, &client, walk))
}

/// Turns a finished walk into the report the user sees.
pub(crate) fn report(domain: &DomainName, client: &DnsClient, walk: SpfWalk) -> SpfCheckReport {
    let mut findings = findings(domain, &walk);
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    SpfCheckReport {
        domain: domain.as_str().to_owned(),
        nameserver: client.server().to_owned(),
        dns_lookups: walk.dns_lookups,
        void_lookups: walk.void_lookups,
        tree: walk.root,
        findings,
    }
}

fn nodes(node: &SpfNode) -> Vec<&SpfNode> {
    std::iter::once(node)
        .chain(node.children.iter().flat_map(nodes))
        .collect()
}

fn evidence(node: &SpfNode) -> Evidence {
    match &node.record {
        Some(record) => Evidence::record(&node.domain, "TXT", record),
        None => Evidence::outcome(&node.domain, "TXT", "no SPF record"),
    }
}

/// What receivers will conclude from a walk, as findings.
pub(crate) fn findings(domain: &DomainName, walk: &SpfWalk) -> Vec<Finding> {
    let root = &walk.root;
    let mut out = Vec::new();
    match &root.problem {
        Some(SpfProblem::NoRecord) => return vec![missing_record(domain, &walk.root_txt)],
        Some(SpfProblem::MultipleRecords { .. }) => {
            let records: Vec<String> = walk
                .root_txt
                .txt()
                .into_iter()
                .filter(|t| is_spf(t))
                .collect();
            return vec![multiple_records(domain, &records)];
        }
        Some(SpfProblem::LookupFailed) => {
            return lookup_failed(TOPIC, "SPF", &[&walk.root_txt])
                .into_iter()
                .collect();
        }
        _ => {}
    }
    for node in nodes(root) {
        let problem = match &node.problem {
            Some(SpfProblem::Syntax { reason }) => Some((
                "spf.syntax",
                Severity::Fail,
                format!("The SPF record of {} is malformed: {reason}.", node.domain),
                "Receivers treat a malformed record as a permanent error: SPF fails for all your mail.",
            )),
            Some(SpfProblem::Loop) => Some((
                "spf.loop",
                Severity::Fail,
                format!("SPF includes loop back to {}.", node.domain),
                "An include chain that comes back to a domain already on the path makes receivers stop with a permanent error.",
            )),
            Some(SpfProblem::TooManyMxHosts { term, hosts }) => Some((
                "spf.mx.over_limit",
                Severity::Fail,
                format!(
                    "“{term}” in the SPF record of {} names {hosts} mail servers; receivers stop at 10.",
                    node.domain
                ),
                "Each mx term may name at most 10 mail servers; more is a permanent error.",
            )),
            Some(SpfProblem::NoRecord) if !node.via.is_empty() => Some((
                "spf.include.no_record",
                Severity::Fail,
                format!(
                    "“{}” points to {}, which has no SPF record.",
                    node.via, node.domain
                ),
                "An include or redirect to a domain without SPF is a permanent error for receivers.",
            )),
            Some(SpfProblem::LookupFailed) if !node.via.is_empty() => Some((
                "spf.include.lookup_failed",
                Severity::Warn,
                format!(
                    "“{}” could not be looked up: the DNS server did not answer for {}.",
                    node.via, node.domain
                ),
                "Its lookups are not counted, so the record may need more than the total shown. Receivers whose lookup also fails give a temporary error and may delay or refuse the mail.",
            )),
            Some(SpfProblem::MultipleRecords { count }) => Some((
                "spf.multiple_records",
                Severity::Fail,
                format!(
                    "{} (reached through “{}”) has {count} SPF records.",
                    node.domain, node.via
                ),
                "Receivers stop with a permanent error when an included domain has more than one SPF record.",
            )),
            _ => None,
        };
        if let Some((id, severity, title, detail)) = problem {
            let mut finding = Finding::new(id, severity, TOPIC, title, detail)
                .fix(fix_for(id))
                .evidence([evidence(node)]);
            if id == "spf.mx.over_limit" {
                finding = finding.reference("RFC 7208 §4.6.4");
            }
            out.push(finding);
        }
    }
    let tree_evidence: Vec<Evidence> = nodes(root)
        .into_iter()
        .filter(|n| n.record.is_some())
        .map(evidence)
        .collect();
    let at_least = if walk.cut { "at least " } else { "" };
    if walk.dns_lookups > MAX_DNS_LOOKUPS {
        out.push(
            Finding::new("spf.lookups.over_limit", Severity::Fail, TOPIC, format!("The SPF record of {domain} needs {at_least}{} DNS lookups; receivers stop at {MAX_DNS_LOOKUPS}.", walk.dns_lookups), "Each include, a, mx, ptr, exists and redirect costs a lookup, counted through every include. Above 10, receivers return a permanent error and SPF fails for all your mail.")
                .fix("First remove terms that are not needed (a service you no longer use, an a or mx that duplicates an include); then move a sending service to its own Return-Path subdomain; flatten includes into ip4/ip6 only as a last resort — flattened addresses go stale when the provider changes them.")
                .evidence(tree_evidence.clone()),
        );
    }
    if walk.cut {
        out.push(
            Finding::new("spf.walk.cut", Severity::Fail, TOPIC, format!("The SPF record of {domain} includes so many records that Mailwright stopped following it after {MAX_WALK_NODES} records."), "No receiver evaluates a record this large: past 10 lookups they stop with a permanent error, so SPF fails for all your mail. The counts above are what was read before stopping.")
                .fix("Keep only the includes of the services that really send your mail; each one costs lookups, counted through everything it includes.")
                .evidence([evidence(root)]),
        );
    }
    if walk.void_lookups > MAX_VOID_LOOKUPS {
        out.push(
            Finding::new("spf.void_lookups.over_limit", Severity::Fail, TOPIC, format!("The SPF record of {domain} names {} places that do not exist (void lookups); receivers allow {MAX_VOID_LOOKUPS}.", walk.void_lookups), "Each term whose name has no records costs a void lookup. Above 2, many receivers give up and treat the record as broken.")
                .fix("Remove the terms that point to names without records (a retired service or a typo).")
                .evidence(tree_evidence.clone()),
        );
    }
    if let Some(text) = &root.record {
        if let Ok(record) = SpfRecord::parse(text) {
            for (qualifier, mechanism, term) in record.mechanisms() {
                if *mechanism == Mechanism::All && *qualifier == Qualifier::Pass {
                    out.push(Finding::new("spf.plus_all", Severity::Fail, TOPIC, format!("The SPF record of {domain} ends with “{term}”: it allows every server on the internet."), "+all says any server may send as your domain, so SPF protects nothing and spammers can pass it.").fix("Replace it with ~all (or -all once every sender is listed).").evidence([evidence(root)]));
                }
                if matches!(mechanism, Mechanism::Ptr(_)) {
                    out.push(Finding::new("spf.ptr", Severity::Warn, TOPIC, format!("The SPF record of {domain} uses “{term}”."), "ptr is slow and unreliable, the SPF standard says not to use it, and some receivers ignore it.").fix("Replace ptr with the ip4/ip6 addresses or an include for those servers.").evidence([evidence(root)]));
                }
            }
        }
        if text.len() > LONG_RECORD_OCTETS {
            out.push(Finding::new("spf.too_long", Severity::Warn, TOPIC, format!("The SPF record of {domain} is {} octets long.", text.len()), "Above about 450 octets the DNS answer may not fit 512 octets, and some receivers then fail to read it.").reference("RFC 7208 §3.4").fix("Shorten it: remove unused terms, or move a sending service to its own subdomain.").evidence([evidence(root)]));
        }
    }
    // A count with an include that could not be looked up is not a pass.
    let unknown = out.iter().any(|f| f.id == "spf.include.lookup_failed");
    if !unknown && out.iter().all(|f| f.severity != Severity::Fail) {
        out.push(
            Finding::new("spf.ok", Severity::Pass, TOPIC, format!("SPF of {domain} is valid: {} of {MAX_DNS_LOOKUPS} DNS lookups, {} of {MAX_VOID_LOOKUPS} names that do not exist.", walk.dns_lookups, walk.void_lookups), "Receivers can evaluate the record within the limits they allow.")
                .evidence(tree_evidence),
        );
    }
    out
}

fn fix_for(id: &str) -> &'static str {
    match id {
        "spf.syntax" => {
            "Correct the term named above; copy include names exactly as your provider gives them."
        }
        "spf.loop" => "Remove the include that points back to a domain already included.",
        "spf.mx.over_limit" => "Replace the mx term with ip4/ip6 ranges or the provider's include.",
        "spf.include.no_record" => {
            "Fix the include's spelling, or remove it if the service is no longer used."
        }
        "spf.include.lookup_failed" => {
            "Check again in a few minutes; if it keeps failing, check the include's spelling or ask the service."
        }
        _ => "Keep exactly one v=spf1 record at that domain.",
    }
}
