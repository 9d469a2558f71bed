//! The warm-up planner and tracker: named defaults, checked inputs, the day-by-day plan, the
//! verdict on each day's results, the saved history with the rest of the plan recomputed, the
//! provider mix counted from a recipient list, and exports.

mod advise;
mod defaults;
mod entry;
mod export;
mod input_error;
mod inputs;
mod plan;
mod plan_form;
mod provider;
mod recipients;
mod results_csv;
mod tracker;

pub use advise::{Action, Advice, DayResult, DayResultError, advise, next_volume};
pub use defaults::{DefaultInfo, WarmupDefaults};
pub use entry::{DayEntry, DayEntryForm};
pub use export::{plan_csv, plan_ics, postfix_snippet};
pub use input_error::WarmupInputError;
pub use inputs::{ListQuality, ProviderMix, SendingDay, Stream, WarmupInputs, WhatIsNew};
pub use plan::{
    ESP_AUDIENCE_DAYS, MAX_PLAN_DAYS, PlanDay, ProviderCaps, Segment, first_volume, grow, plan,
    plan_from, plan_notes, segment_name,
};
pub use plan_form::{MixForm, NumberEdit, PlanForm};
pub use provider::Provider;
pub use recipients::{DomainCount, EmptyList, KEPT_DOMAINS, RecipientCounts, count_recipients};
pub use results_csv::{RESULT_COLUMNS, parse_results_csv};
pub use tracker::{
    ProviderResult, TrackedDay, TrackedEntry, TrackerError, TrackerState, WarmupExport,
    WarmupSetup, WarmupView, advise_day,
};
