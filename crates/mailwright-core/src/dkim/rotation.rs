//! Key rotation: publish the next selector, switch signing to it, keep the old record for mail
//! still in flight, then revoke it (`p=`) and remove it. Dates are computed from today and the
//! steps already done, and stored in the project.

use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

/// Days the old record stays published after signing switches, for mail still in flight
/// (queued, retried or read late by the receiver); the user can change it.
pub const DEFAULT_KEEP_DAYS: u32 = 7;

/// Days between publishing the revoked record (`p=`) and deleting it, so caches and late
/// verifiers see an explicit revocation rather than a missing key.
pub const REMOVE_AFTER_REVOKE_DAYS: u32 = 7;

/// A rotation from one selector to the next, as stored in the project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Rotation {
    /// The selector being retired.
    pub from_selector: String,
    /// The new selector.
    pub to_selector: String,
    /// Days to keep the old record after switching.
    pub keep_days: u32,
    /// When the rotation began.
    #[ts(type = "string")]
    pub started_on: Date,
    /// When the new record was published.
    #[ts(type = "string | null")]
    pub published_on: Option<Date>,
    /// When signing switched to the new selector.
    #[ts(type = "string | null")]
    pub switched_on: Option<Date>,
    /// When the old record was revoked.
    #[ts(type = "string | null")]
    pub revoked_on: Option<Date>,
    /// When the old record was removed.
    #[ts(type = "string | null")]
    pub removed_on: Option<Date>,
}

/// The steps of a rotation, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RotationStage {
    /// Publish the new selector's record.
    PublishNew,
    /// Make the mail server sign with the new selector.
    SwitchSigning,
    /// Replace the old record with a revoked one (`p=`).
    RevokeOld,
    /// Delete the old record.
    RemoveOld,
    /// Nothing left to do.
    Done,
}

/// One step with its date: done on, or planned for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RotationStep {
    /// Which step.
    pub stage: RotationStage,
    /// What to do, in one sentence.
    pub action: String,
    /// The date it was done, or the earliest date it may be done.
    #[ts(type = "string")]
    pub date: Date,
    /// Whether it is done.
    pub done: bool,
}

/// Where the user is in a rotation and what to do next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RotationStatus {
    /// The current step (the first not done).
    pub stage: RotationStage,
    /// Every step with its date.
    pub steps: Vec<RotationStep>,
    /// The one thing to do now, or when it may be done.
    pub next: String,
}

/// A step that cannot be marked done yet.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum RotationError {
    /// Too early: mail signed with the old key may still be in flight.
    #[error("Not yet: keep the old record until {0} so mail still in flight can be verified.")]
    TooEarly(Date),
    /// Every step is done.
    #[error("This rotation is finished; start a new one when the key is due again.")]
    Finished,
}

impl crate::error::FeatureError for RotationError {
    fn code(&self) -> &'static str {
        "rotation_not_yet"
    }
}

impl Rotation {
    /// A rotation from `from` to `to` starting `today`.
    pub fn start(from: &str, to: &str, today: Date, keep_days: u32) -> Self {
        Rotation {
            from_selector: from.to_owned(),
            to_selector: to.to_owned(),
            keep_days,
            started_on: today,
            published_on: None,
            switched_on: None,
            revoked_on: None,
            removed_on: None,
        }
    }

    /// The steps with their dates as of `today`.
    pub fn status(&self, today: Date) -> RotationStatus {
        let plan = |done: Option<Date>, earliest: Date| {
            (done.unwrap_or(earliest.max(today)), done.is_some())
        };
        let publish = plan(self.published_on, self.started_on);
        let switch = plan(self.switched_on, publish.0);
        let revoke = plan(self.revoked_on, add_days(switch.0, self.keep_days));
        let remove = plan(
            self.removed_on,
            add_days(revoke.0, REMOVE_AFTER_REVOKE_DAYS),
        );
        let (from, to) = (&self.from_selector, &self.to_selector);
        let steps = vec![
            step(
                RotationStage::PublishNew,
                format!("Publish the DKIM record for the new selector {to}."),
                publish,
            ),
            step(
                RotationStage::SwitchSigning,
                format!(
                    "Once the check shows {to} published, make your mail server sign with {to}."
                ),
                switch,
            ),
            step(
                RotationStage::RevokeOld,
                format!("Replace the record of {from} with a revoked one: v=DKIM1; p= (empty)."),
                revoke,
            ),
            step(
                RotationStage::RemoveOld,
                format!("Delete the record of {from}."),
                remove,
            ),
        ];
        let current = steps.iter().find(|s| !s.done);
        let (stage, next) = match current {
            None => (
                RotationStage::Done,
                format!("Rotation finished: mail is signed with {to} and {from} is gone."),
            ),
            Some(s) if s.date > today => (
                s.stage,
                format!("Wait until {}: {}", s.date, lowercase_first(&s.action)),
            ),
            Some(s) => (s.stage, format!("Now: {}", lowercase_first(&s.action))),
        };
        RotationStatus { stage, steps, next }
    }

    /// Marks the current step done on `today`, refusing steps whose date has not come.
    pub fn complete_step(&mut self, today: Date) -> Result<RotationStage, RotationError> {
        let status = self.status(today);
        let step = status
            .steps
            .iter()
            .find(|s| !s.done)
            .ok_or(RotationError::Finished)?;
        if step.date > today {
            return Err(RotationError::TooEarly(step.date));
        }
        let slot = match step.stage {
            RotationStage::PublishNew => &mut self.published_on,
            RotationStage::SwitchSigning => &mut self.switched_on,
            RotationStage::RevokeOld => &mut self.revoked_on,
            RotationStage::RemoveOld | RotationStage::Done => &mut self.removed_on,
        };
        *slot = Some(today);
        Ok(step.stage)
    }
}

fn step(stage: RotationStage, action: String, (date, done): (Date, bool)) -> RotationStep {
    RotationStep {
        stage,
        action,
        date,
        done,
    }
}

fn add_days(date: Date, days: u32) -> Date {
    date.checked_add(i64::from(days).days()).unwrap_or(date)
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn dates_follow_from_today_and_the_steps_done() {
        let start = date(2026, 11, 22);
        let mut rotation = Rotation::start("mw202605", "mw202611", start, DEFAULT_KEEP_DAYS);
        let status = rotation.status(start);
        assert_eq!(status.stage, RotationStage::PublishNew);
        let dates: Vec<Date> = status.steps.iter().map(|s| s.date).collect();
        assert_eq!(dates, [start, start, date(2026, 11, 29), date(2026, 12, 6)]);
        assert!(status.next.starts_with("Now: publish"), "{}", status.next);

        // Published and switched two days later: the old record stays until 7 days after that.
        let later = date(2026, 11, 24);
        assert_eq!(rotation.complete_step(later), Ok(RotationStage::PublishNew));
        assert_eq!(
            rotation.complete_step(later),
            Ok(RotationStage::SwitchSigning)
        );
        let status = rotation.status(later);
        assert_eq!(status.stage, RotationStage::RevokeOld);
        assert_eq!(status.steps[2].date, date(2026, 12, 1));
        assert!(
            status.next.starts_with("Wait until 2026-12-01"),
            "{}",
            status.next
        );
        assert_eq!(
            rotation.complete_step(later),
            Err(RotationError::TooEarly(date(2026, 12, 1)))
        );

        assert_eq!(
            rotation.complete_step(date(2026, 12, 1)),
            Ok(RotationStage::RevokeOld)
        );
        assert!(rotation.complete_step(date(2026, 12, 5)).is_err());
        assert_eq!(
            rotation.complete_step(date(2026, 12, 8)),
            Ok(RotationStage::RemoveOld)
        );
        assert_eq!(
            rotation.status(date(2026, 12, 8)).stage,
            RotationStage::Done
        );
        assert_eq!(
            rotation.complete_step(date(2026, 12, 9)),
            Err(RotationError::Finished)
        );
    }

    #[test]
    fn a_late_start_moves_the_plan_to_today() {
        let rotation = Rotation::start("a", "b", date(2026, 1, 1), 3);
        let status = rotation.status(date(2026, 2, 1));
        assert_eq!(status.steps[0].date, date(2026, 2, 1));
        assert_eq!(status.steps[2].date, date(2026, 2, 4));
    }
}
