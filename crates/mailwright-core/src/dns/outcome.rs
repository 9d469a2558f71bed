//! The outcome of one DNS lookup. A timeout or a server failure is never "no record".

use hickory_proto::op::ResponseCode;
use hickory_proto::rr::{RData, RecordType};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::finding::Evidence;

/// What one lookup came back with.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Records of the asked type (after following CNAMEs).
    Records(Vec<RData>),
    /// The name exists but has no record of this type.
    NoData,
    /// The name does not exist.
    NxDomain,
    /// The server answered with an error code (SERVFAIL, REFUSED, …).
    ServFail(ResponseCode),
    /// No answer arrived in time.
    Timeout,
}

/// The kind of an [`Outcome`], without the data: what progress reports and evidence carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OutcomeKind {
    /// Records found.
    Records,
    /// The name exists without records of this type.
    NoData,
    /// The name does not exist.
    NxDomain,
    /// The server answered with an error.
    ServFail,
    /// No answer in time.
    Timeout,
}

impl OutcomeKind {
    /// How the outcome is written in evidence and transcripts.
    pub fn label(self) -> &'static str {
        match self {
            OutcomeKind::Records => "records",
            OutcomeKind::NoData => "no data",
            OutcomeKind::NxDomain => "NXDOMAIN",
            OutcomeKind::ServFail => "SERVFAIL",
            OutcomeKind::Timeout => "timeout",
        }
    }
}

/// One finished lookup: the name and type asked, the CNAMEs followed, and the outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct Lookup {
    /// The name asked, without the trailing dot.
    pub name: String,
    /// The type asked.
    pub rtype: RecordType,
    /// `(alias, target)` pairs followed on the way, in order.
    pub cnames: Vec<(String, String)>,
    /// What came back.
    pub outcome: Outcome,
}

impl Lookup {
    /// The outcome's kind.
    pub fn kind(&self) -> OutcomeKind {
        match self.outcome {
            Outcome::Records(_) => OutcomeKind::Records,
            Outcome::NoData => OutcomeKind::NoData,
            Outcome::NxDomain => OutcomeKind::NxDomain,
            Outcome::ServFail(_) => OutcomeKind::ServFail,
            Outcome::Timeout => OutcomeKind::Timeout,
        }
    }

    /// True when the lookup could not be completed (server failure or timeout).
    pub fn failed(&self) -> bool {
        matches!(self.outcome, Outcome::ServFail(_) | Outcome::Timeout)
    }

    /// The records found; empty for every other outcome.
    pub fn records(&self) -> &[RData] {
        match &self.outcome {
            Outcome::Records(records) => records,
            _ => &[],
        }
    }

    /// The names an MX answer (its exchanges) or a PTR answer holds, in the order received,
    /// each label as its bytes (no escaping) and without the trailing dot.
    pub fn host_names(&self) -> Vec<String> {
        let text = |name: &hickory_proto::rr::Name| {
            name.iter()
                .map(String::from_utf8_lossy)
                .collect::<Vec<_>>()
                .join(".")
        };
        self.records()
            .iter()
            .filter_map(|rdata| match rdata {
                RData::MX(mx) => Some(text(&mx.exchange)),
                RData::PTR(ptr) => Some(text(&ptr.0)),
                _ => None,
            })
            .collect()
    }

    /// Each TXT record as one string, its character-strings joined without separators
    /// (RFC 7208 §3.3).
    pub fn txt(&self) -> Vec<String> {
        self.records()
            .iter()
            .filter_map(|rdata| match rdata {
                RData::TXT(txt) => Some(
                    txt.txt_data
                        .iter()
                        .map(|chunk| String::from_utf8_lossy(chunk))
                        .collect::<String>(),
                ),
                _ => None,
            })
            .collect()
    }

    /// Evidence for this lookup: the CNAMEs followed, then each record or the outcome.
    pub fn evidence(&self) -> Vec<Evidence> {
        let mut evidence: Vec<Evidence> = self
            .cnames
            .iter()
            .map(|(alias, target)| Evidence::record(alias, "CNAME", target))
            .collect();
        let owner = self.cnames.last().map_or(&self.name, |(_, target)| target);
        if matches!(self.outcome, Outcome::Records(_)) {
            let rtype = self.rtype.to_string();
            if self.rtype == RecordType::TXT {
                evidence.extend(
                    self.txt()
                        .into_iter()
                        .map(|t| Evidence::record(owner, &rtype, t)),
                );
            } else {
                evidence.extend(
                    self.records()
                        .iter()
                        .map(|r| Evidence::record(owner, &rtype, presentation(r))),
                );
            }
        } else {
            // Plain words first; the DNS code after, for whoever looks it up.
            let detail = match &self.outcome {
                Outcome::NxDomain => "no such name (NXDOMAIN)".to_owned(),
                Outcome::NoData => "the name exists, with no record of this type".to_owned(),
                Outcome::ServFail(code) => format!(
                    "the server could not or would not answer ({}, {code})",
                    self.kind().label()
                ),
                Outcome::Timeout => "no answer in time".to_owned(),
                Outcome::Records(_) => self.kind().label().to_owned(),
            };
            evidence.push(Evidence::outcome(owner, self.rtype.to_string(), detail));
        }
        evidence
    }
}

/// Record data in zone-file presentation, names without the trailing dot.
fn presentation(rdata: &RData) -> String {
    match rdata {
        RData::MX(mx) => format!("{} {}", mx.preference, trim_dot(&mx.exchange.to_string())),
        RData::CNAME(name) => trim_dot(&name.0.to_string()).to_owned(),
        other => other.to_string(),
    }
}

/// A name without its trailing root dot (`example.com.` → `example.com`); the root stays `.`.
pub(crate) fn trim_dot(name: &str) -> &str {
    if name == "." {
        name
    } else {
        name.strip_suffix('.').unwrap_or(name)
    }
}
