//! Step "Report": the checks run afresh for the project's domain, the checklist built with the
//! last mail server test, the DKIM proof of the project's keys and the warm-up, and saved in the
//! format the user picks.

use mailwright_core::UserError;
use mailwright_core::dns::LookupProgress;
use mailwright_core::files::write_bytes;
use mailwright_core::report::{Checklist, ReportFormat};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::state::AppState;

/// Runs the checks (progress on `progress`) and builds the checklist.
#[tauri::command]
pub async fn report_make(
    state: State<'_, AppState>,
    progress: Channel<LookupProgress>,
) -> Result<Checklist, UserError> {
    let made = state.session.make_checklist(super::sink(progress)).await;
    made.map(|(report, _)| report).map_err(super::user)
}

/// Writes the last checklist to `path` (chosen by the user) in `format`.
#[tauri::command]
pub async fn report_save(
    app: AppHandle,
    state: State<'_, AppState>,
    format: ReportFormat,
    path: String,
) -> Result<String, UserError> {
    let report = state.session.checklist_to_save().map_err(super::user)?;
    let bytes = format.render(&report).map_err(super::user)?;
    let (path, replace) = super::files::may_write(&app, &path).await?;
    let written = write_bytes(&path, &bytes, replace).map_err(super::user)?;
    Ok(written.display().to_string())
}
