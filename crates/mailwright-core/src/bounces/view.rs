//! What the Bounces step shows from every event imported: counts by kind and by receiving
//! provider, each day's numbers (which the warm-up tracker can take), the suppression list
//! and the one thing to do next.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::rule::SuppressionRule;
use super::suppression::{DECIDING_KINDS, ListedAddress, suppression_list};
use crate::reports::{ReportStore, ReportsError, day_to_date};

/// The most addresses the view lists (the CSV export has them all).
pub const MAX_LISTED_ADDRESSES: usize = 500;

/// The most days the view lists (the latest).
const MAX_DAYS: usize = 60;

/// How many events of one kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KindCount {
    /// The stored word (`hard`, `soft`, `policy`, `reputation`, `rate`, `unknown`,
    /// `complaint`, `delayed`, `unsubscribed`).
    pub kind: String,
    /// What it is, in words.
    pub label: String,
    /// How many.
    #[ts(type = "number")]
    pub count: u64,
}

/// How many events for one receiving provider.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProviderCount {
    /// The provider (Gmail, Microsoft, Yahoo/AOL, Others).
    pub provider: String,
    /// How many.
    #[ts(type = "number")]
    pub count: u64,
}

/// One day's numbers, in the warm-up tracker's terms.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BounceDay {
    /// The day, YYYY-MM-DD (UTC).
    pub date: String,
    /// Hard bounces, and refusals for good (5xx) for the setup or reputation.
    pub hard: u32,
    /// Soft bounces (mailbox full, unavailable, even when the reply was 5xx), and temporary
    /// refusals (4xx) that bounced in the end.
    pub soft: u32,
    /// Spam complaints.
    pub complaints: u32,
    /// Deferrals (delayed, still being retried).
    pub deferrals: u32,
    /// Unsubscribe requests.
    pub unsubscribed: u32,
}

/// The Bounces step's view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BouncesView {
    /// The suppression rule in force.
    pub rule: SuppressionRule,
    /// The rule in one sentence.
    pub rule_sentence: String,
    /// Where the rule's default numbers come from.
    pub rule_sources: String,
    /// Events in all.
    #[ts(type = "number")]
    pub events: u64,
    /// Counts by kind, most first.
    pub kinds: Vec<KindCount>,
    /// Counts by receiving provider, most first.
    pub providers: Vec<ProviderCount>,
    /// The latest days with events, newest first.
    pub days: Vec<BounceDay>,
    /// The suppression list: suppressed addresses first, then watched ones (the first 500).
    pub addresses: Vec<ListedAddress>,
    /// Addresses suppressed.
    #[ts(type = "number")]
    pub suppressed: u64,
    /// Soft-bounced addresses watched, not yet suppressed.
    #[ts(type = "number")]
    pub watched: u64,
    /// The one thing to do next.
    pub next_step: String,
    /// True when receivers refused for the setup, the reputation or the pace: the next step is
    /// a fix, not housekeeping.
    pub needs_attention: bool,
}

/// What a kind is, in words.
pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "hard" => "Hard bounces (the address does not exist)",
        "soft" => "Soft bounces (mailbox full or unavailable)",
        "policy" => "Refused for a policy (authentication, DMARC, PTR, content)",
        "reputation" => "Refused for reputation (a blocklist, the spam rate)",
        "rate" => "Refused as too fast",
        "complaint" => "Spam complaints",
        "delayed" => "Delayed (still being retried)",
        "unsubscribed" => "Unsubscribe requests",
        _ => "Not recognised",
    }
}

/// The view, from the database and the rule.
pub fn bounces_view(
    store: &ReportStore,
    rule: &SuppressionRule,
) -> Result<(BouncesView, Vec<ListedAddress>), ReportsError> {
    let day_counts = store.bounce_days()?;
    let mut kinds: BTreeMap<String, u64> = BTreeMap::new();
    let mut days: BTreeMap<i64, BounceDay> = BTreeMap::new();
    for c in &day_counts {
        *kinds.entry(c.kind.clone()).or_default() += c.count;
        let day = days.entry(c.day).or_insert_with(|| BounceDay {
            date: day_to_date(c.day),
            ..BounceDay::default()
        });
        let n = u32::try_from(c.count).unwrap_or(u32::MAX);
        let slot = match c.kind.as_str() {
            "complaint" => &mut day.complaints,
            "delayed" => &mut day.deferrals,
            "unsubscribed" => &mut day.unsubscribed,
            "soft" => &mut day.soft,
            "hard" => &mut day.hard,
            _ if c.permanent => &mut day.hard,
            _ => &mut day.soft,
        };
        *slot = slot.saturating_add(n);
    }
    let events = kinds.values().sum();
    let mut kinds: Vec<KindCount> = kinds
        .into_iter()
        .map(|(kind, count)| KindCount {
            label: kind_label(&kind).to_owned(),
            kind,
            count,
        })
        .collect();
    kinds.sort_by(|a, b| b.count.cmp(&a.count).then(a.kind.cmp(&b.kind)));
    let providers = store
        .bounce_providers()?
        .into_iter()
        .map(|(provider, count)| ProviderCount { provider, count })
        .collect();
    let list = suppression_list(&store.bounce_events_of(&DECIDING_KINDS)?, rule);
    let suppressed = list.iter().filter(|l| l.suppressed).count() as u64;
    let watched = list.len() as u64 - suppressed;
    let count_of = |kind: &str| kinds.iter().find(|k| k.kind == kind).map_or(0, |k| k.count);
    let needs_attention = count_of("policy") + count_of("reputation") + count_of("rate") > 0;
    let view = BouncesView {
        needs_attention,
        rule: *rule,
        rule_sentence: rule.sentence(),
        rule_sources: SuppressionRule::SOURCES.to_owned(),
        events,
        next_step: next_step(
            events,
            suppressed,
            count_of("policy") + count_of("reputation"),
            count_of("rate"),
        ),
        kinds,
        providers,
        days: days.into_values().rev().take(MAX_DAYS).collect(),
        addresses: list.iter().take(MAX_LISTED_ADDRESSES).cloned().collect(),
        suppressed,
        watched,
    };
    Ok((view, list))
}

fn next_step(events: u64, suppressed: u64, setup_refusals: u64, rate: u64) -> String {
    if events == 0 {
        return "No bounces imported yet. Open the folder or mailbox file your bounces arrive in (or a CSV your mail service exports), or paste one refusal above to have it explained.".to_owned();
    }
    if setup_refusals > 0 {
        return format!(
            "{setup_refusals} refusal{} came from your setup or reputation, not from the addresses: explain one above and fix what it names before sending more.",
            if setup_refusals == 1 { "" } else { "s" }
        );
    }
    if rate > 0 {
        return "Receivers said you send too fast: hold the warm-up at today's volume (Warm-up step) until the refusals stop.".to_owned();
    }
    if suppressed > 0 {
        return format!(
            "Export the suppression list and load it into your mail program or service, so no one mails these {suppressed} address{} again.",
            if suppressed == 1 { "" } else { "es" }
        );
    }
    "Nothing to suppress yet: soft-bounced addresses are watched until the rule is met.".to_owned()
}
