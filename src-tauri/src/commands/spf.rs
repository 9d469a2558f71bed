//! Step "SPF": check the published record, compose and simulate a new one, cross-check an IP.

use mailwright_core::UserError;
use mailwright_core::dns::LookupProgress;
use mailwright_core::spf::{
    SpfCheckReport, SpfComposeRequest, SpfCrossCheck, SpfSimulation, check_spf, cross_check_spf,
    parse_ip_address, simulate_from_published,
};
use tauri::ipc::Channel;

/// Checks the published SPF record (lookups, voids, include tree, findings).
#[tauri::command]
pub async fn spf_check(
    domain: String,
    nameserver: String,
    progress: Channel<LookupProgress>,
) -> Result<SpfCheckReport, UserError> {
    let domain = super::domain(&domain)?;
    let dns = super::dns_config(&nameserver)?;
    check_spf(&domain, &dns, Some(super::sink(progress)))
        .await
        .map_err(super::user)
}

/// Reads the published record, merges the inventory into it and walks the result against DNS
/// without publishing anything.
#[tauri::command]
pub async fn spf_simulate(
    domain: String,
    request: SpfComposeRequest,
    nameserver: String,
    progress: Channel<LookupProgress>,
) -> Result<SpfSimulation, UserError> {
    let domain = super::domain(&domain)?;
    let dns = super::dns_config(&nameserver)?;
    simulate_from_published(&domain, &request, &dns, Some(super::sink(progress)))
        .await
        .map_err(super::user)
}

/// mail-auth's SPF result for `ip` against `record` (the composed one) beside Mailwright's.
#[tauri::command]
pub async fn spf_cross_check(
    domain: String,
    ip: String,
    record: Option<String>,
    report: SpfCheckReport,
    nameserver: String,
) -> Result<SpfCrossCheck, UserError> {
    let domain = super::domain(&domain)?;
    let ip = parse_ip_address(&ip).map_err(super::user)?;
    let dns = super::dns_config(&nameserver)?;
    cross_check_spf(&domain, ip, record.as_deref(), &report, &dns)
        .await
        .map_err(super::user)
}
