//! Step "Report": the checks run afresh for the project's domain, the checklist built with the
//! last mail server test, the DKIM proof of the project's keys and the warm-up, and the report saved in the format the user picks.

use mailwright_core::dns::LookupProgress;
use mailwright_core::files::write_bytes;
use mailwright_core::project::Project;
use mailwright_core::report::{Report, ReportFormat, make_report, project_keys};
use mailwright_core::{EngineError, UserError};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::state::AppState;

/// Runs the audit for the project's domain (progress on `progress`) and builds the report.
#[tauri::command]
pub async fn report_make(
    state: State<'_, AppState>,
    project: Project,
    nameserver: String,
    progress: Channel<LookupProgress>,
) -> Result<Report, UserError> {
    let dns = super::dns_config(&nameserver)?;
    let smtp = state.smtp_report.lock().unwrap().clone();
    let keys = project_keys(&project, |domain, selector| {
        state.remembered_key(domain, selector)
    })
    .await;
    let (report, _) = make_report(
        &project.domain,
        Some(&project),
        smtp.as_ref(),
        &keys,
        &dns,
        Some(super::sink(progress)),
    )
    .await
    .map_err(super::user)?;
    *state.report.lock().unwrap() = Some(report.clone());
    Ok(report)
}

/// Writes the last report to `path` (chosen by the user) in `format`.
#[tauri::command]
pub async fn report_save(
    app: AppHandle,
    state: State<'_, AppState>,
    format: ReportFormat,
    path: String,
) -> Result<String, UserError> {
    let report = state.report.lock().unwrap().clone().ok_or_else(|| {
        super::user(EngineError::NothingYet(
            "There is no report yet. Press “Make the report” first.",
        ))
    })?;
    let bytes = format.render(&report).map_err(super::user)?;
    let (path, replace) = super::files::may_write(&app, &path).await?;
    let written = write_bytes(&path, &bytes, replace).map_err(super::user)?;
    Ok(written.display().to_string())
}
