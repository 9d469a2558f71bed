//! The checklist report: the hardening checklist (before, during, after sending) and the
//! mailbox providers' requirements, each with its status, evidence (the DKIM proof among it)
//! and fix; the DNS records as
//! published; the warm-up plan; the alert thresholds and the incident playbook. Rendered as
//! Markdown, a self-contained HTML page, PDF and versioned JSON.

mod build;
mod checklist;
mod dkim_proof;
mod html;
mod make;
mod markdown;
mod message_items;
mod model;
mod pdf;
mod reputation_items;
mod steps_seen;

pub use build::{ReportInputs, build_report};
pub use dkim_proof::{DkimProof, ProofKey, project_keys, prove_keys};
pub use html::to_html;
pub use make::{Tested, make_report};
pub use markdown::to_markdown;
pub use model::{
    Checklist, ChecklistItem, ChecklistSection, ItemStatus, REPORT_SCHEMA_VERSION, Threshold,
    WarmupSummary,
};
pub use pdf::to_pdf;
pub use steps_seen::{Composed, StepsSeen, steps_seen};

/// Now, as the report's `generated_at` says it: RFC 3339 in UTC, to the second.
pub fn now_rfc3339() -> String {
    jiff::Timestamp::from_second(crate::clock::now().as_second())
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// The report as pretty-printed JSON (schema version [`REPORT_SCHEMA_VERSION`]).
pub fn to_json(report: &Checklist) -> String {
    serde_json::to_string_pretty(report).unwrap_or_default()
}

/// A format the report can be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[ts(export)]
pub enum ReportFormat {
    /// Markdown.
    Md,
    /// One self-contained HTML file.
    Html,
    /// PDF (on the command line: needs --output).
    Pdf,
    /// JSON (schema version [`REPORT_SCHEMA_VERSION`]).
    Json,
}

impl ReportFormat {
    /// The file's bytes in this format.
    pub fn render(self, report: &Checklist) -> Result<Vec<u8>, crate::EngineError> {
        Ok(match self {
            ReportFormat::Md => to_markdown(report).into_bytes(),
            ReportFormat::Html => to_html(report).into_bytes(),
            ReportFormat::Json => to_json(report).into_bytes(),
            ReportFormat::Pdf => to_pdf(report)
                .map_err(|e| crate::EngineError::Export("the PDF report".into(), e.to_string()))?,
        })
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Md => "md",
            ReportFormat::Html => "html",
            ReportFormat::Pdf => "pdf",
            ReportFormat::Json => "json",
        }
    }
}
