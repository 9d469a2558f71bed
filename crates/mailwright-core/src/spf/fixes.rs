//! Ways to bring an SPF record back under the 10-lookup limit, in the order to try them:
//! remove redundant terms; move a service to its own Return-Path subdomain; only then flatten.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::compose::SpfComposition;
use super::{MAX_DNS_LOOKUPS, Mechanism, SpfNode, SpfRecord, Term};
use crate::senders::{SenderKind, sender_for_term};

/// The kind of a fix, in the order they should be tried.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SpfFixKind {
    /// Remove a term that does nothing for the user's mail.
    RemoveRedundant,
    /// Send a service's mail from its own subdomain, whose SPF record holds its include.
    MoveToSubdomain,
    /// Replace an include with the addresses it lists today.
    Flatten,
}

/// One proposed fix and the lookups it saves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SpfFix {
    /// What kind of fix.
    pub kind: SpfFixKind,
    /// The term it concerns, as written in the record.
    pub term: String,
    /// DNS lookups it saves.
    pub saves: u32,
    /// What to do, in one or two sentences.
    pub explanation: String,
    /// What replaces the term: ip4/ip6 terms when flattening, the subdomain's record when moving.
    pub replacement: Vec<String>,
    /// The risk the user takes.
    pub warning: Option<String>,
}

/// The fixes for a composed record whose walk is `root`, redundant terms always, the others only
/// while the record is over the limit.
pub fn propose_fixes(domain: &str, composition: &SpfComposition, root: &SpfNode) -> Vec<SpfFix> {
    let total = subtree_cost(root);
    let mut fixes: Vec<SpfFix> = composition
        .terms
        .iter()
        .filter_map(|t| {
            let reason = t.redundant.clone()?;
            Some(SpfFix {
                kind: SpfFixKind::RemoveRedundant,
                term: t.term.clone(),
                saves: term_cost(root, &t.term),
                explanation: reason,
                replacement: Vec::new(),
                warning: None,
            })
        })
        .collect();
    let mut remaining = total.saturating_sub(fixes.iter().map(|f| f.saves).sum());
    if remaining <= MAX_DNS_LOOKUPS {
        return fixes;
    }
    for term in &composition.terms {
        let bare = term.term.trim_start_matches(['+', '-', '~', '?']);
        let Some(entry) = sender_for_term(bare) else {
            continue;
        };
        if term.redundant.is_some() || matches!(entry.kind, SenderKind::Mailbox | SenderKind::Own) {
            continue;
        }
        let label = entry.suggested_subdomain.clone().unwrap_or_else(|| {
            match entry.kind {
                SenderKind::Marketing => "news",
                SenderKind::Support => "support",
                SenderKind::Crm => "crm",
                SenderKind::Commerce => "shop",
                _ => "mail",
            }
            .to_owned()
        });
        let subdomain = format!("{label}.{domain}");
        let saves = term_cost(root, &term.term);
        remaining = remaining.saturating_sub(saves);
        fixes.push(SpfFix {
            kind: SpfFixKind::MoveToSubdomain,
            term: term.term.clone(),
            saves,
            explanation: format!(
                "Have {} send with addresses at {subdomain} (its From and Return-Path), publish its SPF there, and remove it from this record. It also keeps that stream's reputation apart (seed 000 §4).",
                entry.name
            ),
            replacement: vec![format!("{subdomain} TXT \"v=spf1 {bare} ~all\"")],
            warning: Some(format!(
                "Mail from {} must then use {subdomain}: change the sending address in its settings before you remove the include.",
                entry.name
            )),
        });
    }
    if remaining <= MAX_DNS_LOOKUPS {
        return fixes;
    }
    let mut flattenable: Vec<(&SpfNode, Vec<String>)> = root
        .children
        .iter()
        .filter(|child| {
            child
                .via
                .trim_start_matches(['+', '-', '~', '?'])
                .starts_with("include:")
        })
        .filter(|child| !fixes.iter().any(|f| f.term == child.via))
        .filter_map(|child| {
            // A qualified include (~include:…) passes its qualifier on to each address.
            let qualifier: String = child
                .via
                .chars()
                .take_while(|c| "-~?".contains(*c))
                .collect();
            let listed = addresses(child)?;
            Some((
                child,
                listed
                    .into_iter()
                    .map(|a| format!("{qualifier}{a}"))
                    .collect(),
            ))
        })
        .collect();
    flattenable.sort_by_key(|(child, _)| std::cmp::Reverse(subtree_cost(child)));
    for (child, addresses) in flattenable {
        if remaining <= MAX_DNS_LOOKUPS {
            break;
        }
        let saves = subtree_cost(child) + 1;
        remaining = remaining.saturating_sub(saves);
        fixes.push(SpfFix {
            kind: SpfFixKind::Flatten,
            term: child.via.clone(),
            saves,
            explanation: format!(
                "Replace “{}” with the {} address ranges it lists today.",
                child.via,
                addresses.len()
            ),
            replacement: addresses,
            warning: Some(format!(
                "Flattened addresses go stale: when {} changes its servers, mail from the new ones fails SPF until you update the record. Check the record again every month.",
                child.domain
            )),
        });
    }
    fixes
}

/// Lookups a whole subtree costs (each node's own DNS-querying terms, recursively).
fn subtree_cost(node: &SpfNode) -> u32 {
    node.cost + node.children.iter().map(subtree_cost).sum::<u32>()
}

/// Lookups one term of the root record costs: 1, plus its include's subtree.
fn term_cost(root: &SpfNode, term: &str) -> u32 {
    let queries = crate::spf_record::parse_term(term.trim()).is_ok_and(|t| match t {
        Term::Mechanism(_, m, _) => m.queries_dns(),
        Term::Redirect(_) => true,
        _ => false,
    });
    let below: u32 = root
        .children
        .iter()
        .filter(|c| c.via.eq_ignore_ascii_case(term))
        .map(subtree_cost)
        .sum();
    u32::from(queries) + below
}

/// The ip4/ip6 terms an include lists, when it lists nothing that needs DNS at evaluation time.
fn addresses(node: &SpfNode) -> Option<Vec<String>> {
    if node.problem.is_some() {
        return None;
    }
    let record = SpfRecord::parse(node.record.as_deref()?).ok()?;
    if record.redirect().is_some() {
        return None;
    }
    let mut out = Vec::new();
    for (_, mechanism, text) in record.mechanisms() {
        match mechanism {
            Mechanism::Ip4(..) | Mechanism::Ip6(..) => {
                out.push(text.trim_start_matches('+').to_owned())
            }
            Mechanism::All => {}
            Mechanism::Include(_) => {
                let child = node.children.iter().find(|c| c.via == text)?;
                out.extend(addresses(child)?);
            }
            _ => return None,
        }
    }
    Some(out)
}
