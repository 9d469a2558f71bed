//! Step "Who sends as you": the service catalog.

use mailwright_core::senders::{Sender, senders};

/// Every service in the catalog, in catalog order.
#[tauri::command]
pub fn sender_catalog() -> Vec<Sender> {
    senders().to_vec()
}
