//! "Who sends as you": each source of the period with what it is and the one thing to do,
//! unknown sources first.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::store::SourceTotals;
use crate::senders::{Inventory, sender};

/// What a source is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SourceKind {
    /// Nobody knows it yet: it may be a service you forgot, or someone spoofing you.
    Unknown,
    /// It relays mail already signed with your key (SPF fails, DKIM passes): forwarding.
    Forwarding,
    /// A sender Mailwright recognised that is not in your Senders list.
    NotListed,
    /// One of your senders (listed in Senders, or marked "this is mine").
    Yours,
    /// Marked "not mine": spoofing, which an enforced DMARC policy stops.
    NotYours,
}

/// One source as the step shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SourceView {
    /// The totals and names.
    #[serde(flatten)]
    pub totals: SourceTotals,
    /// The sender's name ("Google Workspace (Gmail)"), when known.
    pub sender_name: Option<String>,
    /// What it is.
    pub kind: SourceKind,
    /// What it is and the one thing to do, in plain words.
    pub sentence: String,
}

/// Whether `id` is a sender the user listed.
fn listed(inventory: &Inventory, id: &str) -> bool {
    inventory.senders.iter().any(|s| s.id == id)
}

/// The source table: unknown sources first, then forwarding, not-listed, yours and not
/// yours; within each, most messages first.
pub fn source_views(totals: Vec<SourceTotals>, inventory: &Inventory) -> Vec<SourceView> {
    let mut views: Vec<SourceView> = totals.into_iter().map(|t| view(t, inventory)).collect();
    views.sort_by(|a, b| {
        a.kind
            .cmp(&b.kind)
            .then(b.totals.messages.cmp(&a.totals.messages))
            .then(a.totals.ip.cmp(&b.totals.ip))
    });
    views
}

fn view(totals: SourceTotals, inventory: &Inventory) -> SourceView {
    let sender_name = totals
        .sender_id
        .as_deref()
        .and_then(sender)
        .map(|s| s.name.clone());
    let failing = totals.messages - totals.dmarc_pass.min(totals.messages);
    let mostly_forwarded = totals.forwarded * 2 >= totals.messages && totals.forwarded > 0;
    let (kind, sentence) = match (totals.mine, totals.sender_id.as_deref()) {
        (Some(false), _) => (
            SourceKind::NotYours,
            format!(
                "You marked it “not mine”: {failing} of its {} messages failed DMARC. An enforced policy (quarantine, then reject) stops this mail.",
                totals.messages
            ),
        ),
        (Some(true), _) => yours(&totals, failing, "You marked it as yours"),
        (None, Some(id)) if listed(inventory, id) => yours(
            &totals,
            failing,
            &format!(
                "{} ({})",
                sender_name.as_deref().unwrap_or(id),
                totals.matched_by.as_deref().unwrap_or("recognised")
            ),
        ),
        (None, Some(id)) => (
            SourceKind::NotListed,
            format!(
                "This looks like {} ({}), which is not in your Senders list. If you use it, press “This is mine” to add it; if not, press “Not mine”.",
                sender_name.as_deref().unwrap_or(id),
                totals.matched_by.as_deref().unwrap_or("recognised")
            ),
        ),
        (None, None) if mostly_forwarded => (
            SourceKind::Forwarding,
            "Mail signed with your DKIM key reached receivers from here while SPF failed: a mailbox that forwards your mail (normal, and DMARC still passes on DKIM). If it is a server of yours, press “This is mine”.".to_owned(),
        ),
        (None, None) if totals.dkim_aligned * 10 >= totals.messages * 9 => (
            SourceKind::NotListed,
            format!(
                "It signs its mail with your domain's DKIM key{}, so it sends for you: press “This is mine” to add it to Senders.",
                match totals.dkim_domains.first() {
                    Some(d) => format!(" (d={d})"),
                    None => String::new(),
                }
            ),
        ),
        (None, None) if !totals.looked_up => (
            SourceKind::Unknown,
            "Mailwright could not look this address up yet (the DNS server did not answer, or there were more new sources than one import names); it tries again after the next import or fetch. If it sends for you, press “This is mine”; if not, press “Not mine”.".to_owned(),
        ),
        (None, None) => (
            SourceKind::Unknown,
            format!(
                "Mailwright does not know this sender{}. If it sends for you (a service or server you forgot), press “This is mine”; if not, press “Not mine” — it is someone using your domain.",
                match &totals.matched_by {
                    Some(words) => format!(" ({words})"),
                    None => String::new(),
                }
            ),
        ),
    };
    SourceView {
        totals,
        sender_name,
        kind,
        sentence,
    }
}

fn yours(totals: &SourceTotals, failing: u64, who: &str) -> (SourceKind, String) {
    let sentence = if failing == 0 {
        format!("{who}: all its mail passed DMARC.")
    } else if totals.dkim_aligned == 0 && totals.spf_aligned == 0 {
        format!(
            "{who}: {failing} of its {} messages failed DMARC — neither SPF nor DKIM aligned with your domain. Set up its DKIM with your domain (DKIM step) or add it to SPF (SPF step).",
            totals.messages
        )
    } else {
        format!(
            "{who}: {failing} of its {} messages failed DMARC. Check its DKIM set-up in the DKIM step; some of its mail is not signed with your domain.",
            totals.messages
        )
    };
    (SourceKind::Yours, sentence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::senders::SenderChoice;

    fn totals(ip: &str, messages: u64, pass: u64) -> SourceTotals {
        SourceTotals {
            ip: ip.into(),
            messages,
            dmarc_pass: pass,
            looked_up: true,
            ..SourceTotals::default()
        }
    }

    #[test]
    fn unknown_sources_come_first_and_each_says_what_to_do() {
        let inventory = Inventory {
            senders: vec![SenderChoice {
                id: "google".into(),
                ..SenderChoice::default()
            }],
        };
        let mut google = totals("192.0.2.1", 1000, 1000);
        google.sender_id = Some("google".into());
        google.matched_by = Some("its SPF (include:_spf.google.com) lists this address".into());
        let mut sendgrid = totals("192.0.2.2", 50, 0);
        sendgrid.sender_id = Some("sendgrid".into());
        let unknown = totals("198.51.100.9", 3, 0);
        let mut forwarder = totals("203.0.113.7", 10, 10);
        forwarder.forwarded = 10;
        let mut spoof = totals("203.0.113.66", 500, 0);
        spoof.mine = Some(false);
        let views = source_views(
            vec![google, sendgrid, unknown, forwarder, spoof],
            &inventory,
        );
        let kinds: Vec<SourceKind> = views.iter().map(|v| v.kind).collect();
        assert_eq!(
            kinds,
            vec![
                SourceKind::Unknown,
                SourceKind::Forwarding,
                SourceKind::NotListed,
                SourceKind::Yours,
                SourceKind::NotYours
            ]
        );
        assert!(views[2].sentence.contains("not in your Senders list"));
        assert!(views[3].sentence.contains("all its mail passed DMARC"));
        assert!(views[4].sentence.contains("500 messages failed"));
        assert!(views[0].sentence.contains("does not know this sender"));
    }

    #[test]
    fn a_source_not_looked_up_is_not_called_unknown_to_mailwright() {
        let mut pending = totals("198.51.100.9", 3, 0);
        pending.looked_up = false;
        let views = source_views(vec![pending], &Inventory::default());
        assert_eq!(views[0].kind, SourceKind::Unknown);
        assert!(
            views[0]
                .sentence
                .contains("could not look this address up yet")
        );
        assert!(!views[0].sentence.contains("does not know"));
    }
}
