//! Step "Publish": the project's records written for the user's DNS host, the hand-off files,
//! and the check, round after round, that the records are published (with Stop), ending in a
//! desktop notification.

use std::sync::Arc;

use mailwright_core::files::write_text;
use mailwright_core::project::Project;
use mailwright_core::publish::{
    DnsHost, PresentedRecord, PublishSet, VerifyRound, VerifySettings, collect_records, dns_host,
    dns_hosts, handoff_html, handoff_markdown, present_all, verify_until_published, zone_snippet,
};
use mailwright_core::{EngineError, UserError};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use tauri_plugin_notification::NotificationExt;

use crate::state::AppState;

fn host(id: &str) -> Result<&'static DnsHost, UserError> {
    dns_host(id).ok_or_else(|| super::user(EngineError::NotInCatalog("a DNS host", id.to_owned())))
}

/// The DNS host catalog.
#[tauri::command]
pub fn publish_hosts() -> Vec<DnsHost> {
    dns_hosts().to_vec()
}

/// Every record the project produced (DNS is asked for what SPF and MTA-STS build on).
#[tauri::command]
pub async fn publish_collect(
    project: Project,
    nameserver: String,
) -> Result<PublishSet, UserError> {
    let dns = super::dns_config(&nameserver)?;
    collect_records(&project, &dns).await.map_err(super::user)
}

/// The records as `host` wants them typed.
#[tauri::command]
pub fn publish_present(set: PublishSet, host: String) -> Result<Vec<PresentedRecord>, UserError> {
    Ok(present_all(
        &set.records,
        self::host(&host)?,
        &set.zone,
        set.published_spf.as_deref(),
    ))
}

/// Checks round after round until every record is published; each round goes to `progress`.
/// When checking ends, a desktop notification says how it ended (the user may be at their DNS
/// host's site).
#[tauri::command]
pub async fn publish_verify(
    app: AppHandle,
    state: State<'_, AppState>,
    set: PublishSet,
    nameserver: String,
    progress: Channel<VerifyRound>,
) -> Result<VerifyRound, UserError> {
    let dns = super::dns_config(&nameserver)?;
    let sink = Arc::new(move |round: VerifyRound| {
        let _ = progress.send(round);
    });
    let round = state
        .publish_check
        .run(async move {
            let settings = VerifySettings::from_environment();
            verify_until_published(&set.records, &set.zone, &dns, &settings, Some(sink)).await
        })
        .await
        .map_err(super::user)?;
    if let Some(notice) = round.notice() {
        // Without a notification service the status line on screen still says it.
        let _ = app
            .notification()
            .builder()
            .title(notice.title)
            .body(notice.body)
            .show();
    }
    Ok(round)
}

/// Stops checking.
#[tauri::command]
pub fn publish_stop(state: State<'_, AppState>) {
    state.publish_check.stop();
}

/// Writes the hand-off page (`md` or `html`) or the zone snippet (`zone`) to `path`.
#[tauri::command]
pub async fn publish_export(
    app: AppHandle,
    set: PublishSet,
    host: String,
    format: String,
    path: String,
) -> Result<String, UserError> {
    let host = self::host(&host)?;
    let spf = set.published_spf.as_deref();
    let text = match format.as_str() {
        "html" => handoff_html(&set.records, host, &set.zone, spf),
        "zone" => zone_snippet(&set.records, &set.zone),
        _ => handoff_markdown(&set.records, host, &set.zone, spf),
    };
    let (path, replace) = super::files::may_write(&app, &path).await?;
    let written = write_text(&path, &text, replace).map_err(super::user)?;
    Ok(written.display().to_string())
}
