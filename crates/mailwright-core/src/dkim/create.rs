//! Making a key end to end, as the app and the CLI both do it: refuse a selector in use unless
//! told to replace it, generate off the async runtime, store in the keychain — and when the
//! keychain cannot be used, keep the key in memory for an export instead of losing it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{
    DkimError, DkimKeyPair, KeyAlgorithm, KeySummary, generate_key, guard_selector, selector_use,
    store_key,
};
use crate::dns::DnsConfig;
use crate::domain::{DomainName, Selector};
use crate::error::{EngineError, UserError};
use crate::secrets::SecretStore;

/// Where key creation is, for a progress display.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum KeygenStage {
    /// Looking up whether the selector is already published.
    CheckingSelector,
    /// Generating the key (RSA takes a moment).
    Generating,
    /// Saving the private key in the keychain.
    StoringInKeychain,
}

/// A key just made or imported: the pair (kept by the caller for an export) and what to show.
#[derive(Debug)]
pub struct CreatedKey {
    /// The key pair.
    pub pair: DkimKeyPair,
    /// What to show.
    pub outcome: KeyOutcome,
}

/// What the user sees after a key is made or imported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KeyOutcome {
    /// The record to publish and the key's warnings.
    pub summary: KeySummary,
    /// Whether the private key is in the keychain.
    pub in_keychain: bool,
    /// Why it is not, when storing was attempted and failed: export it to keep it.
    pub keychain_error: Option<UserError>,
}

/// Generates a key for `selector` of `domain` after checking the selector is free (or
/// `replace`), then stores it in the keychain when `keychain` is true.
pub async fn create_key(
    domain: &DomainName,
    selector: &Selector,
    algorithm: KeyAlgorithm,
    replace: bool,
    keychain: bool,
    dns: &DnsConfig,
    progress: impl Fn(KeygenStage),
) -> Result<CreatedKey, EngineError> {
    progress(KeygenStage::CheckingSelector);
    guard_selector(&selector_use(domain, selector, dns).await?, replace)?;
    progress(KeygenStage::Generating);
    let pair = tokio::task::spawn_blocking(move || generate_key(algorithm))
        .await
        .map_err(|e| DkimError::Generation(e.to_string()))??;
    keep(pair, selector, domain, keychain, progress).await
}

/// Stores an imported key the same way.
pub async fn keep_imported(
    pair: DkimKeyPair,
    selector: &Selector,
    domain: &DomainName,
    progress: impl Fn(KeygenStage),
) -> Result<CreatedKey, EngineError> {
    keep(pair, selector, domain, true, progress).await
}

async fn keep(
    pair: DkimKeyPair,
    selector: &Selector,
    domain: &DomainName,
    keychain: bool,
    progress: impl Fn(KeygenStage),
) -> Result<CreatedKey, EngineError> {
    let summary = KeySummary::new(&pair, selector, domain);
    let mut keychain_error = None;
    let pair = if keychain {
        progress(KeygenStage::StoringInKeychain);
        let (selector, domain) = (selector.clone(), domain.clone());
        let (pair, stored) = tokio::task::spawn_blocking(move || {
            let stored = SecretStore::system()
                .map_err(DkimError::from)
                .and_then(|store| store_key(&store, &selector, &domain, &pair));
            (pair, stored)
        })
        .await
        .map_err(|e| DkimError::Generation(e.to_string()))?;
        keychain_error = stored.err().map(|e| UserError::from(EngineError::from(e)));
        pair
    } else {
        pair
    };
    Ok(CreatedKey {
        pair,
        outcome: KeyOutcome {
            summary,
            in_keychain: keychain && keychain_error.is_none(),
            keychain_error,
        },
    })
}
