//! DKIM private keys in the OS keychain, one item per selector and domain
//! (account `dkim:<selector>@<domain>`), stored as PKCS#8 DER.

use super::{DkimError, DkimKeyPair};
use crate::domain::{DomainName, Selector};
use crate::secrets::SecretStore;

/// The keychain account a key is stored under.
pub fn key_account(selector: &Selector, domain: &DomainName) -> String {
    format!("dkim:{}@{}", selector.as_str(), domain.as_str())
}

/// Stores the private key for `selector` of `domain`, replacing any key stored there before.
pub fn store_key(
    store: &SecretStore,
    selector: &Selector,
    domain: &DomainName,
    pair: &DkimKeyPair,
) -> Result<(), DkimError> {
    Ok(store.put(&key_account(selector, domain), &pair.private_pkcs8)?)
}

/// The private key stored for `selector` of `domain`.
pub fn load_key(
    store: &SecretStore,
    selector: &Selector,
    domain: &DomainName,
) -> Result<DkimKeyPair, DkimError> {
    match store.get(&key_account(selector, domain))? {
        Some(private) => DkimKeyPair::from_pkcs8(private),
        None => Err(DkimError::NoStoredKey {
            selector: selector.as_str().to_owned(),
            domain: domain.as_str().to_owned(),
        }),
    }
}

/// The key stored for `selector` of `domain` in the operating system's keychain. Blocks: call
/// it off the async runtime.
pub fn load_system_key(selector: &Selector, domain: &DomainName) -> Result<DkimKeyPair, DkimError> {
    load_key(&SecretStore::system()?, selector, domain)
}

/// Deletes the stored key; `false` when there was none.
pub fn delete_key(
    store: &SecretStore,
    selector: &Selector,
    domain: &DomainName,
) -> Result<bool, DkimError> {
    Ok(store.delete(&key_account(selector, domain))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::parse_domain_input;

    #[test]
    fn accounts_name_the_selector_and_the_domain() {
        let domain = parse_domain_input("Exämple.com").unwrap().domain;
        let selector = Selector::parse("mw202611").unwrap();
        assert_eq!(
            key_account(&selector, &domain),
            "dkim:mw202611@xn--exmple-cua.com"
        );
    }
}
