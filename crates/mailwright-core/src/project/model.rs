//! What a project holds. Secrets never live here (DESIGN.md, "Data flow").

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::dkim::{KeySummary, KeyType, Rotation};

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
    /// The DKIM step's choices; never the private key itself.
    pub dkim: DkimSetup,
}

/// What the DKIM step set up. The private key lives in the keychain or in a file the user
/// exported; this records only where.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct DkimSetup {
    /// The selector mail is signed with (empty until a key exists).
    pub selector: String,
    /// Its key's type and size.
    pub key_type: Option<KeyType>,
    /// When the key was made or imported.
    #[ts(type = "string | null")]
    pub created_on: Option<Date>,
    /// Whether the private key is in the OS keychain.
    pub in_keychain: bool,
    /// Where the user last exported the private key, if they did.
    pub exported_to: Option<String>,
    /// The selector of the additional Ed25519 key, if one was made.
    pub ed25519_selector: Option<String>,
    /// The keys made or imported, with the records to publish (public keys only).
    pub keys: Vec<KeySummary>,
    /// The hosted provider chosen instead of an own key (catalog id), if any.
    pub provider: Option<String>,
    /// Selectors the user copied from that provider.
    pub provider_selectors: Vec<String>,
    /// A key rotation in progress or finished.
    pub rotation: Option<Rotation>,
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
