//! The saved project: loaded at start, saved whenever the user changes it.

use mailwright_core::UserError;
use mailwright_core::project::{LoadedProject, Project};
use tauri::State;

use crate::state::AppState;

/// Loads the project; a corrupt file is moved aside and reported in `recovered`.
#[tauri::command]
pub fn load_project(state: State<'_, AppState>) -> Result<LoadedProject, UserError> {
    state.store.load().map_err(|e| super::user(e.into()))
}

/// Saves the project atomically.
#[tauri::command]
pub fn save_project(state: State<'_, AppState>, project: Project) -> Result<(), UserError> {
    state
        .store
        .save(&project)
        .map_err(|e| super::user(e.into()))
}
