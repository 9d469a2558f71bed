//! Settings: which DNS server the checks ask, and the diagnostics to copy for support.

use mailwright_core::UserError;
use mailwright_core::diagnostics::collect_diagnostics;
use mailwright_core::dns::{DnsConfig, DnsSettingsView, NameserverSource};
use tauri::State;

use crate::state::AppState;

/// Validates the DNS server typed in Settings and says which server will be used and why.
#[tauri::command]
pub fn dns_settings(nameserver: String) -> Result<DnsSettingsView, UserError> {
    let config =
        DnsConfig::choose_with_environment(Some((&nameserver, NameserverSource::Settings)))
            .map_err(super::user)?;
    Ok(DnsSettingsView::new(&config))
}

/// The diagnostics text for "Copy diagnostics": setup, keychain, DNS and the log's last lines,
/// never a secret.
#[tauri::command]
pub async fn diagnostics(state: State<'_, AppState>) -> Result<String, UserError> {
    let project = state.session.project();
    let log_dir = state.log.as_ref().map(|log| log.dir());
    Ok(collect_diagnostics(Some(&project), log_dir).await)
}
