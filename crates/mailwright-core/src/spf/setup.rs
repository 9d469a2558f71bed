//! The SPF step's choices as saved in the project.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::compose::AllPolicy;

/// What the SPF step chose.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct SpfSetup {
    /// How the record ends; `None` keeps what is published.
    pub all: Option<AllPolicy>,
    /// Published terms the user chose to remove.
    pub remove: Vec<String>,
    /// The user chose `~all` although the published record ends `-all`.
    pub weaken: bool,
    /// A sending IP address to cross-check.
    pub ip: String,
}
