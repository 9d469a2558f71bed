//! Every number the warm-up planner uses, named and documented, with its source
//! (shared/reference/email-facts.md, "Warm-up numbers"). The user can see and change each one.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The planner's numbers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct WarmupDefaults {
    /// Day-one volume for a very clean list (≥ 80 % engaged in 30 days). Engaged Nation / iPost
    /// start very clean lists higher; we stay at 1,000.
    pub start_clean: u32,
    /// Day-one volume for a good list or an unknown one (seed 000 §4: "send 500 messages on day
    /// one"; Delivra day 1: 500).
    pub start_good: u32,
    /// Day-one volume for a poor list (< 50 % engaged in 90 days); the SparkPost per-IP table
    /// starts at 200.
    pub start_poor: u32,
    /// Daily growth while a day's volume is under `small_below` (seed 000 §4: +25–50 %; Engaged
    /// Nation doubles while small; we cap at +50 %).
    pub growth_small_pct: u32,
    /// Volume under which growth is `growth_small_pct`.
    pub small_below: u32,
    /// Daily growth between `small_below` and `large_from`.
    pub growth_medium_pct: u32,
    /// Volume from which growth is `growth_large_pct` (Engaged Nation: slower above 50k/100k).
    pub large_from: u32,
    /// Daily growth from `large_from` on (seed 000 §4: no less than +25 %).
    pub growth_large_pct: u32,
    /// Yahoo/AOL's daily cap in the first week (SparkPost: "AOL 5k/day in week 1").
    pub yahoo_week1_cap: u32,
    /// Microsoft's daily cap in the first week (SparkPost: "Outlook 20k/day in week 1").
    pub microsoft_week1_cap: u32,
    /// Hold (repeat the day) when hard bounces exceed this share, in percent (Delivra, Acelle:
    /// 2 %).
    pub hold_bounce_pct: f64,
    /// Hold when complaints exceed this share, in percent (Gmail: keep below 0.10 %).
    pub hold_complaint_pct: f64,
    /// Hold when deferrals (4xx) exceed this share, in percent (our default; no published
    /// number).
    pub hold_deferral_pct: f64,
    /// Step back a day when hard bounces exceed this share (SiteVibes' auto-stop: 3 %).
    pub step_back_bounce_pct: f64,
    /// Step back a day when complaints exceed this share (Gmail and Yahoo: never reach 0.3 %).
    pub step_back_complaint_pct: f64,
    /// Warm up again after this many days without sending (SendGrid: 30).
    pub rewarm_after_idle_days: u32,
    /// Hours a day's volume is spread over.
    pub sending_hours: u32,
}

impl Default for WarmupDefaults {
    fn default() -> Self {
        WarmupDefaults {
            start_clean: 1_000,
            start_good: 500,
            start_poor: 200,
            growth_small_pct: 50,
            small_below: 5_000,
            growth_medium_pct: 35,
            large_from: 50_000,
            growth_large_pct: 25,
            yahoo_week1_cap: 5_000,
            microsoft_week1_cap: 20_000,
            hold_bounce_pct: 2.0,
            hold_complaint_pct: 0.1,
            hold_deferral_pct: 5.0,
            step_back_bounce_pct: 3.0,
            step_back_complaint_pct: 0.3,
            rewarm_after_idle_days: 30,
            sending_hours: 8,
        }
    }
}

impl WarmupDefaults {
    /// The growth, in percent, after a day of `volume` messages.
    pub fn growth_pct(&self, volume: u32) -> u32 {
        if volume < self.small_below {
            self.growth_small_pct
        } else if volume < self.large_from {
            self.growth_medium_pct
        } else {
            self.growth_large_pct
        }
    }
}
