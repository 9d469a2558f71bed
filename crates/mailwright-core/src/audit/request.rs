//! What an audit is asked to check, validated in the engine.

use crate::catalog::common_dkim_selectors;
use crate::domain::{DomainInput, DomainName, Selector, parse_domain_input};
use crate::error::EngineError;

/// A validated audit request: the domain and the selectors the user gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditRequest {
    /// The domain to audit.
    pub domain: DomainName,
    /// DKIM selectors the user entered (the catalog's are always added).
    pub selectors: Vec<Selector>,
}

impl AuditRequest {
    /// Validates the typed domain and selectors; blank selectors are ignored.
    pub fn parse(domain: &str, selectors: &[String]) -> Result<(Self, DomainInput), EngineError> {
        let input = parse_domain_input(domain)?;
        let selectors = selectors
            .iter()
            .filter(|s| !s.trim().is_empty())
            .map(|s| Selector::parse(s))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((
            AuditRequest {
                domain: input.domain.clone(),
                selectors,
            },
            input,
        ))
    }

    /// The user's selectors first, then the catalog's, without repeats.
    pub fn all_selectors(&self) -> Vec<Selector> {
        let mut all = self.selectors.clone();
        for entry in common_dkim_selectors() {
            let selector = Selector::parse(&entry.name).expect("catalog selectors are valid");
            if !all.contains(&selector) {
                all.push(selector);
            }
        }
        all
    }
}
