//! The DKIM step's keys for the session's domain: made or imported (kept in the keychain and
//! in memory for this session), exported where the user chose, and rotated; the project's DKIM
//! setup follows each of them.

use std::path::Path;

use crate::clock::today;
use crate::dkim::{
    self, DkimOverview, DkimSetup, KeyAlgorithm, KeygenStage, KeysMade, NewKey, PemFormat,
    RotationStatus,
};
use crate::domain::Selector;
use crate::error::EngineError;
use crate::files::Replace;

use super::Session;

impl Session {
    /// Today's suggested selector (one neither the project nor `also_taken` uses), the
    /// provider catalog and the defaults.
    pub fn dkim_overview(&self, also_taken: &[String]) -> DkimOverview {
        dkim::overview(&self.project().dkim.taken_selectors(also_taken))
    }

    /// Makes the key (and the extra Ed25519 key when asked), stores them in the keychain and
    /// keeps them for this session, so a keychain failure loses nothing.
    pub async fn make_dkim_keys(
        &self,
        selector: &str,
        algorithm: KeyAlgorithm,
        with_ed25519: bool,
        replace: bool,
        progress: impl Fn(KeygenStage),
    ) -> Result<KeysMade, EngineError> {
        let key = NewKey {
            domain: self.domain()?,
            selector: Selector::parse(selector)?,
            algorithm,
            replace,
            keychain: true,
        };
        let created = dkim::create_keys(&key, with_ed25519, &self.dns()?, progress).await?;
        self.keys_made(&key.domain, created)
    }

    /// Imports the PEM private key at `path` for `selector`, after the same checks as a new
    /// key, and keeps it like one.
    pub async fn import_dkim_key(
        &self,
        selector: &str,
        path: &Path,
        replace: bool,
        progress: impl Fn(KeygenStage),
    ) -> Result<KeysMade, EngineError> {
        let domain = self.domain()?;
        let selector = Selector::parse(selector)?;
        let pair = dkim::import_private_key(path)?;
        let created =
            dkim::keep_imported(pair, &selector, &domain, replace, &self.dns()?, progress).await?;
        self.keys_made(&domain, vec![created])
    }

    /// Writes `selector`'s private key as PEM to `path` (mode 0600) and records where;
    /// returns the absolute path written.
    pub async fn export_dkim_key(
        &self,
        selector: &str,
        format: PemFormat,
        path: &Path,
        replace: Replace,
    ) -> Result<String, EngineError> {
        let domain = self.domain()?;
        let selector = Selector::parse(selector)?;
        let pair = self.key(&domain, &selector).await?;
        let written = dkim::export_private_key(&pair, format, path, replace)?
            .display()
            .to_string();
        let kept = written.clone();
        self.change(move |project| {
            project.dkim.exported_to = Some(kept);
            Ok(())
        })?;
        Ok(written)
    }

    /// Starts a rotation today from the signing selector to a new dated one.
    pub fn start_dkim_rotation(&self, keep_days: u32) -> Result<DkimSetup, EngineError> {
        self.change(|project| {
            project.dkim.start_rotation(today(), keep_days);
            Ok(project.dkim.clone())
        })
    }

    /// Where the rotation stands today and what to do next, when one is under way.
    pub fn dkim_rotation_status(&self) -> Option<RotationStatus> {
        self.project()
            .dkim
            .rotation
            .map(|rotation| rotation.status(today()))
    }

    /// Marks the rotation's current step done today (refused before its date).
    pub fn advance_dkim_rotation(&self) -> Result<DkimSetup, EngineError> {
        self.change(|project| {
            project.dkim.advance_rotation(today())?;
            Ok(project.dkim.clone())
        })
    }
}
