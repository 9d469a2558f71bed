//! Step "Who sends as you": the service catalog.

use mailwright_core::senders::{Sender, senders_for};
use tauri::State;

use crate::state::AppState;

/// Every service in the catalog, with the project's domain filled into its instructions.
#[tauri::command]
pub fn sender_catalog(state: State<'_, AppState>) -> Vec<Sender> {
    senders_for(state.session.domain().ok().as_ref())
}
