//! The checklist report: the hardening checklist (before, during, after sending) and the
//! mailbox providers' requirements, each with its status, evidence and fix; the DNS records as
//! published; the warm-up plan; the alert thresholds and the incident playbook. Rendered as
//! Markdown and as versioned JSON.

mod build;
mod markdown;
mod model;

pub use build::{ReportInputs, build_report};
pub use markdown::to_markdown;
pub use model::{
    ChecklistItem, ChecklistSection, ItemStatus, REPORT_SCHEMA_VERSION, Report, Threshold,
    WarmupSummary,
};

/// The report as pretty-printed JSON (schema version [`REPORT_SCHEMA_VERSION`]).
pub fn to_json(report: &Report) -> String {
    serde_json::to_string_pretty(report).unwrap_or_default()
}
