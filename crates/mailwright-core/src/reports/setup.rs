//! The Reports step's choices, kept in the project: the report mailbox (never its password),
//! a certificate to trust for it, the ramp's thresholds and the period shown.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::ReportsError;
use super::mailbox::MailboxSetup;
use super::ramp::RampThresholds;
use crate::error::EngineError;
use crate::smtp::Trust;

/// The period shown when none was chosen, in days.
pub const DEFAULT_PERIOD_DAYS: u32 = 30;

/// What the user chose in the Reports step.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ReportsSetup {
    /// The mailbox the reports are delivered to, if the user connected one.
    pub mailbox: Option<MailboxSetup>,
    /// A PEM file with a CA or the server's own certificate to trust (a private mail server).
    pub trust_file: String,
    /// The ramp's thresholds.
    pub thresholds: RampThresholds,
    /// The period shown, in days (30 when 0).
    pub period_days: u32,
}

impl ReportsSetup {
    /// The period shown, in days.
    pub fn period(&self) -> u32 {
        match self.period_days {
            0 => DEFAULT_PERIOD_DAYS,
            days => days.min(3660),
        }
    }

    /// Checks what the window sent: the mailbox, and thresholds a person could mean (a pass
    /// share of 50–100 %, a window of 1–90 days, no more report days than the window has).
    pub fn validate(&self) -> Result<(), EngineError> {
        if let Some(mailbox) = &self.mailbox {
            mailbox.validate()?;
        }
        let t = &self.thresholds;
        if !(50..=100).contains(&t.pass_share_percent)
            || !(1..=90).contains(&t.window_days)
            || t.min_days_with_reports > t.window_days
        {
            return Err(ReportsError::Thresholds.into());
        }
        Ok(())
    }

    /// The certificates trusted for the mailbox besides the public roots.
    pub fn trust(&self) -> Result<Trust, EngineError> {
        match self.trust_file.trim() {
            "" => Ok(Trust::default()),
            path => Trust::from_pem_file(std::path::Path::new(path)),
        }
    }
}
