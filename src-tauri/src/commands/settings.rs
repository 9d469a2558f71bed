//! Settings: which DNS server the audit asks, and the diagnostics to copy for support.

use mailwright_core::UserError;
use mailwright_core::diagnostics::{DiagnosticsInputs, diagnostics_text, keychain_status};
use mailwright_core::dns::DnsSettingsView;
use tauri::State;

use crate::state::AppState;

/// Validates the DNS server typed in Settings and says which server will be used and why.
#[tauri::command]
pub fn dns_settings(nameserver: String) -> Result<DnsSettingsView, UserError> {
    let config = super::dns_config(&nameserver)?;
    Ok(DnsSettingsView::new(&config))
}

/// The diagnostics text for "Copy diagnostics": setup, keychain, DNS and the log's last lines,
/// never a secret.
#[tauri::command]
pub async fn diagnostics(state: State<'_, AppState>) -> Result<String, UserError> {
    let project = state.store.load().ok().map(|loaded| loaded.project);
    let setting = project
        .as_ref()
        .map(|p| p.settings.nameserver.clone())
        .unwrap_or_default();
    // A setting that no longer parses is itself worth reporting: fall back to the system's.
    let dns = super::dns_config(&setting).or_else(|_| super::dns_config(""))?;
    let keychain = tauri::async_runtime::spawn_blocking(keychain_status)
        .await
        .unwrap_or(Ok(()));
    Ok(diagnostics_text(&DiagnosticsInputs {
        project: project.as_ref(),
        dns: &DnsSettingsView::new(&dns),
        keychain,
        log_dir: state.log.as_ref().map(|log| log.dir()),
    }))
}
