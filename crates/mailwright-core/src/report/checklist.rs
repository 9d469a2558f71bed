//! The checklist's content as data: `catalog/checklist.toml` lists its sections and items in
//! order, each with its title, its source and the rule that decides it; `build.rs` applies the
//! rules to what Mailwright checked.

use std::sync::LazyLock;

use serde::Deserialize;

use crate::catalog::table;

/// What decides an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Rule {
    /// The last mail server test (TLS, certificate, sign-in).
    MailServerTest,
    /// The audit's DKIM findings and the sign-and-verify proof of the project's keys.
    Dkim,
    /// The audit's SPF findings.
    Spf,
    /// The audit's DMARC findings.
    Dmarc,
    /// The audit's MX findings.
    MailServers,
    /// The audit's MTA-STS and TLS-RPT findings.
    TransportSecurity,
    /// The sender inventory.
    Senders,
    /// The warm-up's state.
    Warmup,
    /// Whether the warm-up sends both kinds of mail through one route.
    Streams,
    /// The warm-up's last day against the thresholds.
    Monitoring,
    /// Both SPF and DKIM passing.
    SpfAndDkim,
    /// The last complaint rate against 0.1 % and 0.3 %.
    SpamRate,
    /// The published DKIM key's size.
    DkimKeySize,
    /// The reputation check's reverse DNS and server name, else the checked message's reverse
    /// DNS (to do by hand without either).
    Ptr,
    /// The reputation check's blocklist verdicts.
    Blocklists,
    /// The imported bounces: a suppression list kept, no refusals for the setup.
    Bounces,
    /// The imported complaints (feedback loops), suppressed.
    Complaints,
    /// The checked message's unsubscribe headers (to do by hand without one).
    MessageUnsubscribe,
    /// The checked message's Message-ID, Date and From (to do by hand without one).
    MessageFormat,
    /// The imported DMARC reports: collected, and every source decided.
    Reports,
    /// Nothing Mailwright can check: to do by hand.
    ByHand,
}

/// One item as the catalog writes it.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct ItemEntry {
    pub id: String,
    pub title: String,
    pub decided_by: Rule,
    pub source: String,
    /// The one thing to do when Mailwright cannot check it.
    #[serde(default)]
    pub fix: Option<String>,
}

/// One section as the catalog writes it.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct SectionEntry {
    pub id: String,
    pub title: String,
    pub items: Vec<ItemEntry>,
}

static CHECKLIST: LazyLock<Vec<SectionEntry>> =
    LazyLock::new(|| table(include_str!("../catalog/checklist.toml"), "section"));

/// The checklist's sections, in order.
pub(crate) fn checklist() -> &'static [SectionEntry] {
    &CHECKLIST
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_has_a_unique_id_in_its_section_a_source_and_by_hand_items_a_fix() {
        let mut ids = std::collections::HashSet::new();
        for section in checklist() {
            assert!(!section.items.is_empty(), "{}", section.id);
            for item in &section.items {
                assert!(ids.insert(item.id.clone()), "{} twice", item.id);
                assert!(
                    item.id.starts_with(&format!("{}.", section.id)),
                    "{}",
                    item.id
                );
                assert!(
                    !item.source.is_empty() && !item.title.is_empty(),
                    "{}",
                    item.id
                );
                if item.decided_by == Rule::ByHand {
                    assert!(item.fix.is_some(), "{} says what to do", item.id);
                }
            }
        }
        assert_eq!(ids.len(), 23);
    }
}
