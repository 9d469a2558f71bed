//! The day-by-day plan: a start volume that fits the list, growth per sending day that slows as
//! volume rises, per-provider caps with the known early caps, the audience segment of each day
//! and an hourly pace.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::defaults::WarmupDefaults;
use super::inputs::{ListQuality, SendingDay, WarmupInputs};

/// Who may be mailed on a day, most engaged first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Segment {
    /// Opened or clicked in the last 30 days (days 1–14).
    Engaged30,
    /// In the last 60 days (days 15–28).
    Engaged60,
    /// In the last 90 days (from day 29). 90-day-inactive addresses are never in the plan.
    Engaged90,
}

/// Per-provider caps of one day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProviderCaps {
    /// Gmail and Google Workspace.
    pub gmail: u32,
    /// Outlook.com, Hotmail, Microsoft 365.
    pub microsoft: u32,
    /// Yahoo and AOL.
    pub yahoo: u32,
    /// Everyone else.
    pub other: u32,
}

/// One sending day of the plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanDay {
    /// The sending day's number, from 1.
    pub day: u32,
    /// Its date.
    #[ts(type = "string")]
    pub date: Date,
    /// The day's total cap.
    pub total: u32,
    /// The caps per provider.
    pub caps: ProviderCaps,
    /// Who may be mailed.
    pub segment: Segment,
    /// Messages per hour to spread the day over the sending hours.
    pub per_hour: u32,
}

/// The most days a plan runs, whatever the numbers (a year of sending days).
pub const MAX_PLAN_DAYS: u32 = 365;

/// The plan from the inputs until the target is reached.
pub fn plan(inputs: &WarmupInputs, defaults: &WarmupDefaults) -> Vec<PlanDay> {
    let start = match inputs.quality {
        ListQuality::Clean => defaults.start_clean,
        ListQuality::Good | ListQuality::Unknown => defaults.start_good,
        ListQuality::Poor => defaults.start_poor,
    }
    .min(inputs.target);
    plan_from(inputs, defaults, start, 1, inputs.start)
}

/// The plan from `volume` on sending day `day`, dated from `date` (the tracker recomputes the
/// rest of a plan from where the user really is).
pub fn plan_from(
    inputs: &WarmupInputs,
    defaults: &WarmupDefaults,
    volume: u32,
    day: u32,
    date: Date,
) -> Vec<PlanDay> {
    let mut days = Vec::new();
    let mut volume = volume.clamp(1, inputs.target.max(1));
    let mut date = next_sending_date(date, &inputs.sending_days);
    let mut day = day;
    while day <= MAX_PLAN_DAYS {
        days.push(PlanDay {
            day,
            date,
            total: volume,
            caps: caps(volume, day, inputs, defaults),
            segment: segment(day),
            per_hour: volume.div_ceil(defaults.sending_hours.max(1)),
        });
        if volume >= inputs.target {
            break;
        }
        let grown = u64::from(volume) * u64::from(100 + defaults.growth_pct(volume)) / 100;
        volume = u32::try_from(grown)
            .unwrap_or(u32::MAX)
            .clamp(volume + 1, inputs.target);
        day += 1;
        date = next_sending_date(date.tomorrow().unwrap_or(date), &inputs.sending_days);
    }
    days
}

/// `date`, or the next day after it that is a sending day.
fn next_sending_date(date: Date, sending: &[SendingDay]) -> Date {
    let mut date = date;
    for _ in 0..7 {
        if sending.is_empty() || sending.iter().any(|d| d.weekday() == date.weekday()) {
            return date;
        }
        date = date.tomorrow().unwrap_or(date);
    }
    date
}

/// The segment of sending day `day` (SparkPost per-IP table: engaged within 30 days for days
/// 1–14, then within 60 days; nothing to 90-day-inactive addresses in the first 6 weeks).
fn segment(day: u32) -> Segment {
    match day {
        0..=14 => Segment::Engaged30,
        15..=28 => Segment::Engaged60,
        _ => Segment::Engaged90,
    }
}

/// The day's caps per provider: the provider's share of the mix, within the first week's known
/// caps; never more than the day's total in all.
fn caps(total: u32, day: u32, inputs: &WarmupInputs, defaults: &WarmupDefaults) -> ProviderCaps {
    let share = |pct: u32| u32::try_from(u64::from(total) * u64::from(pct) / 100).unwrap_or(total);
    let first_week = day <= 7;
    let mut caps = ProviderCaps {
        gmail: share(inputs.mix.gmail),
        microsoft: share(inputs.mix.microsoft),
        yahoo: share(inputs.mix.yahoo),
        other: share(inputs.mix.other),
    };
    if first_week {
        caps.yahoo = caps.yahoo.min(defaults.yahoo_week1_cap);
        caps.microsoft = caps.microsoft.min(defaults.microsoft_week1_cap);
    }
    caps
}
