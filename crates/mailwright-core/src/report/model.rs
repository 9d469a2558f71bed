//! The checklist report as data: versioned, serialized as the JSON format and rendered as the
//! others. It holds records, rates and results — never a password or a private key.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::finding::Evidence;
use crate::warmup::{PlanDay, TrackedEntry};

/// The JSON format's version; raised whenever a field changes meaning or goes away.
pub const REPORT_SCHEMA_VERSION: u32 = 1;

/// Where an item stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ItemStatus {
    /// Checked and right.
    Pass,
    /// Works, but should be improved.
    Warn,
    /// Checked and wrong.
    Fail,
    /// Mailwright cannot check it: to do (or confirm) by hand.
    Manual,
}

impl ItemStatus {
    /// The status as the report prints it.
    pub fn label(self) -> &'static str {
        match self {
            ItemStatus::Pass => "Pass",
            ItemStatus::Warn => "Warn",
            ItemStatus::Fail => "Fail",
            ItemStatus::Manual => "To do by hand",
        }
    }
}

/// One line of the checklist.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChecklistItem {
    /// Stable id, such as `before.dkim`.
    pub id: String,
    /// What should be true, in a sentence.
    pub title: String,
    /// Where it stands.
    pub status: ItemStatus,
    /// What the status rests on: records, counts, results, each with its date where it has one.
    pub evidence: Vec<String>,
    /// The one thing to do, when something is.
    pub fix: Option<String>,
    /// Where the requirement comes from.
    pub source: String,
}

/// A group of items: before, during, after sending, and the mailbox providers' requirements.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChecklistSection {
    /// Stable id: `before`, `during`, `after`, `providers`.
    pub id: String,
    /// Its heading.
    pub title: String,
    /// Its items.
    pub items: Vec<ChecklistItem>,
}

/// An alert threshold with what to do when it is crossed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Threshold {
    /// What is measured.
    pub metric: String,
    /// The value that triggers the action, in percent.
    pub at_pct: f64,
    /// What to do.
    pub action: String,
}

/// The warm-up as the report shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WarmupSummary {
    /// The daily target.
    pub target: u32,
    /// Where it stands, in a sentence.
    pub next_step: String,
    /// What the plan means.
    pub notes: Vec<String>,
    /// The days entered so far with their verdicts.
    pub history: Vec<TrackedEntry>,
    /// The plan from the next sending day.
    pub plan: Vec<PlanDay>,
}

/// The whole report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Checklist {
    /// [`REPORT_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// When the checks ran (RFC 3339).
    pub generated_at: String,
    /// The domain, as people read it.
    pub domain: String,
    /// The DNS server asked.
    pub nameserver: String,
    /// Counts of items per status: pass, warn, fail, manual.
    pub totals: [u32; 4],
    /// The checklist.
    pub sections: Vec<ChecklistSection>,
    /// The DNS records as published when the checks ran.
    pub records: Vec<Evidence>,
    /// The warm-up, when one is planned.
    pub warmup: Option<WarmupSummary>,
    /// Alert thresholds.
    pub thresholds: Vec<Threshold>,
    /// What to do when one is crossed (deliverability playbook §6).
    pub playbook: Vec<String>,
}
