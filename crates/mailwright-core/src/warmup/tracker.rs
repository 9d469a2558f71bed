//! The tracker: the saved warm-up (inputs, numbers, every day's results, resumes), the verdict
//! on each day, and the rest of the plan recomputed from where the user really is.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

use super::advise::{Action, Advice, DayResult, DayResultError, advise};
use super::defaults::{DefaultInfo, WarmupDefaults};
use super::entry::DayEntry;
use super::export::{plan_csv, plan_ics, postfix_snippet};
use super::input_error::WarmupInputError;
use super::inputs::{ListQuality, ProviderMix, SendingDay, Stream, WarmupInputs, WhatIsNew};
use super::plan::{PlanDay, first_volume, grow, plan_from, plan_notes};
use super::plan_form::PlanForm;
use super::provider::Provider;
use super::recipients::RecipientCounts;

/// One provider's share of a day's results.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProviderResult {
    /// The provider.
    pub provider: Provider,
    /// Its numbers.
    pub result: DayResult,
}

/// One day's results as saved: the total, and the per-provider numbers it adds up from when
/// they were entered that way.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TrackedDay {
    /// The day.
    #[ts(type = "string")]
    pub date: Date,
    /// The day's numbers in total.
    pub total: DayResult,
    /// Per provider, when entered per provider (then `total` is their sum).
    pub providers: Vec<ProviderResult>,
}

/// The warm-up as saved in the project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WarmupSetup {
    /// What the user told the planner.
    pub inputs: WarmupInputs,
    /// The planner's numbers, as the user left them.
    pub defaults: WarmupDefaults,
    /// Every day's results, oldest first.
    pub days: Vec<TrackedDay>,
    /// The days the user resumed after a pause.
    #[ts(type = "string[]")]
    pub resumed: Vec<Date>,
    /// The recipient list, counted per domain (never the addresses).
    pub recipients: Option<RecipientCounts>,
}

/// Where the warm-up stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TrackerState {
    /// No results yet.
    Planned,
    /// Under way.
    Warming,
    /// Paused after a blocklisting, until the user resumes.
    Paused,
    /// Idle too long: starting again from the first day's volume.
    Rewarm,
    /// The target was reached.
    Done,
}

/// One saved day with what the tracker made of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TrackedEntry {
    /// The day.
    #[ts(type = "string")]
    pub date: Date,
    /// The plan's sending day it counted as.
    pub day: u32,
    /// The volume the plan allowed that day.
    pub planned: u32,
    /// The day's results in total.
    pub total: DayResult,
    /// Per provider, when entered that way.
    pub providers: Vec<ProviderResult>,
    /// The verdict.
    pub advice: Advice,
    /// The warm-up started again from the first day's volume before this day (idle too long).
    pub rewarmed: bool,
}

/// Everything the warm-up step shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WarmupView {
    /// The saved warm-up.
    pub setup: WarmupSetup,
    /// The planner's numbers with labels and sources.
    pub numbers: Vec<DefaultInfo>,
    /// What the plan means for these inputs.
    pub notes: Vec<String>,
    /// The days entered so far, with their verdicts.
    pub entries: Vec<TrackedEntry>,
    /// The plan from the next sending day on.
    pub plan: Vec<PlanDay>,
    /// Where it stands.
    pub state: TrackerState,
    /// The one thing to do next, in a sentence.
    pub next_step: String,
    /// The inputs form, filled in from the setup.
    pub form: PlanForm,
}

/// What the step can save to a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum WarmupExport {
    /// The plan from the next sending day, as CSV.
    Csv,
    /// An ICS calendar, one event per sending day.
    Calendar,
    /// Postfix rate limits for the next sending day.
    Postfix,
}

impl WarmupView {
    /// The file's text, or `None` when there is nothing to write (paused, or the ESP paces).
    pub fn export(&self, kind: WarmupExport, domain: &str) -> Option<String> {
        let next = self.plan.first()?;
        match kind {
            WarmupExport::Csv => Some(plan_csv(&self.plan)),
            WarmupExport::Calendar => Some(plan_ics(&self.plan, domain)),
            WarmupExport::Postfix => postfix_snippet(next, &self.setup.defaults),
        }
    }
}

/// Why a day's results cannot be saved.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum TrackerError {
    /// A field could not be read.
    #[error(transparent)]
    Input(#[from] WarmupInputError),
    /// The numbers do not fit together.
    #[error(transparent)]
    Day(#[from] DayResultError),
    /// Paused: resume first.
    #[error(
        "The warm-up is paused since {0} after a blocklisting. Once the listing is cleared, press Resume; your results so far are kept."
    )]
    Paused(String),
    /// The day already has results.
    #[error(
        "{date} already has results{for_provider}. Remove that day first if you want to enter it again."
    )]
    Duplicate {
        /// The day.
        date: String,
        /// " for Gmail", or "".
        for_provider: String,
    },
    /// Before the warm-up started.
    #[error("{date} is before the warm-up's first day ({start}).")]
    BeforeStart {
        /// The day.
        date: String,
        /// The first day.
        start: String,
    },
    /// In the future.
    #[error("{0} has not happened yet: enter results after the day's mail has gone out.")]
    Future(String),
    /// Nothing to resume.
    #[error("The warm-up is not paused, so there is nothing to resume.")]
    NotPaused,
    /// A CSV row is wrong.
    #[error("Row {row}: {error}")]
    Row {
        /// The row's line number in the file (the header is row 1).
        row: usize,
        /// What is wrong with it.
        error: Box<TrackerError>,
    },
    /// The CSV file as a whole is unusable.
    #[error("{0}")]
    Csv(String),
}

impl crate::error::FeatureError for TrackerError {
    fn code(&self) -> &'static str {
        "invalid_warmup"
    }
}

/// How serious a verdict is, for choosing the worst.
fn severity(action: Action) -> u8 {
    match action {
        Action::Advance => 0,
        Action::Hold => 1,
        Action::StepBack => 2,
        Action::Pause => 3,
    }
}

/// The verdict on a day: the total's, unless one provider's is worse (then that one, named).
pub fn advise_day(day: &TrackedDay, defaults: &WarmupDefaults) -> Result<Advice, DayResultError> {
    let mut worst = advise(&day.total, defaults)?;
    for p in day.providers.iter().filter(|p| p.result.sent > 0) {
        let advice = advise(&p.result, defaults)?;
        if severity(advice.action) > severity(worst.action) {
            worst = Advice {
                reason: format!("At {}: {}", p.provider.label(), advice.reason),
                ..advice
            };
        }
    }
    Ok(worst)
}

/// The tracker walked through the history.
struct Walk {
    entries: Vec<TrackedEntry>,
    day: u32,
    volume: u32,
    paused_since: Option<Date>,
    last: Option<Date>,
}

impl WarmupSetup {
    /// A new warm-up with no results yet.
    pub fn new(inputs: WarmupInputs, defaults: WarmupDefaults) -> Self {
        WarmupSetup {
            inputs,
            defaults,
            days: Vec::new(),
            resumed: Vec::new(),
            recipients: None,
        }
    }

    /// A first plan to start from: both new, marketing, 10,000 a day from tomorrow, every day.
    pub fn starter(today: Date) -> Self {
        use SendingDay::*;
        WarmupSetup::new(
            WarmupInputs {
                new: WhatIsNew::Both,
                stream: Stream::Marketing,
                esp_automatic: false,
                target: 10_000,
                start: today.tomorrow().unwrap_or(today),
                quality: ListQuality::Unknown,
                mix: ProviderMix::default(),
                sending_days: vec![Mon, Tue, Wed, Thu, Fri, Sat, Sun],
            },
            WarmupDefaults::default(),
        )
    }

    /// Replaces the inputs and numbers, keeping every result entered.
    pub fn change_plan(
        &mut self,
        inputs: WarmupInputs,
        defaults: WarmupDefaults,
    ) -> Result<(), WarmupInputError> {
        inputs.validate(&defaults)?;
        self.inputs = inputs;
        self.defaults = defaults;
        Ok(())
    }

    fn idle(&self, from: Date, to: Date) -> bool {
        from.until(to)
            .map(|span| {
                span.get_days()
                    > i32::try_from(self.defaults.rewarm_after_idle_days).unwrap_or(i32::MAX)
            })
            .unwrap_or(false)
    }

    fn walk(&self) -> Walk {
        let start = first_volume(&self.inputs, &self.defaults);
        let mut walk = Walk {
            entries: Vec::new(),
            day: 1,
            volume: start,
            paused_since: None,
            last: None,
        };
        let mut previous: Vec<u32> = Vec::new();
        for tracked in &self.days {
            if let Some(since) = walk.paused_since
                && self
                    .resumed
                    .iter()
                    .any(|r| *r >= since && *r <= tracked.date)
            {
                walk.paused_since = None;
            }
            let rewarmed = walk.last.is_some_and(|last| self.idle(last, tracked.date));
            if rewarmed {
                (walk.day, walk.volume) = (1, start);
                previous.clear();
            }
            let advice = advise_day(tracked, &self.defaults).unwrap_or_else(|e| Advice {
                action: Action::Hold,
                rule: "invalid".into(),
                reason: e.to_string(),
                bounce_pct: 0.0,
                complaint_pct: 0.0,
                deferral_pct: 0.0,
            });
            let action = advice.action;
            walk.entries.push(TrackedEntry {
                date: tracked.date,
                day: walk.day,
                planned: walk.volume,
                total: tracked.total,
                providers: tracked.providers.clone(),
                advice,
                rewarmed,
            });
            match action {
                Action::Advance => {
                    previous.push(walk.volume);
                    walk.volume = grow(walk.volume, self.inputs.target, &self.defaults);
                    walk.day += 1;
                }
                Action::Hold => {}
                Action::StepBack => {
                    if let Some(volume) = previous.pop() {
                        walk.volume = volume;
                        walk.day = walk.day.saturating_sub(1).max(1);
                    }
                }
                Action::Pause => walk.paused_since = Some(tracked.date),
            }
            walk.last = Some(tracked.date);
        }
        if let Some(since) = walk.paused_since
            && self.resumed.iter().any(|r| *r >= since)
        {
            walk.paused_since = None;
        }
        walk
    }

    /// Saves a day's results (the whole day, or one provider's share of it).
    pub fn record(&mut self, entry: DayEntry, today: Date) -> Result<(), TrackerError> {
        entry.result.validate()?;
        if entry.date > today {
            return Err(TrackerError::Future(entry.date.to_string()));
        }
        if entry.date < self.inputs.start {
            return Err(TrackerError::BeforeStart {
                date: entry.date.to_string(),
                start: self.inputs.start.to_string(),
            });
        }
        if let Some(since) = self.walk().paused_since {
            return Err(TrackerError::Paused(since.to_string()));
        }
        let duplicate = |for_provider: String| TrackerError::Duplicate {
            date: entry.date.to_string(),
            for_provider,
        };
        let position = self.days.iter().position(|d| d.date == entry.date);
        match (position, entry.provider) {
            (None, None) => self.insert(TrackedDay {
                date: entry.date,
                total: entry.result,
                providers: Vec::new(),
            }),
            (None, Some(provider)) => self.insert(TrackedDay {
                date: entry.date,
                total: entry.result,
                providers: vec![ProviderResult {
                    provider,
                    result: entry.result,
                }],
            }),
            (Some(i), Some(provider)) if !self.days[i].providers.is_empty() => {
                let day = &mut self.days[i];
                if day.providers.iter().any(|p| p.provider == provider) {
                    return Err(duplicate(format!(" for {}", provider.label())));
                }
                day.providers.push(ProviderResult {
                    provider,
                    result: entry.result,
                });
                day.providers.sort_by_key(|p| p.provider);
                day.total = sum(day.providers.iter().map(|p| &p.result));
            }
            (Some(_), _) => return Err(duplicate(String::new())),
        }
        Ok(())
    }

    fn insert(&mut self, day: TrackedDay) {
        let at = self.days.partition_point(|d| d.date < day.date);
        self.days.insert(at, day);
    }

    /// Records every entry or none: the first bad one is named by its row.
    pub fn record_all(
        &mut self,
        entries: Vec<(usize, DayEntry)>,
        today: Date,
    ) -> Result<usize, TrackerError> {
        let mut copy = self.clone();
        let count = entries.len();
        for (row, entry) in entries {
            copy.record(entry, today)
                .map_err(|error| TrackerError::Row {
                    row,
                    error: Box::new(error),
                })?;
        }
        *self = copy;
        Ok(count)
    }

    /// Removes a day's results.
    pub fn remove_day(&mut self, date: Date) -> bool {
        let before = self.days.len();
        self.days.retain(|d| d.date != date);
        self.days.len() != before
    }

    /// Resumes after a pause (the history is kept; the volume is the paused day's).
    pub fn resume(&mut self, today: Date) -> Result<(), TrackerError> {
        if self.walk().paused_since.is_none() {
            return Err(TrackerError::NotPaused);
        }
        self.resumed.push(today);
        Ok(())
    }

    /// The history with verdicts, the rest of the plan and the next step, as of `today`.
    pub fn view(&self, today: Date) -> WarmupView {
        let walk = self.walk();
        let idle = walk.last.is_some_and(|last| self.idle(last, today));
        let (day, volume) = if idle {
            (1, first_volume(&self.inputs, &self.defaults))
        } else {
            (walk.day, walk.volume)
        };
        let next_date = match walk.last {
            None => self.inputs.start,
            Some(last) => last.tomorrow().unwrap_or(last).max(today),
        };
        let reached = walk
            .entries
            .last()
            .is_some_and(|e| e.planned >= self.inputs.target && e.advice.action == Action::Advance);
        let plan = if walk.paused_since.is_some() {
            Vec::new()
        } else {
            plan_from(&self.inputs, &self.defaults, volume, day, next_date)
        };
        let (state, next_step) = if let Some(since) = walk.paused_since {
            (
                TrackerState::Paused,
                format!(
                    "Paused since {since}: find out why you were blocklisted, ask for delisting, then press Resume. Send nothing over this route meanwhile."
                ),
            )
        } else if idle {
            (
                TrackerState::Rewarm,
                format!(
                    "Nothing was sent for more than {} days, so mailbox providers have forgotten you: warm up again from {} messages on {}.",
                    self.defaults.rewarm_after_idle_days,
                    volume,
                    plan.first().map(|d| d.date).unwrap_or(next_date)
                ),
            )
        } else if reached && !self.inputs.esp_automatic {
            (
                TrackerState::Done,
                format!(
                    "You reached your target of {} a day. Keep sending steadily and keep watching bounces and complaints.",
                    self.inputs.target
                ),
            )
        } else if let Some(next) = plan.first() {
            let what = match next.caps {
                Some(_) => format!("send at most {} messages", next.total),
                None => format!("send only to {}", next.audience),
            };
            let state = if walk.entries.is_empty() {
                TrackerState::Planned
            } else {
                TrackerState::Warming
            };
            (
                state,
                format!(
                    "Next: day {} on {}, {what}; then enter its results here.",
                    next.day, next.date
                ),
            )
        } else {
            (TrackerState::Done, "The plan is complete.".into())
        };
        WarmupView {
            setup: self.clone(),
            numbers: self.defaults.describe(),
            notes: plan_notes(&self.inputs),
            entries: walk.entries,
            plan,
            state,
            next_step,
            form: PlanForm::from_saved(&self.inputs, &self.defaults),
        }
    }
}

/// The sum of several providers' results.
fn sum<'a>(results: impl Iterator<Item = &'a DayResult>) -> DayResult {
    results.fold(DayResult::default(), |a, r| DayResult {
        sent: a.sent.saturating_add(r.sent),
        delivered: a.delivered.saturating_add(r.delivered),
        hard_bounces: a.hard_bounces.saturating_add(r.hard_bounces),
        soft_bounces: a.soft_bounces.saturating_add(r.soft_bounces),
        complaints: a.complaints.saturating_add(r.complaints),
        deferrals: a.deferrals.saturating_add(r.deferrals),
        blocklisted: a.blocklisted || r.blocklisted,
    })
}
