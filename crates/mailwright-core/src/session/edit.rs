//! What the user typed in one step, applied to the project. The window sends only this (one
//! step's choices), never the whole project back.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::dkim::{DkimSigner, known_dkim_provider};
use crate::dmarc::DmarcComposeRequest;
use crate::dns::{DnsConfig, NameserverSource};
use crate::domain::parse_domain_input;
use crate::error::EngineError;
use crate::project::{MtaStsSetup, Project, Settings, SpfSetup};
use crate::publish::known_dns_host;
use crate::senders::Inventory;
use crate::smtp::SmtpSetup;

/// One step's choices, as the user just made them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "step", content = "value", rename_all = "snake_case")]
#[ts(export)]
pub enum ProjectEdit {
    /// "Your domain": the domain as typed and the DKIM selectors to try.
    Domain {
        /// The domain as typed (a URL or an address is fine; the audit normalizes it).
        domain: String,
        /// DKIM selectors the user knows of.
        selectors: Vec<String>,
    },
    /// Settings: the DNS server (checked before it is kept).
    Settings(Settings),
    /// "Who sends as you".
    Senders(Inventory),
    /// The SPF step's choices.
    Spf(SpfSetup),
    /// The DMARC step's choices.
    Dmarc(DmarcComposeRequest),
    /// The MTA-STS step's choices.
    MtaSts(MtaStsSetup),
    /// The mail server step's choices (never a password).
    Smtp(SmtpSetup),
    /// The DNS host the records are published at (a catalog id).
    DnsHost(String),
    /// Who signs the domain's mail: the path chosen in the DKIM step.
    DkimSigner(DkimSigner),
    /// The Reports step's choices: the report mailbox (never its password), a certificate to
    /// trust for it, the ramp's thresholds and the period shown.
    Reports(crate::reports::ReportsSetup),
    /// The hosted provider that signs for the domain, and its selectors.
    DkimProvider {
        /// The provider's catalog id; `None` when the user signs with their own key.
        provider: Option<String>,
        /// The selectors the provider gave.
        selectors: Vec<String>,
    },
}

impl ProjectEdit {
    /// Applies the edit; a value that cannot be right (an unknown catalog id, a DNS server
    /// that is not an address) is refused and nothing changes.
    pub(crate) fn apply(self, project: &mut Project) -> Result<(), EngineError> {
        match self {
            ProjectEdit::Domain { domain, selectors } => {
                let domain = domain.trim().to_owned();
                if !same_domain(&project.domain, &domain) {
                    forget_domain(project);
                }
                project.domain = domain;
                project.selectors = selectors;
            }
            ProjectEdit::DkimSigner(signer) => project.dkim.signer = Some(signer),
            ProjectEdit::Settings(settings) => {
                let nameserver = settings.nameserver.trim().to_owned();
                DnsConfig::choose(Some((&nameserver, NameserverSource::Settings)), None)?;
                project.settings = Settings { nameserver };
            }
            ProjectEdit::Senders(inventory) => project.senders = inventory,
            ProjectEdit::Spf(spf) => project.spf = spf,
            ProjectEdit::Dmarc(dmarc) => project.dmarc = dmarc,
            ProjectEdit::MtaSts(mta_sts) => project.mta_sts = mta_sts,
            ProjectEdit::Smtp(smtp) => project.smtp = smtp,
            ProjectEdit::Reports(reports) => {
                reports.validate()?;
                project.reports = reports;
            }

            ProjectEdit::DnsHost(id) => {
                if !id.is_empty() {
                    known_dns_host(&id)?;
                }
                project.dns_host = id;
            }
            ProjectEdit::DkimProvider {
                provider,
                selectors,
            } => {
                if let Some(id) = &provider {
                    known_dkim_provider(id)?;
                }
                project.dkim.provider = provider;
                project.dkim.provider_selectors = selectors;
            }
        }
        Ok(())
    }
}

/// True when two domains as typed name the same domain (a URL or an address is fine).
fn same_domain(a: &str, b: &str) -> bool {
    let normal = |d: &str| {
        parse_domain_input(d)
            .map(|p| p.domain.as_str().to_owned())
            .unwrap_or_else(|_| d.trim().to_ascii_lowercase())
    };
    normal(a) == normal(b)
}

/// Forgets what was checked or composed for the previous domain: the steps' states, and the
/// DMARC and MTA-STS choices (taken again from what the new domain publishes).
fn forget_domain(project: &mut Project) {
    project.checked.clear();
    project.dmarc = DmarcComposeRequest::default();
    project.mta_sts = MtaStsSetup::default();
    project.spf.remove.clear();
    project.spf.weaken = false;
}
