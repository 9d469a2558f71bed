//! The Reports step's view of a period: what the database holds, who sends as the domain,
//! per reporter and per day, the TLS results with their fixes, and the ramp's evidence.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::ReportsError;
use super::period::{Period, day_to_date};
use super::ramp::{RampEvidence, RampThresholds, ramp_evidence};
use super::sources::{SourceView, source_views};
use super::store::{DayTotals, ReportStore, ReporterTotals, SetAside, StoreCounts, TlsTotals};
use super::tls_report::{TlsFailureAdvice, tls_failure_advice};
use crate::senders::Inventory;

/// Failed TLS sessions of one type, with what it means and its fix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TlsFailureView {
    /// Sessions that failed this way.
    #[ts(type = "number")]
    pub sessions: u64,
    /// The MX hosts named.
    pub receiving_mx: Vec<String>,
    /// One reporter's own words, if any.
    pub detail: Option<String>,
    /// What it means and what fixes it.
    pub advice: TlsFailureAdvice,
}

/// Everything the Reports step shows for a period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportsView {
    /// The period's first day (YYYY-MM-DD).
    pub from: String,
    /// Its last day.
    pub to: String,
    /// What the database holds in all.
    pub counts: StoreCounts,
    /// The sources of the period, unknown first.
    pub sources: Vec<SourceView>,
    /// Per reporter.
    pub reporters: Vec<ReporterTotals>,
    /// Per day (for the charts).
    pub days: Vec<DayTotals>,
    /// TLS sessions per policy and reporter.
    pub tls: Vec<TlsTotals>,
    /// TLS failures by type, with fixes.
    pub tls_failures: Vec<TlsFailureView>,
    /// Reports about other domains, set aside.
    pub set_aside: Vec<SetAside>,
    /// The ramp's evidence over its own window (the last days up to the period's end).
    pub ramp: RampEvidence,
    /// Set when a damaged database, or one from a newer Mailwright, was moved aside: where.
    pub note: Option<String>,
}

/// Builds the view of `period` from `store`.
pub fn reports_view(
    store: &ReportStore,
    period: Period,
    inventory: &Inventory,
    thresholds: RampThresholds,
) -> Result<ReportsView, ReportsError> {
    let window = Period {
        from: period.to - i64::from(thresholds.window_days.max(1)) + 1,
        to: period.to,
    };
    // One pass reads the period and the window; a window longer than the period reads both
    // from the window's first day.
    let first = period.from.min(window.from);
    let (all, recent) = store.sources_and_recent(first, period.to, window.from)?;
    let all = if first < period.from {
        store.sources(period.from, period.to)?
    } else {
        all
    };
    let sources = source_views(all, inventory);
    let window_sources = source_views(recent, inventory);
    let ramp = ramp_evidence(
        &window_sources,
        store.days_with_reports(window.from, window.to)?,
        store.latest_policy()?.as_deref(),
        thresholds,
    );
    let tls_failures = store
        .tls_failures(period.from, period.to)?
        .into_iter()
        .map(|f| TlsFailureView {
            advice: tls_failure_advice(&f.result_type).clone(),
            sessions: f.sessions,
            receiving_mx: f.receiving_mx,
            detail: f.detail,
        })
        .collect();
    Ok(ReportsView {
        from: day_to_date(period.from),
        to: day_to_date(period.to),
        counts: store.counts()?,
        sources,
        reporters: store.reporters(period.from, period.to)?,
        days: store.days(period.from, period.to)?,
        tls: store.tls(period.from, period.to)?,
        tls_failures,
        set_aside: store.set_aside()?,
        ramp,
        note: None,
    })
}
