//! The Mailwright desktop app. Each Tauri command is a thin adapter over `mailwright-core`.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod state;

use tauri::Manager;

fn main() {
    tauri::Builder::default()
        // The dialog plugin is used from Rust only (pick_file); the window is granted none
        // of its commands.
        .plugin(tauri_plugin_dialog::init())
        // Notifications are sent from Rust only (the publish check's end); the window is
        // granted none of the plugin's commands.
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
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
            app.manage(state::AppState::new(dir, log));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::domain::normalize_domain,
            commands::audit::run_audit,
            commands::audit::cancel_audit,
            commands::project::load_project,
            commands::project::save_project,
            commands::settings::dns_settings,
            commands::settings::diagnostics,
            commands::dkim::dkim_overview,
            commands::dkim::dkim_generate,
            commands::dkim::dkim_import,
            commands::dkim::dkim_export,
            commands::dkim::dkim_default_export_path,
            commands::files::pick_file,
            commands::dkim::dkim_check,
            commands::dkim::dkim_provider_check,
            commands::dkim::dkim_provider_records,
            commands::dkim::dkim_snippets,
            commands::dkim::dkim_rotation_start,
            commands::dkim::dkim_rotation_status,
            commands::dkim::dkim_rotation_advance,
            commands::senders::sender_catalog,
            commands::spf::spf_check,
            commands::spf::spf_simulate,
            commands::spf::spf_cross_check,
            commands::dmarc::dmarc_check,
            commands::dmarc::dmarc_compose,
            commands::dmarc::sender_alignment,
            commands::mta_sts::mta_sts_check,
            commands::mta_sts::mta_sts_compose,
            commands::smtp::smtp_provider_list,
            commands::smtp::smtp_discover,
            commands::smtp::smtp_password_saved,
            commands::smtp::smtp_save_password,
            commands::smtp::smtp_forget_password,
            commands::smtp::smtp_test,
            commands::smtp::smtp_cancel,
            commands::smtp::smtp_export_transcript,
            commands::warmup::warmup_view,
            commands::warmup::warmup_plan,
            commands::warmup::warmup_record,
            commands::warmup::warmup_import_results,
            commands::warmup::warmup_remove_day,
            commands::warmup::warmup_resume,
            commands::warmup::warmup_count_recipients,
            commands::warmup::warmup_count_recipients_file,
            commands::warmup::warmup_export,
            commands::report::report_make,
            commands::report::report_save,
            commands::publish::publish_hosts,
            commands::publish::publish_collect,
            commands::publish::publish_present,
            commands::publish::publish_verify,
            commands::publish::publish_stop,
            commands::publish::publish_export,
        ])
        .run(tauri::generate_context!())
        .expect("Mailwright could not start its window");
}
