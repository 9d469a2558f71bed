//! The tracker's verdict on one day's results: advance, hold, step back or pause, with the
//! reason and the rule that fired. Rates are compared "at or above" each threshold: Gmail's
//! 0.3 % is a line never to reach.

use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

use super::defaults::WarmupDefaults;

/// What the user reports for one sending day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct DayResult {
    /// Messages sent.
    pub sent: u32,
    /// Messages delivered (accepted by the receiving servers).
    pub delivered: u32,
    /// Permanent failures (5xx).
    pub hard_bounces: u32,
    /// Temporary failures that finally bounced.
    pub soft_bounces: u32,
    /// Spam complaints (feedback loops, Postmaster Tools).
    pub complaints: u32,
    /// Deferrals (4xx, retried).
    pub deferrals: u32,
    /// Whether the sending IP or domain was found on a blocklist.
    pub blocklisted: bool,
}

/// What to do next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Action {
    /// Go on to the next day's volume.
    Advance,
    /// Send the same volume again.
    Hold,
    /// Go back to the previous day's volume.
    StepBack,
    /// Stop sending until the cause is fixed.
    Pause,
}

/// The verdict with its reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Advice {
    /// What to do.
    pub action: Action,
    /// The rule that fired (the default's name), or `none`.
    pub rule: String,
    /// Why, in a sentence with the numbers.
    pub reason: String,
    /// Hard-bounce rate in percent of sent.
    pub bounce_pct: f64,
    /// Complaint rate in percent of delivered (Yahoo's denominator).
    pub complaint_pct: f64,
    /// Deferral rate in percent of sent.
    pub deferral_pct: f64,
}

/// A day's numbers that cannot be right, named.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum DayResultError {
    /// Nothing sent.
    #[error("“Sent” is 0: enter how many messages went out that day.")]
    NothingSent,
    /// A count larger than what was sent.
    #[error("“{field}” ({value}) is more than the {sent} messages sent; check the numbers.")]
    MoreThanSent {
        /// The field.
        field: &'static str,
        /// Its value.
        value: u32,
        /// Messages sent.
        sent: u32,
    },
}

impl DayResult {
    /// Checks that the counts fit together.
    pub fn validate(&self) -> Result<(), DayResultError> {
        if self.sent == 0 {
            return Err(DayResultError::NothingSent);
        }
        for (field, value) in [
            ("Delivered", self.delivered),
            ("Hard bounces", self.hard_bounces),
            ("Soft bounces", self.soft_bounces),
            ("Complaints", self.complaints),
            ("Deferrals", self.deferrals),
        ] {
            if value > self.sent {
                return Err(DayResultError::MoreThanSent {
                    field,
                    value,
                    sent: self.sent,
                });
            }
        }
        Ok(())
    }
}

fn pct(part: u32, whole: u32) -> f64 {
    if whole == 0 {
        0.0
    } else {
        f64::from(part) * 100.0 / f64::from(whole)
    }
}

/// The verdict for `result` under `defaults`: pause, then step back, then hold, then advance.
pub fn advise(result: &DayResult, defaults: &WarmupDefaults) -> Result<Advice, DayResultError> {
    result.validate()?;
    let bounce = pct(result.hard_bounces, result.sent);
    let complaint = pct(result.complaints, result.delivered.max(1));
    let deferral = pct(result.deferrals, result.sent);
    let advice = |action, rule: &str, reason: String| Advice {
        action,
        rule: rule.to_owned(),
        reason,
        bounce_pct: bounce,
        complaint_pct: complaint,
        deferral_pct: deferral,
    };
    let checks: [(bool, Action, &str, String); 6] = [
        (
            result.blocklisted,
            Action::Pause,
            "blocklisted",
            "Your sending address is on a blocklist: stop, find the cause (a bad list, a hacked form), ask for delisting, then resume.".into(),
        ),
        (
            complaint >= defaults.step_back_complaint_pct,
            Action::StepBack,
            "step_back_complaint_pct",
            format!("Complaints reached {complaint:.2} % (limit {} %): Gmail and Yahoo start refusing mail at 0.3 %. Go back to the previous day's volume and mail only your most engaged readers.", defaults.step_back_complaint_pct),
        ),
        (
            bounce >= defaults.step_back_bounce_pct,
            Action::StepBack,
            "step_back_bounce_pct",
            format!("Hard bounces reached {bounce:.2} % (limit {} %): remove bounced addresses and go back to the previous day's volume.", defaults.step_back_bounce_pct),
        ),
        (
            complaint >= defaults.hold_complaint_pct,
            Action::Hold,
            "hold_complaint_pct",
            format!("Complaints reached {complaint:.2} % (hold at {} %): send the same volume again until they fall.", defaults.hold_complaint_pct),
        ),
        (
            bounce >= defaults.hold_bounce_pct,
            Action::Hold,
            "hold_bounce_pct",
            format!("Hard bounces reached {bounce:.2} % (hold at {} %): clean the list and send the same volume again.", defaults.hold_bounce_pct),
        ),
        (
            deferral >= defaults.hold_deferral_pct,
            Action::Hold,
            "hold_deferral_pct",
            format!("{deferral:.2} % of messages were deferred (hold at {} %): receivers are slowing you down; send the same volume again.", defaults.hold_deferral_pct),
        ),
    ];
    Ok(checks
        .into_iter()
        .find(|(fired, ..)| *fired)
        .map(|(_, action, rule, reason)| advice(action, rule, reason))
        .unwrap_or_else(|| {
            advice(
                Action::Advance,
                "none",
                format!("Bounces {bounce:.2} %, complaints {complaint:.2} %, deferrals {deferral:.2} %: all within limits. Go on to the next day's volume."),
            )
        }))
}

/// The volume for the sending day after `day` of `plan`, given the verdict: the next planned
/// volume, the same again, the previous day's, or nothing while paused.
pub fn next_volume(plan: &[super::PlanDay], day: u32, action: Action) -> u32 {
    let total = |n: u32| plan.iter().find(|d| d.day == n).map(|d| d.total);
    let today = total(day).unwrap_or(0);
    match action {
        Action::Advance => total(day + 1).unwrap_or(today),
        Action::Hold => today,
        Action::StepBack => total(day.saturating_sub(1)).unwrap_or(today),
        Action::Pause => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(sent: u32, hard: u32, complaints: u32, deferrals: u32) -> DayResult {
        DayResult {
            sent,
            delivered: sent - hard,
            hard_bounces: hard,
            complaints,
            deferrals,
            ..DayResult::default()
        }
    }

    #[test]
    fn each_rule_fires_at_its_threshold_and_not_below() {
        let d = WarmupDefaults::default();
        let action = |r: DayResult| advise(&r, &d).unwrap();
        // 10,000 sent: 2 % = 200 bounces, 3 % = 300.
        assert_eq!(action(day(10_000, 199, 0, 0)).action, Action::Advance);
        assert_eq!(action(day(10_000, 200, 0, 0)).rule, "hold_bounce_pct");
        assert_eq!(action(day(10_000, 299, 0, 0)).action, Action::Hold);
        assert_eq!(action(day(10_000, 300, 0, 0)).rule, "step_back_bounce_pct");
        // 10,000 delivered: 0.1 % = 10 complaints, 0.3 % = 30.
        assert_eq!(action(day(10_000, 0, 9, 0)).action, Action::Advance);
        assert_eq!(action(day(10_000, 0, 10, 0)).rule, "hold_complaint_pct");
        assert_eq!(action(day(10_000, 0, 29, 0)).action, Action::Hold);
        assert_eq!(
            action(day(10_000, 0, 30, 0)).rule,
            "step_back_complaint_pct"
        );
        assert_eq!(action(day(10_000, 0, 0, 499)).action, Action::Advance);
        assert_eq!(action(day(10_000, 0, 0, 500)).rule, "hold_deferral_pct");
        let mut listed = day(10_000, 0, 0, 0);
        listed.blocklisted = true;
        assert_eq!(action(listed).action, Action::Pause);
    }

    #[test]
    fn impossible_days_name_the_field() {
        let d = WarmupDefaults::default();
        assert_eq!(
            advise(&DayResult::default(), &d),
            Err(DayResultError::NothingSent)
        );
        let bad = DayResult {
            sent: 100,
            complaints: 101,
            ..DayResult::default()
        };
        assert!(
            advise(&bad, &d)
                .unwrap_err()
                .to_string()
                .contains("Complaints")
        );
    }
}
