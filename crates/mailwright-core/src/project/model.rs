//! What a project holds. Secrets never live here (DESIGN.md, "Data flow").

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::dkim::DkimSetup;
use crate::dmarc::DmarcComposeRequest;
use crate::mta_sts::MtaStsSetup;
use crate::senders::Inventory;
use crate::smtp::SmtpSetup;
use crate::spf::{SpfComposeRequest, SpfSetup};
use crate::step::{StepId, StepState};
use crate::warmup::WarmupSetup;

/// The version of the project file format this build writes.
pub const PROJECT_VERSION: u32 = 1;

/// The wizard's state that survives a restart.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
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
    /// The services that send as the domain ("Who sends as you").
    pub senders: Inventory,
    /// The SPF step's choices.
    pub spf: SpfSetup,
    /// The DMARC step's choices (the composer's request; its `domain` is filled in when used).
    pub dmarc: DmarcComposeRequest,
    /// The MTA-STS step's choices.
    pub mta_sts: MtaStsSetup,
    /// The mail server step's choices (the password lives in the keychain only).
    pub smtp: SmtpSetup,
    /// The warm-up: inputs, numbers and every day's results entered.
    pub warmup: Option<WarmupSetup>,
    /// The Reports step's choices (the mailbox's password lives in the keychain only).
    pub reports: crate::reports::ReportsSetup,
    /// The Bounces step's choices: the suppression rule.
    pub bounces: crate::bounces::BouncesSetup,
    /// The DNS host the records are published at (catalog id), once chosen.
    pub dns_host: String,
    /// Each step's state from its last check, for this domain (cleared when the domain
    /// changes).
    pub checked: BTreeMap<StepId, StepState>,
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

    /// The SPF composer's request for `domain`: the senders and the SPF step's choices over
    /// `published`, the record published now.
    pub fn spf_request(&self, domain: &str, published: Option<String>) -> SpfComposeRequest {
        SpfComposeRequest {
            domain: domain.to_owned(),
            inventory: self.senders.clone(),
            published,
            all: self.spf.all,
            remove: self.spf.remove.clone(),
            weaken: self.spf.weaken,
        }
    }
}
