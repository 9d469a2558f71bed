//! The submission provider catalog (`catalog/smtp_providers.toml`): host, ports and the usual
//! sign-in pitfall of each provider.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One provider's submission service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SmtpProvider {
    /// Stable id, such as `google`.
    pub id: String,
    /// The provider's name.
    pub name: String,
    /// The submission host.
    pub host: String,
    /// Ports offered: 465 (implicit TLS) and/or 587 (STARTTLS).
    pub ports: Vec<u16>,
    /// What people most often get wrong when signing in there.
    pub auth_note: String,
}

static PROVIDERS: LazyLock<Vec<SmtpProvider>> = LazyLock::new(|| {
    crate::catalog::table(include_str!("../catalog/smtp_providers.toml"), "provider")
});

/// Every provider in the catalog, in catalog order.
pub fn smtp_providers() -> &'static [SmtpProvider] {
    &PROVIDERS
}

/// The provider with this id.
pub fn smtp_provider(id: &str) -> Option<&'static SmtpProvider> {
    smtp_providers().iter().find(|p| p.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_has_the_providers_the_issue_lists_with_submission_ports() {
        for id in [
            "google",
            "microsoft365",
            "zoho",
            "fastmail",
            "icloud",
            "amazon_ses_us_east_1",
            "amazon_ses_eu_west_1",
            "sendgrid",
            "mailgun",
            "postmark",
            "brevo",
        ] {
            let provider = smtp_provider(id).unwrap_or_else(|| panic!("{id} is missing"));
            assert!(!provider.ports.is_empty(), "{id}");
            assert!(
                provider.ports.iter().all(|p| [465, 587].contains(p)),
                "{id}"
            );
            assert!(provider.host.contains('.'), "{id}");
        }
        let mut ids: Vec<&str> = smtp_providers().iter().map(|p| p.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), smtp_providers().len(), "ids are unique");
    }
}
