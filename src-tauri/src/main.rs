//! The Mailwright desktop app. Each Tauri command is a thin adapter over `mailwright-core`.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod state;

use tauri::Manager;

fn main() {
    tauri::Builder::default()
        .setup(|app| {
            let dir = app.path().app_data_dir()?;
            app.manage(state::AppState::new(dir));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::domain::normalize_domain,
            commands::audit::run_audit,
            commands::audit::cancel_audit,
            commands::project::load_project,
            commands::project::save_project,
            commands::settings::dns_settings,
        ])
        .run(tauri::generate_context!())
        .expect("Mailwright could not start its window");
}
