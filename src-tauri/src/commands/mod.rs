//! Tauri commands, one file per wizard step; each is a few lines over the engine.

pub mod audit;
pub mod dkim;
pub mod dmarc;
pub mod domain;
pub mod mta_sts;
pub mod project;
pub mod senders;
pub mod settings;
pub mod spf;

use std::sync::Arc;

use mailwright_core::dns::{DnsConfig, LookupProgress, NameserverSource, ProgressSink};
use mailwright_core::{EngineError, UserError};

/// The DNS configuration: the Settings value, else `MAILWRIGHT_NAMESERVER`, else the system.
fn dns_config(setting: &str) -> Result<DnsConfig, EngineError> {
    DnsConfig::choose_with_environment(Some((setting, NameserverSource::Settings)))
}

/// Converts an engine error for the UI.
fn user(error: EngineError) -> UserError {
    UserError::from(error)
}

/// Forwards lookup progress to the window.
fn sink(channel: tauri::ipc::Channel<LookupProgress>) -> ProgressSink {
    Arc::new(move |p: LookupProgress| {
        let _ = channel.send(p);
    })
}
