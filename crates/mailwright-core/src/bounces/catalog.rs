//! The refusal catalog (`catalog/bounce_codes.toml`): providers' own words first, then the
//! enhanced status code (RFC 3463) from the most exact entry to its class.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What kind of refusal, and so what to do with the address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BounceClass {
    /// The address or its domain does not exist: suppress it at once.
    Hard,
    /// Try again later: mailbox full, temporarily unavailable, greylisting.
    Soft,
    /// Refused for a policy: authentication, DMARC, PTR, content.
    Policy,
    /// Refused for reputation: a blocklist, the spam rate.
    Reputation,
    /// Too fast: slow down.
    Rate,
    /// A recipient marked the message as spam (a feedback-loop report): suppress at once.
    Complaint,
    /// Not recognised.
    Unknown,
}

/// A provider's own words and what they mean.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub(crate) struct Pattern {
    /// Whose words, when a provider's.
    #[serde(default)]
    pub provider: Option<String>,
    /// Every lower-case piece that must be in the reply.
    pub contains: Vec<String>,
    pub class: BounceClass,
    pub meaning: String,
    pub fix: String,
    #[serde(default)]
    pub step: Option<crate::step::StepId>,
    /// Words only trusted when the reply gives no enhanced status code (a code says more).
    #[serde(default)]
    pub without_code: bool,
}

/// An enhanced status code (exact, `class.subject`, or `class`) and what it means.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub(crate) struct StatusEntry {
    pub code: String,
    pub class: BounceClass,
    pub meaning: String,
    pub fix: String,
    #[serde(default)]
    pub step: Option<crate::step::StepId>,
}

static PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    crate::catalog::table(include_str!("../catalog/bounce_codes.toml"), "pattern")
});

static STATUSES: LazyLock<Vec<StatusEntry>> =
    LazyLock::new(|| crate::catalog::table(include_str!("../catalog/bounce_codes.toml"), "status"));

/// The first pattern whose every piece is in `text` (compared in lower case).
/// The first pattern whose every piece is in `text`; `coded` says the reply gave an enhanced
/// status code (then the words-only patterns are left to the code).
pub(crate) fn pattern_for(text: &str, coded: bool) -> Option<&'static Pattern> {
    let lower = text.to_ascii_lowercase();
    PATTERNS.iter().find(|p| {
        !(coded && p.without_code)
            && p.contains
                .iter()
                .all(|piece| lower.contains(piece.as_str()))
    })
}

/// The most exact entry for an enhanced status code: `5.1.1`, else `5.1`, else `5`.
pub(crate) fn status_for(code: &str) -> Option<&'static StatusEntry> {
    let mut parts = code.split('.');
    let (class, subject) = (parts.next()?, parts.next());
    STATUSES
        .iter()
        .find(|s| s.code == code)
        .or_else(|| {
            subject.and_then(|subject| {
                let wanted = format!("{class}.{subject}");
                STATUSES.iter().find(|s| s.code == wanted)
            })
        })
        .or_else(|| STATUSES.iter().find(|s| s.code == class))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern_for_test(text: &str) -> Option<&'static Pattern> {
        pattern_for(text, true)
    }

    #[test]
    fn the_catalog_reads_and_falls_back_from_detail_to_class() {
        assert!(PATTERNS.len() >= 20 && STATUSES.len() >= 30);
        assert_eq!(status_for("5.1.1").unwrap().class, BounceClass::Hard);
        assert_eq!(status_for("4.2.2").unwrap().class, BounceClass::Soft);
        assert_eq!(status_for("5.1.99").unwrap().code, "5.1");
        assert_eq!(status_for("4.9.9").unwrap().code, "4");
        assert_eq!(
            status_for("5.7.26").unwrap().step,
            Some(crate::step::StepId::Dmarc)
        );
        assert_eq!(
            pattern_for_test("550 5.7.515 Access denied")
                .unwrap()
                .provider
                .as_deref(),
            Some("Microsoft")
        );
        assert!(pattern_for_test("550 5.1.1 user unknown").is_none());
        // Every step is typed (the catalog does not load otherwise); the reputation refusals
        // point at the Bounces step, whose reputation check they need.
        assert_eq!(
            pattern_for_test(
                "550-5.7.25 the ip address sending this message does not have a ptr record"
            )
            .and_then(|p| p.step),
            Some(crate::step::StepId::Bounces)
        );
        assert!(PATTERNS.iter().any(|p| p.step.is_some()));
    }

    #[test]
    fn every_catalog_entry_decides_the_reply_it_describes() {
        use super::super::explain::explain_reply;
        // Each pattern, in a reply: a code-less one as a bare 550, the others as written.
        for p in PATTERNS.iter() {
            let words = p.contains.join(" ");
            let reply = if p.without_code {
                format!("550 {words}")
            } else {
                format!("550 {words} for this message")
            };
            let e = explain_reply(&reply);
            assert_eq!(e.class, p.class, "{reply}: {e:?}");
            assert_eq!(e.meaning, p.meaning, "{reply} is decided by its own entry");
        }
        // Each status entry, with no words a pattern knows.
        for s in STATUSES.iter() {
            let code = match s.code.split('.').count() {
                1 => format!("{}.9.9", s.code),
                2 => format!("{}.99", s.code),
                _ => s.code.clone(),
            };
            let basic = if code.starts_with('4') { 451 } else { 550 };
            let reply = format!("{basic} {code} refused");
            let e = explain_reply(&reply);
            if PATTERNS.iter().any(|p| {
                !p.without_code
                    && p.contains
                        .iter()
                        .all(|c| reply.to_ascii_lowercase().contains(c.as_str()))
            }) {
                continue;
            }
            assert_eq!(e.class, s.class, "{reply}: {e:?}");
            assert_eq!(e.meaning, s.meaning, "{reply} is decided by its own entry");
        }
    }
}
