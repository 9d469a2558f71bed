//! Step "Reports": import report files or fetch them from the report mailbox (progress and
//! Stop), the view of the chosen period, "this is mine" / "not mine", the ramp's evidence for
//! the DMARC step, the mailbox password in the keychain, and the source table as CSV.

use mailwright_core::UserError;
use mailwright_core::reports::{
    ImportProgress, ImportSummary, MailboxSetup, RampEvidence, ReportsView, sources_csv,
};
use mailwright_core::secrets::Sensitive;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::state::AppState;

/// The view of the chosen period (the last 30 days unless chosen).
#[tauri::command]
pub async fn reports_view(state: State<'_, AppState>) -> Result<ReportsView, UserError> {
    state.session.reports_view().await.map_err(super::user)
}

/// Imports the files and folders the user chose.
#[tauri::command]
pub async fn reports_import(
    app: AppHandle,
    state: State<'_, AppState>,
    paths: Vec<String>,
    progress: Channel<ImportProgress>,
) -> Result<ImportSummary, UserError> {
    let paths = super::files::may_read_all(&app, &paths)?;
    state
        .session
        .import_report_files(paths, super::sink(progress))
        .await
        .map_err(super::user)
}

/// Fetches new reports from the report mailbox; `password` typed to use once, else the
/// keychain's for this very server.
#[tauri::command]
pub async fn reports_fetch(
    state: State<'_, AppState>,
    setup: MailboxSetup,
    password: String,
    progress: Channel<ImportProgress>,
) -> Result<ImportSummary, UserError> {
    state
        .session
        .fetch_report_mailbox(setup, Sensitive::new(password), super::sink(progress))
        .await
        .map_err(super::user)
}

/// The folders of the report mailbox.
#[tauri::command]
pub async fn reports_folders(
    state: State<'_, AppState>,
    setup: MailboxSetup,
    password: String,
) -> Result<Vec<String>, UserError> {
    state
        .session
        .report_mailbox_folders(setup, Sensitive::new(password))
        .await
        .map_err(super::user)
}

/// Saves the report mailbox's password in the keychain, bound to its server.
#[tauri::command]
pub async fn reports_save_password(
    state: State<'_, AppState>,
    setup: MailboxSetup,
    password: String,
) -> Result<(), UserError> {
    state
        .session
        .save_mailbox_password(&setup, Sensitive::new(password))
        .await
        .map_err(super::user)
}

/// Stops the import or fetch in progress.
#[tauri::command]
pub fn reports_stop(state: State<'_, AppState>) {
    state.session.stop_reports();
}

/// "This is mine" (`true`), "not mine" (`false`), or undecided (`null`) for a source.
#[tauri::command]
pub async fn reports_mark(
    state: State<'_, AppState>,
    ip: String,
    mine: Option<bool>,
) -> Result<ReportsView, UserError> {
    state
        .session
        .mark_report_source(ip, mine)
        .await
        .map_err(super::user)
}

/// The ramp's evidence for the DMARC step, when there are reports.
#[tauri::command]
pub async fn reports_ramp(state: State<'_, AppState>) -> Result<Option<RampEvidence>, UserError> {
    Ok(state.session.reports_ramp().await)
}

/// Writes the source table of the chosen period as CSV to `path` (chosen by the user).
#[tauri::command]
pub async fn reports_export_csv(
    app: AppHandle,
    state: State<'_, AppState>,
    path: String,
) -> Result<String, UserError> {
    let view = state.session.reports_view().await.map_err(super::user)?;
    let (path, replace) = super::files::may_write(&app, &path).await?;
    let written = mailwright_core::files::write_text(&path, &sources_csv(&view.sources), replace)
        .map_err(super::user)?;
    Ok(written.display().to_string())
}
