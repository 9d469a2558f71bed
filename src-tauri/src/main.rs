//! The Mailwright desktop app. Each Tauri command is a thin adapter over `mailwright-core`.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod state;

use tauri::Manager;

fn main() {
    let started = std::time::Instant::now();
    tauri::Builder::default()
        // The dialog plugin is used from Rust only (pick_file); the window is granted none
        // of its commands.
        .plugin(tauri_plugin_dialog::init())
        // Notifications are sent from Rust only (the publish check's end); the window is
        // granted none of the plugin's commands.
        .plugin(tauri_plugin_notification::init())
        .setup(move |app| {
            // The log goes to the OS log folder; without one the app works on, unlogged.
            let log = app.path().app_log_dir().ok().and_then(|dir| {
                match mailwright_core::logs::start_logging(&dir) {
                    Ok(guard) => Some(guard),
                    Err(error) => {
                        eprintln!("{error}");
                        None
                    }
                }
            });
            let dir = app.path().app_data_dir()?;
            tracing::info!(
                ms = started.elapsed().as_millis() as u64,
                "app set up, opening the window"
            );
            app.manage(state::AppState::new(dir, log, started));
            Ok(())
        })
        // A message file dropped on the window is checked (the user chose it by dropping it);
        // the result reaches the window with the session's next view.
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event
                && let Some(path) = paths.first().cloned()
            {
                let app = window.app_handle().clone();
                tauri::async_runtime::spawn(async move {
                    let state = app.state::<state::AppState>();
                    state.chose(path.clone());
                    state.session.check_dropped_message(&path).await;
                });
            }
        })
        // Every #[tauri::command] in commands/, listed by `cargo xtask generate`.
        .invoke_handler(include!("../generated/handler.rs"))
        .run(tauri::generate_context!())
        .expect("Mailwright could not start its window");
}
