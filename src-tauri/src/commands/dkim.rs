//! Step "DKIM": make or import a key into the keychain, export it, check the published record
//! with the sign-and-verify proof, hosted providers, MTA snippets and rotation.

use std::path::PathBuf;

use mailwright_core::dkim::{
    self, DkimCheck, DkimOverview, DkimSetup, KeyAlgorithm, KeygenStage, KeysMade, MtaSnippet,
    PemFormat, ProviderCheckReport, ProviderRecord, RotationStatus,
};
use mailwright_core::dns::LookupProgress;
use mailwright_core::{Selector, UserError};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State};

use crate::state::AppState;

/// Today's suggested selector (not one the project nor `also_taken` uses), the provider catalog
/// and the defaults.
#[tauri::command]
pub fn dkim_overview(state: State<'_, AppState>, also_taken: Vec<String>) -> DkimOverview {
    state.session.dkim_overview(&also_taken)
}

/// Makes the key (and the extra Ed25519 key when asked) off the UI thread, stages sent on
/// `progress`, stores them in the keychain and keeps them for this session.
#[tauri::command]
pub async fn dkim_generate(
    state: State<'_, AppState>,
    selector: String,
    algorithm: KeyAlgorithm,
    with_ed25519: bool,
    replace: bool,
    progress: Channel<KeygenStage>,
) -> Result<KeysMade, UserError> {
    let report = |stage| drop(progress.send(stage));
    let session = &state.session;
    session
        .make_dkim_keys(&selector, algorithm, with_ed25519, replace, report)
        .await
        .map_err(super::user)
}

/// Imports a PEM private key file for the selector and keeps it like a new key.
#[tauri::command]
pub async fn dkim_import(
    app: AppHandle,
    state: State<'_, AppState>,
    selector: String,
    path: String,
    replace: bool,
    progress: Channel<KeygenStage>,
) -> Result<KeysMade, UserError> {
    let path = super::files::may_read(&app, &path)?;
    let report = |stage| drop(progress.send(stage));
    let session = &state.session;
    session
        .import_dkim_key(&selector, &path, replace, report)
        .await
        .map_err(super::user)
}

/// Writes the private key as PEM to `path` (mode 0600); returns the absolute path written.
#[tauri::command]
pub async fn dkim_export(
    app: AppHandle,
    state: State<'_, AppState>,
    selector: String,
    format: PemFormat,
    path: String,
) -> Result<String, UserError> {
    let (path, replace) = super::files::may_write(&app, &path).await?;
    let session = &state.session;
    session
        .export_dkim_key(&selector, format, &path, replace)
        .await
        .map_err(super::user)
}

/// Where an export goes unless the user picks another place: the Documents folder.
#[tauri::command]
pub fn dkim_default_export_path(
    app: AppHandle,
    state: State<'_, AppState>,
    selector: String,
) -> Result<String, UserError> {
    let domain = state.session.domain().map_err(super::user)?;
    let selector = Selector::parse(&selector).map_err(super::user)?;
    let dir = app
        .path()
        .document_dir()
        .or_else(|_| app.path().home_dir())
        .unwrap_or_else(|_| PathBuf::from("."));
    let name = dkim::key_file_name(&selector, &domain);
    Ok(dir.join(name).display().to_string())
}

/// Checks the selector; with the key made in this session or in the keychain, runs the
/// sign-and-verify proof. `note` says why the proof did not run, when it did not.
#[tauri::command]
pub async fn dkim_check(
    state: State<'_, AppState>,
    selector: String,
    progress: Channel<LookupProgress>,
) -> Result<DkimCheck, UserError> {
    let progress = super::sink(progress);
    state
        .session
        .check_dkim(&selector, progress)
        .await
        .map_err(super::user)
}

/// The records a hosted provider wants for the project's domain, filled in.
#[tauri::command]
pub fn dkim_provider_records(
    state: State<'_, AppState>,
    provider: String,
    selectors: Vec<String>,
) -> Result<Vec<ProviderRecord>, UserError> {
    let session = &state.session;
    session
        .dkim_provider_records(&provider, &selectors)
        .map_err(super::user)
}

/// Checks that a hosted provider's DKIM records resolve to valid keys.
#[tauri::command]
pub async fn dkim_provider_check(
    state: State<'_, AppState>,
    provider: String,
    selectors: Vec<String>,
) -> Result<ProviderCheckReport, UserError> {
    let checked = state
        .session
        .check_dkim_provider(&provider, &selectors)
        .await;
    checked.map_err(super::user)
}

/// Signing configuration for common mail servers, with the path the key will have on the
/// server (`server_path`, checked; else each server's usual place).
#[tauri::command]
pub fn dkim_snippets(
    state: State<'_, AppState>,
    selector: String,
    server_path: Option<String>,
) -> Result<Vec<MtaSnippet>, UserError> {
    let domain = state.session.domain().map_err(super::user)?;
    let selector = Selector::parse(&selector).map_err(super::user)?;
    dkim::mta_snippets(&domain, &selector, server_path.as_deref()).map_err(super::user)
}

/// Starts a rotation today from the signing selector to a new dated one.
#[tauri::command]
pub fn dkim_rotation_start(
    state: State<'_, AppState>,
    keep_days: u32,
) -> Result<DkimSetup, UserError> {
    state
        .session
        .start_dkim_rotation(keep_days)
        .map_err(super::user)
}

/// Where the rotation stands today and what to do next, when one is under way.
#[tauri::command]
pub fn dkim_rotation_status(state: State<'_, AppState>) -> Option<RotationStatus> {
    state.session.dkim_rotation_status()
}

/// Marks the current rotation step done today (refused before its date).
#[tauri::command]
pub fn dkim_rotation_advance(state: State<'_, AppState>) -> Result<DkimSetup, UserError> {
    state.session.advance_dkim_rotation().map_err(super::user)
}
