//! Step "SPF": check the published record, compose and simulate a new one, cross-check an IP.

use mailwright_core::UserError;
use mailwright_core::dns::LookupProgress;
use mailwright_core::spf::{SpfCheckReport, SpfCrossCheck, SpfSimulation};
use tauri::State;
use tauri::ipc::Channel;

use crate::state::AppState;

/// Checks the published SPF record (lookups, voids, include tree, findings).
#[tauri::command]
pub async fn spf_check(
    state: State<'_, AppState>,
    progress: Channel<LookupProgress>,
) -> Result<SpfCheckReport, UserError> {
    state
        .session
        .check_spf(super::sink(progress))
        .await
        .map_err(super::user)
}

/// Merges the project's senders into the published record with the step's choices and walks
/// the result against DNS without publishing anything.
#[tauri::command]
pub async fn spf_simulate(
    state: State<'_, AppState>,
    progress: Channel<LookupProgress>,
) -> Result<SpfSimulation, UserError> {
    state
        .session
        .simulate_spf(super::sink(progress))
        .await
        .map_err(super::user)
}

/// mail-auth's SPF result for the step's IP address against the composed record, beside
/// Mailwright's.
#[tauri::command]
pub async fn spf_cross_check(state: State<'_, AppState>) -> Result<SpfCrossCheck, UserError> {
    state.session.cross_check_spf().await.map_err(super::user)
}
