//! Step "Bounces": explain a pasted refusal or an opened bounce, import bounce files (progress
//! and Stop), the suppression list and its rule and CSV, a day's counts into the warm-up, and
//! the reputation check with the Spamhaus DQS key in the keychain.

use mailwright_core::UserError;
use mailwright_core::bounces::{
    BounceExplanation, BounceImportProgress, BounceImportSummary, BouncesView, SuppressionRule,
};
use mailwright_core::secrets::Sensitive;
use mailwright_core::session::ReputationView;
use mailwright_core::warmup::WarmupView;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::state::AppState;

/// Explains a pasted SMTP reply or bounce message.
#[tauri::command]
pub fn bounces_explain(state: State<'_, AppState>, text: String) -> Vec<BounceExplanation> {
    state.session.explain_refusal(&text)
}

/// Explains the bounce message in the file the user chose.
#[tauri::command]
pub fn bounces_explain_file(
    app: AppHandle,
    state: State<'_, AppState>,
    path: String,
) -> Result<Vec<BounceExplanation>, UserError> {
    let path = super::files::may_read(&app, &path)?;
    state
        .session
        .explain_bounce_file(&path)
        .map_err(super::user)
}

/// Imports the bounce files and folders the user chose.
#[tauri::command]
pub async fn bounces_import(
    app: AppHandle,
    state: State<'_, AppState>,
    paths: Vec<String>,
    progress: Channel<BounceImportProgress>,
) -> Result<BounceImportSummary, UserError> {
    let paths = super::files::may_read_all(&app, &paths)?;
    state
        .session
        .import_bounce_files(paths, super::sink(progress))
        .await
        .map_err(super::user)
}

/// Stops the bounce import in progress.
#[tauri::command]
pub fn bounces_stop(state: State<'_, AppState>) {
    state.session.stop_bounces();
}

/// Counts, days and the suppression list.
#[tauri::command]
pub async fn bounces_view(state: State<'_, AppState>) -> Result<BouncesView, UserError> {
    state.session.bounces_view().await.map_err(super::user)
}

/// Changes the suppression rule.
#[tauri::command]
pub async fn bounces_set_rule(
    state: State<'_, AppState>,
    rule: SuppressionRule,
) -> Result<BouncesView, UserError> {
    state
        .session
        .set_suppression_rule(rule)
        .await
        .map_err(super::user)
}

/// Takes a suppressed address off the list (the user confirmed it may be mailed again).
#[tauri::command]
pub async fn bounces_release(
    state: State<'_, AppState>,
    address: String,
) -> Result<BouncesView, UserError> {
    state
        .session
        .release_address(&address)
        .await
        .map_err(super::user)
}

/// Writes the suppressed addresses as CSV to `path` (chosen by the user).
#[tauri::command]
pub async fn bounces_export_csv(
    app: AppHandle,
    state: State<'_, AppState>,
    path: String,
) -> Result<String, UserError> {
    let (path, replace) = super::files::may_write(&app, &path).await?;
    let written = state
        .session
        .export_suppression_list(&path, replace)
        .await
        .map_err(super::user)?;
    Ok(written.display().to_string())
}

/// Records a day's bounces as that day's warm-up results, with `sent` messages sent.
#[tauri::command]
pub async fn bounces_to_warmup(
    state: State<'_, AppState>,
    date: String,
    sent: String,
) -> Result<WarmupView, UserError> {
    state
        .session
        .record_warmup_bounces(&date, &sent)
        .await
        .map_err(super::user)
}

/// What the reputation check looks at, and its last result.
#[tauri::command]
pub async fn reputation_view(state: State<'_, AppState>) -> Result<ReputationView, UserError> {
    state.session.reputation_view().await.map_err(super::user)
}

/// Checks reverse DNS, the server's name and the blocklists (plus addresses typed in the step).
#[tauri::command]
pub async fn reputation_check(
    state: State<'_, AppState>,
    extra: Vec<String>,
) -> Result<ReputationView, UserError> {
    state
        .session
        .check_reputation(extra)
        .await
        .map_err(super::user)
}

/// Saves the Spamhaus DQS key in the keychain (empty forgets it); never returned to the window.
#[tauri::command]
pub async fn reputation_save_dqs_key(
    state: State<'_, AppState>,
    key: String,
) -> Result<ReputationView, UserError> {
    state
        .session
        .save_dqs_key(Sensitive::new(key))
        .await
        .map_err(super::user)
}
