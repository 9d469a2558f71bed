//! DMARC for one message (RFC 9989 §4.4–§4.10, RFC 7489 §6.6): which DKIM signature or SPF result
//! aligns with the From domain, the policy that applies to that domain (`p`, `sp` or `np`, lowered
//! by `t=y`), and what receivers do with the message.

use std::collections::HashMap;

use futures::future::join_all;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::discovery::{is_dmarc, tree_walk_targets};
use super::{AlignmentMode, DmarcPolicy, DmarcRecord};
use crate::dns::{DnsClient, DnsConfig, Lookup, Outcome, ProgressSink, RecordType};
use crate::error::EngineError;
use crate::spf::SpfVerdict;

/// What a receiver knows about one message when it applies DMARC.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DmarcMessage {
    /// The domain of the From header (the Author Domain).
    pub from_domain: String,
    /// The SPF result and the domain it was for (the MAIL FROM's, or the HELO name's for a
    /// bounce).
    pub spf: Option<SpfIdentity>,
    /// Each DKIM signature's result and its `d=`.
    pub dkim: Vec<DkimIdentity>,
}

/// An SPF result and its domain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SpfIdentity {
    /// The SPF result.
    pub result: SpfVerdict,
    /// The domain SPF was evaluated for.
    pub domain: String,
}

/// One DKIM signature's result and signing domain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DkimIdentity {
    /// Whether the signature verified.
    pub passed: bool,
    /// Its `d=`.
    pub domain: String,
}

/// The DMARC result (RFC 8601 §2.7.6 words).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum DmarcResult {
    /// An aligned identifier passed.
    Pass,
    /// A policy applies and no aligned identifier passed.
    Fail,
    /// No DMARC record applies to the domain.
    None,
    /// A DNS lookup failed: receivers try again later.
    TempError,
}

impl DmarcResult {
    /// The result as `Authentication-Results` writes it (`pass`, `temperror`, …).
    pub fn word(self) -> &'static str {
        match self {
            DmarcResult::Pass => "pass",
            DmarcResult::Fail => "fail",
            DmarcResult::None => "none",
            DmarcResult::TempError => "temperror",
        }
    }
}

/// Which tag of the record gave the policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum PolicyTag {
    /// `p`: the record is the From domain's own.
    P,
    /// `sp`: the From domain is a subdomain of the record's domain.
    Sp,
    /// `np`: the From domain is a subdomain that does not exist.
    Np,
}

/// DMARC's decision for one message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DmarcEvaluation {
    /// The From domain.
    pub from_domain: String,
    /// The domain whose `_dmarc` record applies, when one does.
    pub record_domain: Option<String>,
    /// The record that applies, as published.
    pub record: Option<String>,
    /// The From domain's organizational domain.
    pub organizational_domain: String,
    /// The result.
    pub result: DmarcResult,
    /// The `d=` of the passing signature that aligns, when there is one.
    pub dkim_aligned: Option<String>,
    /// Whether SPF passed for a domain that aligns.
    pub spf_aligned: bool,
    /// The tag that gave the policy.
    pub policy_tag: Option<PolicyTag>,
    /// The policy as published for this domain (before `t=y`).
    pub published_policy: Option<DmarcPolicy>,
    /// `t=y`: receivers apply the next lower policy.
    pub testing: bool,
    /// What receivers do with this message: `none` (deliver), `quarantine` or `reject`.
    pub disposition: DmarcPolicy,
    /// Why, one plain sentence per identifier and per policy point.
    pub reasons: Vec<String>,
    /// The decision in one plain sentence.
    pub sentence: String,
}

/// The policy record that applies to a From domain and what the tree walk learnt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyFound {
    /// The domain whose `_dmarc` record it is.
    pub domain: String,
    /// The record as published.
    pub text: String,
    /// The record as read.
    pub record: DmarcRecord,
}

/// What DNS said about the From domain, for [`decide`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DmarcFacts {
    /// The policy record found, if any.
    pub policy: Option<PolicyFound>,
    /// Whether the From domain exists (any of A, AAAA, MX answered other than NXDOMAIN).
    pub from_exists: bool,
    /// The organizational domain of each domain involved (the From domain and each
    /// identifier's), lower-case.
    pub organizational: HashMap<String, String>,
}

impl DmarcFacts {
    fn organizational(&self, domain: &str) -> String {
        let domain = normalize(domain);
        self.organizational.get(&domain).cloned().unwrap_or(domain)
    }
}

fn normalize(domain: &str) -> String {
    domain.trim_end_matches('.').to_ascii_lowercase()
}

/// Whether `identifier` aligns with `from` in `mode` (RFC 9989 §4.4): strict asks for the same
/// domain, relaxed for the same organizational domain.
fn aligned(identifier: &str, from: &str, mode: AlignmentMode, facts: &DmarcFacts) -> bool {
    let (identifier, from) = (normalize(identifier), normalize(from));
    identifier == from
        || (mode == AlignmentMode::Relaxed
            && facts.organizational(&identifier) == facts.organizational(&from))
}

/// DMARC's decision for `message` given what DNS said: no DNS here, so the alignment view can
/// decide for senders before anything is published.
pub fn decide(message: &DmarcMessage, facts: &DmarcFacts) -> DmarcEvaluation {
    let from = normalize(&message.from_domain);
    let record = facts.policy.as_ref().map(|p| &p.record);
    let adkim = record.map_or(AlignmentMode::Relaxed, |r| r.adkim);
    let aspf = record.map_or(AlignmentMode::Relaxed, |r| r.aspf);
    let mut reasons = Vec::new();

    let dkim_aligned = message
        .dkim
        .iter()
        .find(|d| d.passed && aligned(&d.domain, &from, adkim, facts))
        .map(|d| normalize(&d.domain));
    match (&dkim_aligned, message.dkim.as_slice()) {
        (Some(d), _) => reasons.push(format!("DKIM passes with d={d}, which aligns with {from}.")),
        (None, []) => reasons.push("The message has no DKIM signature.".to_owned()),
        (None, signatures) => {
            for s in signatures {
                let domain = normalize(&s.domain);
                reasons.push(if !s.passed {
                    format!("The DKIM signature with d={domain} does not verify.")
                } else {
                    format!(
                        "DKIM passes with d={domain}, which does not align with {from} ({}).",
                        mode_words(adkim)
                    )
                });
            }
        }
    }
    let spf_aligned = match &message.spf {
        Some(spf) if spf.result == SpfVerdict::Pass => {
            let ok = aligned(&spf.domain, &from, aspf, facts);
            let domain = normalize(&spf.domain);
            reasons.push(if ok {
                format!("SPF passes for {domain}, which aligns with {from}.")
            } else {
                format!(
                    "SPF passes for {domain}, which does not align with {from} ({}).",
                    mode_words(aspf)
                )
            });
            ok
        }
        Some(spf) => {
            reasons.push(format!(
                "SPF gives {} for {}, so it cannot make DMARC pass.",
                spf.result.word(),
                normalize(&spf.domain)
            ));
            false
        }
        None => {
            reasons.push("There is no SPF result.".to_owned());
            false
        }
    };
    let passes = dkim_aligned.is_some() || spf_aligned;

    let (policy_tag, published_policy) = match &facts.policy {
        None => (None, None),
        Some(found) => {
            let own = normalize(&found.domain) == from;
            let r = &found.record;
            // A record without a valid p= is applied as p=none (RFC 9989 §4.7; RFC 7489 §6.6.3
            // receivers too, when it has a valid rua=).
            let p = r.p.unwrap_or(DmarcPolicy::None);
            if own {
                (Some(PolicyTag::P), Some(p))
            } else if let (false, Some(np)) = (facts.from_exists, r.np) {
                (Some(PolicyTag::Np), Some(np))
            } else if let Some(sp) = r.sp {
                (Some(PolicyTag::Sp), Some(sp))
            } else {
                (Some(PolicyTag::P), Some(p))
            }
        }
    };
    let testing = record.is_some_and(|r| r.testing);
    let in_effect = published_policy.map(|p| if testing { p.lowered() } else { p });
    let result = match (&facts.policy, passes) {
        (None, _) => DmarcResult::None,
        (Some(_), true) => DmarcResult::Pass,
        (Some(_), false) => DmarcResult::Fail,
    };
    let disposition = match result {
        DmarcResult::Fail => in_effect.unwrap_or(DmarcPolicy::None),
        _ => DmarcPolicy::None,
    };
    if let (Some(found), Some(tag), Some(policy)) = (&facts.policy, policy_tag, published_policy) {
        let tag_words = match tag {
            PolicyTag::P if normalize(&found.domain) == from => "its own p=",
            PolicyTag::P => "the parent's p= (it has no sp=)",
            PolicyTag::Sp => "sp=, for subdomains",
            PolicyTag::Np => "np=, for subdomains that do not exist",
        };
        reasons.push(format!(
            "The record at _dmarc.{} applies, with {tag_words}{}.",
            found.domain,
            policy.as_str()
        ));
        if testing && policy.lowered() != policy {
            reasons.push(format!(
                "It says t=y (testing): receivers apply {} instead of {}.",
                policy.lowered().as_str(),
                policy.as_str()
            ));
        }
        if let Some(pct) = found.record.pct.filter(|p| *p < 100) {
            reasons.push(format!(
                "It says pct={pct}: receivers that follow RFC 7489 apply the policy to {pct} % \
                 of failing mail and the next lower one to the rest; RFC 9989 receivers ignore pct."
            ));
        }
    }
    let sentence = match result {
        DmarcResult::None => format!(
            "{from} publishes no DMARC record (nor does its organizational domain): receivers \
             apply no DMARC policy to this message."
        ),
        DmarcResult::Pass => format!(
            "The message passes DMARC through {}: receivers deliver it as far as DMARC goes.",
            match (&dkim_aligned, spf_aligned) {
                (Some(_), true) => "aligned DKIM and aligned SPF",
                (Some(_), false) => "aligned DKIM",
                _ => "aligned SPF only (forwarding will break it; aligned DKIM would not)",
            }
        ),
        DmarcResult::Fail | DmarcResult::TempError => format!(
            "The message fails DMARC: neither DKIM nor SPF passes for a domain aligned with \
             {from}, so receivers {}.",
            match disposition {
                DmarcPolicy::None => "deliver it anyway (the policy is none) and report it",
                DmarcPolicy::Quarantine => "put it in spam (quarantine)",
                DmarcPolicy::Reject => "refuse it (reject)",
            }
        ),
    };
    DmarcEvaluation {
        organizational_domain: facts.organizational(&from),
        from_domain: from,
        record_domain: facts.policy.as_ref().map(|p| p.domain.clone()),
        record: facts.policy.as_ref().map(|p| p.text.clone()),
        result,
        dkim_aligned,
        spf_aligned,
        policy_tag,
        published_policy,
        testing,
        disposition,
        reasons,
        sentence,
    }
}

fn mode_words(mode: AlignmentMode) -> &'static str {
    match mode {
        AlignmentMode::Strict => "strict alignment asks for the same domain",
        AlignmentMode::Relaxed => "relaxed alignment asks for the same organizational domain",
    }
}

/// Evaluates DMARC for `message` against DNS: the policy record by the RFC 9989 tree walk,
/// the organizational domains by the same walk, and whether the From domain exists.
pub async fn evaluate_dmarc(
    message: &DmarcMessage,
    dns: &DnsConfig,
    progress: Option<ProgressSink>,
) -> Result<DmarcEvaluation, EngineError> {
    let client = DnsClient::new(dns, progress)?;
    let identifiers: Vec<String> = message
        .dkim
        .iter()
        .map(|d| d.domain.clone())
        .chain(message.spf.iter().map(|s| s.domain.clone()))
        .collect();
    Ok(
        match dmarc_facts(&client, &message.from_domain, &identifiers).await {
            Some(facts) => decide(message, &facts),
            None => temperror(message),
        },
    )
}

/// What DNS says for DMARC about `from` and the identifier domains that may align with it;
/// `None` when a lookup failed. Run before the identifiers' results are known, so a message
/// check asks it at the same time as it verifies signatures and evaluates SPF.
pub(crate) async fn dmarc_facts(
    client: &DnsClient,
    from: &str,
    identifiers: &[String],
) -> Option<DmarcFacts> {
    let from = normalize(from);
    let mut domains: Vec<String> = std::iter::once(from.clone())
        .chain(identifiers.iter().map(|d| normalize(d)))
        .filter(|d| !d.is_empty())
        .collect();
    domains.sort();
    domains.dedup();
    let walks = join_all(domains.iter().map(|d| walk(client, d)));
    let (walks, from_exists) = futures::join!(walks, exists(client, &from));
    let mut organizational = HashMap::new();
    let mut policy = None;
    for (domain, walk) in domains.iter().zip(walks) {
        let walk = walk.ok()?;
        organizational.insert(domain.clone(), walk.organizational);
        if *domain == from {
            policy = walk.policy;
        }
    }
    Some(DmarcFacts {
        policy,
        from_exists: from_exists.ok()?,
        organizational,
    })
}

/// The evaluation when a lookup failed: receivers try again later.
pub(crate) fn temperror(message: &DmarcMessage) -> DmarcEvaluation {
    let from = normalize(&message.from_domain);
    let mut evaluation = decide(
        message,
        &DmarcFacts {
            policy: None,
            from_exists: true,
            organizational: HashMap::new(),
        },
    );
    evaluation.result = DmarcResult::TempError;
    evaluation.sentence = format!(
        "A DNS lookup for {from}'s DMARC record failed, so receivers cannot decide now and try \
         again later."
    );
    evaluation
}

/// What one tree walk learnt: the first record found (the policy) and the organizational
/// domain.
struct Walk {
    policy: Option<PolicyFound>,
    organizational: String,
}

/// The RFC 9989 §4.10 tree walk from `domain`: the first valid record found is the policy
/// record; the organizational domain is where a record says `psd=n`, one label below one that
/// says `psd=y`, else the record with the fewest labels, else the domain itself.
async fn walk(client: &DnsClient, domain: &str) -> Result<Walk, Lookup> {
    let targets = tree_walk_targets(domain);
    let names: Vec<String> = targets.iter().map(|t| format!("_dmarc.{t}")).collect();
    let lookups = join_all(names.iter().map(|n| client.lookup(n, RecordType::TXT))).await;
    let labels: Vec<&str> = domain.split('.').collect();
    let one_below = |target: &str| {
        let n = (target.split('.').count() + 1).min(labels.len());
        labels[labels.len() - n..].join(".")
    };
    let mut policy = None;
    let mut fewest = None;
    for (target, lookup) in targets.iter().zip(lookups) {
        if lookup.failed() {
            return Err(lookup);
        }
        let records: Vec<String> = lookup.txt().into_iter().filter(|t| is_dmarc(t)).collect();
        let [text] = records.as_slice() else {
            // None, or several: several are discarded (RFC 9989 §4.10).
            continue;
        };
        let Ok(record) = DmarcRecord::parse(text) else {
            continue;
        };
        let psd = record.psd.as_deref().map(str::to_ascii_lowercase);
        if policy.is_none() {
            policy = Some(PolicyFound {
                domain: target.clone(),
                text: text.clone(),
                record,
            });
        }
        match psd.as_deref() {
            Some("n") => {
                return Ok(Walk {
                    policy,
                    organizational: target.clone(),
                });
            }
            Some("y") => {
                return Ok(Walk {
                    policy,
                    organizational: one_below(target),
                });
            }
            _ => fewest = Some(target.clone()),
        }
    }
    Ok(Walk {
        policy,
        organizational: fewest.unwrap_or_else(|| domain.to_owned()),
    })
}

/// Whether the domain exists: RFC 9989 calls a domain non-existent when its A, AAAA and MX
/// lookups all say NXDOMAIN.
async fn exists(client: &DnsClient, domain: &str) -> Result<bool, Lookup> {
    let (a, aaaa, mx) = futures::join!(
        client.lookup(domain, RecordType::A),
        client.lookup(domain, RecordType::AAAA),
        client.lookup(domain, RecordType::MX)
    );
    if let Some(failed) = [&a, &aaaa, &mx].into_iter().find(|l| l.failed()) {
        return Err(failed.clone());
    }
    Ok(![a, aaaa, mx].iter().all(|l| l.outcome == Outcome::NxDomain))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(domain: &str, text: &str) -> Option<PolicyFound> {
        Some(PolicyFound {
            domain: domain.into(),
            text: text.into(),
            record: DmarcRecord::parse(text).unwrap(),
        })
    }

    fn facts(policy: Option<PolicyFound>, exists: bool) -> DmarcFacts {
        let organizational = [
            ("example.com", "example.com"),
            ("mail.example.com", "example.com"),
            ("bounces.example.com", "example.com"),
            ("news.example.com", "example.com"),
            ("gone.example.com", "example.com"),
            ("esp.example.net", "example.net"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect();
        DmarcFacts {
            policy,
            from_exists: exists,
            organizational,
        }
    }

    fn message(from: &str, spf: Option<(&str, SpfVerdict)>, dkim: &[(&str, bool)]) -> DmarcMessage {
        DmarcMessage {
            from_domain: from.into(),
            spf: spf.map(|(domain, result)| SpfIdentity {
                result,
                domain: domain.into(),
            }),
            dkim: dkim
                .iter()
                .map(|(domain, passed)| DkimIdentity {
                    passed: *passed,
                    domain: (*domain).into(),
                })
                .collect(),
        }
    }

    #[test]
    fn decides_alignment_policy_and_disposition() {
        use DmarcPolicy::{None as PNone, Quarantine, Reject};
        use SpfVerdict::{Fail, Pass};
        let reject = "v=DMARC1; p=reject";
        let strict = "v=DMARC1; p=reject; adkim=s; aspf=s";
        let sub = "v=DMARC1; p=none; sp=quarantine; np=reject";
        let testing = "v=DMARC1; p=reject; t=y";
        // (case, message, record found at, record, from exists, result, disposition, tag)
        let cases = [
            (
                "relaxed: DKIM from a subdomain aligns",
                message("example.com", None, &[("mail.example.com", true)]),
                "example.com",
                reject,
                true,
                DmarcResult::Pass,
                PNone,
                Some(PolicyTag::P),
            ),
            (
                "strict: DKIM from a subdomain does not align",
                message("example.com", None, &[("mail.example.com", true)]),
                "example.com",
                strict,
                true,
                DmarcResult::Fail,
                Reject,
                Some(PolicyTag::P),
            ),
            (
                "relaxed: SPF for a Return-Path subdomain aligns",
                message("example.com", Some(("bounces.example.com", Pass)), &[]),
                "example.com",
                reject,
                true,
                DmarcResult::Pass,
                PNone,
                Some(PolicyTag::P),
            ),
            (
                "strict aspf: the Return-Path subdomain does not align",
                message("example.com", Some(("bounces.example.com", Pass)), &[]),
                "example.com",
                strict,
                true,
                DmarcResult::Fail,
                Reject,
                Some(PolicyTag::P),
            ),
            (
                "one of several signatures aligns",
                message(
                    "example.com",
                    Some(("esp.example.net", Pass)),
                    &[
                        ("esp.example.net", true),
                        ("example.com", false),
                        ("example.com", true),
                    ],
                ),
                "example.com",
                reject,
                true,
                DmarcResult::Pass,
                PNone,
                Some(PolicyTag::P),
            ),
            (
                "only the provider's domain passes",
                message(
                    "example.com",
                    Some(("esp.example.net", Pass)),
                    &[("esp.example.net", true)],
                ),
                "example.com",
                reject,
                true,
                DmarcResult::Fail,
                Reject,
                Some(PolicyTag::P),
            ),
            (
                "SPF fails on the From domain itself",
                message("example.com", Some(("example.com", Fail)), &[]),
                "example.com",
                reject,
                true,
                DmarcResult::Fail,
                Reject,
                Some(PolicyTag::P),
            ),
            (
                "a subdomain gets sp",
                message("news.example.com", None, &[]),
                "example.com",
                sub,
                true,
                DmarcResult::Fail,
                Quarantine,
                Some(PolicyTag::Sp),
            ),
            (
                "a subdomain that does not exist gets np",
                message("gone.example.com", None, &[]),
                "example.com",
                sub,
                false,
                DmarcResult::Fail,
                Reject,
                Some(PolicyTag::Np),
            ),
            (
                "a subdomain without sp gets the parent's p",
                message("news.example.com", None, &[]),
                "example.com",
                reject,
                true,
                DmarcResult::Fail,
                Reject,
                Some(PolicyTag::P),
            ),
            (
                "testing mode lowers reject to quarantine",
                message("example.com", None, &[]),
                "example.com",
                testing,
                true,
                DmarcResult::Fail,
                Quarantine,
                Some(PolicyTag::P),
            ),
            (
                "a record without p= is applied as p=none",
                message("example.com", None, &[]),
                "example.com",
                "v=DMARC1; rua=mailto:d@example.com",
                true,
                DmarcResult::Fail,
                PNone,
                Some(PolicyTag::P),
            ),
        ];
        for (case, message, at, record, exists, result, disposition, tag) in cases {
            let evaluation = decide(&message, &facts(found(at, record), exists));
            assert_eq!(evaluation.result, result, "{case}: {evaluation:?}");
            assert_eq!(evaluation.disposition, disposition, "{case}");
            assert_eq!(evaluation.policy_tag, tag, "{case}");
            assert!(!evaluation.sentence.is_empty(), "{case}");
        }
        let none = decide(&message("example.com", None, &[]), &facts(None, true));
        assert_eq!(none.result, DmarcResult::None);
        assert_eq!(none.disposition, PNone);
        let quarantine = decide(
            &message("example.com", None, &[]),
            &facts(found("example.com", "v=DMARC1; p=quarantine; t=y"), true),
        );
        assert_eq!(
            quarantine.disposition, PNone,
            "t=y lowers quarantine to none"
        );
        assert_eq!(quarantine.published_policy, Some(Quarantine));
    }
}
