//! Findings: the one shape every check in Mailwright reports in (DESIGN.md, "The one idea").

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How a finding should be read, from best to worst; ordered so that `max()` is the worst.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Severity {
    /// The check passed.
    Pass,
    /// Worth knowing; nothing needs fixing.
    Info,
    /// Should be fixed; mail may still flow.
    Warn,
    /// Must be fixed; mail will be rejected, spoofable or unauthenticated.
    Fail,
}

/// The topic a finding is grouped under, in the order the UI and CLI show them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Topic {
    /// Problems reaching DNS at all.
    Dns,
    /// MX records and the addresses of the mail servers.
    MailServers,
    /// Sender Policy Framework.
    Spf,
    /// DomainKeys Identified Mail.
    Dkim,
    /// Domain-based Message Authentication, Reporting and Conformance.
    Dmarc,
    /// MTA-STS and SMTP TLS reporting.
    TransportSecurity,
    /// The mail server the user submits through: TLS, AUTH, relaying.
    Submission,
    /// A message as it was received: its path, signatures and what the receiver decided.
    Message,
}

impl Topic {
    /// The heading shown for this topic.
    pub fn title(self) -> &'static str {
        match self {
            Topic::Dns => "DNS",
            Topic::MailServers => "Mail servers",
            Topic::Spf => "SPF",
            Topic::Dkim => "DKIM",
            Topic::Dmarc => "DMARC",
            Topic::TransportSecurity => "MTA-STS / TLS-RPT",
            Topic::Submission => "Mail server",
            Topic::Message => "This message",
        }
    }
}

/// What a piece of evidence is: a record as published, or what a lookup, a fetch or a proof
/// found when there is no record to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum EvidenceKind {
    /// A DNS record exactly as published.
    Record,
    /// How a lookup ended without a record (no records, no such name, no answer…).
    Outcome,
    /// A document fetched over HTTPS (the MTA-STS policy).
    Fetched,
    /// The verdict of a proof Mailwright ran (DKIM sign-and-verify).
    Proof,
    /// A header field of a message, as received.
    Header,
}

/// What a finding rests on: a DNS record exactly as published, or what was found instead.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Evidence {
    /// The owner name (fully qualified, without the trailing dot), URL or server.
    pub name: String,
    /// What this is.
    pub kind: EvidenceKind,
    /// The record type asked for (`TXT`, `MX`, `CNAME`, …), `HTTPS` or `proof`.
    #[serde(rename = "type")]
    pub rtype: String,
    /// The record data as published (TXT strings joined without separators), the outcome, the
    /// document or the verdict.
    pub value: String,
}

impl Evidence {
    /// A DNS record exactly as published.
    pub fn record(
        name: impl Into<String>,
        rtype: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        Self::of(EvidenceKind::Record, name, rtype, value)
    }

    /// How the lookup of `rtype` at `name` ended when it found no record.
    pub fn outcome(
        name: impl Into<String>,
        rtype: impl Into<String>,
        outcome: impl Into<String>,
    ) -> Self {
        Self::of(EvidenceKind::Outcome, name, rtype, outcome)
    }

    /// A document fetched over HTTPS from `url`.
    pub fn fetched(url: impl Into<String>, text: impl Into<String>) -> Self {
        Self::of(EvidenceKind::Fetched, url, "HTTPS", text)
    }

    /// A header field of a message (`name`: the field name), as received.
    pub fn header(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self::of(EvidenceKind::Header, name, "header", value)
    }

    /// The verdict of a proof run against the record at `name`.
    pub fn proof(name: impl Into<String>, verdict: impl Into<String>) -> Self {
        Self::of(EvidenceKind::Proof, name, "proof", verdict)
    }

    fn of(
        kind: EvidenceKind,
        name: impl Into<String>,
        rtype: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        Evidence {
            name: name.into(),
            kind,
            rtype: rtype.into(),
            value: value.into(),
        }
    }
}

/// A check's verdict: a stable id, a severity, one plain sentence, the detail, the fix and the
/// evidence it rests on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Finding {
    /// Stable dotted id, such as `spf.multiple_records`; tests, docs and reports refer to it.
    pub id: String,
    /// How bad it is.
    pub severity: Severity,
    /// The group it is shown in.
    pub topic: Topic,
    /// One plain sentence saying what was found.
    pub title: String,
    /// Why it matters, in a sentence or two.
    pub detail: String,
    /// One imperative sentence a non-expert can follow; absent when nothing needs doing.
    pub fix: Option<String>,
    /// The records (or lookup outcomes) the finding rests on.
    pub evidence: Vec<Evidence>,
    /// Where the rule comes from (an RFC clause), for whoever looks it up: shown behind
    /// "Details", never in the sentences a person reads first.
    #[serde(default)]
    pub reference: Option<String>,
}

impl Finding {
    /// Starts a finding; add the fix and evidence with the builder methods.
    pub fn new(
        id: &str,
        severity: Severity,
        topic: Topic,
        title: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        Finding {
            id: id.to_owned(),
            severity,
            topic,
            title: title.into(),
            detail: detail.into(),
            fix: None,
            evidence: Vec::new(),
            reference: None,
        }
    }

    /// Sets where the rule comes from (an RFC clause).
    pub fn reference(mut self, reference: impl Into<String>) -> Self {
        self.reference = Some(reference.into());
        self
    }

    /// Sets the one thing to do.
    pub fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    /// Adds the records the finding rests on.
    pub fn evidence(mut self, evidence: impl IntoIterator<Item = Evidence>) -> Self {
        self.evidence.extend(evidence);
        self
    }
}

/// One topic's heading in a list of findings: its title, how many findings, the worst severity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TopicSummary {
    /// The topic.
    pub topic: Topic,
    /// Its heading, e.g. "Mail servers".
    pub title: String,
    /// The worst severity among its findings.
    pub worst: Severity,
    /// How many findings it has.
    pub count: u32,
}

/// The topics present in `findings`, in topic order.
pub fn summarize(findings: &[Finding]) -> Vec<TopicSummary> {
    let mut topics: Vec<Topic> = findings.iter().map(|f| f.topic).collect();
    topics.sort();
    topics.dedup();
    topics
        .into_iter()
        .map(|topic| {
            let of_topic = findings.iter().filter(|f| f.topic == topic);
            TopicSummary {
                topic,
                title: topic.title().to_owned(),
                worst: of_topic
                    .clone()
                    .map(|f| f.severity)
                    .max()
                    .unwrap_or(Severity::Pass),
                count: u32::try_from(of_topic.count()).unwrap_or(u32::MAX),
            }
        })
        .collect()
}
