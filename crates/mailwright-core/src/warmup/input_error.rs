//! A warm-up input that cannot be used, named with the field and what to type instead.

use thiserror::Error;

/// A bad input, named.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum WarmupInputError {
    /// The target is zero or absurd.
    #[error("“Daily target” must be a number of messages from 1 to 100,000,000; “{0}” is not.")]
    Target(u64),
    /// The target is below the first day's volume.
    #[error(
        "“Daily target” ({target}) is below the first day's volume for this list ({start}): you can send that much from day one without a warm-up, or lower “{label}” under “Numbers the planner uses”."
    )]
    TargetBelowStart {
        /// The target.
        target: u32,
        /// The first day's volume.
        start: u32,
        /// The label of the start volume used.
        label: &'static str,
    },
    /// The mix is empty.
    #[error(
        "The provider mix is empty: give each provider's share in percent, or count it from your list of recipients."
    )]
    EmptyMix,
    /// The mix does not add up.
    #[error("The provider mix adds up to {0} %; it must add up to 100 %.")]
    Mix(u32),
    /// A number the user typed is not a count.
    #[error("“{field}” must be a whole number from 0 to 100,000,000; “{text}” is not.")]
    Count {
        /// The field's label.
        field: String,
        /// What was typed.
        text: String,
    },
    /// No weekday chosen.
    #[error("Choose at least one sending day of the week.")]
    NoSendingDay,
    /// A required number was left blank.
    #[error("“{0}” is empty: enter a number.")]
    Missing(String),
    /// A date the user typed is not a date.
    #[error("“{field}” must be a date such as 2026-12-01; “{text}” is not.")]
    Date {
        /// The field's label.
        field: String,
        /// What was typed.
        text: String,
    },
    /// A planner number out of its range.
    #[error("“{label}” must be a number from {min} to {max}; “{text}” is not.")]
    Default {
        /// The number's label.
        label: String,
        /// What was typed.
        text: String,
        /// The smallest value allowed.
        min: f64,
        /// The largest value allowed.
        max: f64,
    },
    /// A planner number that does not exist.
    #[error("The planner has no number called “{0}”.")]
    UnknownDefault(String),
}

impl crate::error::FeatureError for WarmupInputError {
    fn code(&self) -> &'static str {
        "invalid_warmup"
    }
}
