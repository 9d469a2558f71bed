//! Step "DMARC": check the policy in effect, compose a record with its ramp, and the alignment
//! of every sender.

use mailwright_core::UserError;
use mailwright_core::alignment::SenderAlignment;
use mailwright_core::dmarc::{DmarcCheckReport, DmarcComposeRequest, DmarcComposition};
use mailwright_core::dns::LookupProgress;
use tauri::State;
use tauri::ipc::Channel;

use crate::state::AppState;

/// Checks the DMARC policy that applies to the project's domain.
#[tauri::command]
pub async fn dmarc_check(
    state: State<'_, AppState>,
    progress: Channel<LookupProgress>,
) -> Result<DmarcCheckReport, UserError> {
    state
        .session
        .check_dmarc(super::sink(progress))
        .await
        .map_err(super::user)
}

/// Keeps the DMARC choices and composes the record, the report authorizations and the ramp
/// over the record in force.
#[tauri::command]
pub async fn dmarc_compose(
    state: State<'_, AppState>,
    request: DmarcComposeRequest,
) -> Result<DmarcComposition, UserError> {
    state
        .session
        .compose_dmarc(request)
        .await
        .map_err(super::user)
}

/// Whether each of the project's senders passes DMARC through DKIM, SPF, both or neither.
#[tauri::command]
pub fn sender_alignment(state: State<'_, AppState>) -> Result<Vec<SenderAlignment>, UserError> {
    state.session.sender_alignment().map_err(super::user)
}
