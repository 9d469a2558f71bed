//! The Spamhaus Data Query Service key in the OS keychain (account `spamhaus-dqs`): saved when
//! the user types it, read for each check, never written anywhere else or shown again.

use super::blocklists::is_dqs_key;
use crate::secrets::{SecretError, SecretStore, Sensitive, keychain_call};

/// The keychain account of the key.
const ACCOUNT: &str = "spamhaus-dqs";

/// Errors of the DQS key.
#[derive(Debug, thiserror::Error)]
pub enum DqsKeyError {
    /// Not a key.
    #[error(
        "That is not a Spamhaus DQS key: it is the 26 letters and digits shown in your Spamhaus account (Products → DQS)."
    )]
    NotAKey,
    /// The keychain failed.
    #[error(transparent)]
    Keychain(#[from] SecretError),
}

impl crate::error::FeatureError for DqsKeyError {
    fn code(&self) -> &'static str {
        match self {
            DqsKeyError::NotAKey => "dqs_key",
            DqsKeyError::Keychain(e) => crate::error::FeatureError::code(e),
        }
    }
}

/// Saves `key` (trimmed, in lower case) in the keychain; an empty key forgets the saved one.
pub async fn save_dqs_key(key: Sensitive<String>) -> Result<(), DqsKeyError> {
    let key = Sensitive::new(key.expose().trim().to_ascii_lowercase());
    if !key.expose().is_empty() && !is_dqs_key(key.expose()) {
        return Err(DqsKeyError::NotAKey);
    }
    keychain_call::<_, DqsKeyError>(move || {
        let store = SecretStore::system()?;
        if key.expose().is_empty() {
            store.delete(ACCOUNT)?;
        } else {
            store.put(ACCOUNT, &Sensitive::new(key.expose().as_bytes().to_vec()))?;
        }
        Ok(())
    })
    .await
}

/// The key saved in the keychain, if there is one (none without a keychain: the public zones
/// are asked then).
pub async fn load_dqs_key() -> Option<Sensitive<String>> {
    let key = keychain_call::<_, DqsKeyError>(|| {
        Ok(SecretStore::system()?.get(ACCOUNT)?.and_then(|bytes| {
            String::from_utf8(bytes.expose().clone())
                .ok()
                .filter(|k| is_dqs_key(k))
                .map(Sensitive::new)
        }))
    })
    .await;
    key.unwrap_or_else(|e| {
        tracing::warn!("reading the DQS key: {e}");
        None
    })
}
