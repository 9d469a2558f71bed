//! The OS keychain (macOS Keychain, Windows Credential Manager, the Secret Service on Linux)
//! through keyring-core. Secrets never fall back to a plain file: when no keychain can be used,
//! the error says so and what to do instead.

use std::sync::Arc;

use keyring_core::{CredentialStore, Entry, Error as KeyringError};
use thiserror::Error;

use super::Sensitive;

/// The service name every Mailwright secret is stored under.
pub const SERVICE: &str = "org.mailwright.app";

/// Why the keychain could not be used; each message says what to do.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum SecretError {
    /// No keychain service could be reached (the platform's reason is kept for diagnostics,
    /// not shown).
    #[error(
        "No system keychain is available on this computer, and Mailwright never keeps secrets in a \
         plain file. Start your desktop's keyring (such as GNOME Keyring or KWallet) and try again."
    )]
    Unavailable(String),
    /// The keychain is there but locked.
    #[error(
        "Your system keychain is locked. Unlock it (for example by logging in to your desktop \
         session) and try again."
    )]
    Locked,
    /// Any other keychain failure.
    #[error(
        "The system keychain refused the request ({0}). Try again; if it keeps failing, restart your keyring."
    )]
    Failed(String),
}

impl crate::error::FeatureError for SecretError {
    fn code(&self) -> &'static str {
        "keychain"
    }
}

impl From<KeyringError> for SecretError {
    fn from(error: KeyringError) -> Self {
        // Only the error's kind and the platform's message go into the sentence, never data.
        match error {
            KeyringError::NoStorageAccess(_) => SecretError::Locked,
            KeyringError::PlatformFailure(e) => SecretError::Unavailable(e.to_string()),
            KeyringError::NoDefaultStore => {
                SecretError::Unavailable("no keychain configured".into())
            }
            other => SecretError::Failed(kind(&other).into()),
        }
    }
}

fn kind(error: &KeyringError) -> &'static str {
    match error {
        KeyringError::BadEncoding(_) | KeyringError::BadDataFormat(..) => {
            "the stored item is not in the expected format"
        }
        KeyringError::TooLong(..) => "the item is too long for this keychain",
        KeyringError::Ambiguous(_) => "more than one item matches",
        _ => "unexpected keychain error",
    }
}

/// Mailwright's secrets in one credential store.
pub struct SecretStore {
    store: Arc<CredentialStore>,
}

impl SecretStore {
    /// The operating system's keychain. Blocks: call it off the async runtime.
    pub fn system() -> Result<Self, SecretError> {
        #[cfg(target_os = "linux")]
        let store: Arc<CredentialStore> = zbus_secret_service_keyring_store::Store::new()?;
        #[cfg(target_os = "macos")]
        let store: Arc<CredentialStore> = apple_native_keyring_store::keychain::Store::new()?;
        #[cfg(target_os = "windows")]
        let store: Arc<CredentialStore> = windows_native_keyring_store::Store::new()?;
        #[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
        return Err(SecretError::Unavailable(
            "this operating system has no supported keychain".into(),
        ));
        #[cfg(any(target_os = "linux", target_os = "macos", target_os = "windows"))]
        Ok(SecretStore { store })
    }

    /// A store over any keyring-core credential store (tests use keyring-core's mock).
    pub fn with_store(store: Arc<CredentialStore>) -> Self {
        SecretStore { store }
    }

    fn entry(&self, account: &str) -> Result<Entry, SecretError> {
        Ok(self.store.build(SERVICE, account, None)?)
    }

    /// Stores `secret` under `account`, replacing what was there.
    pub fn put(&self, account: &str, secret: &Sensitive<Vec<u8>>) -> Result<(), SecretError> {
        let result = self
            .entry(account)
            .and_then(|e| Ok(e.set_secret(secret.expose())?));
        logged("stored", account, &result);
        result
    }

    /// The secret stored under `account`, or `None`.
    pub fn get(&self, account: &str) -> Result<Option<Sensitive<Vec<u8>>>, SecretError> {
        let result = self
            .entry(account)
            .and_then(|entry| match entry.get_secret() {
                Ok(secret) => Ok(Some(Sensitive::new(secret))),
                Err(KeyringError::NoEntry) => Ok(None),
                Err(e) => Err(e.into()),
            });
        // Reads are frequent (every test, every Settings visit): details only at debug.
        if let Ok(found) = &result {
            tracing::debug!(account, found = found.is_some(), "keychain item looked up");
        } else {
            logged("read", account, &result);
        }
        result
    }

    /// Deletes the secret under `account`; `false` when there was none.
    pub fn delete(&self, account: &str) -> Result<bool, SecretError> {
        let result = self
            .entry(account)
            .and_then(|entry| match entry.delete_credential() {
                Ok(()) => Ok(true),
                Err(KeyringError::NoEntry) => Ok(false),
                Err(e) => Err(e.into()),
            });
        logged("deleted", account, &result);
        result
    }
}

/// Logs a keychain call: the account name and the outcome, never the secret.
fn logged<T>(action: &str, account: &str, result: &Result<T, SecretError>) {
    match result {
        Ok(_) => tracing::info!(account, "keychain item {action}"),
        Err(error) => tracing::warn!(account, ?error, "keychain item not {action}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_reads_back_and_deletes() {
        let store = SecretStore::with_store(keyring_core::mock::Store::new().unwrap());
        assert!(store.get("dkim:mw202611@example.com").unwrap().is_none());
        let secret = Sensitive::new(b"-----private bytes-----".to_vec());
        // The mock keeps credentials per entry, so this checks the calls and the error mapping.
        store.put("dkim:mw202611@example.com", &secret).unwrap();
        assert!(!store.delete("dkim:never-stored@example.com").unwrap());
    }

    #[test]
    fn keychain_failures_become_sentences_without_data() {
        let locked: SecretError = KeyringError::NoStorageAccess("locked".into()).into();
        assert_eq!(locked, SecretError::Locked);
        assert!(locked.to_string().contains("locked"));
        let missing: SecretError =
            KeyringError::PlatformFailure("no secret service provider".into()).into();
        assert!(matches!(missing, SecretError::Unavailable(_)));
        assert!(
            missing
                .to_string()
                .contains("never keeps secrets in a plain file")
        );
        let bad: SecretError = KeyringError::BadEncoding(b"secret-bytes".to_vec()).into();
        assert!(!bad.to_string().contains("secret-bytes"), "{bad}");
    }
}
