//! Making a key end to end, as the app and the CLI both do it: refuse a selector in use unless
//! told to replace it, generate off the async runtime, store in the keychain — and when the
//! keychain cannot be used, keep the key in memory for an export instead of losing it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::setup::DkimSetup;
use super::{
    DkimError, DkimKeyPair, KeyAlgorithm, KeySummary, SelectorUse, generate_key, guard_selector,
    key_account, load_key, selector_use, store_key,
};
use crate::dns::DnsConfig;
use crate::domain::{DomainName, Selector};
use crate::error::{EngineError, UserError};
use crate::secrets::{SecretStore, keychain_call};

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

/// Keys just made or imported, and the project's DKIM setup updated for them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KeysMade {
    /// What to show for each key.
    pub keys: Vec<KeyOutcome>,
    /// The setup to save.
    pub setup: DkimSetup,
}

/// The selector of the extra Ed25519 key made beside an RSA key: `<selector>e`.
pub fn ed25519_companion(selector: &Selector) -> Result<Selector, EngineError> {
    Ok(Selector::parse(&format!("{}e", selector.as_str()))?)
}

/// A key to make.
#[derive(Clone, Debug)]
pub struct NewKey {
    /// The signing domain.
    pub domain: DomainName,
    /// Its selector.
    pub selector: Selector,
    /// The key type.
    pub algorithm: KeyAlgorithm,
    /// Replace a record already published at the selector (the user agreed).
    pub replace: bool,
    /// Store the private key in the keychain.
    pub keychain: bool,
}

/// Makes `key` and, with `with_ed25519` and an RSA key, the extra Ed25519 key at
/// [`ed25519_companion`] — each as [`create_key`] does.
pub async fn create_keys(
    key: &NewKey,
    with_ed25519: bool,
    dns: &DnsConfig,
    progress: impl Fn(KeygenStage),
) -> Result<Vec<CreatedKey>, EngineError> {
    let mut keys = vec![create_key(key, dns, &progress).await?];
    if with_ed25519 && key.algorithm != KeyAlgorithm::Ed25519 {
        let companion = NewKey {
            selector: ed25519_companion(&key.selector)?,
            algorithm: KeyAlgorithm::Ed25519,
            ..key.clone()
        };
        keys.push(create_key(&companion, dns, &progress).await?);
    }
    Ok(keys)
}

/// Makes `key` after checking its selector is free (or `replace`), then stores it in the
/// keychain when `keychain` is set.
pub async fn create_key(
    key: &NewKey,
    dns: &DnsConfig,
    progress: impl Fn(KeygenStage),
) -> Result<CreatedKey, EngineError> {
    progress(KeygenStage::CheckingSelector);
    guard(
        &key.domain,
        &key.selector,
        dns,
        key.replace,
        key.keychain,
        None,
    )
    .await?;
    progress(KeygenStage::Generating);
    let algorithm = key.algorithm;
    let pair = tokio::task::spawn_blocking(move || generate_key(algorithm))
        .await
        .map_err(|e| DkimError::Generation(e.to_string()))??;
    keep(pair, &key.selector, &key.domain, key.keychain, progress).await
}

/// Stores an imported key the same way, after the same checks of its selector as a new key
/// (`replace`: the user agreed to replace what is there).
pub async fn keep_imported(
    pair: DkimKeyPair,
    selector: &Selector,
    domain: &DomainName,
    replace: bool,
    dns: &DnsConfig,
    progress: impl Fn(KeygenStage),
) -> Result<CreatedKey, EngineError> {
    progress(KeygenStage::CheckingSelector);
    guard(domain, selector, dns, replace, true, Some(&pair.public_p)).await?;
    keep(pair, selector, domain, true, progress).await
}

/// Refuses, unless the user agreed to `replace`, a selector whose record is published or could
/// not be looked up, or (when the key goes to the keychain) whose keychain item already holds a
/// private key: a key is never destroyed silently. An imported key whose public half (`same`)
/// is the one published, or the one in the keychain, replaces nothing.
async fn guard(
    domain: &DomainName,
    selector: &Selector,
    dns: &DnsConfig,
    replace: bool,
    keychain: bool,
    same: Option<&str>,
) -> Result<(), EngineError> {
    let status = selector_use(domain, selector, dns).await?;
    let published_here = match &status {
        SelectorUse::Published { record, .. } => {
            let tags = crate::tags::tag_list(record);
            crate::tags::tag(&tags, "p").map(|p| p.split_whitespace().collect::<String>())
        }
        _ => None,
    };
    if same.is_none() || published_here.as_deref() != same {
        guard_selector(&status, replace)?;
    }
    if keychain && !replace {
        let (d, s) = (domain.clone(), selector.clone());
        // A keychain that cannot be reached holds no key to lose; storing will say so.
        let held = keychain_call(move || {
            SecretStore::system().and_then(|store| {
                Ok(store
                    .get(&key_account(&s, &d))?
                    .map(|_| load_key(&store, &s, &d).ok().map(|k| k.public_p)))
            })
        })
        .await
        .ok()
        .flatten();
        if held.is_some_and(|public| public.as_deref() != same || same.is_none()) {
            return Err(DkimError::KeyInKeychain(format!(
                "{}._domainkey.{}",
                selector.as_str(),
                domain.as_str()
            ))
            .into());
        }
    }
    Ok(())
}

async fn keep(
    pair: DkimKeyPair,
    selector: &Selector,
    domain: &DomainName,
    keychain: bool,
    progress: impl Fn(KeygenStage),
) -> Result<CreatedKey, EngineError> {
    let summary = KeySummary::new(&pair, selector, domain);
    tracing::info!(
        selector = selector.as_str(),
        domain = %domain.ascii,
        key = %summary.key_label,
        "DKIM key ready"
    );
    let mut keychain_error = None;
    let pair = if keychain {
        progress(KeygenStage::StoringInKeychain);
        let (selector, domain, copy) = (selector.clone(), domain.clone(), pair.clone());
        let stored = keychain_call(move || {
            SecretStore::system()
                .map_err(DkimError::from)
                .and_then(|store| store_key(&store, &selector, &domain, &copy))
        })
        .await;
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
