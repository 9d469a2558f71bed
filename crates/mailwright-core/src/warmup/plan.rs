//! The day-by-day plan: a start volume that fits the list, growth per sending day that slows as
//! volume rises, per-provider caps with the known early caps, the audience segment of each day
//! and an hourly pace.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::defaults::WarmupDefaults;
use super::inputs::{SendingDay, Stream, WarmupInputs, WhatIsNew};

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
    /// Transactional mail goes to whoever it concerns: the cap says how much of it takes the
    /// new route; the rest keeps going the old way.
    Triggered,
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
    /// The day's total cap (with an ESP's automatic warm-up: the volume to hand it).
    pub total: u32,
    /// The caps per provider; `None` when the ESP sets them.
    pub caps: Option<ProviderCaps>,
    /// Who may be mailed.
    pub segment: Segment,
    /// Who may be mailed, in words.
    pub audience: String,
    /// Messages per hour to spread the day over the sending hours; `None` when the ESP paces.
    pub per_hour: Option<u32>,
}

/// Sending days an ESP-managed warm-up orders the audience over: six weeks, after which
/// 90-day-inactive addresses may be mailed (SparkPost).
pub const ESP_AUDIENCE_DAYS: u32 = 42;

/// The most days a plan runs, whatever the numbers (a year of sending days).
pub const MAX_PLAN_DAYS: u32 = 365;

/// The plan from the inputs until the target is reached.
pub fn plan(inputs: &WarmupInputs, defaults: &WarmupDefaults) -> Vec<PlanDay> {
    plan_from(
        inputs,
        defaults,
        first_volume(inputs, defaults),
        1,
        inputs.start,
    )
}

/// The first day's volume: the list quality's start, the target when nothing is new or the ESP
/// sets the pace.
pub fn first_volume(inputs: &WarmupInputs, defaults: &WarmupDefaults) -> u32 {
    if inputs.new == WhatIsNew::Nothing || inputs.esp_automatic {
        inputs.target
    } else {
        inputs.start_volume(defaults).min(inputs.target)
    }
}

/// The volume after an advancing day of `volume` messages: at least one more, at most the
/// target; a warm-up at (or, after the target was lowered, above) its target stays at it.
pub fn grow(volume: u32, target: u32, defaults: &WarmupDefaults) -> u32 {
    if volume >= target {
        return target;
    }
    let grown = u64::from(volume) * u64::from(100 + defaults.growth_pct(volume)) / 100;
    u32::try_from(grown)
        .unwrap_or(u32::MAX)
        .clamp(volume + 1, target)
}

/// What the plan means for these inputs, in sentences shown above it.
pub fn plan_notes(inputs: &WarmupInputs) -> Vec<String> {
    let mut notes = Vec::new();
    notes.push(match inputs.new {
        WhatIsNew::Ip => "A new IP address has no reputation: mailbox providers throttle it until it has sent steadily for weeks (14 days at least, up to 6 weeks).",
        WhatIsNew::Domain => "A new domain or subdomain has no reputation: Gmail and the others judge it by its first weeks of mail, so start small with your most engaged readers.",
        WhatIsNew::Both => "Both the IP address and the domain are new: follow the plan day by day and do not skip ahead.",
        WhatIsNew::Nothing => "Nothing is new, so no warm-up is needed: send your usual volume and keep watching bounces and complaints. Plan a warm-up again if you move to a new IP or domain, or after 30 days without sending.",
    }.to_owned());
    if inputs.esp_automatic {
        notes.push("Your email service warms up on its own: it decides how much goes out each day. Hand it your most engaged readers first, as below, and enter each day's results so Mailwright can tell you when to hold or stop.".into());
    }
    notes.push(match inputs.stream {
        Stream::Transactional => "Transactional mail goes to whoever it concerns, so there is no audience to order: move that share of it to the new route each day and keep the rest on the old one.",
        Stream::Marketing => "Mail your most engaged readers first; nobody inactive for 90 days is mailed during the warm-up.",
        Stream::Both => "Transactional and marketing mail share this route. Better to give each its own subdomain (for example mail. and news.) so a campaign's complaints cannot hold up receipts and password resets; meanwhile the caps cover both together.",
    }.to_owned());
    notes
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
    let managed = inputs.esp_automatic;
    let mut volume = volume.clamp(1, inputs.target.max(1));
    let mut date = next_sending_date(date, &inputs.sending_days);
    let mut day = day;
    while day <= MAX_PLAN_DAYS {
        days.push(PlanDay {
            day,
            date,
            total: volume,
            caps: (!managed).then(|| caps(volume, day, inputs, defaults)),
            segment: segment(day, inputs.stream),
            audience: segment_name(segment(day, inputs.stream)).to_owned(),
            per_hour: (!managed).then(|| volume.div_ceil(defaults.sending_hours.max(1))),
        });
        let done = if managed {
            day >= ESP_AUDIENCE_DAYS
        } else {
            volume >= inputs.target
        };
        if done {
            break;
        }
        if !managed {
            volume = grow(volume, inputs.target, defaults);
        }
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

/// Who a segment mails, in words.
pub fn segment_name(segment: Segment) -> &'static str {
    match segment {
        Segment::Engaged30 => "people engaged in the last 30 days",
        Segment::Engaged60 => "people engaged in the last 60 days",
        Segment::Engaged90 => "people engaged in the last 90 days",
        Segment::Triggered => "transactional mail as it happens",
    }
}

/// The segment of sending day `day` (SparkPost per-IP table: engaged within 30 days for days
/// 1–14, then within 60 days; nothing to 90-day-inactive addresses in the first 6 weeks).
fn segment(day: u32, stream: Stream) -> Segment {
    if stream == Stream::Transactional {
        return Segment::Triggered;
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_warm_up_at_its_target_stays_there_and_never_passes_it() {
        let defaults = WarmupDefaults::default();
        // Found by the tracker's property test: an advancing day at the target panicked.
        assert_eq!(grow(1_504, 1_504, &defaults), 1_504);
        assert_eq!(
            grow(2_000, 1_504, &defaults),
            1_504,
            "a lowered target caps the volume"
        );
        let next = grow(1_000, 1_504, &defaults);
        assert!(next > 1_000 && next <= 1_504, "{next}");
        assert_eq!(grow(1_503, 1_504, &defaults), 1_504);
    }
}
