//! Step "Your domain": turning what the user typed into a domain.

use mailwright_core::{DomainInput, UserError, parse_domain_input};

/// Validates and normalizes a typed or pasted domain, URL or e-mail address.
#[tauri::command]
pub fn normalize_domain(input: String) -> Result<DomainInput, UserError> {
    parse_domain_input(&input).map_err(super::user)
}
