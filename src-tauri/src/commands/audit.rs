//! Step "Your domain": running the audit with progress, and cancelling it.

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
    let (sender, receiver) = tokio::sync::oneshot::channel();
    let task = tauri::async_runtime::spawn(async move {
        let _ = sender.send(mailwright_core::run_audit(&request, &dns, Some(sink)).await);
    });
    if let Some(previous) = state.running.lock().unwrap().replace(task) {
        previous.abort();
    }
    match receiver.await {
        Ok(result) => result.map_err(super::user),
        Err(_) => Err(UserError {
            code: "cancelled".into(),
            message: "The audit was stopped before it finished. Run it again when you are ready."
                .into(),
        }),
    }
}

/// Stops the audit in progress, if any.
#[tauri::command]
pub fn cancel_audit(state: State<'_, AppState>) {
    if let Some(task) = state.running.lock().unwrap().take() {
        task.abort();
    }
}
