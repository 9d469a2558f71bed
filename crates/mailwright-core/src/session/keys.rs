//! The DKIM keys made or imported in this session, held in memory only, so a key can be
//! exported or used for the proof even when the keychain refused it.

use std::sync::Mutex;

use crate::dkim::{CreatedKey, DkimKeyPair, load_system_key};
use crate::domain::{DomainName, Selector};
use crate::error::EngineError;
use crate::secrets::keychain_call;

/// One key made or imported in this session (zeroized when dropped).
struct HeldKey {
    domain: DomainName,
    selector: Selector,
    pair: DkimKeyPair,
}

/// The last keys made or imported.
#[derive(Default)]
pub(crate) struct SessionKeys(Mutex<Vec<HeldKey>>);

impl SessionKeys {
    /// Holds the keys just made or imported, replacing the ones held before.
    pub(crate) fn hold(&self, domain: &DomainName, created: &[CreatedKey]) {
        let held = created
            .iter()
            .filter_map(|c| {
                let selector = Selector::parse(&c.outcome.summary.selector).ok()?;
                Some(HeldKey {
                    domain: domain.clone(),
                    selector,
                    pair: c.pair.clone(),
                })
            })
            .collect();
        *self.lock() = held;
    }

    /// The key for `selector` of `domain` made or imported in this session, if any.
    pub(crate) fn held(&self, domain: &DomainName, selector: &Selector) -> Option<DkimKeyPair> {
        self.lock()
            .iter()
            .find(|k| &k.domain == domain && &k.selector == selector)
            .map(|k| k.pair.clone())
    }

    /// The key for `selector` of `domain`: the one held in memory, else the keychain's.
    pub(crate) async fn key(
        &self,
        domain: &DomainName,
        selector: &Selector,
    ) -> Result<DkimKeyPair, EngineError> {
        if let Some(pair) = self.held(domain, selector) {
            return Ok(pair);
        }
        let (domain, selector) = (domain.clone(), selector.clone());
        keychain_call(move || load_system_key(&selector, &domain))
            .await
            .map_err(EngineError::from)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<HeldKey>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
