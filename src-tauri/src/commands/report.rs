//! Step "Report": the checks run afresh for the project's domain, the checklist built with the
//! last mail server test and the warm-up, and the report saved in the format the user picks.

use std::path::PathBuf;

use mailwright_core::dns::LookupProgress;
use mailwright_core::files::write_bytes;
use mailwright_core::project::Project;
use mailwright_core::report::{Report, ReportFormat, ReportInputs, build_report};
use mailwright_core::{AuditRequest, UserError, run_audit};
use tauri::State;
use tauri::ipc::Channel;

use crate::state::AppState;

/// Runs the audit for the project's domain (progress on `progress`) and builds the report.
#[tauri::command]
pub async fn report_make(
    state: State<'_, AppState>,
    project: Project,
    nameserver: String,
    progress: Channel<LookupProgress>,
) -> Result<Report, UserError> {
    let (request, _) =
        AuditRequest::parse(&project.domain, &project.selectors).map_err(super::user)?;
    let dns = super::dns_config(&nameserver)?;
    let audit = run_audit(&request, &dns, Some(super::sink(progress)))
        .await
        .map_err(super::user)?;
    let now = jiff::Zoned::now();
    let warmup = project.warmup.as_ref().map(|w| w.view(now.date()));
    let smtp = state.smtp_report.lock().unwrap().clone();
    let report = build_report(&ReportInputs {
        audit: &audit,
        project: Some(&project),
        smtp: smtp.as_ref(),
        warmup: warmup.as_ref(),
        generated_at: mailwright_core::report::now_rfc3339(),
    });
    *state.report.lock().unwrap() = Some(report.clone());
    Ok(report)
}

/// Writes the last report to `path` (chosen by the user) in `format`.
#[tauri::command]
pub fn report_save(
    state: State<'_, AppState>,
    format: ReportFormat,
    path: String,
) -> Result<String, UserError> {
    let report = state
        .report
        .lock()
        .unwrap()
        .clone()
        .ok_or_else(|| UserError {
            code: "no_report".into(),
            message: "There is no report yet. Press “Make the report” first.".into(),
        })?;
    let bytes = format.render(&report).map_err(super::user)?;
    let path = PathBuf::from(path);
    write_bytes(&path, &bytes).map_err(super::user)?;
    Ok(path.display().to_string())
}
