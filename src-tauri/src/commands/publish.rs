//! Step "Publish": the project's records written for the user's DNS host, the hand-off files,
//! and the check, round after round, that the records are published (with Stop), ending in a
//! desktop notification.

use mailwright_core::UserError;
use mailwright_core::files::write_text;
use mailwright_core::publish::{
    DnsHost, HandoffFormat, PresentedRecord, PublishSet, VerifyRound, VerifySettings, dns_hosts,
};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use tauri_plugin_notification::NotificationExt;

use crate::state::AppState;

/// The DNS host catalog.
#[tauri::command]
pub fn publish_hosts() -> Vec<DnsHost> {
    dns_hosts().to_vec()
}

/// Gathers every record the project produced (DNS is asked for what SPF and MTA-STS build on).
#[tauri::command]
pub async fn publish_collect(state: State<'_, AppState>) -> Result<PublishSet, UserError> {
    state.session.gather_records().await.map_err(super::user)
}

/// The gathered records as the chosen DNS host wants them typed.
#[tauri::command]
pub fn publish_present(state: State<'_, AppState>) -> Result<Vec<PresentedRecord>, UserError> {
    state.session.present_records().map_err(super::user)
}

/// Checks round after round until every record is published; each round goes to `progress`.
/// When checking ends, a desktop notification says how it ended (the user may be at their DNS
/// host's site).
#[tauri::command]
pub async fn publish_verify(
    app: AppHandle,
    state: State<'_, AppState>,
    progress: Channel<VerifyRound>,
) -> Result<VerifyRound, UserError> {
    let progress = super::sink(progress);
    let settings = VerifySettings::from_environment();
    let session = &state.session;
    let round = session.verify_published(settings, progress).await;
    let round = round.map_err(super::user)?;
    if let Some(notice) = round.notice() {
        // Without a notification service the status line on screen still says it.
        let notification = app.notification().builder().title(notice.title);
        let _ = notification.body(notice.body).show();
    }
    Ok(round)
}

/// Stops checking.
#[tauri::command]
pub fn publish_stop(state: State<'_, AppState>) {
    state.session.publish_check.stop();
}

/// Writes the hand-off page or the zone snippet to `path` (chosen by the user).
#[tauri::command]
pub async fn publish_export(
    app: AppHandle,
    state: State<'_, AppState>,
    format: HandoffFormat,
    path: String,
) -> Result<String, UserError> {
    let text = state.session.handoff(format).map_err(super::user)?;
    let (path, replace) = super::files::may_write(&app, &path).await?;
    let written = write_text(&path, &text, replace).map_err(super::user)?;
    Ok(written.display().to_string())
}
