//! Step "Warm-up": the plan from the inputs form, each day's results typed or imported from a
//! CSV file, pause and resume, the mix counted from a recipient list, and the exports. The
//! warm-up lives in the session's project; each command returns where it stands today.

use mailwright_core::UserError;
use mailwright_core::files::{read_text, write_text};
use mailwright_core::session::FieldProblem;
use mailwright_core::warmup::{
    DayEntryForm, PlanForm, RecipientCounts, WarmupExport, WarmupView, count_recipients,
};
use tauri::{AppHandle, State};

use crate::state::AppState;

/// Where the warm-up stands today.
#[tauri::command]
pub fn warmup_view(state: State<'_, AppState>) -> WarmupView {
    state.session.warmup_view()
}

/// Plans from the inputs form, keeping every result entered; `recipients` is the list the mix
/// was counted from, when it was.
#[tauri::command]
pub fn warmup_plan(
    state: State<'_, AppState>,
    form: PlanForm,
    recipients: Option<RecipientCounts>,
) -> Result<WarmupView, UserError> {
    state
        .session
        .plan_warmup(&form, recipients)
        .map_err(super::user)
}

/// Every fault of the warm-up's form as typed, each tied to its field.
#[tauri::command]
pub fn warmup_check(form: PlanForm) -> Vec<FieldProblem> {
    mailwright_core::session::warmup_problems(&form)
}

/// Saves one day's results (the whole day or one provider's share).
#[tauri::command]
pub fn warmup_record(
    state: State<'_, AppState>,
    entry: DayEntryForm,
) -> Result<WarmupView, UserError> {
    state.session.record_warmup_day(&entry).map_err(super::user)
}

/// Imports a results CSV file: every row or none.
#[tauri::command]
pub fn warmup_import_results(
    app: AppHandle,
    state: State<'_, AppState>,
    path: String,
) -> Result<WarmupView, UserError> {
    let text = read_text(&super::files::may_read(&app, &path)?).map_err(super::user)?;
    state
        .session
        .import_warmup_results(&text)
        .map_err(super::user)
}

/// Removes a day's results.
#[tauri::command]
pub fn warmup_remove_day(
    state: State<'_, AppState>,
    date: String,
) -> Result<WarmupView, UserError> {
    state.session.remove_warmup_day(&date).map_err(super::user)
}

/// Resumes after a pause; the history is kept.
#[tauri::command]
pub fn warmup_resume(state: State<'_, AppState>) -> Result<WarmupView, UserError> {
    state.session.resume_warmup().map_err(super::user)
}

/// Counts a pasted recipient list per domain (the addresses are not kept).
#[tauri::command]
pub fn warmup_count_recipients(text: String) -> Result<RecipientCounts, UserError> {
    count_recipients(&text).map_err(super::user)
}

/// Counts a recipient list file per domain (the addresses are not kept).
#[tauri::command]
pub fn warmup_count_recipients_file(
    app: AppHandle,
    path: String,
) -> Result<RecipientCounts, UserError> {
    let text = read_text(&super::files::may_read(&app, &path)?).map_err(super::user)?;
    count_recipients(&text).map_err(super::user)
}

/// Writes the plan as CSV, an ICS calendar or Postfix settings to `path` (chosen by the user).
#[tauri::command]
pub async fn warmup_export(
    app: AppHandle,
    state: State<'_, AppState>,
    kind: WarmupExport,
    path: String,
) -> Result<String, UserError> {
    let text = state.session.export_warmup(kind).map_err(super::user)?;
    let (path, replace) = super::files::may_write(&app, &path).await?;
    let written = write_text(&path, &text, replace).map_err(super::user)?;
    Ok(written.display().to_string())
}
