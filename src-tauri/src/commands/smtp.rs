//! Step "Mail server": the provider catalog, RFC 6186 discovery, the password in the keychain,
//! the probe of every chosen port with progress and cancel, and exporting a transcript.

use std::sync::Arc;

use mailwright_core::secrets::{SecretStore, Sensitive, keychain_call};
use mailwright_core::smtp::{
    DiscoveredService, DkimSigning, ProbeProgress, SmtpProvider, SmtpSetup, SmtpTestReport,
    delete_password, discover_submission, load_password, password_saved, save_password,
    smtp_providers, test_smtp,
};
use mailwright_core::{EngineError, Selector, UserError};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::state::AppState;

/// The provider catalog.
#[tauri::command]
pub fn smtp_provider_list() -> Vec<SmtpProvider> {
    smtp_providers().to_vec()
}

/// The submission services the domain announces in DNS.
#[tauri::command]
pub async fn smtp_discover(
    domain: String,
    nameserver: String,
) -> Result<Vec<DiscoveredService>, UserError> {
    let domain = super::domain(&domain)?;
    let dns = super::dns_config(&nameserver)?;
    discover_submission(&domain, &dns)
        .await
        .map_err(super::user)
}

/// Runs a keychain call off the async runtime.
async fn keychain<T: Send + 'static>(
    call: impl FnOnce(&SecretStore) -> Result<T, mailwright_core::secrets::SecretError> + Send + 'static,
) -> Result<T, UserError> {
    keychain_call(move || call(&SecretStore::system()?))
        .await
        .map_err(|e| super::user(e.into()))
}

/// Whether a password for `user` at `host` is in the keychain.
#[tauri::command]
pub async fn smtp_password_saved(user: String, host: String) -> Result<bool, UserError> {
    keychain(move |store| password_saved(store, &user, &host)).await
}

/// Saves the password for the setup's user in the keychain (the only place it is kept), bound
/// to the setup's server, certificate name, trusted certificates and the DNS server.
#[tauri::command]
pub async fn smtp_save_password(
    app: AppHandle,
    setup: SmtpSetup,
    nameserver: String,
    password: String,
) -> Result<(), UserError> {
    let password = Sensitive::new(password);
    trust_file_readable(&app, &setup)?;
    let dns = super::dns_config(&nameserver)?;
    let binding = setup.binding(&dns).map_err(super::user)?;
    let user = setup.user.trim().to_owned();
    keychain(move |store| save_password(store, &user, &binding, &password)).await
}

/// Removes the password for `user` at `host` from the keychain.
#[tauri::command]
pub async fn smtp_forget_password(user: String, host: String) -> Result<bool, UserError> {
    keychain(move |store| delete_password(store, &user, &host)).await
}

/// Probes every chosen port at once. The password comes from the keychain, or `token` is the
/// XOAUTH2 access token the user pasted (never stored). The test message is DKIM-signed with
/// the DKIM step's key when its domain is the From address's.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn smtp_test(
    app: AppHandle,
    state: State<'_, AppState>,
    setup: SmtpSetup,
    token: String,
    dkim_domain: String,
    dkim_selector: String,
    nameserver: String,
    progress: Channel<ProbeProgress>,
) -> Result<SmtpTestReport, UserError> {
    let dns = super::dns_config(&nameserver)?;
    trust_file_readable(&app, &setup)?;
    let targets = setup.targets().map_err(super::user)?;
    let token = Sensitive::new(token);
    let secret = match (setup.user.trim(), token.expose().trim()) {
        ("", _) => None,
        (_, token) if !token.is_empty() => Some(Sensitive::new(token.to_owned())),
        (user, _) => {
            let binding = setup.binding(&dns).map_err(super::user)?;
            let owner = user.to_owned();
            keychain(move |store| load_password(store, &owner, &binding))
                .await?
                .into_secret(user, &targets[0].host)
                .map_err(|e| super::user(e.into()))?
        }
    };
    let dkim = signing_key(&state, &setup, &dkim_domain, &dkim_selector).await;
    let request = setup.request(secret, dkim).map_err(super::user)?;
    let sink = Arc::new(move |p: ProbeProgress| {
        let _ = progress.send(p);
    });
    let report = state
        .smtp_test
        .run(async move { test_smtp(&request, &dns, Some(sink)).await })
        .await
        .map_err(super::user)?;
    *state.smtp_report.lock().unwrap() = Some(report.clone());
    Ok(report)
}

/// Refuses a trust file in a hidden place (see `files::may_read`).
fn trust_file_readable(app: &AppHandle, setup: &SmtpSetup) -> Result<(), UserError> {
    match setup.trust_file.trim() {
        "" => Ok(()),
        path => super::files::may_read(app, path).map(drop),
    }
}

/// The DKIM step's key, when the test message's From domain is the one it signs for.
async fn signing_key(
    state: &AppState,
    setup: &SmtpSetup,
    domain: &str,
    selector: &str,
) -> Option<DkimSigning> {
    if setup.send_to.trim().is_empty() || selector.is_empty() {
        return None;
    }
    let domain = super::domain(domain).ok()?;
    let from_domain = setup
        .from_address()
        .rsplit_once('@')?
        .1
        .to_ascii_lowercase();
    if from_domain != domain.as_str() {
        return None;
    }
    let selector = Selector::parse(selector).ok()?;
    let pair = state.key(&domain, &selector).await.ok()?;
    Some(DkimSigning {
        pair,
        selector,
        domain,
    })
}

/// Stops the mail server test in progress.
#[tauri::command]
pub fn smtp_stop(state: State<'_, AppState>) {
    state.smtp_test.stop();
}

/// Writes the transcript of port `index` of the last test to `path` (chosen by the user).
#[tauri::command]
pub async fn smtp_export_transcript(
    app: AppHandle,
    state: State<'_, AppState>,
    index: usize,
    path: String,
) -> Result<String, UserError> {
    let port = state
        .smtp_report
        .lock()
        .unwrap()
        .as_ref()
        .and_then(|r| r.ports.get(index).cloned())
        .ok_or_else(|| {
            super::user(EngineError::NothingYet(
                "There is no transcript to export yet. Run the test first.",
            ))
        })?;
    let (path, replace) = super::files::may_write(&app, &path).await?;
    let written = port
        .export_transcript(&path, replace)
        .map_err(super::user)?;
    Ok(written.display().to_string())
}
