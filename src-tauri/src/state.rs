//! What the app keeps between commands: the engine's session (the project, the DNS
//! configuration, the keys made, the last results, the running tasks), the files the user chose
//! in the system's dialog, and the running log.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Instant;

use mailwright_core::logs::LogGuard;
use mailwright_core::session::Session;

/// Shared app state.
pub struct AppState {
    /// The engine's session: everything the window works on.
    pub session: Session,
    /// Files the user chose in the system's file dialog in this session: the only paths, with
    /// new files in Documents and Downloads, the app writes to.
    chosen: Mutex<Vec<PathBuf>>,
    /// The running log (its folder goes into the diagnostics), if it could start.
    pub log: Option<LogGuard>,
    /// When the app started (the log says how long the window took to ask for the session).
    pub started: Instant,
}

impl AppState {
    /// State for an app whose data lives in `dir`, logging through `log`. Nothing is read
    /// before the window asks, so the first screen is not kept waiting.
    pub fn new(dir: PathBuf, log: Option<LogGuard>, started: Instant) -> Self {
        AppState {
            session: Session::new(dir),
            chosen: Mutex::new(Vec::new()),
            log,
            started,
        }
    }

    /// Remembers a file the user chose in the system's dialog.
    pub fn chose(&self, path: PathBuf) {
        let mut chosen = self.chosen.lock().unwrap();
        if !chosen.contains(&path) {
            chosen.push(path);
        }
    }

    /// Whether the user chose `path` in the system's dialog in this session.
    pub fn was_chosen(&self, path: &std::path::Path) -> bool {
        self.chosen.lock().unwrap().iter().any(|p| p == path)
    }
}
