//! The "could not check" finding, shared by every topic.

use crate::dns::Lookup;
use crate::finding::{Finding, Severity, Topic};

/// Id of the finding for lookups that got SERVFAIL or no answer.
pub const LOOKUP_FAILED: &str = "dns.lookup_failed";

/// One finding for the failed lookups of a topic; `what` names what could not be checked.
/// Returns `None` when no lookup failed.
pub fn lookup_failed(topic: Topic, what: &str, lookups: &[&Lookup]) -> Option<Finding> {
    let failed: Vec<&&Lookup> = lookups.iter().filter(|l| l.failed()).collect();
    let first = failed.first()?;
    let names = if failed.len() == 1 {
        format!("{} ({})", first.name, first.rtype)
    } else {
        format!(
            "{} ({}) and {} more",
            first.name,
            first.rtype,
            failed.len() - 1
        )
    };
    Some(
        Finding::new(
            LOOKUP_FAILED,
            Severity::Warn,
            topic,
            format!("Could not check {what}: the DNS server gave no usable answer for {names}."),
            "A lookup failed or timed out. This says nothing about whether the record exists: it \
             was not checked.",
        )
        .fix("Run the audit again in a few minutes; if it keeps failing, try another DNS server in Settings.")
        .evidence(failed.iter().flat_map(|l| l.evidence())),
    )
}
