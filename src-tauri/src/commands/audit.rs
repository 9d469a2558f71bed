//! Step "Your domain": running the audit with progress, and stopping it.

use std::sync::Arc;

use mailwright_core::dns::LookupProgress;
use mailwright_core::{AuditReport, AuditRequest, UserError};
use tauri::State;
use tauri::ipc::Channel;

use crate::state::AppState;

/// Runs the domain audit; each lookup's start and end is sent on `progress`.
#[tauri::command]
pub async fn run_audit(
    state: State<'_, AppState>,
    domain: String,
    selectors: Vec<String>,
    nameserver: String,
    progress: Channel<LookupProgress>,
) -> Result<AuditReport, UserError> {
    let (request, _) = AuditRequest::parse(&domain, &selectors).map_err(super::user)?;
    let dns = super::dns_config(&nameserver)?;
    let sink = Arc::new(move |p: LookupProgress| {
        let _ = progress.send(p);
    });
    state
        .audit
        .run(async move { mailwright_core::run_audit(&request, &dns, Some(sink)).await })
        .await
        .map_err(super::user)
}

/// Stops the audit in progress, if any.
#[tauri::command]
pub fn audit_stop(state: State<'_, AppState>) {
    state.audit.stop();
}
