//! What the DKIM step set up, as the project keeps it: the signing selector, the keys' public
//! parts, a hosted provider, and a rotation in progress.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{KeyOutcome, KeySummary, Rotation, RotationError, suggest_selector};
use crate::domain::Selector;

/// What the DKIM step set up. The private key lives in the keychain or in a file the user
/// exported; this records only where.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct DkimSetup {
    /// The selector mail is signed with (empty until a key exists).
    pub selector: String,
    /// When the key was made or imported.
    #[ts(type = "string | null")]
    pub created_on: Option<Date>,
    /// Whether the private key is in the OS keychain.
    pub in_keychain: bool,
    /// Where the user last exported the private key, if they did.
    pub exported_to: Option<String>,
    /// The selector of the additional Ed25519 key, if one was made.
    pub ed25519_selector: Option<String>,
    /// The keys made or imported, with the records to publish (public keys only).
    pub keys: Vec<KeySummary>,
    /// The hosted provider chosen instead of an own key (catalog id), if any.
    pub provider: Option<String>,
    /// Selectors the user copied from that provider.
    pub provider_selectors: Vec<String>,
    /// A key rotation in progress or finished.
    pub rotation: Option<Rotation>,
    /// Who the user said signs their mail, once they chose.
    pub signer: Option<DkimSigner>,
}

/// Who signs the domain's mail: the path the user chose in the DKIM step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DkimSigner {
    /// The user's own or rented mail server, with a key Mailwright makes.
    Own,
    /// A hosted provider that makes the key.
    Provider,
}

impl DkimSetup {
    /// Records keys just made or imported (public parts only). The first key becomes the
    /// signing selector, except during a rotation that has not switched signing yet.
    pub fn record_keys(&mut self, keys: &[KeyOutcome], today: Date) {
        let Some(first) = keys.first() else { return };
        let switching = self
            .rotation
            .as_ref()
            .is_some_and(|r| r.switched_on.is_none());
        if !switching {
            self.selector = first.summary.selector.clone();
        }
        self.created_on = Some(today);
        self.in_keychain = keys.iter().all(|k| k.in_keychain);
        self.ed25519_selector = keys
            .iter()
            .skip(1)
            .find(|k| k.summary.key_type == crate::dkim::KeyType::Ed25519)
            .map(|k| k.summary.selector.clone());
        self.keys = keys.iter().map(|k| k.summary.clone()).collect();
        self.provider = None;
    }

    /// Selectors this setup already uses (signing, Ed25519, rotation target), plus `also`.
    pub fn taken_selectors(&self, also: &[String]) -> Vec<String> {
        [
            Some(&self.selector),
            self.ed25519_selector.as_ref(),
            self.rotation.as_ref().map(|r| &r.to_selector),
        ]
        .into_iter()
        .flatten()
        .chain(also)
        .filter(|s| !s.is_empty())
        .cloned()
        .collect()
    }

    /// Starts a rotation today from the signing selector to a new dated one; returns it.
    pub fn start_rotation(&mut self, today: Date, keep_days: u32) -> Selector {
        let to = suggest_selector(today, &self.taken_selectors(&[]));
        self.rotation = Some(Rotation::start(
            &self.selector,
            to.as_str(),
            today,
            keep_days,
        ));
        to
    }

    /// Marks the rotation's current step done today; once signing has switched, the new
    /// selector is the signing one.
    pub fn advance_rotation(&mut self, today: Date) -> Result<(), RotationError> {
        let rotation = self.rotation.as_mut().ok_or(RotationError::Finished)?;
        rotation.complete_step(today)?;
        if rotation.switched_on.is_some() {
            self.selector = rotation.to_selector.clone();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dkim::{KeyAlgorithm, generate_key};
    use crate::domain::parse_domain_input;
    use jiff::civil::date;

    fn outcome(selector: &str, algorithm: KeyAlgorithm, in_keychain: bool) -> KeyOutcome {
        let domain = parse_domain_input("example.com").unwrap().domain;
        let pair = generate_key(algorithm).unwrap();
        KeyOutcome {
            summary: KeySummary::new(&pair, &Selector::parse(selector).unwrap(), &domain),
            in_keychain,
            keychain_error: None,
        }
    }

    #[test]
    fn keys_set_the_signing_selector_except_mid_rotation() {
        let today = date(2026, 11, 22);
        let mut setup = DkimSetup::default();
        setup.record_keys(
            &[
                outcome("mw202611", KeyAlgorithm::Rsa1024, true),
                outcome("mw202611e", KeyAlgorithm::Ed25519, false),
            ],
            today,
        );
        assert_eq!(setup.selector, "mw202611");
        assert_eq!(setup.ed25519_selector.as_deref(), Some("mw202611e"));
        assert!(!setup.in_keychain, "one key is not in the keychain");
        assert_eq!(setup.keys.len(), 2);

        // A rotation picks a selector not yet used; the new key does not sign until the switch.
        let to = setup.start_rotation(today, 7);
        assert_eq!(to.as_str(), "mw202611b");
        setup.record_keys(&[outcome(to.as_str(), KeyAlgorithm::Rsa1024, true)], today);
        assert_eq!(setup.selector, "mw202611");
        setup.advance_rotation(today).unwrap();
        setup.advance_rotation(today).unwrap();
        assert_eq!(setup.selector, "mw202611b");
        assert!(
            setup.advance_rotation(today).is_err(),
            "revoking waits for the kept days"
        );
    }
}
