//! The warm-up for the session: its plan and every day's results live in the project; each
//! change is saved and answered with the view of where the warm-up stands today.

use jiff::civil::Date;

use crate::clock::today;
use crate::error::EngineError;
use crate::warmup::{
    DayEntryForm, PlanForm, RecipientCounts, WarmupExport, WarmupSetup, WarmupView,
    parse_results_csv,
};

use super::Session;

impl Session {
    /// Where the warm-up stands today (a starting plan when there is none yet).
    pub fn warmup_view(&self) -> WarmupView {
        starter_or(self.project().warmup).view(today())
    }

    /// Plans from the inputs form, keeping every result entered; `recipients` is the list the
    /// mix was counted from, when it was.
    pub fn plan_warmup(
        &self,
        form: &PlanForm,
        recipients: Option<RecipientCounts>,
    ) -> Result<WarmupView, EngineError> {
        let (inputs, defaults) = form.read()?;
        self.change_warmup(|setup, _| {
            setup.change_plan(inputs, defaults)?;
            if recipients.is_some() {
                setup.recipients = recipients;
            }
            Ok(())
        })
    }

    /// Saves one day's results (the whole day or one provider's share).
    pub fn record_warmup_day(&self, entry: &DayEntryForm) -> Result<WarmupView, EngineError> {
        let entry = entry.read()?;
        self.change_warmup(|setup, today| Ok(setup.record(entry, today)?))
    }

    /// Imports a results CSV text: every row or none.
    pub fn import_warmup_results(&self, csv: &str) -> Result<WarmupView, EngineError> {
        let rows = parse_results_csv(csv)?;
        self.change_warmup(|setup, today| {
            setup.record_all(rows, today).map(drop).map_err(Into::into)
        })
    }

    /// Removes the results of `date` (`YYYY-MM-DD`).
    pub fn remove_warmup_day(&self, date: &str) -> Result<WarmupView, EngineError> {
        let date: Date = date
            .parse()
            .map_err(|_| EngineError::Date(date.to_owned()))?;
        self.change_warmup(|setup, _| {
            setup.remove_day(date);
            Ok(())
        })
    }

    /// Resumes after a pause; the history is kept.
    pub fn resume_warmup(&self) -> Result<WarmupView, EngineError> {
        self.change_warmup(|setup, today| Ok(setup.resume(today)?))
    }

    /// The plan as CSV, an ICS calendar or Postfix settings.
    pub fn export_warmup(&self, kind: WarmupExport) -> Result<String, EngineError> {
        let domain = self
            .domain()
            .map(|d| d.as_str().to_owned())
            .unwrap_or_else(|_| "your domain".to_owned());
        self.warmup_view().export(kind, &domain).ok_or(EngineError::NothingYet(
            "There is nothing to export: the warm-up is paused, or your email service sets the pace so there are no limits to write.",
        ))
    }

    /// Changes the warm-up (a starting plan when there is none yet) and saves it.
    pub(super) fn change_warmup(
        &self,
        change: impl FnOnce(&mut WarmupSetup, Date) -> Result<(), EngineError>,
    ) -> Result<WarmupView, EngineError> {
        let today = today();
        self.change(|project| {
            let mut setup = starter_or(project.warmup.take());
            let changed = change(&mut setup, today);
            let view = setup.view(today);
            project.warmup = Some(setup);
            changed.map(|()| view)
        })
    }
}

/// The saved warm-up, or a starting plan when there is none yet.
fn starter_or(setup: Option<WarmupSetup>) -> WarmupSetup {
    setup.unwrap_or_else(|| WarmupSetup::starter(today()))
}
