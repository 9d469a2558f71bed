//! Gmail's, Yahoo's and Microsoft's sender rules, item by item, with this message's evidence.
//! The rules are those of `reference/email-facts.md` §(e): Google "Email sender guidelines"
//! (support.google.com/a/answer/81126), Yahoo Sender Hub (senders.yahooinc.com), Microsoft's
//! Outlook.com requirements of May 5, 2025; RFC 8058 for one-click unsubscribe.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::check::MessageCheck;
use super::facts::MessageFacts;
use crate::dmarc::DmarcResult;
use crate::spf::SpfVerdict;
use crate::step::StepId;

/// One rule and whether this message meets it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RuleCheck {
    /// A stable id (`spf_pass`, `one_click_unsubscribe`, …).
    pub id: String,
    /// The rule in plain words.
    pub rule: String,
    /// Who asks for it.
    pub required_by: String,
    /// Met, not met, or not known from this message.
    pub met: Option<bool>,
    /// What in the message shows it.
    pub evidence: String,
    /// The step that makes it, when it is not met.
    pub step: Option<StepId>,
}

fn rule(
    id: &str,
    rule: &str,
    required_by: &str,
    met: Option<bool>,
    evidence: String,
    step: Option<StepId>,
) -> RuleCheck {
    RuleCheck {
        id: id.to_owned(),
        rule: rule.to_owned(),
        required_by: required_by.to_owned(),
        met,
        evidence,
        step: if met == Some(true) { None } else { step },
    }
}

/// Whether the unsubscribe header offers an https link (RFC 8058 §3.1).
pub(crate) fn has_https_unsubscribe(value: &str) -> bool {
    value.split(',').any(|uri| {
        uri.trim()
            .trim_matches(['<', '>'])
            .to_ascii_lowercase()
            .starts_with("https://")
    })
}

/// Whether `List-Unsubscribe-Post` says exactly `List-Unsubscribe=One-Click` (RFC 8058 §3.1).
pub(crate) fn is_one_click(value: &str) -> bool {
    value.trim() == "List-Unsubscribe=One-Click"
}

/// Whether a passing signature covers both unsubscribe fields.
pub(crate) fn unsubscribe_signed(check: &MessageCheck) -> bool {
    check.signatures.iter().any(|s| {
        s.result == "pass"
            && ["List-Unsubscribe", "List-Unsubscribe-Post"]
                .iter()
                .all(|name| s.covers.iter().any(|(n, c)| n == name && *c))
    })
}

/// The rules, in the order the providers list them.
pub(crate) fn rules(check: &MessageCheck, facts: &MessageFacts) -> Vec<RuleCheck> {
    let spf = check.spf.as_ref();
    let spf_pass = spf.map(|s| s.result == SpfVerdict::Pass);
    let dkim_pass = check.signatures.iter().any(|s| s.result == "pass");
    let dmarc = check.dmarc.as_ref();
    let into_receiver = check.sending_ip.as_deref().and_then(|ip| {
        check
            .hops
            .iter()
            .rev()
            .find(|h| h.from_ip.as_deref() == Some(ip))
    });
    let unsubscribe = match (&facts.list_unsubscribe, &facts.list_unsubscribe_post) {
        (None, _) => (
            None,
            "The message has no List-Unsubscribe header (needed for marketing mail only)."
                .to_owned(),
        ),
        (Some(list), post) => {
            let ok = has_https_unsubscribe(list)
                && post.as_deref().is_some_and(is_one_click)
                && unsubscribe_signed(check);
            (
                Some(ok),
                format!(
                    "List-Unsubscribe: {list}; List-Unsubscribe-Post: {}; {}",
                    post.as_deref().unwrap_or("(missing)"),
                    if unsubscribe_signed(check) {
                        "both signed by a passing DKIM signature"
                    } else {
                        "not both signed by a passing DKIM signature"
                    }
                ),
            )
        }
    };
    vec![
        rule(
            "spf_pass",
            "SPF passes for the sending address",
            "Gmail (bulk), Yahoo (bulk), Microsoft (over 5,000 a day)",
            spf_pass,
            spf.map_or(
                "The sending address is not known from the headers.".to_owned(),
                |s| s.sentence.clone(),
            ),
            Some(StepId::Spf),
        ),
        rule(
            "dkim_pass",
            "A DKIM signature verifies",
            "Gmail (bulk), Yahoo (bulk), Microsoft (over 5,000 a day)",
            Some(dkim_pass),
            if check.signatures.is_empty() {
                "The message has no DKIM signature.".to_owned()
            } else {
                check
                    .signatures
                    .iter()
                    .map(|s| format!("d={} s={}: {}", s.domain, s.selector, s.result))
                    .collect::<Vec<_>>()
                    .join("; ")
            },
            Some(StepId::Dkim),
        ),
        rule(
            "dmarc_published",
            "The From domain publishes DMARC (p=none is enough)",
            "Gmail (bulk), Yahoo (bulk), Microsoft (over 5,000 a day)",
            dmarc.map(|d| d.record.is_some()),
            dmarc.map_or("The From domain is not known.".to_owned(), |d| {
                d.record
                    .clone()
                    .unwrap_or_else(|| "No DMARC record.".to_owned())
            }),
            Some(StepId::Dmarc),
        ),
        rule(
            "dmarc_aligned",
            "DMARC passes with SPF or DKIM aligned with the From domain",
            "Gmail (bulk), Yahoo (bulk), Microsoft (over 5,000 a day)",
            dmarc.map(|d| d.result == DmarcResult::Pass),
            dmarc.map_or("The From domain is not known.".to_owned(), |d| {
                d.sentence.clone()
            }),
            Some(StepId::Dmarc),
        ),
        rule(
            "one_click_unsubscribe",
            "Marketing mail has one-click unsubscribe (RFC 8058), signed by DKIM",
            "Gmail (bulk), Yahoo (bulk)",
            unsubscribe.0,
            unsubscribe.1,
            None,
        ),
        rule(
            "message_id_and_date",
            "A valid Message-ID and Date (RFC 5322)",
            "Gmail (all senders)",
            Some(check.message_id.is_some() && check.date.is_some()),
            format!(
                "Message-ID: {}; Date: {}",
                check.message_id.as_deref().unwrap_or("(missing)"),
                check.date.as_deref().unwrap_or(if facts.date_present {
                    "(unreadable)"
                } else {
                    "(missing)"
                })
            ),
            Some(StepId::Smtp),
        ),
        rule(
            "single_from",
            "Exactly one From address (RFC 5322 §3.6)",
            "Gmail (all senders)",
            Some(facts.from_fields == 1 && check.from.len() == 1),
            format!("From: {}", check.from.join(", ")),
            Some(StepId::Smtp),
        ),
        rule(
            "tls_into_receiver",
            "TLS on the way into the receiver",
            "Gmail (all senders)",
            into_receiver.map(|h| h.encrypted),
            into_receiver.map_or("The hop into the receiver is not known.".to_owned(), |h| {
                format!(
                    "from {} by {} with {}{}",
                    h.from.as_deref().unwrap_or("?"),
                    h.by.as_deref().unwrap_or("?"),
                    h.with.as_deref().unwrap_or("?"),
                    h.tls_version
                        .as_deref()
                        .map(|v| format!(" ({v})"))
                        .unwrap_or_default()
                )
            }),
            Some(StepId::Smtp),
        ),
        rule(
            "reverse_dns",
            "The sending address has reverse DNS that resolves back to it",
            "Gmail (all senders), Yahoo (all senders)",
            check
                .reverse_dns
                .as_ref()
                .filter(|r| r.looked_up)
                .map(|r| r.confirmed),
            check.reverse_dns.as_ref().map_or(
                "The sending address is not known.".to_owned(),
                |r| match r.names.as_slice() {
                    [] if r.looked_up => "No PTR record.".to_owned(),
                    [] => "The PTR lookup failed.".to_owned(),
                    names => format!(
                        "PTR: {} ({})",
                        names.join(", "),
                        if r.confirmed {
                            "resolves back"
                        } else {
                            "does not resolve back"
                        }
                    ),
                },
            ),
            Some(StepId::Smtp),
        ),
    ]
}
