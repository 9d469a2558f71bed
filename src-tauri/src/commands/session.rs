//! The session: the window opens it once and is sent every later change (each step's state in
//! the sidebar included); what the user types in a step is sent as one edit.

use std::sync::Arc;

use mailwright_core::UserError;
use mailwright_core::session::{ProjectEdit, SessionView};
use tauri::State;
use tauri::ipc::Channel;

use crate::state::AppState;

/// Reads the project (a corrupt file is moved aside and said in `recovered`) and returns the
/// view; every later change of the session is sent on `updates`.
#[tauri::command]
pub fn session_open(state: State<'_, AppState>, updates: Channel<SessionView>) -> SessionView {
    state.session.watch(Arc::new(move |view| {
        let _ = updates.send(view);
    }));
    let view = state.session.open();
    let ms = state.started.elapsed().as_millis() as u64;
    tracing::info!(ms, "the window opened the session");
    view
}

/// Applies what the user typed in one step and saves the project.
#[tauri::command]
pub fn project_edit(
    state: State<'_, AppState>,
    edit: ProjectEdit,
) -> Result<SessionView, UserError> {
    state.session.edit(edit).map_err(super::user)
}
