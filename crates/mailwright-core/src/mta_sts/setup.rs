//! The MTA-STS step's choices as saved in the project.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::policy::StsMode;

/// What the MTA-STS step chose.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct MtaStsSetup {
    /// The policy mode to compose.
    pub mode: StsMode,
    /// Where TLS reports go, comma-separated (empty: what is published, else
    /// tls-reports@<domain>).
    pub report_to: String,
    /// The user chose a weaker mode, or to drop a published report address; without it, the
    /// composer keeps what is published.
    pub weaken: bool,
    /// The published policy file these choices started from (empty: there was none); `None`
    /// until the step first composed, when the choices are filled in from what is published.
    pub started_from: Option<String>,
    /// The id composed for [`MtaStsSetup::id_for`], kept while the policy stays the same so
    /// the record to publish does not change every time it is composed.
    pub id: String,
    /// The policy file text `id` was made for.
    pub id_for: String,
}

impl Default for MtaStsSetup {
    fn default() -> Self {
        MtaStsSetup {
            mode: StsMode::Testing,
            report_to: String::new(),
            weaken: false,
            started_from: None,
            id: String::new(),
            id_for: String::new(),
        }
    }
}
