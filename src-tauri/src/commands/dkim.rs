//! Step "DKIM": make or import a key into the keychain, export it, check the published record
//! with the sign-and-verify proof, hosted providers, MTA snippets and rotation.

use std::path::PathBuf;
use std::sync::Arc;

use mailwright_core::clock::today;
use mailwright_core::dkim::{
    self, DkimCheck, DkimOverview, KeyAlgorithm, KeygenStage, KeysMade, MtaSnippet, NewKey,
    PemFormat, ProviderCheckReport, ProviderRecord, Rotation, RotationStatus,
};
use mailwright_core::dns::LookupProgress;
use mailwright_core::project::DkimSetup;
use mailwright_core::{DomainName, EngineError, Selector, UserError};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State};

use crate::state::AppState;

fn target(domain: &str, selector: &str) -> Result<(DomainName, Selector), UserError> {
    let domain = super::domain(domain)?;
    let selector = Selector::parse(selector).map_err(|e| super::user(e.into()))?;
    Ok((domain, selector))
}

/// Today's suggested selector (not one `setup` uses, nor `also_taken`), the provider catalog
/// and the defaults.
#[tauri::command]
pub fn dkim_overview(setup: DkimSetup, also_taken: Vec<String>) -> DkimOverview {
    dkim::overview(&setup.taken_selectors(&also_taken))
}

/// Generates the key (and the extra Ed25519 key when asked) off the UI thread, stages sent on
/// `progress`, stores them in the keychain and returns `setup` updated. The keys stay in memory
/// for an export, so a keychain failure loses nothing.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn dkim_generate(
    state: State<'_, AppState>,
    domain: String,
    selector: String,
    algorithm: KeyAlgorithm,
    with_ed25519: bool,
    replace: bool,
    nameserver: String,
    setup: DkimSetup,
    progress: Channel<KeygenStage>,
) -> Result<KeysMade, UserError> {
    let (domain, selector) = target(&domain, &selector)?;
    let dns = super::dns_config(&nameserver)?;
    let report = |stage| {
        let _ = progress.send(stage);
    };
    let key = NewKey {
        domain,
        selector,
        algorithm,
        replace,
        keychain: true,
    };
    let created = dkim::create_keys(&key, with_ed25519, &dns, report)
        .await
        .map_err(super::user)?;
    Ok(state.remember(&key.domain, created, setup))
}

/// Imports a PEM private key file for the selector, stores it in the keychain and returns
/// `setup` updated.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn dkim_import(
    app: AppHandle,
    state: State<'_, AppState>,
    domain: String,
    selector: String,
    path: String,
    replace: bool,
    nameserver: String,
    setup: DkimSetup,
    progress: Channel<KeygenStage>,
) -> Result<KeysMade, UserError> {
    let (domain, selector) = target(&domain, &selector)?;
    let path = super::files::may_read(&app, &path)?;
    let pair = dkim::import_private_key(&path).map_err(|e| super::user(e.into()))?;
    let dns = super::dns_config(&nameserver)?;
    let created = dkim::keep_imported(pair, &selector, &domain, replace, &dns, |stage| {
        let _ = progress.send(stage);
    })
    .await
    .map_err(super::user)?;
    Ok(state.remember(&domain, vec![created], setup))
}

/// Writes the private key as PEM to `path` (mode 0600); returns the absolute path written.
#[tauri::command]
pub async fn dkim_export(
    app: AppHandle,
    state: State<'_, AppState>,
    domain: String,
    selector: String,
    format: PemFormat,
    path: String,
) -> Result<String, UserError> {
    let (domain, selector) = target(&domain, &selector)?;
    let pair = state.key(&domain, &selector).await.map_err(super::user)?;
    let (path, replace) = super::files::may_write(&app, &path).await?;
    let written = dkim::export_private_key(&pair, format, &path, replace)
        .map_err(|e| super::user(e.into()))?;
    Ok(written.display().to_string())
}

/// Where an export goes unless the user picks another place: the Documents folder.
#[tauri::command]
pub fn dkim_default_export_path(
    app: AppHandle,
    domain: String,
    selector: String,
) -> Result<String, UserError> {
    let (domain, selector) = target(&domain, &selector)?;
    let dir = app
        .path()
        .document_dir()
        .or_else(|_| app.path().home_dir())
        .unwrap_or_else(|_| PathBuf::from("."));
    Ok(dir
        .join(dkim::key_file_name(&selector, &domain))
        .display()
        .to_string())
}

/// Checks the selector; with the key in memory or in the keychain, runs the sign-and-verify
/// proof. `note` says why the proof did not run, when it did not.
#[tauri::command]
pub async fn dkim_check(
    state: State<'_, AppState>,
    domain: String,
    selector: String,
    nameserver: String,
    progress: Channel<LookupProgress>,
) -> Result<DkimCheck, UserError> {
    let (domain, selector) = target(&domain, &selector)?;
    let dns = super::dns_config(&nameserver)?;
    let (key, note) = match state.key(&domain, &selector).await {
        Ok(pair) => (Some(pair), None),
        Err(e) => (None, Some(e.to_string())),
    };
    let sink = Arc::new(move |p: LookupProgress| {
        let _ = progress.send(p);
    });
    let report = dkim::check_selector(&domain, &selector, key.as_ref(), &dns, Some(sink))
        .await
        .map_err(super::user)?;
    Ok(DkimCheck { report, note })
}

fn provider_and_selectors(
    provider: &str,
    selectors: &[String],
) -> Result<(&'static dkim::DkimProvider, Vec<Selector>), UserError> {
    let selectors = selectors
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| Selector::parse(s.trim()).map_err(EngineError::from))
        .collect::<Result<Vec<_>, EngineError>>()
        .map_err(super::user)?;
    let provider = dkim::dkim_provider(provider)
        .ok_or_else(|| super::user(EngineError::NotInCatalog("a provider", provider.to_owned())))?;
    Ok((provider, selectors))
}

/// The records a hosted provider wants for the domain, filled in.
#[tauri::command]
pub fn dkim_provider_records(
    provider: String,
    domain: String,
    selectors: Vec<String>,
) -> Result<Vec<ProviderRecord>, UserError> {
    let domain = super::domain(&domain)?;
    let (provider, selectors) = provider_and_selectors(&provider, &selectors)?;
    Ok(provider
        .records_for(&domain, &selectors)
        .into_iter()
        .map(|(r, _)| r)
        .collect())
}

/// Checks that a hosted provider's DKIM records resolve to valid keys.
#[tauri::command]
pub async fn dkim_provider_check(
    provider: String,
    domain: String,
    selectors: Vec<String>,
    nameserver: String,
) -> Result<ProviderCheckReport, UserError> {
    let domain = super::domain(&domain)?;
    let selectors = selectors
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| Selector::parse(s.trim()).map_err(EngineError::from))
        .collect::<Result<Vec<_>, EngineError>>()
        .map_err(super::user)?;
    let provider = dkim::dkim_provider(&provider)
        .ok_or_else(|| super::user(EngineError::NotInCatalog("a provider", provider.clone())))?;
    let dns = super::dns_config(&nameserver)?;
    dkim::check_provider(provider, &domain, &selectors, &dns, None)
        .await
        .map_err(super::user)
}

/// Signing configuration for common mail servers, with the key's path filled in.
#[tauri::command]
pub fn dkim_snippets(
    domain: String,
    selector: String,
    key_path: Option<String>,
) -> Result<Vec<MtaSnippet>, UserError> {
    let (domain, selector) = target(&domain, &selector)?;
    Ok(dkim::mta_snippets(&domain, &selector, key_path.as_deref()))
}

/// Starts a rotation today from the signing selector to a new dated one.
#[tauri::command]
pub fn dkim_rotation_start(mut setup: DkimSetup, keep_days: u32) -> DkimSetup {
    setup.start_rotation(today(), keep_days);
    setup
}

/// Where a rotation stands today and what to do next.
#[tauri::command]
pub fn dkim_rotation_status(rotation: Rotation) -> RotationStatus {
    rotation.status(today())
}

/// Marks the current rotation step done today (refused before its date); returns the setup.
#[tauri::command]
pub fn dkim_rotation_advance(mut setup: DkimSetup) -> Result<DkimSetup, UserError> {
    setup
        .advance_rotation(today())
        .map_err(|e| super::user(e.into()))?;
    Ok(setup)
}
