//! What the user tells the planner, checked: each bad value named in a sentence.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::defaults::WarmupDefaults;
use super::input_error::WarmupInputError;

/// How engaged the list is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
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

/// What is new and needs a reputation built.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[ts(export)]
pub enum WhatIsNew {
    /// A dedicated sending IP address.
    Ip,
    /// A domain or subdomain never used for this mail.
    Domain,
    /// Both a new IP and a new domain.
    #[default]
    Both,
    /// Nothing: the IP and the domain already have a sending history.
    Nothing,
}

/// What kind of mail the warm-up is for (deliverability playbook §4: keep them apart).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[ts(export)]
pub enum Stream {
    /// Password resets, receipts: sent when something happens, to whoever it concerns.
    Transactional,
    /// Newsletters and campaigns: sent to a list, which can be ordered by engagement.
    #[default]
    Marketing,
    /// Both through the same IP or domain.
    Both,
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
    /// What is new.
    #[serde(default)]
    pub new: WhatIsNew,
    /// What kind of mail.
    #[serde(default)]
    pub stream: Stream,
    /// The ESP runs its own automatic warm-up: Mailwright plans the audience order and watches
    /// the thresholds instead of setting caps.
    #[serde(default)]
    pub esp_automatic: bool,
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

impl WarmupInputs {
    /// The first day's volume for the list's quality, before any check against the target.
    pub fn start_volume(&self, defaults: &WarmupDefaults) -> u32 {
        self.start_knob(defaults).0
    }

    fn start_knob(&self, defaults: &WarmupDefaults) -> (u32, &'static str) {
        match self.quality {
            ListQuality::Clean => (defaults.start_clean, "First day, very clean list"),
            ListQuality::Good | ListQuality::Unknown => {
                (defaults.start_good, "First day, good or unknown list")
            }
            ListQuality::Poor => (defaults.start_poor, "First day, poor list"),
        }
    }

    /// Checks the target, the mix and, when something is new, that the target is above the
    /// first day's volume.
    pub fn validate(&self, defaults: &WarmupDefaults) -> Result<(), WarmupInputError> {
        if self.target == 0 || self.target > 100_000_000 {
            return Err(WarmupInputError::Target(u64::from(self.target)));
        }
        let sum = self.mix.gmail + self.mix.microsoft + self.mix.yahoo + self.mix.other;
        if sum == 0 {
            return Err(WarmupInputError::EmptyMix);
        }
        if sum != 100 {
            return Err(WarmupInputError::Mix(sum));
        }
        let (start, label) = self.start_knob(defaults);
        if self.new != WhatIsNew::Nothing && !self.esp_automatic && self.target < start {
            return Err(WarmupInputError::TargetBelowStart {
                target: self.target,
                start,
                label,
            });
        }
        Ok(())
    }
}
