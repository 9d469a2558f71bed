//! Step "MTA-STS": compose the records and the policy file; check them once published.

use mailwright_core::UserError;
use mailwright_core::dns::LookupProgress;
use mailwright_core::mta_sts::{
    HttpsConfig, MtaStsCheckReport, MtaStsComposition, StsMode, check_mta_sts, compose_mta_sts_for,
};
use tauri::ipc::Channel;

/// Checks both records and fetches the policy over HTTPS.
#[tauri::command]
pub async fn mta_sts_check(
    domain: String,
    nameserver: String,
    progress: Channel<LookupProgress>,
) -> Result<MtaStsCheckReport, UserError> {
    let domain = super::domain(&domain)?;
    let dns = super::dns_config(&nameserver)?;
    let https = HttpsConfig::from_environment().map_err(super::user)?;
    check_mta_sts(&domain, &dns, &https, Some(super::sink(progress)))
        .await
        .map_err(super::user)
}

/// Looks up the MX hosts and composes the records and policy for them.
#[tauri::command]
pub async fn mta_sts_compose(
    domain: String,
    mode: StsMode,
    report_to: String,
    nameserver: String,
) -> Result<MtaStsComposition, UserError> {
    let domain = super::domain(&domain)?;
    let dns = super::dns_config(&nameserver)?;
    compose_mta_sts_for(&domain, mode, &report_to, &dns)
        .await
        .map_err(super::user)
}
