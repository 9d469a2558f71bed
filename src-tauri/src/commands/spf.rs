//! Step "SPF": check the published record, compose and simulate a new one, cross-check an IP.

use std::net::IpAddr;

use mailwright_core::dns::LookupProgress;
use mailwright_core::spf::{
    SpfCheckReport, SpfComposeRequest, SpfCrossCheck, SpfSimulation, check_spf, cross_check_spf,
    simulate_from_published,
};
use mailwright_core::{EngineError, UserError, parse_domain_input};
use tauri::ipc::Channel;

/// Checks the published SPF record (lookups, voids, include tree, findings).
#[tauri::command]
pub async fn spf_check(
    domain: String,
    nameserver: String,
    progress: Channel<LookupProgress>,
) -> Result<SpfCheckReport, UserError> {
    let domain = parse_domain_input(&domain)
        .map_err(|e| super::user(e.into()))?
        .domain;
    let dns = super::dns_config(&nameserver).map_err(super::user)?;
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
    let domain = parse_domain_input(&domain)
        .map_err(|e| super::user(e.into()))?
        .domain;
    let dns = super::dns_config(&nameserver).map_err(super::user)?;
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
    let domain = parse_domain_input(&domain)
        .map_err(|e| super::user(e.into()))?
        .domain;
    let ip: IpAddr = ip
        .trim()
        .parse()
        .map_err(|_| super::user(EngineError::IpAddress(ip.clone())))?;
    let dns = super::dns_config(&nameserver).map_err(super::user)?;
    cross_check_spf(&domain, ip, record.as_deref(), &report, &dns)
        .await
        .map_err(super::user)
}
