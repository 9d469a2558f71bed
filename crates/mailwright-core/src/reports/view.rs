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

/// How many of the biggest sources the per-source chart shows.
const CHARTED_SOURCES: usize = 5;

/// One source's messages per day, for the chart (aligned with the view's `days`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SourceSeries {
    /// The source's address.
    pub ip: String,
    /// Its name: the sender, else its reverse DNS name, else the address.
    pub label: String,
    /// Messages on each of the view's days.
    #[ts(type = "number[]")]
    pub messages: Vec<u64>,
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
    /// The biggest sources' messages per day (for the per-source chart).
    pub source_series: Vec<SourceSeries>,
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
        store.latest_policy()?.as_ref(),
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
    let days = store.days(period.from, period.to)?;
    let source_series = series(store, period, &sources, &days)?;
    Ok(ReportsView {
        from: day_to_date(period.from),
        to: day_to_date(period.to),
        counts: store.counts()?,
        sources,
        reporters: store.reporters(period.from, period.to)?,
        days,
        source_series,
        tls: store.tls(period.from, period.to)?,
        tls_failures,
        set_aside: store.set_aside()?,
        ramp,
        note: None,
    })
}

/// The biggest sources' messages on each day of `days`.
fn series(
    store: &ReportStore,
    period: Period,
    sources: &[SourceView],
    days: &[DayTotals],
) -> Result<Vec<SourceSeries>, ReportsError> {
    let mut biggest: Vec<&SourceView> = sources.iter().collect();
    biggest.sort_by_key(|s| std::cmp::Reverse(s.totals.messages));
    biggest.truncate(CHARTED_SOURCES);
    let ips: Vec<String> = biggest.iter().map(|s| s.totals.ip.clone()).collect();
    let counts = store.source_days(period.from, period.to, &ips)?;
    Ok(biggest
        .iter()
        .map(|s| SourceSeries {
            ip: s.totals.ip.clone(),
            label: s
                .sender_name
                .clone()
                .or_else(|| s.totals.ptr.clone())
                .unwrap_or_else(|| s.totals.ip.clone()),
            messages: days
                .iter()
                .map(|d| {
                    counts
                        .iter()
                        .find(|(day, ip, _)| day_to_date(*day) == d.day && *ip == s.totals.ip)
                        .map_or(0, |c| c.2)
                })
                .collect(),
        })
        .collect())
}
