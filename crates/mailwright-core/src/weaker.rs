//! Changes that would leave a domain less safe than what it publishes now. A composer never
//! proposes one silently: unless the user chose to weaken, it keeps what is in force, and
//! either way it says in one sentence what each change weakens.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What a composition would weaken compared with the published record.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Weaker {
    /// Each change that is weaker than what is published, in one sentence; empty when the
    /// choices weaken nothing.
    pub changes: Vec<String>,
    /// True when the user chose them and the composed record has them; false when the composed
    /// record keeps what is published instead.
    pub chosen: bool,
}

impl Weaker {
    /// The changes found; `chosen` says whether the user asked for them.
    pub fn new(changes: Vec<String>, chosen: bool) -> Self {
        Weaker {
            chosen: chosen && !changes.is_empty(),
            changes,
        }
    }

    /// True when the composed record keeps what is published in place of the user's choices.
    pub fn kept(&self) -> bool {
        !self.changes.is_empty() && !self.chosen
    }
}
