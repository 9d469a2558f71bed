//! The DKIM step's hosted providers for the session's domain: the records a provider wants,
//! and the check that they resolve to valid keys.

use crate::dkim::{self, DkimProvider, ProviderCheckReport, ProviderRecord};
use crate::domain::Selector;
use crate::error::EngineError;

use super::Session;

/// The provider from the catalog and the selectors as typed (blank ones left out).
fn provider_and_selectors(
    provider: &str,
    selectors: &[String],
) -> Result<(&'static DkimProvider, Vec<Selector>), EngineError> {
    let selectors = selectors
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(|s| Selector::parse(s).map_err(EngineError::from))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((dkim::known_dkim_provider(provider)?, selectors))
}

impl Session {
    /// The records `provider` wants for the project's domain, with `selectors` filled in.
    pub fn dkim_provider_records(
        &self,
        provider: &str,
        selectors: &[String],
    ) -> Result<Vec<ProviderRecord>, EngineError> {
        let (provider, selectors) = provider_and_selectors(provider, selectors)?;
        let records = provider.records_for(&self.domain()?, &selectors);
        Ok(records.into_iter().map(|(record, _)| record).collect())
    }

    /// Checks that `provider`'s DKIM records for the project's domain resolve to valid keys.
    pub async fn check_dkim_provider(
        &self,
        provider: &str,
        selectors: &[String],
    ) -> Result<ProviderCheckReport, EngineError> {
        let (provider, selectors) = provider_and_selectors(provider, selectors)?;
        let (domain, dns) = (self.domain()?, self.dns()?);
        dkim::check_provider(provider, &domain, &selectors, &dns, None).await
    }
}
