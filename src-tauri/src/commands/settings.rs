//! Settings: which DNS server the audit asks.

use mailwright_core::UserError;
use mailwright_core::dns::DnsSettingsView;

/// Validates the DNS server typed in Settings and says which server will be used and why.
#[tauri::command]
pub fn dns_settings(nameserver: String) -> Result<DnsSettingsView, UserError> {
    let config = super::dns_config(&nameserver)?;
    Ok(DnsSettingsView::new(&config))
}
