//! Every number the warm-up planner uses, named and documented, with its source
//! (shared/reference/email-facts.md, "Warm-up numbers"). The user can see and change each one.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::input_error::WarmupInputError;

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

/// One of the planner's numbers as the user sees it: what it is, its value and where it comes
/// from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DefaultInfo {
    /// The field's name in [`WarmupDefaults`].
    pub name: String,
    /// What it is, in words.
    pub label: String,
    /// Its value as text.
    pub value: String,
    /// "messages", "%", "days" or "hours".
    pub unit: String,
    /// Where the number comes from.
    pub source: String,
}

/// A number the user may change: name, label, unit, smallest and largest value, source.
struct Knob {
    name: &'static str,
    label: &'static str,
    unit: &'static str,
    min: f64,
    max: f64,
    source: &'static str,
}

/// Every field of [`WarmupDefaults`], in the order the user sees them.
const KNOBS: [Knob; 17] = [
    Knob {
        name: "start_clean",
        label: "First day, very clean list",
        unit: "messages",
        min: 1.0,
        max: 1e8,
        source: "Engaged Nation / iPost start very clean lists at 1,000 or more",
    },
    Knob {
        name: "start_good",
        label: "First day, good or unknown list",
        unit: "messages",
        min: 1.0,
        max: 1e8,
        source: "“Send 500 messages on day one” (deliverability playbook §4; Delivra)",
    },
    Knob {
        name: "start_poor",
        label: "First day, poor list",
        unit: "messages",
        min: 1.0,
        max: 1e8,
        source: "SparkPost per-IP table starts at 200",
    },
    Knob {
        name: "growth_small_pct",
        label: "Daily growth while small",
        unit: "%",
        min: 1.0,
        max: 100.0,
        source: "Playbook §4: +25–50 % a day; faster while small",
    },
    Knob {
        name: "small_below",
        label: "“Small” means under",
        unit: "messages",
        min: 1.0,
        max: 1e8,
        source: "Published schedules grow fastest under a few thousand a day",
    },
    Knob {
        name: "growth_medium_pct",
        label: "Daily growth in between",
        unit: "%",
        min: 1.0,
        max: 100.0,
        source: "Between the small and large rates",
    },
    Knob {
        name: "large_from",
        label: "“Large” means from",
        unit: "messages",
        min: 1.0,
        max: 1e8,
        source: "Engaged Nation slows down above 50,000 a day",
    },
    Knob {
        name: "growth_large_pct",
        label: "Daily growth when large",
        unit: "%",
        min: 1.0,
        max: 100.0,
        source: "Playbook §4: no less than +25 %",
    },
    Knob {
        name: "yahoo_week1_cap",
        label: "Yahoo/AOL cap in week 1",
        unit: "messages",
        min: 0.0,
        max: 1e8,
        source: "SparkPost: AOL 5,000 a day in week 1",
    },
    Knob {
        name: "microsoft_week1_cap",
        label: "Microsoft cap in week 1",
        unit: "messages",
        min: 0.0,
        max: 1e8,
        source: "SparkPost: Outlook 20,000 a day in week 1",
    },
    Knob {
        name: "hold_bounce_pct",
        label: "Hold at hard bounces of",
        unit: "%",
        min: 0.01,
        max: 100.0,
        source: "Delivra, AcelleMail: don't increase above 2 %",
    },
    Knob {
        name: "hold_complaint_pct",
        label: "Hold at complaints of",
        unit: "%",
        min: 0.01,
        max: 100.0,
        source: "Gmail: keep spam complaints below 0.10 %",
    },
    Knob {
        name: "hold_deferral_pct",
        label: "Hold at deferrals of",
        unit: "%",
        min: 0.01,
        max: 100.0,
        source: "Mailwright's default; no provider publishes one",
    },
    Knob {
        name: "step_back_bounce_pct",
        label: "Step back at hard bounces of",
        unit: "%",
        min: 0.01,
        max: 100.0,
        source: "SiteVibes stops the warm-up above 3 %",
    },
    Knob {
        name: "step_back_complaint_pct",
        label: "Step back at complaints of",
        unit: "%",
        min: 0.01,
        max: 100.0,
        source: "Gmail and Yahoo: never reach 0.3 %",
    },
    Knob {
        name: "rewarm_after_idle_days",
        label: "Warm up again after idle",
        unit: "days",
        min: 1.0,
        max: 3650.0,
        source: "SendGrid: warm up again after 30 days without sending",
    },
    Knob {
        name: "sending_hours",
        label: "Spread a day's mail over",
        unit: "hours",
        min: 1.0,
        max: 24.0,
        source: "Mailwright's default: a working day",
    },
];

impl WarmupDefaults {
    /// Every number with its label, value and source, for the user to see.
    pub fn describe(&self) -> Vec<DefaultInfo> {
        let values = serde_json::to_value(self).unwrap_or_default();
        KNOBS
            .iter()
            .map(|k| DefaultInfo {
                name: k.name.into(),
                label: k.label.into(),
                value: values
                    .get(k.name)
                    .map(|v| v.to_string())
                    .unwrap_or_default(),
                unit: k.unit.into(),
                source: k.source.into(),
            })
            .collect()
    }

    /// Sets the number called `name` from the user's text, within its range.
    pub fn set(&mut self, name: &str, text: &str) -> Result<(), WarmupInputError> {
        let knob = KNOBS
            .iter()
            .find(|k| k.name == name)
            .ok_or_else(|| WarmupInputError::UnknownDefault(name.to_owned()))?;
        let bad = || WarmupInputError::Default {
            label: knob.label.to_owned(),
            text: text.trim().to_owned(),
            min: knob.min,
            max: knob.max,
        };
        let value: f64 = text
            .trim()
            .replace([',', '_', '%'], "")
            .parse()
            .map_err(|_| bad())?;
        if !value.is_finite() || value < knob.min || value > knob.max {
            return Err(bad());
        }
        let mut values = serde_json::to_value(&*self).map_err(|_| bad())?;
        let number = if values[knob.name].is_f64() {
            serde_json::json!(value)
        } else if value.fract() == 0.0 {
            serde_json::json!(value as u32)
        } else {
            return Err(bad());
        };
        values[knob.name] = number;
        *self = serde_json::from_value(values).map_err(|_| bad())?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_number_is_described_and_settable() {
        let defaults = WarmupDefaults::default();
        let described = defaults.describe();
        assert_eq!(described.len(), 17);
        assert!(
            described
                .iter()
                .all(|d| !d.value.is_empty() && !d.source.is_empty())
        );
        let mut changed = defaults.clone();
        for d in &described {
            changed.set(&d.name, &d.value).unwrap();
        }
        assert_eq!(changed, defaults);
        changed.set("hold_complaint_pct", "0.15").unwrap();
        assert_eq!(changed.hold_complaint_pct, 0.15);
        changed.set("start_good", "1,000").unwrap();
        assert_eq!(changed.start_good, 1000);
        let error = changed.set("start_good", "-5").unwrap_err().to_string();
        assert!(error.contains("First day, good or unknown list"), "{error}");
        assert!(changed.set("sending_hours", "25").is_err());
        assert!(changed.set("growth_small_pct", "12.5").is_err());
        assert_eq!(changed.start_good, 1000, "a refused value changes nothing");
    }
}
