//! Step "DMARC": check the policy in effect, compose a record with its ramp, and the alignment
//! of every sender.

use mailwright_core::alignment::{SenderAlignment, alignment};
use mailwright_core::clock::today;
use mailwright_core::dmarc::{
    AlignmentMode, DmarcCheckReport, DmarcComposeRequest, DmarcComposition, check_dmarc,
    compose_dmarc,
};
use mailwright_core::dns::LookupProgress;
use mailwright_core::senders::Inventory;
use mailwright_core::{EngineError, UserError};
use tauri::ipc::Channel;

/// Checks the DMARC policy that applies to the domain.
#[tauri::command]
pub async fn dmarc_check(
    domain: String,
    nameserver: String,
    progress: Channel<LookupProgress>,
) -> Result<DmarcCheckReport, UserError> {
    let domain = super::domain(&domain)?;
    let dns = super::dns_config(&nameserver)?;
    check_dmarc(&domain, &dns, Some(super::sink(progress)))
        .await
        .map_err(super::user)
}

/// Composes the record, the report authorizations and the ramp from today.
#[tauri::command]
pub fn dmarc_compose(
    domain: String,
    request: DmarcComposeRequest,
) -> Result<DmarcComposition, UserError> {
    let domain = super::domain(&domain)?;
    let request = DmarcComposeRequest {
        domain: domain.as_str().to_owned(),
        ..request
    };
    compose_dmarc(&request, today()).map_err(|e| super::user(EngineError::from(e)))
}

/// Whether each sender passes DMARC through DKIM, SPF, both or neither.
#[tauri::command]
pub fn sender_alignment(
    inventory: Inventory,
    aspf: AlignmentMode,
    own_dkim: bool,
) -> Result<Vec<SenderAlignment>, UserError> {
    alignment(&inventory, aspf, own_dkim).map_err(|e| super::user(EngineError::from(e)))
}
