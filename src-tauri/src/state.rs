//! What the app keeps between commands: where the project lives, the running audit, and the
//! DKIM key made or imported in this session (so it can be exported even when the keychain
//! refused it).

use std::path::PathBuf;
use std::sync::Mutex;

use mailwright_core::dkim::{CreatedKey, DkimError, DkimKeyPair, KeyOutcome, load_system_key};
use mailwright_core::project::ProjectStore;
use mailwright_core::{DomainName, EngineError, Selector};
use tauri::async_runtime::JoinHandle;

/// The last DKIM key made or imported, held in memory only (zeroized when replaced).
struct PendingKey {
    domain: DomainName,
    selector: Selector,
    pair: DkimKeyPair,
}

/// Shared app state.
pub struct AppState {
    /// The project file in the OS app-data directory.
    pub store: ProjectStore,
    /// The audit in progress, so it can be cancelled.
    pub running: Mutex<Option<JoinHandle<()>>>,
    key: Mutex<Option<PendingKey>>,
}

impl AppState {
    /// State for an app whose data lives in `dir`.
    pub fn new(dir: PathBuf) -> Self {
        AppState {
            store: ProjectStore::new(dir),
            running: Mutex::new(None),
            key: Mutex::new(None),
        }
    }

    /// Keeps a key just made or imported for this session (replacing the previous one) and
    /// returns what to show about it.
    pub fn remember(
        &self,
        domain: DomainName,
        selector: Selector,
        created: CreatedKey,
    ) -> KeyOutcome {
        let pair = created.pair;
        *self.key.lock().unwrap() = Some(PendingKey {
            domain,
            selector,
            pair,
        });
        created.outcome
    }

    /// The key for `selector` of `domain`: the one in memory, else the keychain's.
    pub async fn key(
        &self,
        domain: &DomainName,
        selector: &Selector,
    ) -> Result<DkimKeyPair, EngineError> {
        if let Some(pending) = self.key.lock().unwrap().as_ref()
            && &pending.domain == domain
            && &pending.selector == selector
        {
            return Ok(pending.pair.clone());
        }
        let (domain, selector) = (domain.clone(), selector.clone());
        tokio::task::spawn_blocking(move || load_system_key(&selector, &domain))
            .await
            .map_err(|e| DkimError::Signing(e.to_string()))?
            .map_err(EngineError::from)
    }
}
