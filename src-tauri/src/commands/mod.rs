//! Tauri commands, one file per wizard step; each is a line or two over the engine's session.

pub mod audit;
pub mod bounces;
pub mod dkim;
pub mod dmarc;
pub mod domain;
pub mod files;
pub mod message;
pub mod mta_sts;
pub mod publish;
pub mod report;
pub mod reports;
pub mod senders;
pub mod session;
pub mod settings;
pub mod smtp;
pub mod spf;
pub mod warmup;

use std::sync::Arc;

use mailwright_core::{EngineError, UserError};
use tauri::ipc::Channel;

/// Converts an engine error for the window (the engine's one mapping), and logs it (error
/// sentences never hold a secret).
fn user(error: impl Into<EngineError>) -> UserError {
    let error = UserError::from(error.into());
    tracing::warn!(code = %error.code, "{}", error.message);
    error
}

/// Forwards the engine's progress on a channel to the window: the one way progress is sent.
fn sink<T: serde::Serialize + Clone + Send + Sync + 'static>(
    channel: Channel<T>,
) -> Option<Arc<dyn Fn(T) + Send + Sync>> {
    Some(Arc::new(move |item: T| {
        let _ = channel.send(item);
    }))
}
