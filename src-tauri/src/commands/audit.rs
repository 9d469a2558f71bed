//! Step "Your domain": running the audit with progress, and stopping it.

use mailwright_core::dns::LookupProgress;
use mailwright_core::{Audit, UserError};
use tauri::State;
use tauri::ipc::Channel;

use crate::state::AppState;

/// Runs the audit of the project's domain and selectors; each lookup's start and end is sent on
/// `progress`.
#[tauri::command]
pub async fn run_audit(
    state: State<'_, AppState>,
    progress: Channel<LookupProgress>,
) -> Result<Audit, UserError> {
    state
        .session
        .audit(super::sink(progress))
        .await
        .map_err(super::user)
}

/// Stops the audit in progress, if any.
#[tauri::command]
pub fn audit_stop(state: State<'_, AppState>) {
    state.session.audit.stop();
}
