//! What the wizard's steps show for a project, found again for the checklist so that no item
//! passes what a step flags: the SPF and DMARC records the steps composed beside the published
//! ones, the MTA-STS check with its policy fetched, and how each listed sender aligns.

use crate::alignment::{SenderAlignment, alignment};
use crate::clock::today;
use crate::dmarc::{compose_dmarc, published_dmarc};
use crate::dns::DnsConfig;
use crate::domain::DomainName;
use crate::error::EngineError;
use crate::mta_sts::{HttpsConfig, MtaStsCheckReport, check_mta_sts};
use crate::project::Project;
use crate::spf::{compose_spf, published_spf};

/// A record a step composed, beside what is published.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Composed {
    /// The record the step composed.
    pub composed: String,
    /// The record published now, if any.
    pub published: Option<String>,
    /// Whether they say the same.
    pub same: bool,
}

/// What the steps show for the project.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StepsSeen {
    /// The SPF record composed from "Who sends as you", when senders are listed.
    pub spf: Option<Composed>,
    /// The DMARC record the DMARC step composed, when it did.
    pub dmarc: Option<Composed>,
    /// The MTA-STS step's check, policy fetched over HTTPS.
    pub mta_sts: Option<MtaStsCheckReport>,
    /// How each listed sender's mail aligns (the DMARC step's table).
    pub alignment: Vec<SenderAlignment>,
}

/// Finds again what the steps show for `project`.
pub async fn steps_seen(
    project: &Project,
    domain: &DomainName,
    dns: &DnsConfig,
    https: &HttpsConfig,
) -> Result<StepsSeen, EngineError> {
    let mut seen = StepsSeen::default();
    // A sender list with faults is flagged by its own item; nothing is composed from it.
    if !project.senders.senders.is_empty() && project.senders.problems().is_empty() {
        let published = published_spf(domain, dns, None).await?;
        let composition = compose_spf(&project.spf_request(domain.as_str(), published.clone()))?;
        let same = composition.unchanged;
        seen.spf = Some(Composed {
            composed: composition.record,
            published,
            same,
        });
        seen.alignment = alignment(
            &project.senders,
            domain.as_str(),
            project.dmarc.adkim,
            project.dmarc.aspf,
            !project.dkim.keys.is_empty(),
        )?;
    }
    if project.dmarc.chosen() {
        let published = published_dmarc(domain, dns).await?;
        let request = crate::dmarc::DmarcComposeRequest {
            domain: domain.as_str().to_owned(),
            ..project.dmarc.clone()
        };
        let composition = compose_dmarc(&request, published.as_ref(), today())?;
        let same = composition.unchanged;
        seen.dmarc = Some(Composed {
            composed: composition.record,
            published: published.map(|p| p.to_text()),
            same,
        });
    }
    seen.mta_sts = Some(check_mta_sts(domain, dns, https, None).await?);
    Ok(seen)
}
