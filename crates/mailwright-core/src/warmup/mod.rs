//! The warm-up planner (issue 6, groundwork): named defaults, checked inputs, the day-by-day
//! plan and the verdict on one day's results. The tracker's history, charts, exports, CLI and
//! app step are still to come.

mod advise;
mod defaults;
mod export;
mod inputs;
mod plan;

pub use advise::{Action, Advice, DayResult, DayResultError, advise, next_volume};
pub use defaults::WarmupDefaults;
pub use export::{plan_csv, plan_ics, postfix_snippet};
pub use inputs::{ListQuality, ProviderMix, SendingDay, WarmupInputError, WarmupInputs};
pub use plan::{MAX_PLAN_DAYS, PlanDay, ProviderCaps, Segment, plan, plan_from};
