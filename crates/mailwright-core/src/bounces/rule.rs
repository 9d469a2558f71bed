//! The suppression rule: which addresses stop receiving mail. Hard bounces, complaints and
//! unsubscribe requests suppress an address at once (seed 000 §5 and §6: "removed quickly",
//! "suppressed immediately"); soft bounces only when they repeat, after a named number within a
//! named number of days, both shown and editable.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::dsn::BounceError;

/// When repeated soft bounces suppress an address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct SuppressionRule {
    /// Soft bounces that suppress an address. Three: Resend's list-management guidance
    /// ("soft bounce (3x): add after threshold") and Keila's rule (an address is unreachable
    /// after its third soft bounce in a row, pentacent/keila#181); Optimizely Campaign uses
    /// five, Vero ten in 30 days — three is the careful end for a small sender's reputation.
    pub soft_bounces: u32,
    /// The days those soft bounces must fall within. Thirty: Vero's window ("10 times within a
    /// 30 day period") and the low end of Resend's 30–90 days before a soft-bounced address may
    /// be tried again; an address that soft-bounced once a month ago and once today is not
    /// failing now.
    pub soft_window_days: u32,
}

impl Default for SuppressionRule {
    fn default() -> Self {
        SuppressionRule {
            soft_bounces: 3,
            soft_window_days: 30,
        }
    }
}

/// The largest numbers the rule takes (a year of daily soft bounces).
const MAX_SOFT_BOUNCES: u32 = 100;
const MAX_WINDOW_DAYS: u32 = 365;

impl SuppressionRule {
    /// Checks what the window sent.
    pub fn validate(&self) -> Result<(), BounceError> {
        if (1..=MAX_SOFT_BOUNCES).contains(&self.soft_bounces)
            && (1..=MAX_WINDOW_DAYS).contains(&self.soft_window_days)
        {
            Ok(())
        } else {
            Err(BounceError::Rule)
        }
    }

    /// Where the default numbers come from, for the person choosing them.
    pub const SOURCES: &'static str = "Three soft bounces within 30 days is the careful default (Resend's list-management guidance and Keila's rule; Optimizely uses five, Vero ten in 30 days). A hard bounce, a complaint or an unsubscribe request suppresses at once.";

    /// The rule in one sentence.
    pub fn sentence(&self) -> String {
        format!(
            "Hard bounces, complaints and unsubscribe requests suppress an address at once; soft bounces after {} within {} days.",
            self.soft_bounces, self.soft_window_days
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_valid_and_nonsense_is_refused() {
        assert!(SuppressionRule::default().validate().is_ok());
        for rule in [
            SuppressionRule {
                soft_bounces: 0,
                soft_window_days: 30,
            },
            SuppressionRule {
                soft_bounces: 3,
                soft_window_days: 0,
            },
            SuppressionRule {
                soft_bounces: 3,
                soft_window_days: 5000,
            },
        ] {
            assert!(rule.validate().is_err(), "{rule:?}");
        }
    }
}
