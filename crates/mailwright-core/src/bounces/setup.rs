//! The Bounces step's choices, kept in the project: the suppression rule.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::rule::SuppressionRule;

/// What the user chose in the Bounces step.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct BouncesSetup {
    /// When soft bounces suppress an address.
    pub rule: SuppressionRule,
}
