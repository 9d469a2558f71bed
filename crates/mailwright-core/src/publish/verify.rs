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
use crate::dns::{DnsClient, DnsConfig, Lookup};
use crate::dns_record::DnsRecord;

use super::present::in_zone;

/// Where a record stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RecordState {
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
        if self.next_in_ms.is_some() {
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
/// through the resolver; each server's addresses with `port`.
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

/// One round: every record asked of its name servers and of the resolver. A record whose name
/// servers could not be found is asked of the resolver only.
pub async fn check_round(
    plan: &CheckPlan,
    dns: &DnsConfig,
) -> Result<Vec<RecordCheck>, EngineError> {
    let mut checks = Vec::new();
    // Fresh clients each round: a cached "not found" must not hide a record just added.
    let resolver = DnsClient::new(dns, None)?;
    for (record, servers) in plan {
        let authorities: Vec<DnsClient> = servers
            .iter()
            .map(|(_, addr)| DnsClient::new(&dns.asking(*addr), None))
            .collect::<Result<_, _>>()?;
        let asked: Vec<&DnsClient> = if authorities.is_empty() {
            vec![&resolver]
        } else {
            authorities.iter().collect()
        };
        let mut found = Vec::new();
        let mut everywhere = true;
        for client in asked {
            let here = values(
                &client.lookup(&record.name, rtype(record)).await,
                &record.rtype,
            );
            everywhere &= here.iter().any(|v| matches(record, v));
            for v in here {
                if !found.contains(&v) {
                    found.push(v);
                }
            }
        }
        let (state, diff) = if everywhere {
            let seen = if authorities.is_empty() {
                found.clone()
            } else {
                values(
                    &resolver.lookup(&record.name, rtype(record)).await,
                    &record.rtype,
                )
            };
            if seen.iter().any(|v| matches(record, v)) {
                (RecordState::Visible, None)
            } else {
                (RecordState::Published, None)
            }
        } else if let Some(close) = found
            .iter()
            .find(|v| same_kind(record, v) && !matches(record, v))
        {
            (
                RecordState::Different,
                Some(difference(&record.value, close)),
            )
        } else {
            (RecordState::NotFound, None)
        };
        checks.push(RecordCheck {
            record: record.clone(),
            state,
            found,
            difference: diff,
        });
    }
    Ok(checks)
}

/// Checks round after round, waiting longer each time, until every record is visible, the
/// rounds run out, or the task is dropped (the user pressed Stop). Each round goes to `sink`.
pub async fn verify_until_published(
    records: &[DnsRecord],
    zone: &str,
    dns: &DnsConfig,
    settings: &VerifySettings,
    sink: Option<Arc<dyn Fn(VerifyRound) + Send + Sync>>,
) -> Result<VerifyRound, EngineError> {
    let servers = authoritative_servers(zone, dns, settings.port).await?;
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
    let mut names: Vec<String> = Vec::new();
    for (host, addr) in plan.iter().flat_map(|(_, s)| s) {
        let name = format!("{host} {}", addr.ip());
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let mut wait = settings.first_wait;
    let mut round = 0;
    loop {
        round += 1;
        let checks = check_round(&plan, dns).await?;
        let done = checks.iter().all(|c| c.state == RecordState::Visible);
        let last = done || round >= settings.max_rounds;
        tracing::info!(
            zone,
            round,
            visible = checks
                .iter()
                .filter(|c| c.state == RecordState::Visible)
                .count(),
            records = checks.len(),
            "publish check round"
        );
        let report = VerifyRound {
            round,
            servers: names.clone(),
            checks,
            done,
            next_in_ms: (!last).then(|| u32::try_from(wait.as_millis()).unwrap_or(u32::MAX)),
        };
        if let Some(sink) = &sink {
            sink(report.clone());
        }
        if last {
            return Ok(report);
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(settings.max_wait);
    }
}
