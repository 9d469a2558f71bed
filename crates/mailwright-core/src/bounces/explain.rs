//! One refusal explained: its codes, its class, what happened in a sentence and the one thing to
//! do, with the step that does it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::catalog::{BounceClass, pattern_for, status_for};
use super::reply::reply_codes;

/// The longest reply text kept (a server's words can be long; the rest is cut).
const MAX_REPLY_CHARS: usize = 1_000;

/// One recipient's refusal, explained.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BounceExplanation {
    /// The address that was refused, when the bounce says.
    pub recipient: Option<String>,
    /// The DSN's `Action` (`failed`, `delayed`, …), when it is one.
    pub action: Option<String>,
    /// The enhanced status code (`5.1.1`).
    pub status: Option<String>,
    /// The three-digit reply code (`550`).
    pub code: Option<u16>,
    /// The receiving server's words.
    pub reply: Option<String>,
    /// The server that refused (`Remote-MTA`), when the bounce says.
    pub remote_mta: Option<String>,
    /// What kind of refusal.
    pub class: BounceClass,
    /// Whose words were recognised (Gmail, Microsoft, Yahoo, Spamhaus…), if any.
    pub provider: Option<String>,
    /// What happened, in a sentence.
    pub meaning: String,
    /// The one thing to do.
    pub fix: String,
    /// The Mailwright step that does it, when one does.
    pub step: Option<crate::step::StepId>,
}

/// What a refusal's words and codes mean, for `recipient`.
pub(crate) struct Refusal<'a> {
    pub recipient: Option<String>,
    pub action: Option<String>,
    pub status: Option<String>,
    pub reply: Option<&'a str>,
    pub remote_mta: Option<String>,
}

/// Explains a refusal: the provider's own words first, then the enhanced status code (the
/// DSN's `Status`, else the one in the reply), then the reply's basic code.
pub(crate) fn explain(refusal: Refusal<'_>) -> BounceExplanation {
    let reply_text = refusal.reply.map(|r| {
        let cut: String = r.chars().take(MAX_REPLY_CHARS).collect();
        cut.split_whitespace().collect::<Vec<_>>().join(" ")
    });
    let codes = reply_codes(reply_text.as_deref().unwrap_or(""));
    // The receiving server's own code in its reply when it gives an exact one (the DSN's
    // Status is the reporting server's reading of it, and some map every refusal to one
    // code); else the DSN's Status; else the reply's class.
    let given = refusal.status.clone().filter(|s| !s.is_empty());
    let status = match (given, codes.enhanced.clone()) {
        (_, Some(exact)) if !is_generic(&exact) => Some(exact),
        (Some(given), _) => Some(given),
        (None, exact) => exact,
    }
    .or_else(|| codes.basic.map(|b| (b / 100).to_string()));
    let words = format!(
        "{} {}",
        reply_text.as_deref().unwrap_or(""),
        status.as_deref().unwrap_or("")
    );
    // A code that only says "other" leaves the decision to the receiver's words.
    let coded = status
        .as_deref()
        .is_some_and(|s| s.contains('.') && !is_generic(s));
    let (class, provider, meaning, fix, step) = if let Some(p) = pattern_for(&words, coded) {
        (
            p.class,
            p.provider.clone(),
            p.meaning.clone(),
            p.fix.clone(),
            p.step,
        )
    } else if let Some(s) = status.as_deref().and_then(status_for) {
        (s.class, None, s.meaning.clone(), s.fix.clone(), s.step)
    } else if refusal.action.as_deref() == Some("delayed") {
        (
            BounceClass::Soft,
            None,
            "Delivery is delayed; your server keeps trying.".to_owned(),
            "Nothing now: your server retries.".to_owned(),
            None,
        )
    } else {
        (
            BounceClass::Unknown,
            None,
            "The refusal gives no code Mailwright can read.".to_owned(),
            "Read the receiver's words; if they name a policy or a list, fix that first."
                .to_owned(),
            None,
        )
    };
    BounceExplanation {
        recipient: refusal.recipient,
        action: refusal.action,
        status: status.filter(|s| s.contains('.')),
        code: codes.basic,
        reply: reply_text.filter(|r| !r.is_empty()),
        remote_mta: refusal.remote_mta,
        class,
        provider,
        meaning,
        fix,
        step,
    }
}

/// Whether an enhanced status code says nothing beyond its class (`5.0.0`, `4.0.0`).
fn is_generic(status: &str) -> bool {
    status.ends_with(".0.0")
}

/// Explains one SMTP reply pasted on its own (`550 5.7.26 …`).
pub fn explain_reply(text: &str) -> BounceExplanation {
    explain(Refusal {
        recipient: None,
        action: None,
        status: None,
        reply: Some(text.trim()),
        remote_mta: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_class_from_a_reply() {
        let cases = [
            (
                "550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown",
                BounceClass::Hard,
            ),
            (
                "452 4.2.2 The email account that you tried to reach is over quota.",
                BounceClass::Soft,
            ),
            (
                "550-5.7.26 This mail has been blocked because the sender is unauthenticated.",
                BounceClass::Policy,
            ),
            (
                "550 5.7.1 Service unavailable, Client host [192.0.2.1] blocked using Spamhaus.",
                BounceClass::Reputation,
            ),
            (
                "421 4.7.28 Our system has detected an unusual rate of unsolicited mail",
                BounceClass::Rate,
            ),
            (
                "450 4.7.1 Greylisted, please try again later",
                BounceClass::Soft,
            ),
            ("something went wrong", BounceClass::Unknown),
        ];
        for (reply, class) in cases {
            assert_eq!(explain_reply(reply).class, class, "{reply}");
        }
        let ms = explain_reply(
            "550 5.7.515 Access denied, sending domain example.com does not meet the required authentication level.",
        );
        assert_eq!(
            (ms.provider.as_deref(), ms.step),
            (Some("Microsoft"), Some(crate::step::StepId::Dmarc))
        );
        assert_eq!(
            (ms.code, ms.status.as_deref()),
            (Some(550), Some("5.7.515"))
        );
    }
}
