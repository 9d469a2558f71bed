//! The Bounces step for the session: a pasted refusal or an opened bounce explained, bounce
//! files imported into the local database (beside the project file, with the reports), the
//! suppression list under the project's rule, its CSV, and a day's counts into the warm-up.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use super::reports::blocking;
use super::{Session, StepId, StepState};
use crate::bounces::{
    BounceError, BounceExplanation, BounceImportProgress, BounceImportSummary, BounceImporter,
    BouncesSetup, BouncesView, ListedAddress, SuppressionRule, bounces_view, explain_any,
    suppression_csv,
};
use crate::error::EngineError;
use crate::files::{Replace, read_capped, write_text};
use crate::warmup::{DayEntryForm, WarmupView};

/// Progress of a bounce import, sent as it goes.
pub type BounceSink = Arc<dyn Fn(BounceImportProgress) + Send + Sync>;

fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

impl Session {
    /// Explains a pasted SMTP reply or bounce message.
    pub fn explain_refusal(&self, text: &str) -> Vec<BounceExplanation> {
        explain_any(text.as_bytes())
    }

    /// Explains the bounce message (or reply) in the file at `path`.
    pub fn explain_bounce_file(
        &self,
        path: &std::path::Path,
    ) -> Result<Vec<BounceExplanation>, EngineError> {
        let bytes = read_capped(path, crate::bounces::MAX_BOUNCE_OCTETS as u64)?;
        Ok(explain_any(&bytes))
    }

    /// Stops the bounce import in progress (what was stored is kept).
    pub fn stop_bounces(&self) {
        self.bounces_stop.store(true, Ordering::Relaxed);
        self.bounces_import.stop();
    }

    /// Imports the bounce files and folders at `paths` (mbox, `.eml`, Maildir, CSV).
    pub async fn import_bounce_files(
        &self,
        paths: Vec<PathBuf>,
        progress: Option<BounceSink>,
    ) -> Result<BounceImportSummary, EngineError> {
        let store = self.reports_store()?;
        self.bounces_stop.store(false, Ordering::Relaxed);
        let stop = self.bounces_stop.clone();
        let summary = self
            .bounces_import
            .run(async move {
                blocking(move || {
                    let mut store = store.lock().unwrap_or_else(|e| e.into_inner());
                    let report = |p: &BounceImportProgress| {
                        if let Some(sink) = &progress {
                            sink(p.clone());
                        }
                    };
                    let mut importer = BounceImporter::new(&mut store, now(), &report, &stop);
                    importer.paths(&paths);
                    importer.finish()
                })
                .await
            })
            .await?;
        self.record_bounces_state().await;
        Ok(summary)
    }

    /// The Bounces step's view: counts, days, the suppression list under the project's rule.
    pub async fn bounces_view(&self) -> Result<BouncesView, EngineError> {
        self.bounces_view_under(self.project().bounces.rule).await
    }

    /// The view under `rule` (the command line's `--soft-bounces`, `--soft-days`).
    pub async fn bounces_view_under(
        &self,
        rule: SuppressionRule,
    ) -> Result<BouncesView, EngineError> {
        Ok(self.bounces_and_list(rule).await?.0)
    }

    /// Changes the suppression rule (checked first) and answers the view under it.
    pub async fn set_suppression_rule(
        &self,
        rule: SuppressionRule,
    ) -> Result<BouncesView, EngineError> {
        rule.validate()?;
        self.change(|project| {
            project.bounces = BouncesSetup { rule };
            Ok(())
        })?;
        self.bounces_view().await
    }

    /// Takes a suppressed `address` off the list (the user says it may be mailed again): its
    /// events so far no longer count; a new bounce or complaint suppresses it again. Answers
    /// the view without it.
    pub async fn release_address(&self, address: &str) -> Result<BouncesView, EngineError> {
        let address = address.trim().to_lowercase();
        let rule = self.project().bounces.rule;
        let (_, list) = self.bounces_and_list(rule).await?;
        if !list.iter().any(|a| a.address == address && a.suppressed) {
            return Err(BounceError::NotSuppressed(address).into());
        }
        let store = self.reports_store()?;
        blocking(move || {
            let mut store = store.lock().unwrap_or_else(|e| e.into_inner());
            store.release_address(&address, now())
        })
        .await?;
        self.record_bounces_state().await;
        self.bounces_view_under(rule).await
    }

    /// Writes the suppressed addresses (under the project's rule) as CSV to `path`, a file
    /// the user chose.
    pub async fn export_suppression_list(
        &self,
        path: &std::path::Path,
        replace: Replace,
    ) -> Result<PathBuf, EngineError> {
        self.export_suppression_list_under(self.project().bounces.rule, path, replace)
            .await
    }

    /// Writes the suppressed addresses under `rule` as CSV to `path`.
    pub async fn export_suppression_list_under(
        &self,
        rule: SuppressionRule,
        path: &std::path::Path,
        replace: Replace,
    ) -> Result<PathBuf, EngineError> {
        let csv = suppression_csv(&self.bounces_and_list(rule).await?.1);
        write_text(path, &csv, replace)
    }

    /// Records `date`'s bounces, complaints and deferrals as that day's warm-up results, with
    /// `sent` messages sent (blank keeps the number already entered for the day). A day already
    /// entered is replaced as a whole, in one change; a day entered per provider is left alone.
    pub async fn record_warmup_bounces(
        &self,
        date: &str,
        sent: &str,
    ) -> Result<WarmupView, EngineError> {
        let view = self.bounces_view().await?;
        let date = date.trim();
        let day = view
            .days
            .iter()
            .find(|d| d.date == date)
            .ok_or_else(|| EngineError::Date(date.to_owned()))?;
        let entered = self
            .warmup_view()
            .entries
            .into_iter()
            .find(|e| e.date.to_string() == date);
        if entered.as_ref().is_some_and(|e| !e.providers.is_empty()) {
            return Err(EngineError::NothingYet(
                "That day was entered per provider in the Warm-up step: add its bounces there, so no provider's numbers are lost.",
            ));
        }
        let sent = match (sent.trim(), &entered) {
            ("", Some(e)) => e.total.sent.to_string(),
            (typed, _) => typed.to_owned(),
        };
        let entry = DayEntryForm {
            date: date.to_owned(),
            provider: None,
            sent,
            delivered: String::new(),
            hard_bounces: day.hard.to_string(),
            soft_bounces: day.soft.to_string(),
            complaints: day.complaints.to_string(),
            deferrals: day.deferrals.to_string(),
            blocklisted: self.last_reputation_check().is_some_and(|c| c.listed > 0),
        }
        .read()?;
        self.change_warmup(move |setup, today| {
            setup.remove_day(entry.date);
            Ok(setup.record(entry, today)?)
        })
    }

    async fn bounces_and_list(
        &self,
        rule: SuppressionRule,
    ) -> Result<(BouncesView, Vec<ListedAddress>), EngineError> {
        let store = self.reports_store()?;
        blocking(move || {
            let store = store.lock().unwrap_or_else(|e| e.into_inner());
            bounces_view(&store, &rule)
        })
        .await
    }

    /// The step's state from what it knows: it needs attention when receivers refused for the
    /// setup or reputation, or the last reputation check found a listing or a bad name; it is
    /// done when bounces were imported or the check ran, and neither is so.
    pub(super) async fn record_bounces_state(&self) {
        let setup_refusals = match self.bounces_view().await {
            Ok(view) if view.events > 0 => Some(view.needs_attention),
            _ => None,
        };
        let reputation_failed = self.last_reputation_check().map(|c| !c.passed);
        if setup_refusals.is_none() && reputation_failed.is_none() {
            return;
        }
        let attention = setup_refusals == Some(true) || reputation_failed == Some(true);
        self.record(StepId::Bounces, StepState::checked(!attention));
    }
}
