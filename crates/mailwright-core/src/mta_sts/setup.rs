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
    /// Where TLS reports go (empty: tls-reports@<domain>).
    pub report_to: String,
}

impl Default for MtaStsSetup {
    fn default() -> Self {
        MtaStsSetup {
            mode: StsMode::Testing,
            report_to: String::new(),
        }
    }
}
