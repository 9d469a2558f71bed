//! The cross-check: the SPF result for one IP address according to mail-auth's evaluator (a
//! receiver's view), beside what Mailwright's own walk concluded about the record.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Instant;

use mail_auth::common::parse::TxtRecordParser;
use mail_auth::spf::Spf;
use mail_auth::{MessageAuthenticator, Parameters, ResolverCache, SpfResult, Txt};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{MAX_DNS_LOOKUPS, Mechanism, Qualifier, SpfCheckReport, SpfNode, SpfRecord};
use crate::dns::{DnsConfig, LOOKUP_FAILED, RecordCache};
use crate::domain::DomainName;
use crate::error::EngineError;

/// An SPF result (RFC 7208 §2.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SpfVerdict {
    /// The address is authorized.
    Pass,
    /// The address is explicitly not authorized (`-all`).
    Fail,
    /// Probably not authorized (`~all`).
    SoftFail,
    /// No statement (`?all`).
    Neutral,
    /// The domain has no SPF record.
    None,
    /// DNS failed; try again later.
    TempError,
    /// The record cannot be evaluated.
    PermError,
}

impl SpfVerdict {
    /// What a receiver does with mail that gets this result, in plain words.
    pub fn meaning(self) -> &'static str {
        match self {
            SpfVerdict::Pass => "pass SPF",
            SpfVerdict::Fail => "fail SPF, and may be refused",
            SpfVerdict::SoftFail => "soft-fail SPF: delivered, but marked as suspicious",
            SpfVerdict::Neutral => "get no SPF verdict (the record says neither yes nor no)",
            SpfVerdict::None => "not be checked by SPF: the domain publishes no SPF record",
            SpfVerdict::TempError => {
                "get no SPF verdict for now, because a DNS lookup failed (receivers try again later)"
            }
            SpfVerdict::PermError => "fail SPF with an error: receivers cannot use the record",
        }
    }
}

impl From<SpfResult> for SpfVerdict {
    fn from(result: SpfResult) -> Self {
        match result {
            SpfResult::Pass => SpfVerdict::Pass,
            SpfResult::Fail => SpfVerdict::Fail,
            SpfResult::SoftFail => SpfVerdict::SoftFail,
            SpfResult::Neutral => SpfVerdict::Neutral,
            SpfResult::None => SpfVerdict::None,
            SpfResult::TempError => SpfVerdict::TempError,
            SpfResult::PermError => SpfVerdict::PermError,
        }
    }
}

impl From<Qualifier> for SpfVerdict {
    fn from(qualifier: Qualifier) -> Self {
        match qualifier {
            Qualifier::Pass => SpfVerdict::Pass,
            Qualifier::Fail => SpfVerdict::Fail,
            Qualifier::SoftFail => SpfVerdict::SoftFail,
            Qualifier::Neutral => SpfVerdict::Neutral,
        }
    }
}

/// mail-auth's result for one address beside Mailwright's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SpfCrossCheck {
    /// The address tested.
    pub ip: String,
    /// What mail-auth's evaluator returned for mail from `postmaster@<domain>` at that address.
    pub mail_auth: SpfVerdict,
    /// What Mailwright's walk implies, when it can tell without evaluating a, mx or exists.
    pub ours: Option<SpfVerdict>,
    /// True when both agree (or Mailwright cannot tell).
    pub agree: bool,
    /// What receivers would decide, in one plain sentence (and where the two readings differ).
    pub sentence: String,
}

/// Reads a sending IP address as typed (IPv4 or IPv6).
pub fn parse_ip_address(text: &str) -> Result<IpAddr, EngineError> {
    text.trim()
        .parse()
        .map_err(|_| EngineError::IpAddress(text.to_owned()))
}

/// Evaluates SPF for `ip` with mail-auth, against the published record or, when `record` is
/// given, against that record as if it were published at `domain`.
pub async fn cross_check_spf(
    domain: &DomainName,
    ip: IpAddr,
    record: Option<&str>,
    report: &SpfCheckReport,
    dns: &DnsConfig,
) -> Result<SpfCrossCheck, EngineError> {
    let resolver = dns.resolver()?;
    let cache = RecordCache::default();
    if let Some(record) = record {
        let value = match Spf::parse(record.as_bytes()) {
            Ok(spf) => Txt::Spf(Arc::new(spf)),
            Err(error) => Txt::Error(error),
        };
        cache.insert(
            format!("{}.", domain.as_str()).into_boxed_str(),
            value,
            Instant::now(),
        );
    }
    let sender = format!("postmaster@{}", domain.as_str());
    let params = mail_auth::spf::verify::SpfParameters::verify_mail_from(
        ip,
        domain.as_str(),
        "mailwright.invalid",
        &sender,
    );
    let output = tokio::time::timeout(
        dns.deadline,
        MessageAuthenticator(resolver).verify_spf(Parameters::new(params).with_txt_cache(&cache)),
    )
    .await;
    let mail_auth = match output {
        Ok(output) => SpfVerdict::from(output.result()),
        Err(_) => SpfVerdict::TempError,
    };
    let ours = our_verdict(report, ip);
    let agree = ours.is_none_or(|o| o == mail_auth);
    let mut sentence = format!(
        "Mail from {ip} would {} with this record.",
        mail_auth.meaning()
    );
    if let Some(ours) = ours.filter(|_| !agree) {
        sentence.push_str(&format!(
            " Mailwright's own reading says it would {} instead: the findings above say why.",
            ours.meaning()
        ));
    }
    Ok(SpfCrossCheck {
        ip: ip.to_string(),
        mail_auth,
        ours,
        agree,
        sentence,
    })
}

/// What our walk implies for `ip`: the limits' permerror, no record, or a match on the
/// ip4/ip6 terms reached before any a, mx, ptr or exists term.
fn our_verdict(report: &SpfCheckReport, ip: IpAddr) -> Option<SpfVerdict> {
    let has = |id: &str| report.findings.iter().any(|f| f.id == id);
    if has("spf.missing") {
        return Some(SpfVerdict::None);
    }
    if has(LOOKUP_FAILED) {
        return Some(SpfVerdict::TempError);
    }
    // Over 10 lookups is decided by the counter below: receivers stop only when evaluation
    // reaches the 11th, so an address matched earlier still passes.
    let permerror = [
        "spf.multiple_records",
        "spf.syntax",
        "spf.void_lookups.over_limit",
        "spf.loop",
        "spf.mx.over_limit",
        "spf.include.no_record",
    ];
    if permerror.iter().any(|id| has(id)) {
        return Some(SpfVerdict::PermError);
    }
    match evaluate(&report.tree, ip, &mut 0)? {
        Evaluation::Matched(q) => Some(q.into()),
        Evaluation::Unlisted => Some(SpfVerdict::Neutral),
        Evaluation::OverLimit => Some(SpfVerdict::PermError),
    }
}

enum Evaluation {
    Matched(Qualifier),
    Unlisted,
    OverLimit,
}

/// Evaluates `node` for `ip` using only addresses, counting DNS-querying terms in evaluation
/// order as receivers do; `None` when an a, mx, ptr or exists term would decide.
fn evaluate(node: &SpfNode, ip: IpAddr, lookups: &mut u32) -> Option<Evaluation> {
    let record = SpfRecord::parse(node.record.as_deref()?).ok()?;
    for (qualifier, mechanism, text) in record.mechanisms() {
        if mechanism.queries_dns() {
            *lookups += 1;
            if *lookups > MAX_DNS_LOOKUPS {
                return Some(Evaluation::OverLimit);
            }
        }
        let matched = match mechanism {
            Mechanism::All => true,
            Mechanism::Ip4(net, len) => match ip {
                IpAddr::V4(ip) => prefix_eq(u32::from(*net).into(), u32::from(ip).into(), *len, 32),
                IpAddr::V6(_) => false,
            },
            Mechanism::Ip6(net, len) => match ip {
                IpAddr::V6(ip) => prefix_eq(u128::from(*net), u128::from(ip), *len, 128),
                IpAddr::V4(_) => false,
            },
            Mechanism::Include(_) => {
                let child = node.children.iter().find(|c| c.via == text)?;
                // RFC 7208 §5.2: the include matches only when the included record passes.
                match evaluate(child, ip, lookups)? {
                    Evaluation::OverLimit => return Some(Evaluation::OverLimit),
                    result => matches!(result, Evaluation::Matched(Qualifier::Pass)),
                }
            }
            _ => return None,
        };
        if matched {
            return Some(Evaluation::Matched(*qualifier));
        }
    }
    match record.redirect() {
        Some(_) => None,
        None => Some(Evaluation::Unlisted),
    }
}

fn prefix_eq(net: u128, ip: u128, len: u8, bits: u8) -> bool {
    let len = len.min(bits);
    if len == 0 {
        return true;
    }
    let shift = u32::from(bits - len);
    (net >> shift) == (ip >> shift)
}
