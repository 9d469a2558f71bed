//! Step "Mail server": the provider catalog, RFC 6186 discovery, the password in the keychain,
//! the probe of every chosen port with progress and Stop, and exporting a transcript.

use mailwright_core::UserError;
use mailwright_core::secrets::{SecretStore, Sensitive, keychain_call};
use mailwright_core::smtp::{
    DiscoveredService, MailServerTest, PasswordKeychainError, ProbeProgress, SmtpProvider,
    SmtpSetup, delete_password, discover_submission, password_saved, save_password, smtp_providers,
};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::state::AppState;

/// The provider catalog.
#[tauri::command]
pub fn smtp_provider_list() -> Vec<SmtpProvider> {
    smtp_providers().to_vec()
}

/// The submission services the project's domain announces in DNS.
#[tauri::command]
pub async fn smtp_discover(
    state: State<'_, AppState>,
) -> Result<Vec<DiscoveredService>, UserError> {
    let session = &state.session;
    let (domain, dns) = (
        session.domain().map_err(super::user)?,
        session.dns().map_err(super::user)?,
    );
    discover_submission(&domain, &dns)
        .await
        .map_err(super::user)
}

/// Runs a keychain call about the mail server password off the async runtime; its errors say
/// how to test without saving the password.
async fn keychain<T: Send + 'static>(
    call: impl FnOnce(&SecretStore) -> Result<T, mailwright_core::secrets::SecretError> + Send + 'static,
) -> Result<T, UserError> {
    keychain_call::<_, PasswordKeychainError>(move || Ok(call(&SecretStore::system()?)?))
        .await
        .map_err(super::user)
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
    state: State<'_, AppState>,
    setup: SmtpSetup,
    password: String,
) -> Result<(), UserError> {
    let password = Sensitive::new(password);
    trust_file_readable(&app, &setup)?;
    let dns = state.session.dns().map_err(super::user)?;
    let binding = setup.binding(&dns).map_err(super::user)?;
    let user = setup.user.trim().to_owned();
    keychain(move |store| save_password(store, &user, &binding, &password)).await
}

/// Removes the password for `user` at `host` from the keychain.
#[tauri::command]
pub async fn smtp_forget_password(user: String, host: String) -> Result<bool, UserError> {
    keychain(move |store| delete_password(store, &user, &host)).await
}

/// Keeps the setup and probes every chosen port at once. `token` is a password or XOAUTH2 access
/// token typed to use for this test only (never stored), else the keychain's password; the test message is
/// signed with the DKIM step's key when its From domain is the project's.
#[tauri::command]
pub async fn smtp_test(
    app: AppHandle,
    state: State<'_, AppState>,
    setup: SmtpSetup,
    token: String,
    progress: Channel<ProbeProgress>,
) -> Result<MailServerTest, UserError> {
    trust_file_readable(&app, &setup)?;
    let (token, progress) = (Sensitive::new(token), super::sink(progress));
    let session = &state.session;
    session
        .test_mail_server(setup, token, progress)
        .await
        .map_err(super::user)
}

/// Refuses a trust file in a hidden place (see `files::may_read`).
fn trust_file_readable(app: &AppHandle, setup: &SmtpSetup) -> Result<(), UserError> {
    match setup.trust_file.trim() {
        "" => Ok(()),
        path => super::files::may_read(app, path).map(drop),
    }
}

/// Stops the mail server test in progress.
#[tauri::command]
pub fn smtp_stop(state: State<'_, AppState>) {
    state.session.mail_server_test.stop();
}

/// Writes the transcript of port `index` of the last test to `path` (chosen by the user).
#[tauri::command]
pub async fn smtp_export_transcript(
    app: AppHandle,
    state: State<'_, AppState>,
    index: usize,
    path: String,
) -> Result<String, UserError> {
    let port = state.session.tested_port(index).map_err(super::user)?;
    let (path, replace) = super::files::may_write(&app, &path).await?;
    let written = port
        .export_transcript(&path, replace)
        .map_err(super::user)?;
    Ok(written.display().to_string())
}
