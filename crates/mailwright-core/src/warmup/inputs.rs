//! What the user tells the planner, checked: each bad value named in a sentence.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

/// How engaged the list is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ListQuality {
    /// At least 80 % opened or clicked in the last 30 days.
    Clean,
    /// At least half engaged in the last 90 days.
    Good,
    /// Less than half engaged in the last 90 days.
    Poor,
    /// Not known: planned as "good".
    Unknown,
}

/// A day of the week mail may be sent on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum SendingDay {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl SendingDay {
    /// The day as jiff names it.
    pub fn weekday(self) -> jiff::civil::Weekday {
        use jiff::civil::Weekday::*;
        match self {
            SendingDay::Mon => Monday,
            SendingDay::Tue => Tuesday,
            SendingDay::Wed => Wednesday,
            SendingDay::Thu => Thursday,
            SendingDay::Fri => Friday,
            SendingDay::Sat => Saturday,
            SendingDay::Sun => Sunday,
        }
    }
}

/// The mailbox-provider mix, in percent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProviderMix {
    /// Gmail and Google Workspace.
    pub gmail: u32,
    /// Microsoft.
    pub microsoft: u32,
    /// Yahoo and AOL.
    pub yahoo: u32,
    /// Everyone else.
    pub other: u32,
}

impl Default for ProviderMix {
    fn default() -> Self {
        ProviderMix {
            gmail: 40,
            microsoft: 30,
            yahoo: 10,
            other: 20,
        }
    }
}

/// The planner's inputs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WarmupInputs {
    /// Messages a day to reach.
    pub target: u32,
    /// The first sending day.
    #[ts(type = "string")]
    pub start: Date,
    /// How engaged the list is.
    pub quality: ListQuality,
    /// Who the recipients' mailbox providers are.
    pub mix: ProviderMix,
    /// The days of the week mail is sent (empty: every day).
    pub sending_days: Vec<SendingDay>,
}

/// A bad input, named.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum WarmupInputError {
    /// The target is zero or absurd.
    #[error("The daily target must be a number of messages from 1 to 100,000,000; “{0}” is not.")]
    Target(u64),
    /// The mix does not add up.
    #[error("The provider mix adds up to {0} %; it must add up to 100 %.")]
    Mix(u32),
}

impl WarmupInputs {
    /// Checks the target and the mix.
    pub fn validate(&self) -> Result<(), WarmupInputError> {
        if self.target == 0 || self.target > 100_000_000 {
            return Err(WarmupInputError::Target(u64::from(self.target)));
        }
        let sum = self.mix.gmail + self.mix.microsoft + self.mix.yahoo + self.mix.other;
        if sum != 100 {
            return Err(WarmupInputError::Mix(sum));
        }
        Ok(())
    }
}
