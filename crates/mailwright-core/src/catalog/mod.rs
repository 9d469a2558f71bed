//! Data tables embedded at build time (TOML under `catalog/`).

use std::sync::LazyLock;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::domain::Selector;

/// A selector from the catalog and who is known to use it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct CatalogSelector {
    /// The selector.
    pub name: String,
    /// The provider or software known to use it.
    pub used_by: String,
}

/// Reads the array of tables called `key` from an embedded catalog file. The catalogs are part
/// of the build and each has a unit test, so a malformed one never ships.
pub(crate) fn table<T: DeserializeOwned>(text: &str, key: &str) -> Vec<T> {
    let mut document: toml::Table =
        toml::from_str(text).expect("an embedded catalog is valid TOML");
    document
        .remove(key)
        .expect("an embedded catalog has its table")
        .try_into()
        .expect("an embedded catalog matches its type")
}

static SELECTORS: LazyLock<Vec<CatalogSelector>> =
    LazyLock::new(|| table(include_str!("dkim_selectors.toml"), "selector"));

/// The DKIM selectors every audit tries, in catalog order.
pub fn common_dkim_selectors() -> &'static [CatalogSelector] {
    &SELECTORS
}

/// Who is known to use `selector`, if the catalog knows.
pub fn selector_user(selector: &Selector) -> Option<&'static str> {
    common_dkim_selectors()
        .iter()
        .find(|s| s.name == selector.as_str())
        .map(|s| s.used_by.as_str())
}

/// A mailbox provider whose `Authentication-Results` Mailwright trusts when it wrote them.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Receiver {
    /// The provider's name.
    pub name: String,
    /// Its authserv-ids: exact, or `*.suffix`.
    pub authserv_ids: Vec<String>,
    /// Suffixes of its hosts in a Received `by` (for providers that write no authserv-id).
    pub by_hosts: Vec<String>,
}

impl Receiver {
    /// Whether `id` is one of this provider's authserv-ids.
    pub fn has_authserv_id(&self, id: &str) -> bool {
        let id = id.trim_end_matches('.').to_ascii_lowercase();
        self.authserv_ids
            .iter()
            .any(|pattern| match pattern.strip_prefix("*.") {
                Some(suffix) => id.ends_with(&format!(".{suffix}")),
                None => id == *pattern,
            })
    }

    /// Whether `host` (a Received `by`) is one of this provider's.
    pub fn has_host(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.by_hosts
            .iter()
            .any(|suffix| host == *suffix || host.ends_with(&format!(".{suffix}")))
    }
}

static RECEIVERS: LazyLock<Vec<Receiver>> =
    LazyLock::new(|| table(include_str!("receivers.toml"), "receiver"));

/// The mailbox providers whose `Authentication-Results` are recognized.
pub fn receivers() -> &'static [Receiver] {
    &RECEIVERS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_receivers_are_recognized_by_their_ids_and_hosts() {
        let gmail = receivers().iter().find(|r| r.name == "Gmail").unwrap();
        assert!(gmail.has_authserv_id("MX.Google.com"));
        assert!(!gmail.has_authserv_id("evil-mx.google.com.example"));
        let microsoft = &receivers()[1];
        assert!(microsoft.has_host("AM6PR01MB1234.eurprd01.prod.protection.outlook.com"));
        assert!(!microsoft.has_host("notoutlook.com"));
        assert!(receivers().len() >= 7);
    }

    #[test]
    fn the_catalog_has_the_common_selectors_all_valid_and_unique() {
        let names: Vec<&str> = common_dkim_selectors()
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        for required in [
            "google",
            "selector1",
            "selector2",
            "k1",
            "k2",
            "k3",
            "s1",
            "s2",
            "mandrill",
            "amazonses",
            "zoho",
            "fm1",
            "fm2",
            "fm3",
            "default",
            "dkim",
            "mail",
        ] {
            assert!(names.contains(&required), "{required} missing");
        }
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
        for name in &names {
            Selector::parse(name).unwrap();
        }
    }
}
