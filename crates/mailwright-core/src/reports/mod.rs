//! DMARC aggregate and SMTP TLS reports: imported from files or a mailbox over IMAP, kept in a
//! local SQLite database, and read as "who sends as you", per reporter and per day, the TLS
//! failures with their fixes, and the evidence for the DMARC policy ramp. The reports stay on
//! this computer.

mod aggregate;
mod csv_export;
mod document;
mod error;
mod folder_name;
mod identify;
mod import;
mod mailbox;
mod period;
mod ramp;
mod setup;
mod sources;
mod store;
mod tls_report;
mod unpack;
mod view;
mod xml_repair;

pub use aggregate::{AggregateReport, AggregateRow, Disposition};
pub(crate) use csv_export::cell as spreadsheet_cell;
pub use csv_export::sources_csv;
pub use document::read_document;
pub use error::ReportsError;
pub use identify::{SourceIdentity, identify_sources};
pub(crate) use import::plural;
pub use import::{ImportProblem, ImportProgress, ImportSummary, Importer, MAX_LISTED_PROBLEMS};
pub use mailbox::{MailboxAccess, MailboxSetup, MailboxTls, fetch_reports, list_folders};
pub use period::{DAY_SECONDS, Period, date_to_day, day_of, day_to_date};
pub use ramp::{RampEvidence, RampReadiness, RampThresholds, RefusedSource, ramp_evidence};
pub use setup::{DEFAULT_PERIOD_DAYS, ReportsSetup};
pub use sources::{SourceKind, SourceView, source_views};
pub use store::{
    BounceDayCount, BounceRow, DATABASE_FILE, DayTotals, Incoming, MailboxMark, Opened, Outcome,
    ReportStore, ReportedPolicy, ReporterTotals, SCHEMA_VERSION, SetAside, SourceTotals,
    StoreCounts, TlsFailureTotals, TlsTotals,
};
pub use tls_report::{
    TlsFailure, TlsFailureAdvice, TlsPolicyResult, TlsReportDoc, tls_failure_advice,
};
pub use unpack::{
    Document, Found, MAX_DOCUMENT_OCTETS, MAX_FILE_OCTETS, MAX_RATIO, MAX_ZIP_ENTRIES, Unreadable,
    unpack_bytes, unpack_paths,
};
pub use view::{ReportsView, SourceSeries, TlsFailureView, reports_view};
