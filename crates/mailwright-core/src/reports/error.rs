//! What can go wrong reading reports, each as a sentence that says what to do.

use thiserror::Error;

/// A refused or failed reports operation. Messages never contain a password.
#[derive(Debug, Error)]
pub enum ReportsError {
    /// The database could not be opened, read or written.
    #[error(
        "The reports database could not be used ({0}). Nothing already imported was lost; close other copies of Mailwright and try again."
    )]
    Database(String),
    /// The reports folder could not be made.
    #[error("The folder for the reports database, {0}, could not be made ({1}).")]
    Folder(String, String),
    /// A mailbox connection refused or failed; the sentence says which and what to do.
    #[error("{0}")]
    Mailbox(String),
    /// No password is saved for the mailbox (or the typed one is empty).
    #[error("No password is saved for {0}. Type it (and save it if you like).")]
    NoPassword(String),
    /// Ramp thresholds out of range.
    #[error(
        "The thresholds must be a pass share of 50 to 100 %, a window of 1 to 90 days, and no more days with reports than the window has."
    )]
    Thresholds,
    /// A date or period the user typed.
    #[error("“{0}” is not a date. Write it as YYYY-MM-DD, for example 2026-11-01.")]
    Date(String),
    /// A source address the window sent that is not an IP address.
    #[error("“{0}” is not an IP address from your reports.")]
    Source(String),
    /// A mailbox folder name the window sent.
    #[error("“{0}” is not a mailbox folder name Mailwright can use.")]
    MailboxFolder(String),
}

impl crate::error::FeatureError for ReportsError {
    fn code(&self) -> &'static str {
        match self {
            ReportsError::Database(_) | ReportsError::Folder(..) => "reports_database",
            ReportsError::Mailbox(_) => "reports_mailbox",
            ReportsError::NoPassword(_) => "reports_no_password",
            ReportsError::Date(_) => "invalid_date",
            ReportsError::Thresholds => "reports_thresholds",
            ReportsError::Source(_) => "reports_source",
            ReportsError::MailboxFolder(_) => "reports_folder",
        }
    }
}

impl From<rusqlite::Error> for ReportsError {
    fn from(e: rusqlite::Error) -> Self {
        ReportsError::Database(e.to_string())
    }
}
