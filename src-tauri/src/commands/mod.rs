//! Tauri commands, one file per wizard step; each is a few lines over the engine.

pub mod audit;
pub mod dkim;
pub mod dmarc;
pub mod domain;
pub mod files;
pub mod mta_sts;
pub mod project;
pub mod publish;
pub mod report;
pub mod senders;
pub mod settings;
pub mod smtp;
pub mod spf;
pub mod warmup;

use std::sync::Arc;

use mailwright_core::dns::{DnsConfig, LookupProgress, NameserverSource, ProgressSink};
use mailwright_core::{DomainName, EngineError, UserError, parse_domain_input};

/// The DNS configuration: the Settings value, else `MAILWRIGHT_NAMESERVER`, else the system.
fn dns_config(setting: &str) -> Result<DnsConfig, UserError> {
    DnsConfig::choose_with_environment(Some((setting, NameserverSource::Settings))).map_err(user)
}

/// The domain as the user typed it (a URL or an address is fine), normalized by the engine.
fn domain(text: &str) -> Result<DomainName, UserError> {
    parse_domain_input(text)
        .map(|input| input.domain)
        .map_err(|e| user(e.into()))
}

/// Converts an engine error for the UI, and logs it (error sentences never hold a secret).
fn user(error: EngineError) -> UserError {
    let error = UserError::from(error);
    tracing::warn!(code = %error.code, "{}", error.message);
    error
}

/// Forwards lookup progress to the window.
fn sink(channel: tauri::ipc::Channel<LookupProgress>) -> ProgressSink {
    Arc::new(move |p: LookupProgress| {
        let _ = channel.send(p);
    })
}
