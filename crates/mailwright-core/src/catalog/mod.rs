//! Data tables embedded at build time (TOML under `catalog/`).

use std::sync::LazyLock;

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

static SELECTORS: LazyLock<Vec<CatalogSelector>> = LazyLock::new(|| {
    let file: SelectorFile = toml::from_str(include_str!("dkim_selectors.toml"))
        .expect("catalog/dkim_selectors.toml is valid (checked by a unit test)");
    file.selector
});

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

#[cfg(test)]
mod tests {
    use super::*;

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
