//! Data tables embedded at build time (TOML under `catalog/`).

use serde::Deserialize;

use crate::domain::Selector;

/// A selector from the catalog and who is known to use it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct CatalogSelector {
    /// The selector.
    pub name: String,
    /// The provider or software known to use it.
    pub used_by: String,
}

#[derive(Deserialize)]
struct SelectorFile {
    selector: Vec<CatalogSelector>,
}

/// The DKIM selectors every audit tries, in catalog order.
pub fn common_dkim_selectors() -> Vec<CatalogSelector> {
    let file: SelectorFile = toml::from_str(include_str!("dkim_selectors.toml"))
        .expect("catalog/dkim_selectors.toml is valid (checked by a unit test)");
    file.selector
}

/// Who is known to use `selector`, if the catalog knows.
pub fn selector_user(selector: &Selector) -> Option<String> {
    common_dkim_selectors()
        .into_iter()
        .find(|s| s.name == selector.as_str())
        .map(|s| s.used_by)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_has_the_common_selectors_all_valid_and_unique() {
        let names: Vec<String> = common_dkim_selectors()
            .into_iter()
            .map(|s| s.name)
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
            assert!(names.iter().any(|n| n == required), "{required} missing");
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
