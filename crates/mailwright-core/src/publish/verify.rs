//! Proving the records are published: each record asked of the domain's own name servers
//! (found through NS; a report receiver's record, of the receiver's) and of the configured
//! resolver, again and again with backoff until all
//! are there or the user stops. Each round says per record: not found, different (with the
//! difference), published, or visible through the resolver too.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use crate::dns::{RData, RecordType};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::EngineError;
use crate::dns::{DnsClient, DnsConfig, Lookup, OutcomeKind};
use crate::dns_record::DnsRecord;

use super::present::in_zone;

/// Where a record stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RecordState {
    /// Being asked now (the first round, before any answer).
    Checking,
    /// No server could be asked (they did not answer or refused): unknown, not missing.
    CouldNotCheck,
    /// The domain's name servers do not have it yet.
    NotFound,
    /// They have a record of this kind with another value.
    Different,
    /// The domain's name servers have it; the resolver does not show it yet (caches expire).
    Published,
    /// Published, and the resolver shows it too.
    Visible,
}

/// One record's check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecordCheck {
    /// The record looked for.
    pub record: DnsRecord,
    /// Where it stands.
    pub state: RecordState,
    /// What the domain's name servers have at that name and type.
    pub found: Vec<String>,
    /// How the closest value found differs from the one wanted, when it does.
    pub difference: Option<String>,
    /// Which server could not be asked and why, in a sentence, when one could not.
    pub why: Option<String>,
}

/// One round of checks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VerifyRound {
    /// The round's number, from 1.
    pub round: u32,
    /// The name servers asked (`ns1.example.com 192.0.2.1`).
    pub servers: Vec<String>,
    /// Each record.
    pub checks: Vec<RecordCheck>,
    /// Every record of this round has its answer (earlier messages of a round show the records
    /// answered so far).
    pub complete: bool,
    /// Every record is visible through the resolver.
    pub done: bool,
    /// Milliseconds until the next round, when there is one.
    pub next_in_ms: Option<u32>,
}

/// What to tell the user when checking ends, for a desktop notification: they may be at their
/// DNS host's site while Mailwright waits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyNotice {
    /// The notification's title.
    pub title: String,
    /// One or two sentences: what happened and what to do next.
    pub body: String,
}

impl VerifyRound {
    /// The notice for the last round (none while more rounds are coming).
    pub fn notice(&self) -> Option<VerifyNotice> {
        if self.next_in_ms.is_some() || !self.complete {
            return None;
        }
        let total = self.checks.len();
        let visible = self
            .checks
            .iter()
            .filter(|c| c.state == RecordState::Visible)
            .count();
        Some(if self.done {
            VerifyNotice {
                title: "Your DNS records are published".into(),
                body: format!(
                    "{} published and visible. Open Mailwright for the next step.",
                    if total == 1 {
                        "The record is".to_owned()
                    } else {
                        format!("All {total} records are")
                    }
                ),
            }
        } else {
            VerifyNotice {
                title: "Some DNS records are not published yet".into(),
                body: format!(
                    "{visible} of {total} records are published. Open Mailwright to see which ones differ or are missing, then check again."
                ),
            }
        })
    }
}

/// How the checks are paced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifySettings {
    /// The port the domain's name servers answer on (53; tests use their own server's).
    pub port: u16,
    /// The wait after the first round.
    pub first_wait: Duration,
    /// The longest wait between rounds (the wait doubles up to it).
    pub max_wait: Duration,
    /// The most rounds before giving up (the user can start again).
    pub max_rounds: u32,
}

impl Default for VerifySettings {
    fn default() -> Self {
        VerifySettings {
            port: 53,
            first_wait: Duration::from_secs(10),
            max_wait: Duration::from_secs(120),
            max_rounds: 60,
        }
    }
}

/// The environment variable that changes the port the domain's name servers are asked on (for
/// tests with their own DNS server).
pub const ENV_NS_PORT: &str = "MAILWRIGHT_NS_PORT";

impl VerifySettings {
    /// The defaults, with the port from [`ENV_NS_PORT`] when it is set to a port number (in
    /// debug builds only: [`crate::test_switch`]).
    pub fn from_environment() -> Self {
        let port = crate::test_switch::test_switch(ENV_NS_PORT)
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or(53);
        VerifySettings {
            port,
            ..VerifySettings::default()
        }
    }
}

/// The name servers of the zone holding `domain`: NS looked up at `domain`, then its parents,
/// through the resolver; each server's addresses with `port`, except that a server at the
/// address of the DNS server chosen in Settings is asked on that server's port.
pub async fn authoritative_servers(
    domain: &str,
    dns: &DnsConfig,
    port: u16,
) -> Result<Vec<(String, SocketAddr)>, EngineError> {
    let client = DnsClient::new(dns, None)?;
    let mut zone = domain.trim_end_matches('.').to_owned();
    loop {
        let ns = client.lookup(&zone, RecordType::NS).await;
        let hosts: Vec<String> = ns
            .records()
            .iter()
            .filter_map(|r| match r {
                RData::NS(ns) => Some(ns.0.to_string().trim_end_matches('.').to_owned()),
                _ => None,
            })
            .collect();
        if !hosts.is_empty() {
            let mut servers = Vec::new();
            for host in hosts {
                for ip in client.addresses(&host).await {
                    let port = match dns.nameserver {
                        Some(chosen) if chosen.ip() == ip => chosen.port(),
                        _ => port,
                    };
                    servers.push((host.clone(), SocketAddr::new(ip, port)));
                }
            }
            if servers.is_empty() {
                return Err(EngineError::DnsFailed(format!(
                    "the name servers of {zone}"
                )));
            }
            return Ok(servers);
        }
        match zone.split_once('.') {
            Some((_, parent)) if parent.contains('.') => zone = parent.to_owned(),
            _ => {
                return Err(EngineError::DnsFailed(format!(
                    "the NS records of {domain}"
                )));
            }
        }
    }
}

/// The values at the record's name and type, as one string each.
fn values(lookup: &Lookup, rtype: &str) -> Vec<String> {
    if rtype == "CNAME" {
        return lookup
            .records()
            .iter()
            .filter_map(|r| match r {
                RData::CNAME(c) => Some(c.0.to_string().trim_end_matches('.').to_ascii_lowercase()),
                _ => None,
            })
            .chain(lookup.cnames.first().map(|(_, t)| t.to_ascii_lowercase()))
            .collect();
    }
    lookup.txt()
}

fn matches(wanted: &DnsRecord, value: &str) -> bool {
    if wanted.rtype == "CNAME" {
        value.eq_ignore_ascii_case(wanted.value.trim_end_matches('.'))
    } else {
        value == wanted.value
    }
}

/// The same kind of record (its `v=` tag), for "different" rather than "not found".
fn same_kind(wanted: &DnsRecord, value: &str) -> bool {
    wanted.rtype == "CNAME"
        || wanted
            .value
            .split(';')
            .next()
            .is_some_and(|tag| value.starts_with(tag.split_whitespace().next().unwrap_or(tag)))
}

/// Where the two values first differ, in words.
pub fn difference(wanted: &str, found: &str) -> String {
    let at = wanted
        .chars()
        .zip(found.chars())
        .take_while(|(a, b)| a == b)
        .count();
    let context = |s: &str| {
        s.chars()
            .skip(at.saturating_sub(10))
            .take(30)
            .collect::<String>()
    };
    format!(
        "They differ from character {}: the record has “…{}…”, it should be “…{}…” ({} characters published, {} wanted).",
        at + 1,
        context(found),
        context(wanted),
        found.chars().count(),
        wanted.chars().count()
    )
}

fn rtype(record: &DnsRecord) -> RecordType {
    if record.rtype == "CNAME" {
        RecordType::CNAME
    } else {
        RecordType::TXT
    }
}

/// The name servers asked for each record: the zone's own, or for a record outside it (a report
/// receiver's authorization) that zone's, found through NS the same way.
pub type CheckPlan = Vec<(DnsRecord, Vec<(String, SocketAddr)>)>;

/// Why `lookup` told nothing, in words, when it failed.
fn failure(server: &str, lookup: &Lookup) -> Option<String> {
    lookup.failed().then(|| {
        format!(
            "the name server {server} {}",
            match lookup.kind() {
                OutcomeKind::Timeout => "did not answer in time",
                _ => "refused or failed to answer",
            }
        )
    })
}

/// One record asked of its name servers (the resolver when they are unknown or none of them
/// could be asked) and of the resolver.
async fn check_record(
    record: &DnsRecord,
    servers: &[(String, SocketAddr)],
    resolver: &DnsClient,
    dns: &DnsConfig,
) -> Result<RecordCheck, EngineError> {
    let mut found = Vec::new();
    let mut answered = 0;
    let mut everywhere = true;
    let mut failures = Vec::new();
    for (host, addr) in servers {
        let client = DnsClient::new(&dns.asking(*addr), None)?;
        let lookup = client.lookup(&record.name, rtype(record)).await;
        if let Some(why) = failure(&format!("{host} ({addr})"), &lookup) {
            failures.push(why);
            continue;
        }
        answered += 1;
        let here = values(&lookup, &record.rtype);
        everywhere &= here.iter().any(|v| matches(record, v));
        for v in here {
            if !found.contains(&v) {
                found.push(v);
            }
        }
    }
    let through_resolver = resolver.lookup(&record.name, rtype(record)).await;
    let seen = values(&through_resolver, &record.rtype);
    let visible = seen.iter().any(|v| matches(record, v));
    let mut why = (!failures.is_empty()).then(|| join_sentences(&failures));
    if answered == 0 {
        // Only the resolver could be asked: what it shows is all that is known.
        if let Some(resolver_failed) = failure(resolver.server(), &through_resolver) {
            failures.push(resolver_failed);
            return Ok(RecordCheck {
                record: record.clone(),
                state: RecordState::CouldNotCheck,
                found,
                difference: None,
                why: Some(join_sentences(&failures)),
            });
        }
        found = seen.clone();
        everywhere = visible;
        if servers.is_empty() {
            why = None;
        }
    }
    let (state, difference) = if everywhere && visible {
        (RecordState::Visible, None)
    } else if everywhere {
        (RecordState::Published, None)
    } else if let Some(close) = found
        .iter()
        .find(|v| same_kind(record, v) && !matches(record, v))
    {
        (
            RecordState::Different,
            Some(difference(&record.value, close)),
        )
    } else if !failures.is_empty() {
        (RecordState::CouldNotCheck, None)
    } else {
        (RecordState::NotFound, None)
    };
    Ok(RecordCheck {
        record: record.clone(),
        state,
        found,
        difference,
        why,
    })
}

/// Several failures as one sentence.
fn join_sentences(parts: &[String]) -> String {
    let mut sentence = parts.join("; ");
    if let Some(first) = sentence.get(..1) {
        sentence = first.to_uppercase() + &sentence[1..];
    }
    sentence + "."
}

/// One round: every record asked at once of its name servers and of the resolver; each
/// record's check goes to `each` as soon as it is known (with its index in `plan`).
pub async fn check_round(
    plan: &CheckPlan,
    dns: &DnsConfig,
    each: &(dyn Fn(usize, &RecordCheck) + Send + Sync),
) -> Result<Vec<RecordCheck>, EngineError> {
    use futures::StreamExt;
    // Fresh clients each round: a cached "not found" must not hide a record just added.
    let resolver = DnsClient::new(dns, None)?;
    let mut pending: futures::stream::FuturesUnordered<_> = plan
        .iter()
        .enumerate()
        .map(|(i, (record, servers))| {
            let resolver = &resolver;
            async move { (i, check_record(record, servers, resolver, dns).await) }
        })
        .collect();
    let mut checks: Vec<Option<RecordCheck>> = vec![None; plan.len()];
    while let Some((i, check)) = pending.next().await {
        let check = check?;
        each(i, &check);
        checks[i] = Some(check);
    }
    Ok(checks.into_iter().flatten().collect())
}

/// Checks round after round, waiting longer each time, until every record is visible, the
/// rounds run out, or the task is dropped (the user pressed Stop). Each round goes to `sink`:
/// at once with every record being checked, then as each record's answer arrives.
pub async fn verify_until_published(
    records: &[DnsRecord],
    zone: &str,
    dns: &DnsConfig,
    settings: &VerifySettings,
    sink: Option<Arc<dyn Fn(VerifyRound) + Send + Sync>>,
) -> Result<VerifyRound, EngineError> {
    let send = |round: &VerifyRound| {
        if let Some(sink) = &sink {
            sink(round.clone());
        }
    };
    let mut current = VerifyRound {
        round: 1,
        servers: Vec::new(),
        checks: records
            .iter()
            .map(|record| RecordCheck {
                record: record.clone(),
                state: RecordState::Checking,
                found: Vec::new(),
                difference: None,
                why: None,
            })
            .collect(),
        complete: false,
        done: false,
        next_in_ms: None,
    };
    send(&current);
    // Without the zone's name servers, the resolver alone is asked and each record says why.
    let (servers, no_servers) = match authoritative_servers(zone, dns, settings.port).await {
        Ok(servers) => (servers, None),
        Err(error) => (Vec::new(), Some(error.to_string())),
    };
    let mut plan = CheckPlan::new();
    for record in records {
        let asked = if in_zone(&record.name, zone) {
            servers.clone()
        } else {
            // Another organization's zone: its failure must not stop the user's own check.
            authoritative_servers(&record.name, dns, settings.port)
                .await
                .unwrap_or_default()
        };
        plan.push((record.clone(), asked));
    }
    for (host, addr) in plan.iter().flat_map(|(_, s)| s) {
        let name = format!("{host} {addr}");
        if !current.servers.contains(&name) {
            current.servers.push(name);
        }
    }
    let mut wait = settings.first_wait;
    loop {
        let partial = std::sync::Mutex::new(current.clone());
        let each = |i: usize, check: &RecordCheck| {
            let mut round = partial.lock().unwrap_or_else(|p| p.into_inner());
            round.checks[i] = check.clone();
            send(&round);
        };
        let mut checks = check_round(&plan, dns, &each).await?;
        if let Some(why) = &no_servers {
            for check in checks.iter_mut().filter(|c| in_zone(&c.record.name, zone)) {
                check.why.get_or_insert_with(|| {
                    format!("Only your DNS server was asked, because the domain's own name servers could not be found: {why}")
                });
            }
        }
        let done = checks.iter().all(|c| c.state == RecordState::Visible);
        let last = done || current.round >= settings.max_rounds;
        tracing::info!(
            zone,
            round = current.round,
            visible = checks
                .iter()
                .filter(|c| c.state == RecordState::Visible)
                .count(),
            records = checks.len(),
            "publish check round"
        );
        current.checks = checks;
        current.complete = true;
        current.done = done;
        current.next_in_ms = (!last).then(|| u32::try_from(wait.as_millis()).unwrap_or(u32::MAX));
        send(&current);
        if last {
            return Ok(current);
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(settings.max_wait);
        current.round += 1;
        current.complete = false;
        current.next_in_ms = None;
    }
}
