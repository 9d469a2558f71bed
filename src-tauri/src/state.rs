//! What the app keeps between commands: where the project lives and the running audit.

use std::path::PathBuf;
use std::sync::Mutex;

use mailwright_core::project::ProjectStore;
use tauri::async_runtime::JoinHandle;

/// Shared app state.
pub struct AppState {
    /// The project file in the OS app-data directory.
    pub store: ProjectStore,
    /// The audit in progress, so it can be cancelled.
    pub running: Mutex<Option<JoinHandle<()>>>,
}

impl AppState {
    /// State for an app whose data lives in `dir`.
    pub fn new(dir: PathBuf) -> Self {
        AppState {
            store: ProjectStore::new(dir),
            running: Mutex::new(None),
        }
    }
}
