//! Simulate before publishing: the composed record walked against DNS exactly as a receiver
//! would, with the fixes to try when it is over the limit.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::check::report;
use super::compose::{SpfComposeRequest, SpfComposition, compose_spf};
use super::fixes::{SpfFix, propose_fixes};
use super::{SpfCheckReport, walk_record};
use crate::dns::RecordType;

use super::is_spf;
use crate::dns::{DnsClient, DnsConfig, ProgressSink};
use crate::domain::DomainName;
use crate::error::EngineError;

/// The composed record, what receivers would conclude about it, and the fixes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SpfSimulation {
    /// The composed record and where each term comes from.
    pub composition: SpfComposition,
    /// The walk of the composed record: lookups, voids, tree and findings.
    pub report: SpfCheckReport,
    /// Fixes in the order to try them (redundant terms first, flattening last).
    pub fixes: Vec<SpfFix>,
}

/// The SPF record published at `domain` now (TXT strings joined), for the composer. Several
/// records are merged into one text so that no term is lost (the composer keeps each once).
/// A lookup that fails is an error: composing from nothing would drop what the user had.
pub async fn published_spf(
    domain: &DomainName,
    dns: &DnsConfig,
    progress: Option<ProgressSink>,
) -> Result<Option<String>, EngineError> {
    let client = DnsClient::new(dns, progress)?;
    let lookup = client.lookup(domain.as_str(), RecordType::TXT).await;
    if lookup.failed() {
        return Err(EngineError::DnsFailed(format!("{} TXT", domain.as_str())));
    }
    let records: Vec<String> = lookup.txt().into_iter().filter(|t| is_spf(t)).collect();
    Ok(match records.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        many => Some(
            std::iter::once("v=spf1")
                .chain(
                    many.iter()
                        .flat_map(|r| r.split(' ').filter(|w| !w.is_empty()).skip(1)),
                )
                .collect::<Vec<_>>()
                .join(" "),
        ),
    })
}

/// Reads the published record, then composes and simulates: what the app's SPF step runs.
pub async fn simulate_from_published(
    domain: &DomainName,
    request: &SpfComposeRequest,
    dns: &DnsConfig,
    progress: Option<ProgressSink>,
) -> Result<SpfSimulation, EngineError> {
    let published = published_spf(domain, dns, progress.clone()).await?;
    let request = SpfComposeRequest {
        published,
        ..request.clone()
    };
    simulate_spf(domain, &request, dns, progress).await
}

/// Composes the record and walks it against DNS without publishing anything.
pub async fn simulate_spf(
    domain: &DomainName,
    request: &SpfComposeRequest,
    dns: &DnsConfig,
    progress: Option<ProgressSink>,
) -> Result<SpfSimulation, EngineError> {
    let request = SpfComposeRequest {
        domain: domain.as_str().to_owned(),
        ..request.clone()
    };
    let composition = compose_spf(&request)?;
    let client = DnsClient::new(dns, progress)?;
    let walk = walk_record(&client, domain.as_str(), &composition.record).await;
    let report = report(domain, &client, walk);
    let fixes = propose_fixes(domain.as_str(), &composition, &report.tree);
    Ok(SpfSimulation {
        composition,
        report,
        fixes,
    })
}
