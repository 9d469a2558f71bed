//! Simulate before publishing: the composed record walked against DNS exactly as a receiver
//! would, with the fixes to try when it is over the limit.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::check::report;
use super::compose::{SpfComposeRequest, SpfComposition, compose_spf};
use super::fixes::{SpfFix, propose_fixes};
use super::{SpfCheckReport, walk_record};
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
