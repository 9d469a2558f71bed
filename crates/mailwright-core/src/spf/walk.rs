//! The lookup walk (RFC 7208 §4.6.4): follows `include` and `redirect` recursively, counting the
//! DNS-querying terms (include, a, mx, ptr, exists, redirect — not ip4, ip6, all or exp), the void
//! lookups (NXDOMAIN or no data) and MX hosts per `mx`, and detecting loops. Lookups in one
//! record run concurrently; one budget for the whole walk bounds the records read and the names
//! asked, each name asked once. Macros are syntax-checked, never expanded: a term with a macro is
//! counted but not followed.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use crate::dns::TXT;
use crate::dns::{RData, RecordType};
use futures::future::{BoxFuture, FutureExt, join_all};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::is_spf;
use super::{Mechanism, SpfRecord};
use crate::dns::{DnsClient, Lookup, Outcome};

/// Deepest include chain followed; real records stay far below it.
const MAX_DEPTH: usize = 12;
/// Records (nodes) one walk reads at most. RFC 7208 §4.6.4 lets a receiver evaluate 10
/// lookups; ten times that keeps every count Mailwright reports exact up to well past the limit,
/// while a hostile tree (50 includes per level grows as 50^k) is cut after a bounded amount of
/// work.
pub const MAX_WALK_NODES: u32 = 100;
/// DNS queries one walk makes at most (each distinct name and type is asked once).
pub const MAX_WALK_QUERIES: u32 = 200;

/// What one walk has spent, shared by all its branches: the records read, and each answer by
/// name and type, so a name included twice is asked once.
#[derive(Default)]
struct Budget {
    nodes: AtomicU32,
    answers: Mutex<HashMap<(String, RecordType), Lookup>>,
    cut: AtomicBool,
}

impl Budget {
    /// Takes one record from the budget; `false` (and the walk marked cut) when it is spent.
    fn take_node(&self) -> bool {
        let ok = self.nodes.fetch_add(1, Ordering::Relaxed) < MAX_WALK_NODES;
        if !ok {
            self.cut.store(true, Ordering::Relaxed);
        }
        ok
    }

    /// The answer for `name`/`rtype`: remembered, else asked (within the query budget).
    async fn lookup(&self, dns: &DnsClient, name: &str, rtype: RecordType) -> Option<Lookup> {
        let key = (name.to_ascii_lowercase(), rtype);
        {
            let answers = self.answers.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(found) = answers.get(&key) {
                return Some(found.clone());
            }
            if answers.len() as u32 >= MAX_WALK_QUERIES {
                self.cut.store(true, Ordering::Relaxed);
                return None;
            }
        }
        let lookup = dns.lookup(name, rtype).await;
        self.answers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, lookup.clone());
        Some(lookup)
    }
}

/// One record in the include tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SpfNode {
    /// The domain whose record this is.
    pub domain: String,
    /// The term that led here (`include:…`, `redirect=…`), empty for the domain itself.
    pub via: String,
    /// The SPF record found, TXT strings joined.
    pub record: Option<String>,
    /// DNS-querying terms in this record itself.
    pub cost: u32,
    /// Void lookups caused by this record's terms.
    pub voids: u32,
    /// What is wrong here, if anything.
    pub problem: Option<SpfProblem>,
    /// The problem in a few plain words (its [`SpfProblem::label`]), for the window's tree.
    #[serde(default)]
    pub problem_words: Option<String>,
    /// Records reached through include and redirect.
    pub children: Vec<SpfNode>,
}

/// What can be wrong at one node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum SpfProblem {
    /// No SPF record at the domain.
    NoRecord,
    /// More than one SPF record.
    MultipleRecords {
        /// How many.
        count: u32,
    },
    /// The record is malformed.
    Syntax {
        /// The reason, naming the term.
        reason: String,
    },
    /// The include or redirect leads back to a domain already on the path.
    Loop,
    /// An `mx` term names more than 10 hosts.
    TooManyMxHosts {
        /// The term.
        term: String,
        /// How many hosts.
        hosts: u32,
    },
    /// The lookup failed (SERVFAIL or timeout).
    LookupFailed,
    /// The target contains macros, so it depends on each message and is not followed.
    Macro,
    /// The chain is deeper than Mailwright follows.
    TooDeep,
    /// The walk had read as many records or asked as many names as it allows, so this one was
    /// not followed.
    Cut,
}

impl SpfProblem {
    /// The problem in a few plain words, for a tree view.
    pub fn label(&self) -> String {
        match self {
            SpfProblem::NoRecord => "no SPF record".into(),
            SpfProblem::MultipleRecords { count } => format!("{count} SPF records"),
            SpfProblem::Syntax { reason } => format!("malformed: {reason}"),
            SpfProblem::Loop => "loops back: not followed".into(),
            SpfProblem::TooManyMxHosts { term, hosts } => {
                format!("{term} names {hosts} hosts (limit 10)")
            }
            SpfProblem::LookupFailed => "could not be looked up: its lookups are unknown".into(),
            SpfProblem::Macro => "depends on each message (macro): not followed".into(),
            SpfProblem::TooDeep => "too deep: not followed".into(),
            SpfProblem::Cut => "too many lookups in all: not followed".into(),
        }
    }
}

/// The whole walk: the tree and the totals receivers compare with their limits.
#[derive(Clone, Debug, PartialEq)]
pub struct SpfWalk {
    /// The lookup of the domain's own TXT records (evidence when it has no usable record).
    pub root_txt: Lookup,
    /// The domain's own record and everything it includes.
    pub root: SpfNode,
    /// DNS-querying terms in the whole tree (limit 10).
    pub dns_lookups: u32,
    /// Void lookups in the whole tree (limit 2).
    pub void_lookups: u32,
    /// Depth of the include tree (1: no includes).
    pub depth: u32,
    /// Whether the walk stopped at its budget ([`MAX_WALK_NODES`], [`MAX_WALK_QUERIES`]), so
    /// the totals are a lower bound.
    pub cut: bool,
}

/// Walks the SPF record of `domain` and everything it includes.
pub async fn walk_spf(dns: &DnsClient, domain: &str) -> SpfWalk {
    let root_txt = dns.lookup(domain, RecordType::TXT).await;
    walk_from(dns, domain, root_txt).await
}

/// Walks `record` as if it were published at `domain`: a record composed but not yet published.
pub async fn walk_record(dns: &DnsClient, domain: &str, record: &str) -> SpfWalk {
    let root_txt = Lookup {
        name: domain.to_owned(),
        rtype: RecordType::TXT,
        cnames: Vec::new(),
        outcome: Outcome::Records(vec![RData::TXT(TXT::new(vec![record.to_owned()]))]),
    };
    walk_from(dns, domain, root_txt).await
}

/// The walk from the domain's own TXT answer, within one budget for the whole walk.
async fn walk_from(dns: &DnsClient, domain: &str, root_txt: Lookup) -> SpfWalk {
    let budget = Budget::default();
    budget.take_node();
    let root = evaluate(
        dns,
        &budget,
        domain.to_owned(),
        String::new(),
        Vec::new(),
        &root_txt,
    )
    .await;
    let mut root = root;
    put_words(&mut root);
    let (dns_lookups, void_lookups, depth) = totals(&root);
    SpfWalk {
        root_txt,
        root,
        dns_lookups,
        void_lookups,
        depth,
        cut: budget.cut.load(Ordering::Relaxed),
    }
}

/// Writes each problem's words beside it, through the whole tree.
fn put_words(node: &mut SpfNode) {
    node.problem_words = node.problem.as_ref().map(SpfProblem::label);
    node.children.iter_mut().for_each(put_words);
}

fn totals(node: &SpfNode) -> (u32, u32, u32) {
    node.children.iter().map(totals).fold(
        (node.cost, node.voids, 1),
        |(cost, voids, depth), (c, v, d)| (cost + c, voids + v, depth.max(d + 1)),
    )
}

fn is_void(lookup: &Lookup) -> bool {
    matches!(lookup.outcome, Outcome::NoData | Outcome::NxDomain)
}

fn empty_node(domain: &str, via: String) -> SpfNode {
    SpfNode {
        domain: domain.to_owned(),
        via,
        record: None,
        cost: 0,
        voids: 0,
        problem: None,
        problem_words: None,
        children: Vec::new(),
    }
}

/// An included or redirected-to domain: looked up unless it is a macro, a loop or too deep.
fn visit<'a>(
    dns: &'a DnsClient,
    budget: &'a Budget,
    domain: String,
    via: String,
    path: Vec<String>,
) -> BoxFuture<'a, SpfNode> {
    async move {
        let stop = if domain.contains('%') {
            Some(SpfProblem::Macro)
        } else if path.iter().any(|d| d.eq_ignore_ascii_case(&domain)) {
            Some(SpfProblem::Loop)
        } else if path.len() >= MAX_DEPTH {
            Some(SpfProblem::TooDeep)
        } else if !budget.take_node() {
            Some(SpfProblem::Cut)
        } else {
            None
        };
        let txt = match stop {
            Some(_) => None,
            None => budget.lookup(dns, &domain, RecordType::TXT).await,
        };
        let Some(txt) = txt else {
            let mut node = empty_node(&domain, via);
            node.problem = Some(stop.unwrap_or(SpfProblem::Cut));
            return node;
        };
        evaluate(dns, budget, domain, via, path, &txt).await
    }
    .boxed()
}

/// The record found by `txt` at `domain`, its terms counted and its includes visited.
fn evaluate<'a>(
    dns: &'a DnsClient,
    budget: &'a Budget,
    domain: String,
    via: String,
    path: Vec<String>,
    txt: &'a Lookup,
) -> BoxFuture<'a, SpfNode> {
    async move {
        let mut node = empty_node(&domain, via);
        if txt.failed() {
            node.problem = Some(SpfProblem::LookupFailed);
            return node;
        }
        let records: Vec<String> = txt.txt().into_iter().filter(|t| is_spf(t)).collect();
        let text = match records.as_slice() {
            [] => {
                node.problem = Some(SpfProblem::NoRecord);
                // An include or redirect to a name with no records at all is a void lookup.
                if !node.via.is_empty() && is_void(txt) {
                    node.voids = 1;
                }
                return node;
            }
            [one] => one.clone(),
            many => {
                node.problem = Some(SpfProblem::MultipleRecords {
                    count: many.len() as u32,
                });
                return node;
            }
        };
        node.record = Some(text.clone());
        let record = match SpfRecord::parse(&text) {
            Ok(record) => record,
            Err(e) => {
                node.problem = Some(SpfProblem::Syntax {
                    reason: e.to_string(),
                });
                return node;
            }
        };
        let mut path = path;
        path.push(domain.clone());

        // Terms that query DNS, and what to look up for each (macros are not expanded).
        let mut follow = Vec::new();
        let mut probes = Vec::new();
        for (_, mechanism, text) in record.mechanisms() {
            if mechanism.queries_dns() {
                node.cost += 1;
            }
            let target = |d: &Option<String>| d.clone().unwrap_or_else(|| domain.clone());
            match mechanism {
                Mechanism::Include(d) => follow.push((d.clone(), text.to_owned())),
                Mechanism::A(d, _) => probes.push((target(d), RecordType::A, text.to_owned())),
                Mechanism::Mx(d, _) => probes.push((target(d), RecordType::MX, text.to_owned())),
                Mechanism::Exists(d) if !d.contains('%') => {
                    probes.push((d.clone(), RecordType::A, text.to_owned()))
                }
                _ => {}
            }
        }
        // RFC 7208 §6.1: redirect is ignored when the record has an `all` mechanism.
        let has_all = record.mechanisms().any(|(_, m, _)| *m == Mechanism::All);
        if let (Some(target), false) = (record.redirect(), has_all) {
            node.cost += 1;
            follow.push((target.to_owned(), format!("redirect={target}")));
        }
        let probes = join_all(probes.into_iter().filter(|(d, ..)| !d.contains('%')).map(
            |(name, rtype, term)| async move { (budget.lookup(dns, &name, rtype).await, term) },
        ));
        if budget.cut.load(Ordering::Relaxed) && !follow.is_empty() {
            follow.clear();
            node.problem.get_or_insert(SpfProblem::Cut);
        }
        let children = join_all(
            follow
                .into_iter()
                .map(|(target, term)| visit(dns, budget, target, term, path.clone())),
        );
        let (probes, children) = futures::join!(probes, children);
        for (lookup, term) in probes {
            let Some(lookup) = lookup else {
                continue;
            };
            if is_void(&lookup) {
                node.voids += 1;
            }
            let hosts = lookup.records().len() as u32;
            if lookup.rtype == RecordType::MX && hosts > 10 && node.problem.is_none() {
                node.problem = Some(SpfProblem::TooManyMxHosts { term, hosts });
            }
        }
        // Records not read for lack of budget are not kept: their parent says it was cut.
        let read = children.len();
        node.children = children
            .into_iter()
            .filter(|c| c.problem != Some(SpfProblem::Cut) || c.record.is_some())
            .collect();
        if node.children.len() < read {
            node.problem.get_or_insert(SpfProblem::Cut);
        }
        node
    }
    .boxed()
}
