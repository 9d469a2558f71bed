//! The checklist's items the Bounces step decides: reverse DNS (the reputation check's, beside
//! a checked message's), the blocklists, bounce handling and complaints, each citing what was
//! checked or imported.

use super::model::{ChecklistItem, ItemStatus};
use crate::bounces::BouncesView;
use crate::reputation::{ListVerdict, Listing, ReputationCheck};

/// Reverse DNS: every checked address's PTR and the server's own name; a failure fails.
pub(crate) fn ptr_item(mut it: ChecklistItem, check: Option<&ReputationCheck>) -> ChecklistItem {
    let Some(check) = check.filter(|c| !c.ptr.is_empty()) else {
        if it.status == ItemStatus::Manual {
            it.fix = Some(
                "Add your own server's address in the Senders step (or run the mail server test), then run the reputation check in the Bounces step; hosted services set their own PTR."
                    .into(),
            );
        }
        return it;
    };
    for p in &check.ptr {
        it.evidence.push(format!("Reverse DNS: {}", p.sentence));
    }
    if let Some(e) = &check.ehlo {
        it.evidence.push(format!("Server name: {}", e.sentence));
    }
    let bad = check
        .ptr
        .iter()
        .map(|p| (p.passes, &p.sentence))
        .chain(check.ehlo.iter().map(|e| (e.passes, &e.sentence)))
        .find(|(passes, _)| !passes);
    match bad {
        Some((_, sentence)) => {
            it.status = ItemStatus::Fail;
            it.fix = Some(sentence.clone());
        }
        None if it.status != ItemStatus::Fail => {
            it.status = ItemStatus::Pass;
            it.fix = None;
        }
        None => {}
    }
    it
}

fn verdict_line(v: &ListVerdict) -> String {
    match &v.listing {
        Listing::NotListed => format!("{}: {} is not listed.", v.list, v.subject),
        Listing::Listed { reasons, delist } => format!(
            "{}: {} is LISTED — {}.{}",
            v.list,
            v.subject,
            reasons.join("; "),
            delist
                .as_deref()
                .map(|d| format!(" Removal: {d}"))
                .unwrap_or_default()
        ),
        Listing::CannotCheck { why } => format!("{}: cannot check {} — {why}.", v.list, v.subject),
    }
}

/// Blocklists: a listing fails; lists that could not be asked leave it to confirm by hand.
pub(crate) fn blocklists_item(
    mut it: ChecklistItem,
    check: Option<&ReputationCheck>,
) -> ChecklistItem {
    let Some(check) = check.filter(|c| !c.blocklists.is_empty()) else {
        return it;
    };
    let listed: Vec<&ListVerdict> = check
        .blocklists
        .iter()
        .filter(|v| matches!(v.listing, Listing::Listed { .. }))
        .collect();
    let asked = check.blocklists.len() as u32 - check.cannot_check;
    it.evidence.push(format!(
        "{} answers from the blocklists: {} listing{}, {} list{} could not be asked from here.",
        asked,
        listed.len(),
        if listed.len() == 1 { "" } else { "s" },
        check.cannot_check,
        if check.cannot_check == 1 { "" } else { "s" }
    ));
    for v in check
        .blocklists
        .iter()
        .filter(|v| !matches!(v.listing, Listing::NotListed))
        .take(12)
    {
        it.evidence.push(verdict_line(v));
    }
    if !listed.is_empty() {
        it.status = ItemStatus::Fail;
        it.fix = Some(check.next_step.clone());
    } else if asked == 0 {
        it.status = ItemStatus::Manual;
        it.fix = Some(
            "No list could be asked from here: use your provider's DNS resolver in Settings, or save a free Spamhaus DQS key in the Bounces step."
                .into(),
        );
    } else {
        it.status = ItemStatus::Pass;
        it.fix = None;
    }
    it
}

/// Bounce handling: the imported bounces keep a suppression list; refusals for the setup or
/// reputation warn until fixed.
pub(crate) fn bounces_item(mut it: ChecklistItem, bounces: Option<&BouncesView>) -> ChecklistItem {
    let Some(view) = bounces.filter(|v| v.events > 0) else {
        return it;
    };
    let count = |kinds: &[&str]| -> u64 {
        view.kinds
            .iter()
            .filter(|k| kinds.contains(&k.kind.as_str()))
            .map(|k| k.count)
            .sum()
    };
    it.evidence.push(format!(
        "{} bounces and refusals imported: {} hard, {} soft, {} for the setup or reputation, {} for sending too fast; {} addresses suppressed ({}), {} watched.",
        view.events,
        count(&["hard"]),
        count(&["soft"]),
        count(&["policy", "reputation"]),
        count(&["rate"]),
        view.suppressed,
        view.rule_sentence.trim_end_matches('.'),
        view.watched
    ));
    if view.needs_attention {
        it.status = ItemStatus::Warn;
        it.fix = Some(view.next_step.clone());
    } else {
        it.status = ItemStatus::Pass;
        it.fix = Some(
            "Keep loading the exported suppression list into your mail program or service after each import."
                .into(),
        );
    }
    it
}

/// Complaints: the feedback-loop reports imported, every complainer suppressed.
pub(crate) fn complaints_item(
    mut it: ChecklistItem,
    bounces: Option<&BouncesView>,
) -> ChecklistItem {
    let complaints = bounces
        .map(|v| {
            v.kinds
                .iter()
                .filter(|k| k.kind == "complaint")
                .map(|k| k.count)
                .sum::<u64>()
        })
        .unwrap_or(0);
    if complaints == 0 {
        return it;
    }
    let suppressed = bounces
        .map(|v| {
            v.addresses
                .iter()
                .filter(|a| a.state == crate::bounces::AddressState::Complaint && a.suppressed)
                .count()
        })
        .unwrap_or(0);
    it.evidence.push(format!(
        "{complaints} complaint{} imported from feedback-loop reports; {suppressed} complaining address{} on the suppression list.",
        if complaints == 1 { "" } else { "s" },
        if suppressed == 1 { "" } else { "es" }
    ));
    it.status = ItemStatus::Pass;
    it.fix = Some(
        "Look at what the complained-about mail was and who asked for it; complaints above 0.1 % of a day's mail hold the warm-up."
            .into(),
    );
    it
}
