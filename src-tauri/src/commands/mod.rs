//! Tauri commands, one file per wizard step; each is a few lines over the engine.

pub mod audit;
pub mod dkim;
pub mod domain;
pub mod project;
pub mod settings;

use mailwright_core::dns::{DnsConfig, NameserverSource};
use mailwright_core::{EngineError, UserError};

/// The DNS configuration: the Settings value, else `MAILWRIGHT_NAMESERVER`, else the system.
fn dns_config(setting: &str) -> Result<DnsConfig, EngineError> {
    DnsConfig::choose_with_environment(Some((setting, NameserverSource::Settings)))
}

/// Converts an engine error for the UI.
fn user(error: EngineError) -> UserError {
    UserError::from(error)
}
