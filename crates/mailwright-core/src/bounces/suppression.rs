//! The suppression list (seed 000 §5): each address with its state — hard-bounced,
//! soft-bounced N times, complaint, unsubscribed — and the rule that put it there, read from
//! every event imported.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::rule::SuppressionRule;
use crate::reports::{BounceRow, day_to_date};

/// An address's state, from the strongest reason to stop mailing it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AddressState {
    /// The recipient marked a message as spam.
    Complaint,
    /// The recipient asked to be taken off the list.
    Unsubscribed,
    /// The address or its domain does not exist.
    HardBounced,
    /// The mailbox refused for a while (full, unavailable).
    SoftBounced,
}

impl AddressState {
    /// How the state is written in the exported list.
    pub fn label(self) -> &'static str {
        match self {
            AddressState::Complaint => "complaint",
            AddressState::Unsubscribed => "unsubscribed",
            AddressState::HardBounced => "hard-bounced",
            AddressState::SoftBounced => "soft-bounced",
        }
    }

    /// What to be sure of before taking an address in this state off the list (the window shows
    /// it from the generated vocabulary's `RELEASE_NOTES`).
    pub fn release_note(self) -> String {
        let when = match self {
            AddressState::Complaint => {
                "They marked your mail as spam. Release the address only if they asked to get your mail again: mailing someone who complained harms your reputation with their provider."
            }
            AddressState::Unsubscribed => {
                "They asked to be taken off the list. Release the address only if they subscribed again."
            }
            AddressState::HardBounced => {
                "The receiving server said the address does not exist. Release it only if it works again (the person says so, or a typing mistake in the address was fixed)."
            }
            AddressState::SoftBounced => {
                "The mailbox refused mail several times (full, or unavailable). Release it when the person says it accepts mail again."
            }
        };
        format!("{when} A new bounce or complaint puts it back on the list.")
    }

    fn of_kind(kind: &str) -> Option<AddressState> {
        match kind {
            "complaint" => Some(AddressState::Complaint),
            "unsubscribed" => Some(AddressState::Unsubscribed),
            "hard" => Some(AddressState::HardBounced),
            "soft" => Some(AddressState::SoftBounced),
            _ => None,
        }
    }
}

/// The event kinds that decide an address's state.
pub(crate) const DECIDING_KINDS: [&str; 4] = ["complaint", "unsubscribed", "hard", "soft"];

/// One address on the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListedAddress {
    /// The address, in lower case.
    pub address: String,
    /// Its state.
    pub state: AddressState,
    /// Whether it is suppressed (a soft-bounced address is watched until the rule is met).
    pub suppressed: bool,
    /// Events of that state seen (soft bounces: how many).
    pub times: u32,
    /// The first such event, YYYY-MM-DD.
    pub first: String,
    /// The last, YYYY-MM-DD.
    pub last: String,
    /// The rule that put it there, or how far it is from it.
    pub why: String,
    /// The receiver's last reply, when there was one.
    pub last_reply: Option<String>,
}

/// The list from every deciding event (`rows` ordered by address, then day): suppressed
/// addresses first, then watched ones, each group by address.
pub fn suppression_list(rows: &[BounceRow], rule: &SuppressionRule) -> Vec<ListedAddress> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < rows.len() {
        let address = &rows[start].address;
        let end = start
            + rows[start..]
                .iter()
                .take_while(|r| &r.address == address)
                .count();
        if let Some(listed) = listed(&rows[start..end], rule) {
            out.push(listed);
        }
        start = end;
    }
    out.sort_by(|a, b| {
        b.suppressed
            .cmp(&a.suppressed)
            .then(a.state.cmp(&b.state))
            .then(a.address.cmp(&b.address))
    });
    out
}

/// One address's events, ordered by day.
fn listed(rows: &[BounceRow], rule: &SuppressionRule) -> Option<ListedAddress> {
    let state = rows
        .iter()
        .filter_map(|r| AddressState::of_kind(&r.kind))
        .min()?;
    let of_state: Vec<&BounceRow> = rows
        .iter()
        .filter(|r| AddressState::of_kind(&r.kind) == Some(state))
        .collect();
    let times = of_state.len() as u32;
    let first = of_state.first()?.day;
    let last = of_state.last()?.day;
    let (suppressed, why) = match state {
        AddressState::Complaint => (
            true,
            "Marked your mail as spam: suppressed at once, for good.".to_owned(),
        ),
        AddressState::Unsubscribed => (
            true,
            "Asked to be taken off the list: suppressed at once.".to_owned(),
        ),
        AddressState::HardBounced => (
            true,
            "The address does not exist: suppressed at once.".to_owned(),
        ),
        AddressState::SoftBounced => {
            let most = most_within(&of_state, rule.soft_window_days);
            if most >= rule.soft_bounces {
                (
                    true,
                    format!(
                        "Soft-bounced {most} times within {} days: suppressed by the rule ({} within {} days).",
                        rule.soft_window_days, rule.soft_bounces, rule.soft_window_days
                    ),
                )
            } else {
                (
                    false,
                    format!(
                        "Soft-bounced {times} time{}: watched; suppressed after {} within {} days.",
                        if times == 1 { "" } else { "s" },
                        rule.soft_bounces,
                        rule.soft_window_days
                    ),
                )
            }
        }
    };
    Some(ListedAddress {
        address: rows[0].address.clone(),
        state,
        suppressed,
        times,
        first: day_to_date(first),
        last: day_to_date(last),
        why,
        last_reply: of_state.iter().rev().find_map(|r| r.reply.clone()),
    })
}

/// The most events (ordered by day) within any `window` consecutive days.
fn most_within(events: &[&BounceRow], window: u32) -> u32 {
    let window = i64::from(window);
    let mut most = 0;
    let mut from = 0;
    for to in 0..events.len() {
        while events[to].day - events[from].day >= window {
            from += 1;
        }
        most = most.max(to - from + 1);
    }
    most as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(address: &str, kind: &str, day: i64) -> BounceRow {
        BounceRow {
            message_key: format!("{address}-{kind}-{day}"),
            address: address.into(),
            kind: kind.into(),
            permanent: kind == "hard",
            status: None,
            provider: None,
            reply: Some(format!("reply of day {day}")),
            day,
            origin: "test".into(),
        }
    }

    #[test]
    fn hard_complaint_and_unsubscribe_suppress_at_once_and_the_strongest_state_wins() {
        let rows = [
            row("a@x.example", "hard", 1),
            row("b@x.example", "soft", 1),
            row("b@x.example", "complaint", 2),
            row("c@x.example", "unsubscribed", 3),
        ];
        let list = suppression_list(&rows, &SuppressionRule::default());
        let states: Vec<_> = list
            .iter()
            .map(|l| (l.address.as_str(), l.state, l.suppressed))
            .collect();
        assert_eq!(
            states,
            [
                ("b@x.example", AddressState::Complaint, true),
                ("c@x.example", AddressState::Unsubscribed, true),
                ("a@x.example", AddressState::HardBounced, true),
            ]
        );
        assert_eq!(list[2].first, "1970-01-02");
    }

    #[test]
    fn soft_bounces_suppress_only_when_enough_fall_within_the_window() {
        let rule = SuppressionRule {
            soft_bounces: 3,
            soft_window_days: 30,
        };
        // Three within 30 days (days 0, 10, 29): suppressed.
        let near = [
            row("n@x.example", "soft", 0),
            row("n@x.example", "soft", 10),
            row("n@x.example", "soft", 29),
        ];
        let listed = &suppression_list(&near, &rule)[0];
        assert!(listed.suppressed, "{listed:?}");
        assert_eq!(listed.times, 3);
        assert!(
            listed.why.contains("3 times within 30 days"),
            "{}",
            listed.why
        );
        assert_eq!(listed.last_reply.as_deref(), Some("reply of day 29"));
        // Three spread over more than 30 days (0, 20, 30): watched, not suppressed.
        let far = [
            row("f@x.example", "soft", 0),
            row("f@x.example", "soft", 20),
            row("f@x.example", "soft", 30),
        ];
        let listed = &suppression_list(&far, &rule)[0];
        assert!(!listed.suppressed, "{listed:?}");
        assert!(listed.why.contains("watched"), "{}", listed.why);
        // A stricter rule suppresses it.
        let strict = SuppressionRule {
            soft_bounces: 2,
            soft_window_days: 30,
        };
        assert!(suppression_list(&far, &strict)[0].suppressed);
    }

    #[test]
    fn events_that_are_not_the_address_s_fault_list_nothing() {
        let rows = [
            row("p@x.example", "policy", 1),
            row("r@x.example", "rate", 1),
            row("d@x.example", "delayed", 1),
        ];
        assert!(suppression_list(&rows, &SuppressionRule::default()).is_empty());
    }
}
