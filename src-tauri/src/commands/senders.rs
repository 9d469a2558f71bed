//! Step "Who sends as you": the service catalog.

use mailwright_core::parse_domain_input;
use mailwright_core::senders::{Sender, senders_for};

/// Every service in the catalog, with the user's domain (as typed) filled into its instructions.
#[tauri::command]
pub fn sender_catalog(domain: String) -> Vec<Sender> {
    let domain = parse_domain_input(&domain).ok().map(|input| input.domain);
    senders_for(domain.as_ref())
}
