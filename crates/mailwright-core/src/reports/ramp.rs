//! The DMARC ramp on evidence: from the reports of the last days, whether moving to the next
//! policy (none → quarantine → reject) is safe, and exactly which of the user's sources it would
//! send to spam or refuse. The ramp's dates stay the earliest moments; this decides.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::sources::{SourceKind, SourceView};
use super::store::ReportedPolicy;

/// The thresholds the evidence is held to; shown and editable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct RampThresholds {
    /// The share of your own mail that must pass DMARC, in percent. Guidance on DMARC rollout
    /// asks for "at or near 100 percent" of legitimate mail passing before enforcing
    /// (dmarcsimple "Policy Progression"; M3AAWG DMARC training): 98 leaves room for the odd
    /// forwarded or modified message.
    pub pass_share_percent: u32,
    /// The window the share is measured over, in days. Two weeks catches weekly and most
    /// periodic senders before enforcing (the same guidance: "at least 2 to 4 weeks").
    pub window_days: u32,
    /// The days in the window that must have reports, so a quiet week is not read as clean.
    pub min_days_with_reports: u32,
}

impl Default for RampThresholds {
    fn default() -> Self {
        RampThresholds {
            pass_share_percent: 98,
            window_days: 14,
            min_days_with_reports: 10,
        }
    }
}

/// Whether the next policy may be published.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RampReadiness {
    /// No reports in the window: nothing to go on.
    NoReports,
    /// Not yet: the reasons say what is missing.
    NotYet,
    /// The evidence says the next policy is safe.
    Ready,
    /// Receivers already apply `reject`: the ramp is done.
    Done,
}

/// One of the user's sources the next policy would hurt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RefusedSource {
    /// Its address.
    pub ip: String,
    /// Its name (sender or reverse DNS), when known.
    pub name: Option<String>,
    /// Messages of the window that failed DMARC.
    #[ts(type = "number")]
    pub failing: u64,
}

/// The evidence for the next step of the ramp.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RampEvidence {
    /// The policy receivers found in the latest report (`p=`).
    pub current: Option<String>,
    /// Set when that policy applies to part of the failing mail only (`pct=` below 100 or
    /// `t=y`): what receivers do with the rest, in one sentence.
    pub partial: Option<String>,
    /// The next policy, applied to all failing mail.
    pub next: Option<String>,
    /// What the next policy does to the failing mail of the sources in `refused` ("would be
    /// refused", "would go to spam"); none once the ramp is done.
    pub consequence: Option<String>,
    /// The verdict.
    pub readiness: RampReadiness,
    /// The share of your own mail that passed DMARC, in percent (none without such mail).
    pub pass_share_percent: Option<f64>,
    /// Messages from your own sources in the window.
    #[ts(type = "number")]
    pub own_messages: u64,
    /// Days in the window with reports.
    pub days_with_reports: u32,
    /// Sources with failing mail nobody has decided about yet.
    pub undecided: u32,
    /// Forwarded messages (left out of the share: forwarding breaks SPF, not DMARC on DKIM).
    #[ts(type = "number")]
    pub forwarded: u64,
    /// Your sources whose failing mail the next policy would hurt.
    pub refused: Vec<RefusedSource>,
    /// What is missing, one sentence each.
    pub reasons: Vec<String>,
    /// The verdict in one sentence, with the one thing to do.
    pub sentence: String,
    /// The thresholds used.
    pub thresholds: RampThresholds,
}

/// The policy applied to all failing mail under `policy`, and, when that is less than its
/// `p=`, the sentence saying so. With `pct=` below 100 the mail not sampled gets the next less
/// strict policy (RFC 7489 §6.6.4); with `t=y` all of it does (RFC 9989 §5.3, `t`).
fn in_full(policy: &ReportedPolicy) -> (&'static str, Option<String>) {
    let (p, lower) = match policy.p.as_str() {
        "reject" => ("reject", "quarantine"),
        "quarantine" => ("quarantine", "none"),
        _ => return ("none", None),
    };
    let lower_does = if lower == "none" {
        "is delivered as usual (p=none)"
    } else {
        "goes to spam (p=quarantine)"
    };
    let partial = if policy.testing {
        format!(
            "Your DMARC record is in testing mode (t=y): receivers do not apply p={p}; failing mail {lower_does}."
        )
    } else if let Some(pct) = policy.pct {
        format!(
            "Your DMARC record applies p={p} to {pct}% of failing mail (pct={pct}); the rest {lower_does}."
        )
    } else {
        return (p, None);
    };
    (lower, Some(partial))
}

/// Weighs the window's sources (`views`) against `thresholds`, from `current`, the policy of
/// the latest report.
pub fn ramp_evidence(
    views: &[SourceView],
    days_with_reports: u32,
    current: Option<&ReportedPolicy>,
    thresholds: RampThresholds,
) -> RampEvidence {
    let (applied, partial) = current.map_or(("none", None), in_full);
    let next = match applied {
        "reject" => None,
        "quarantine" => Some("reject"),
        _ => Some("quarantine"),
    };
    // A partly applied p= is the next step itself, for all mail: without pct= or t=y.
    let full = |next: &str| {
        if partial.is_some() {
            format!("p={next} for all mail (without pct= or t=y)")
        } else {
            format!("p={next}")
        }
    };
    let own: Vec<&SourceView> = views
        .iter()
        .filter(|v| v.kind == SourceKind::Yours)
        .collect();
    let own_messages: u64 = own.iter().map(|v| v.totals.messages).sum();
    let own_pass: u64 = own.iter().map(|v| v.totals.dmarc_pass).sum();
    let pass_share_percent =
        (own_messages > 0).then(|| own_pass as f64 * 100.0 / own_messages as f64);
    let undecided = views
        .iter()
        .filter(|v| {
            matches!(v.kind, SourceKind::Unknown | SourceKind::NotListed)
                && v.totals.dmarc_pass < v.totals.messages
        })
        .count() as u32;
    let forwarded = views.iter().map(|v| v.totals.forwarded).sum();
    let mut refused: Vec<RefusedSource> = own
        .iter()
        .filter(|v| v.totals.dmarc_pass < v.totals.messages)
        .map(|v| RefusedSource {
            ip: v.totals.ip.clone(),
            name: v.sender_name.clone().or_else(|| v.totals.ptr.clone()),
            failing: v.totals.messages - v.totals.dmarc_pass,
        })
        .collect();
    refused.sort_by(|a, b| b.failing.cmp(&a.failing).then(a.ip.cmp(&b.ip)));
    let mut reasons = Vec::new();
    if days_with_reports < thresholds.min_days_with_reports {
        reasons.push(format!(
            "Reports cover {days_with_reports} of the last {} days; wait for at least {}.",
            thresholds.window_days, thresholds.min_days_with_reports
        ));
    }
    if undecided > 0 {
        reasons.push(format!(
            "{undecided} source{} with failing mail {} not been decided: mark each “This is mine” or “Not mine”.",
            if undecided == 1 { "" } else { "s" },
            if undecided == 1 { "has" } else { "have" }
        ));
    }
    match pass_share_percent {
        None => reasons.push(
            "None of the mail in the reports comes from a sender you have confirmed; list your senders (Senders step) or mark them in the table."
                .to_owned(),
        ),
        Some(share) if share < f64::from(thresholds.pass_share_percent) => reasons.push(format!(
            "{share:.1}% of your own mail passes DMARC; it must be at least {}% — fix the sources listed below first.",
            thresholds.pass_share_percent
        )),
        Some(_) => {}
    }
    let readiness = if next.is_none() {
        RampReadiness::Done
    } else if views.is_empty() {
        RampReadiness::NoReports
    } else if reasons.is_empty() {
        RampReadiness::Ready
    } else {
        RampReadiness::NotYet
    };
    let sentence = match (readiness, next) {
        (RampReadiness::Done, _) => {
            "Receivers already apply p=reject: mail that fails DMARC is refused. Keep reading the reports for new senders.".to_owned()
        }
        (RampReadiness::NoReports, _) => format!(
            "No DMARC reports in the last {} days yet. Publish rua= in your DMARC record and import the reports that arrive.",
            thresholds.window_days
        ),
        (RampReadiness::Ready, Some(next)) => format!(
            "The reports say {} is safe: {:.1}% of your own mail passed DMARC over {days_with_reports} days with reports, and every failing source is decided. Publish {} when its date has come.",
            full(next),
            pass_share_percent.unwrap_or(100.0),
            full(next)
        ),
        (_, next) => format!(
            "Not yet safe to move to {}: {}",
            full(next.unwrap_or("quarantine")),
            reasons.first().map(String::as_str).unwrap_or("")
        ),
    };
    RampEvidence {
        current: current.map(|c| c.p.clone()),
        partial,
        next: next.map(str::to_owned),
        consequence: next.map(|next| {
            if next == "reject" {
                "would be refused"
            } else {
                "would go to spam"
            }
            .to_owned()
        }),
        readiness,
        pass_share_percent,
        own_messages,
        days_with_reports,
        undecided,
        forwarded,
        refused,
        reasons,
        sentence,
        thresholds,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::store::SourceTotals;

    fn source(kind: SourceKind, messages: u64, pass: u64) -> SourceView {
        SourceView {
            totals: SourceTotals {
                ip: format!("192.0.2.{messages}"),
                messages,
                dmarc_pass: pass,
                ..SourceTotals::default()
            },
            sender_name: None,
            kind,
            sentence: String::new(),
        }
    }

    fn policy(p: &str, pct: Option<u8>, testing: bool) -> ReportedPolicy {
        ReportedPolicy {
            p: p.into(),
            pct,
            testing,
        }
    }

    #[test]
    fn clean_reports_over_enough_days_say_quarantine_is_safe() {
        let views = vec![
            source(SourceKind::Yours, 1000, 995),
            source(SourceKind::NotYours, 300, 0),
        ];
        let e = ramp_evidence(
            &views,
            12,
            Some(&policy("none", None, false)),
            RampThresholds::default(),
        );
        assert_eq!(e.readiness, RampReadiness::Ready, "{e:?}");
        assert_eq!(e.next.as_deref(), Some("quarantine"));
        assert_eq!(e.refused.len(), 1);
        assert!(e.sentence.contains("p=quarantine is safe"));
    }

    #[test]
    fn too_few_days_undecided_sources_and_a_low_share_are_each_named() {
        let views = vec![
            source(SourceKind::Yours, 100, 90),
            source(SourceKind::Unknown, 7, 0),
        ];
        let e = ramp_evidence(
            &views,
            3,
            Some(&policy("quarantine", None, false)),
            RampThresholds::default(),
        );
        assert_eq!(e.readiness, RampReadiness::NotYet);
        assert_eq!(e.next.as_deref(), Some("reject"));
        assert_eq!(e.reasons.len(), 3, "{:?}", e.reasons);
        assert!(e.reasons[2].contains("90.0%"));
        let done = ramp_evidence(
            &views,
            14,
            Some(&policy("reject", None, false)),
            RampThresholds::default(),
        );
        assert_eq!(done.readiness, RampReadiness::Done);
        let none = ramp_evidence(&[], 0, None, RampThresholds::default());
        assert_eq!(none.readiness, RampReadiness::NoReports);
    }

    #[test]
    fn a_policy_applied_to_part_of_the_mail_is_not_taken_for_the_whole() {
        let views = vec![source(SourceKind::Yours, 1000, 1000)];
        let ready =
            |p: &ReportedPolicy| ramp_evidence(&views, 14, Some(p), RampThresholds::default());

        // p=reject on half the failing mail: the rest goes to spam; the ramp is not done.
        let half = ready(&policy("reject", Some(50), false));
        assert_eq!(half.readiness, RampReadiness::Ready, "{half:?}");
        assert_eq!(half.next.as_deref(), Some("reject"));
        assert_eq!(half.consequence.as_deref(), Some("would be refused"));
        assert!(
            half.partial
                .as_deref()
                .is_some_and(|p| p.contains("50% of failing mail")
                    && p.contains("the rest goes to spam (p=quarantine)")),
            "{half:?}"
        );
        assert!(
            half.sentence
                .contains("Publish p=reject for all mail (without pct= or t=y)"),
            "{}",
            half.sentence
        );

        // Testing mode: receivers apply the next less strict policy to all of it.
        let testing = ready(&policy("quarantine", None, true));
        assert_eq!(testing.next.as_deref(), Some("quarantine"));
        assert!(
            testing
                .partial
                .as_deref()
                .is_some_and(|p| p.contains("t=y") && p.contains("delivered as usual (p=none)"))
        );

        // Fully applied: no note, and reject is the end of the road.
        let full = ready(&policy("reject", None, false));
        assert_eq!((full.readiness, full.partial), (RampReadiness::Done, None));
        let none = ready(&policy("none", Some(10), false));
        assert_eq!(
            (none.next.as_deref(), none.partial),
            (Some("quarantine"), None)
        );
    }
}
