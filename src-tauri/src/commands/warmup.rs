//! Step "Warm-up": the plan from the inputs form, each day's results typed or imported from a
//! CSV file, pause and resume, the mix counted from a recipient list, and the exports. The
//! warm-up lives in the project; each command returns the updated view and the window saves it.

use jiff::civil::Date;
use mailwright_core::clock::today;
use mailwright_core::files::{read_text, write_text};
use mailwright_core::warmup::{
    DayEntryForm, PlanForm, RecipientCounts, WarmupExport, WarmupSetup, WarmupView,
    count_recipients, parse_results_csv,
};
use mailwright_core::{EngineError, UserError};
use tauri::AppHandle;

/// The saved warm-up, or a starting plan when there is none yet.
fn or_starter(setup: Option<WarmupSetup>) -> WarmupSetup {
    setup.unwrap_or_else(|| WarmupSetup::starter(today()))
}

fn user(error: impl Into<EngineError>) -> UserError {
    super::user(error.into())
}

/// Where the warm-up stands today.
#[tauri::command]
pub fn warmup_view(setup: Option<WarmupSetup>) -> WarmupView {
    or_starter(setup).view(today())
}

/// Plans from the inputs form, keeping every result entered; `recipients` is the list the mix
/// was counted from, when it was.
#[tauri::command]
pub fn warmup_plan(
    setup: Option<WarmupSetup>,
    form: PlanForm,
    recipients: Option<RecipientCounts>,
) -> Result<WarmupView, UserError> {
    let mut setup = or_starter(setup);
    let (inputs, defaults) = form.read().map_err(user)?;
    setup.change_plan(inputs, defaults).map_err(user)?;
    if recipients.is_some() {
        setup.recipients = recipients;
    }
    Ok(setup.view(today()))
}

/// Saves one day's results (the whole day or one provider's share).
#[tauri::command]
pub fn warmup_record(setup: WarmupSetup, entry: DayEntryForm) -> Result<WarmupView, UserError> {
    let mut setup = setup;
    let entry = entry.read().map_err(user)?;
    setup.record(entry, today()).map_err(user)?;
    Ok(setup.view(today()))
}

/// Imports a results CSV file: every row or none.
#[tauri::command]
pub fn warmup_import_results(
    app: AppHandle,
    setup: WarmupSetup,
    path: String,
) -> Result<WarmupView, UserError> {
    let mut setup = setup;
    let text = read_text(&super::files::may_read(&app, &path)?).map_err(super::user)?;
    let rows = parse_results_csv(&text).map_err(user)?;
    setup.record_all(rows, today()).map_err(user)?;
    Ok(setup.view(today()))
}

/// Removes a day's results.
#[tauri::command]
pub fn warmup_remove_day(setup: WarmupSetup, date: String) -> Result<WarmupView, UserError> {
    let mut setup = setup;
    let date: Date = date
        .parse()
        .map_err(|_| super::user(EngineError::Date(date.clone())))?;
    setup.remove_day(date);
    Ok(setup.view(today()))
}

/// Resumes after a pause; the history is kept.
#[tauri::command]
pub fn warmup_resume(setup: WarmupSetup) -> Result<WarmupView, UserError> {
    let mut setup = setup;
    setup.resume(today()).map_err(user)?;
    Ok(setup.view(today()))
}

/// Counts a pasted recipient list per domain (the addresses are not kept).
#[tauri::command]
pub fn warmup_count_recipients(text: String) -> Result<RecipientCounts, UserError> {
    count_recipients(&text).map_err(user)
}

/// Counts a recipient list file per domain (the addresses are not kept).
#[tauri::command]
pub fn warmup_count_recipients_file(
    app: AppHandle,
    path: String,
) -> Result<RecipientCounts, UserError> {
    let text = read_text(&super::files::may_read(&app, &path)?).map_err(super::user)?;
    count_recipients(&text).map_err(user)
}

/// Writes the plan as CSV, an ICS calendar or Postfix settings to `path` (chosen by the user).
#[tauri::command]
pub async fn warmup_export(
    app: AppHandle,
    setup: WarmupSetup,
    kind: WarmupExport,
    domain: String,
    path: String,
) -> Result<String, UserError> {
    let view = setup.view(today());
    let text = view.export(kind, &domain).ok_or_else(|| {
        super::user(EngineError::NothingYet(
            "There is nothing to export: the warm-up is paused, or your email service sets the pace so there are no limits to write.",
        ))
    })?;
    let (path, replace) = super::files::may_write(&app, &path).await?;
    let written = write_text(&path, &text, replace).map_err(super::user)?;
    Ok(written.display().to_string())
}
