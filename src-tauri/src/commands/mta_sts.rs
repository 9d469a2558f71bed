//! Step "MTA-STS": compose the records and the policy file; check them once published.

use mailwright_core::UserError;
use mailwright_core::dns::LookupProgress;
use mailwright_core::mta_sts::{MtaStsCheckReport, MtaStsComposition};
use mailwright_core::project::MtaStsSetup;
use tauri::State;
use tauri::ipc::Channel;

use crate::state::AppState;

/// Checks both records and fetches the policy over HTTPS.
#[tauri::command]
pub async fn mta_sts_check(
    state: State<'_, AppState>,
    progress: Channel<LookupProgress>,
) -> Result<MtaStsCheckReport, UserError> {
    state
        .session
        .check_mta_sts(super::sink(progress))
        .await
        .map_err(super::user)
}

/// Keeps the choices, looks up the MX hosts and composes the records and policy for them.
#[tauri::command]
pub async fn mta_sts_compose(
    state: State<'_, AppState>,
    setup: MtaStsSetup,
) -> Result<MtaStsComposition, UserError> {
    state
        .session
        .compose_mta_sts(setup)
        .await
        .map_err(super::user)
}
