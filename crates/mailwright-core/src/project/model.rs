//! What a project holds. Secrets never live here (DESIGN.md, "Data flow").

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The version of the project file format this build writes.
pub const PROJECT_VERSION: u32 = 1;

/// The wizard's state that survives a restart.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct Project {
    /// File format version; see [`PROJECT_VERSION`].
    pub version: u32,
    /// The domain as the user last typed it.
    pub domain: String,
    /// DKIM selectors the user entered.
    pub selectors: Vec<String>,
    /// App settings.
    pub settings: Settings,
}

/// Settings the user chose in the Settings panel.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct Settings {
    /// DNS server `IP[:PORT]`; empty means the environment variable or the system resolver.
    pub nameserver: String,
}

impl Project {
    /// An empty project of the current version.
    pub fn new() -> Self {
        Project {
            version: PROJECT_VERSION,
            ..Project::default()
        }
    }
}
