//! The checklist's items a checked message shows: its evidence cited beside what the audit
//! found, and the items only a message can decide (reverse DNS, unsubscribe, format). The report
//! names the message by its Message-ID and date, and by its subject only when the user allowed
//! it.

use super::model::{ChecklistItem, ItemStatus};
use crate::message::{MessageCheck, RuleCheck};

/// How the report names the message: its Message-ID and date, and its subject only when the
/// user allowed it (the caller leaves `subject` empty otherwise).
fn which(message: &MessageCheck) -> String {
    format!(
        "In the message checked ({}{}{})",
        message.message_id.as_deref().unwrap_or("no Message-ID"),
        message
            .date
            .as_deref()
            .map(|d| format!(", sent {d}"))
            .unwrap_or_default(),
        message
            .subject
            .as_deref()
            .map(|s| format!(", “{s}”"))
            .unwrap_or_default()
    )
}

/// The message's rules called `ids`.
fn named<'a>(message: &'a MessageCheck, ids: &'a [&str]) -> impl Iterator<Item = &'a RuleCheck> {
    message
        .rules
        .iter()
        .filter(move |r| ids.contains(&r.id.as_str()))
}

/// Adds what the message shows for `rules` to the item's evidence, without changing its status.
pub(crate) fn cite_message(
    mut it: ChecklistItem,
    message: Option<&MessageCheck>,
    rules: &[&str],
) -> ChecklistItem {
    let Some(message) = message else {
        return it;
    };
    for rule in message
        .rules
        .iter()
        .filter(|r| rules.contains(&r.id.as_str()))
    {
        it.evidence.push(format!(
            "{}: {} — {}.",
            which(message),
            rule.rule,
            match rule.met {
                Some(true) => "met",
                Some(false) => "not met",
                None => "not known",
            }
        ));
    }
    it
}

/// Decides the item from the message's `rules` (passes when all are met, fails when one is not);
/// without a checked message, or when the message cannot tell, it stays to do by hand.
pub(crate) fn from_message(
    mut it: ChecklistItem,
    message: Option<&MessageCheck>,
    rules: &[&str],
) -> ChecklistItem {
    let Some(message) = message else {
        return it;
    };
    let found: Vec<&RuleCheck> = named(message, rules).collect();
    for rule in &found {
        it.evidence
            .push(format!("{}: {}", which(message), rule.evidence));
    }
    if found.iter().any(|r| r.met == Some(false)) {
        it.status = ItemStatus::Fail;
    } else if !found.is_empty() && found.iter().all(|r| r.met == Some(true)) {
        it.status = ItemStatus::Pass;
        it.fix = None;
    }
    it
}
