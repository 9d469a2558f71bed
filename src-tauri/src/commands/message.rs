//! Step "Check a sent message": a message opened from a file or pasted, checked by the engine.

use mailwright_core::UserError;
use mailwright_core::dns::LookupProgress;
use mailwright_core::message::MessageCheck;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::state::AppState;

/// Checks the message in a file the user chose.
#[tauri::command]
pub async fn message_check_file(
    app: AppHandle,
    state: State<'_, AppState>,
    path: String,
    progress: Channel<LookupProgress>,
) -> Result<MessageCheck, UserError> {
    let path = super::files::may_read(&app, &path)?;
    state
        .session
        .check_message_file(&path, super::sink(progress))
        .await
        .map_err(super::user)
}

/// Checks a message pasted as text.
#[tauri::command]
pub async fn message_check_text(
    state: State<'_, AppState>,
    text: String,
    progress: Channel<LookupProgress>,
) -> Result<MessageCheck, UserError> {
    state
        .session
        .check_message(text.as_bytes(), super::sink(progress))
        .await
        .map_err(super::user)
}

/// The last message checked in this session, to show again when the step is opened.
#[tauri::command]
pub fn message_last(state: State<'_, AppState>) -> Option<MessageCheck> {
    state.session.last_message_check()
}

/// Whether the report may name the checked message's subject (the user's tick).
#[tauri::command]
pub fn message_subject_in_report(state: State<'_, AppState>, allow: bool) {
    state.session.name_message_subject(allow);
}
