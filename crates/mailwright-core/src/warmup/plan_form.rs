//! The warm-up step's inputs as typed, read by the engine so every bad value is named.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::defaults::WarmupDefaults;
use super::entry::{count, date};
use super::input_error::WarmupInputError;
use super::inputs::{ListQuality, ProviderMix, SendingDay, Stream, WarmupInputs, WhatIsNew};

/// The provider mix as typed, in percent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MixForm {
    /// Gmail.
    pub gmail: String,
    /// Microsoft.
    pub microsoft: String,
    /// Yahoo/AOL.
    pub yahoo: String,
    /// Others.
    pub other: String,
}

/// One planner number as typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NumberEdit {
    /// The number's name (from [`WarmupDefaults::describe`]).
    pub name: String,
    /// Its value as typed.
    pub value: String,
}

/// The inputs form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanForm {
    /// What is new.
    pub new: WhatIsNew,
    /// What kind of mail.
    pub stream: Stream,
    /// The ESP warms up on its own.
    pub esp_automatic: bool,
    /// Messages a day to reach.
    pub target: String,
    /// The first sending day, YYYY-MM-DD.
    pub start: String,
    /// How engaged the list is.
    pub quality: ListQuality,
    /// The provider mix.
    pub mix: MixForm,
    /// The days of the week mail is sent.
    pub sending_days: Vec<SendingDay>,
    /// The planner's numbers.
    pub numbers: Vec<NumberEdit>,
}

impl PlanForm {
    /// The form filled in from a saved warm-up's inputs and numbers.
    pub fn from_saved(i: &WarmupInputs, defaults: &WarmupDefaults) -> Self {
        PlanForm {
            new: i.new,
            stream: i.stream,
            esp_automatic: i.esp_automatic,
            target: i.target.to_string(),
            start: i.start.to_string(),
            quality: i.quality,
            mix: MixForm {
                gmail: i.mix.gmail.to_string(),
                microsoft: i.mix.microsoft.to_string(),
                yahoo: i.mix.yahoo.to_string(),
                other: i.mix.other.to_string(),
            },
            sending_days: i.sending_days.clone(),
            numbers: defaults
                .describe()
                .into_iter()
                .map(|d| NumberEdit {
                    name: d.name,
                    value: d.value,
                })
                .collect(),
        }
    }

    /// Every fault of the form at once, each with the id of its field in the window
    /// (`warmup-target`, `warmup-mix-gmail`…), so the user sees them all as they type.
    pub fn problems(&self) -> Vec<(String, WarmupInputError)> {
        let mut problems = Vec::new();
        for edit in &self.numbers {
            if let Err(fault) = WarmupDefaults::default().set(&edit.name, &edit.value) {
                problems.push((format!("warmup-n-{}", edit.name), fault));
            }
        }
        match count("Daily target", &self.target) {
            Ok(None) => problems.push((
                "warmup-target".into(),
                WarmupInputError::Missing("Daily target".into()),
            )),
            Err(fault) => problems.push(("warmup-target".into(), fault)),
            Ok(Some(_)) => {}
        }
        if let Err(fault) = date("First sending day", &self.start) {
            problems.push(("warmup-start".into(), fault));
        }
        for (id, field, text) in [
            ("gmail", "Gmail %", &self.mix.gmail),
            ("microsoft", "Microsoft %", &self.mix.microsoft),
            ("yahoo", "Yahoo/AOL %", &self.mix.yahoo),
            ("other", "Others %", &self.mix.other),
        ] {
            let fault = match count(field, text) {
                Ok(Some(n)) if n > 100 => Some(WarmupInputError::Count {
                    field: field.to_owned(),
                    text: text.trim().to_owned(),
                }),
                Err(fault) => Some(fault),
                _ => None,
            };
            problems.extend(fault.map(|f| (format!("warmup-mix-{id}"), f)));
        }
        if self.sending_days.is_empty() {
            problems.push(("warmup-days".into(), WarmupInputError::NoSendingDay));
        }
        // What only the whole form can say (the mix's sum, the target against day one).
        if problems.is_empty()
            && let Err(fault) = self.read()
        {
            let field = match fault {
                WarmupInputError::EmptyMix | WarmupInputError::Mix(_) => "warmup-mix-gmail",
                _ => "warmup-target",
            };
            problems.push((field.to_owned(), fault));
        }
        problems
    }

    /// Reads and checks the form; the first bad field is named.
    pub fn read(&self) -> Result<(WarmupInputs, WarmupDefaults), WarmupInputError> {
        let mut defaults = WarmupDefaults::default();
        for edit in &self.numbers {
            defaults.set(&edit.name, &edit.value)?;
        }
        let target = count("Daily target", &self.target)?
            .ok_or_else(|| WarmupInputError::Missing("Daily target".into()))?;
        let share = |field: &str, text: &str| -> Result<u32, WarmupInputError> {
            match count(field, text)? {
                Some(n) if n > 100 => Err(WarmupInputError::Count {
                    field: field.to_owned(),
                    text: text.trim().to_owned(),
                }),
                n => Ok(n.unwrap_or(0)),
            }
        };
        if self.sending_days.is_empty() {
            return Err(WarmupInputError::NoSendingDay);
        }
        let inputs = WarmupInputs {
            new: self.new,
            stream: self.stream,
            esp_automatic: self.esp_automatic,
            target,
            start: date("First sending day", &self.start)?,
            quality: self.quality,
            mix: ProviderMix {
                gmail: share("Gmail %", &self.mix.gmail)?,
                microsoft: share("Microsoft %", &self.mix.microsoft)?,
                yahoo: share("Yahoo/AOL %", &self.mix.yahoo)?,
                other: share("Others %", &self.mix.other)?,
            },
            sending_days: self.sending_days.clone(),
        };
        inputs.validate(&defaults)?;
        Ok((inputs, defaults))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fault_of_the_form_is_named_at_once() {
        let mut f = form();
        f.target = "lots".into();
        f.mix.gmail = "150".into();
        f.mix.yahoo = "x".into();
        f.sending_days.clear();
        let fields: Vec<String> = f.problems().into_iter().map(|(field, _)| field).collect();
        assert_eq!(
            fields,
            [
                "warmup-target",
                "warmup-mix-gmail",
                "warmup-mix-yahoo",
                "warmup-days"
            ]
        );
        assert!(form().problems().is_empty());
    }

    fn form() -> PlanForm {
        let inputs = WarmupInputs {
            new: WhatIsNew::Domain,
            stream: Stream::Marketing,
            esp_automatic: false,
            target: 20_000,
            start: jiff::civil::date(2026, 12, 1),
            quality: ListQuality::Good,
            mix: ProviderMix::default(),
            sending_days: vec![SendingDay::Mon],
        };
        PlanForm::from_saved(&inputs, &WarmupDefaults::default())
    }

    #[test]
    fn round_trips_and_names_bad_fields() {
        let (inputs, defaults) = form().read().unwrap();
        assert_eq!(inputs.target, 20_000);
        assert_eq!(defaults, WarmupDefaults::default());
        type Change = fn(&mut PlanForm);
        let cases: [(Change, &str); 6] = [
            (|f| f.sending_days.clear(), "at least one sending day"),
            (|f| f.target = "-1".into(), "“Daily target”"),
            (|f| f.target = "300".into(), "below the first day's volume"),
            (|f| f.mix.gmail = "abc".into(), "“Gmail %”"),
            (
                |f| {
                    f.mix = MixForm::default();
                },
                "mix is empty",
            ),
            (
                |f| f.numbers[0].value = "0".into(),
                "First day, very clean list",
            ),
        ];
        for (change, expected) in cases {
            let mut bad = form();
            change(&mut bad);
            let error = bad.read().unwrap_err().to_string();
            assert!(error.contains(expected), "{error}");
        }
    }
}
