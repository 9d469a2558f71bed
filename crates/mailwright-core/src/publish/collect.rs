//! The records the wizard produced for a project, gathered for publishing: the DKIM keys (and
//! a hosted provider's CNAMEs), the SPF record composed from the senders, the DMARC policy, and
//! the MTA-STS and TLS-RPT records, and the authorization a DMARC report receiver outside the
//! domain must publish in its own zone. Steps not done yet are named in notes.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::present::in_zone;
use crate::EngineError;
use crate::clock::today;
use crate::dkim::dkim_provider;
use crate::dmarc::{compose_dmarc, published_dmarc};
use crate::dns::DnsConfig;
use crate::dns_record::{DEFAULT_TTL, DnsRecord};
use crate::domain::{Selector, parse_domain_input};
use crate::mta_sts::{HttpsConfig, compose_mta_sts_for};
use crate::project::Project;
use crate::spf::{compose_spf, published_spf};

/// What there is to publish.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PublishSet {
    /// The zone: the project's domain.
    pub zone: String,
    /// The records to add or change: in the zone, then any a report receiver publishes in its
    /// own zone (see [`in_zone`]).
    pub records: Vec<DnsRecord>,
    /// The SPF record published now, if any (the new one replaces it).
    pub published_spf: Option<String>,
    /// What is not included, and why, in sentences.
    pub notes: Vec<String>,
}

/// Gathers the project's records; DNS is asked for what the SPF, DMARC and MTA-STS records
/// build on, and `https` fetches the MTA-STS policy in force.
pub async fn collect_records(
    project: &Project,
    dns: &DnsConfig,
    https: &HttpsConfig,
) -> Result<PublishSet, EngineError> {
    let domain = parse_domain_input(&project.domain)?.domain;
    let zone = domain.as_str().to_owned();
    let mut records = Vec::new();
    let mut notes = Vec::new();

    records.extend(
        project
            .dkim
            .keys
            .iter()
            .filter(|k| k.domain == zone)
            .map(|k| k.record.clone()),
    );
    if let Some(provider) = project.dkim.provider.as_deref().and_then(dkim_provider) {
        let selectors: Vec<Selector> = project
            .dkim
            .provider_selectors
            .iter()
            .filter_map(|s| Selector::parse(s).ok())
            .collect();
        for (r, _) in provider.records_for(&domain, &selectors) {
            match r.value {
                Some(value) if !value.contains('{') => records.push(DnsRecord {
                    name: r.name,
                    rtype: r.rtype,
                    value,
                    ttl: DEFAULT_TTL,
                    purpose: format!("Points {}'s DKIM key for your domain.", provider.name),
                }),
                _ => notes.push(format!(
                    "{}: copy the record for {} from {}'s console; its value is made for your account.",
                    provider.name, r.name, provider.name
                )),
            }
        }
    }
    if records.is_empty() {
        notes.push("No DKIM key yet: make one in the DKIM step.".into());
    }

    let published = published_spf(&domain, dns, None).await?;
    if project.senders.senders.is_empty() {
        notes.push("No SPF record composed: list who sends as you in step 2.".into());
    } else {
        let composition = compose_spf(&project.spf_request(&zone, published.clone()))?;
        records.extend(composition.records);
    }

    if project.dmarc.chosen() {
        let request = crate::dmarc::DmarcComposeRequest {
            domain: zone.clone(),
            ..project.dmarc.clone()
        };
        let published = published_dmarc(&domain, dns).await?;
        records.extend(compose_dmarc(&request, published.as_ref(), today())?.records);
    } else {
        notes.push("No DMARC record composed yet: open the DMARC step.".into());
    }

    if project.mta_sts.chosen() {
        let (composition, _) = compose_mta_sts_for(&domain, &project.mta_sts, dns, https).await?;
        records.extend(composition.records);
    } else {
        notes.push("No MTA-STS records composed yet: open the MTA-STS step.".into());
    }
    // The receivers' authorizations last: they are sent on, not typed at the user's DNS host.
    records.sort_by_key(|r| !in_zone(&r.name, &zone));
    Ok(PublishSet {
        zone,
        records,
        published_spf: published,
        notes,
    })
}
