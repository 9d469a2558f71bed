//! The warm-up planner (issue 6, groundwork): named defaults, checked inputs and the day-by-day
//! plan. The tracker, charts, exports, CLI and app step are still to come.

mod defaults;
mod inputs;
mod plan;

pub use defaults::WarmupDefaults;
pub use inputs::{ListQuality, ProviderMix, SendingDay, WarmupInputError, WarmupInputs};
pub use plan::{MAX_PLAN_DAYS, PlanDay, ProviderCaps, Segment, plan, plan_from};
