//! The domain audit: what a domain publishes today for sending mail, looked up concurrently
//! and turned into findings.

mod dkim;
mod dmarc;
mod mta_sts;
mod mx;
mod request;
mod spf;

use std::time::Instant;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::dns::{DnsClient, DnsConfig, ProgressSink};
use crate::error::EngineError;
use crate::finding::{Evidence, Finding, Severity, Topic, TopicSummary, summarize};

pub use request::AuditRequest;

/// Whether the audit could look everything up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AuditStatus {
    /// Every lookup got an answer.
    Complete,
    /// Some lookups failed; their findings say "could not check".
    Partial,
    /// The DNS server never answered: nothing could be checked.
    Unreachable,
}

/// The audit's result: the findings, grouped and ordered by topic then severity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Audit {
    /// The domain checked, in ASCII (punycode) form.
    pub domain: String,
    /// The domain as people read it (Unicode for internationalized names).
    pub domain_unicode: String,
    /// The DNS server asked, as a person reads it.
    pub nameserver: String,
    /// Whether everything could be checked.
    pub status: AuditStatus,
    /// The findings, ordered by topic then worst first.
    pub findings: Vec<Finding>,
    /// One heading per topic present in `findings`, in the same order.
    pub topics: Vec<TopicSummary>,
    /// The DKIM selectors tried.
    pub selectors_checked: Vec<String>,
    /// How many DNS lookups were made.
    pub lookups: u32,
    /// How long the audit took, in milliseconds.
    pub elapsed_ms: u32,
}

impl Audit {
    /// True when any finding fails (the CLI's exit code 1).
    pub fn has_failures(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Fail)
    }
}

/// Runs every check of the audit concurrently against the server in `dns`.
///
/// Each lookup has the configured timeout and retry; the whole audit ends by the configured
/// deadline whatever the server does. Progress goes to `progress` as lookups start and end.
pub async fn run_audit(
    request: &AuditRequest,
    dns: &DnsConfig,
    progress: Option<ProgressSink>,
) -> Result<Audit, EngineError> {
    let started = Instant::now();
    let client = DnsClient::new(dns, progress)?;
    let domain = &request.domain;
    let selectors = request.all_selectors();
    let (mx, spf, dmarc, dkim, mta_sts) = tokio::join!(
        mx::check(&client, domain),
        spf::check(&client, domain),
        dmarc::check(&client, domain),
        dkim::check(&client, domain, &selectors, &request.selectors),
        mta_sts::check(&client, domain),
    );
    let mut findings: Vec<Finding> = [mx, spf, dmarc, dkim, mta_sts]
        .into_iter()
        .flatten()
        .collect();
    let status = if client.answered() == 0 {
        findings = vec![unreachable(&client)];
        AuditStatus::Unreachable
    } else if findings.iter().any(|f| f.id == crate::dns::LOOKUP_FAILED) {
        AuditStatus::Partial
    } else {
        AuditStatus::Complete
    };
    findings.sort_by(|a, b| a.topic.cmp(&b.topic).then(b.severity.cmp(&a.severity)));
    tracing::info!(
        domain = %domain.ascii,
        nameserver = client.server(),
        ?status,
        lookups = client.completed(),
        ms = started.elapsed().as_millis(),
        findings = %finding_ids(&findings),
        "audit finished"
    );
    Ok(Audit {
        domain: domain.ascii.clone(),
        domain_unicode: domain.unicode.clone(),
        nameserver: client.server().to_owned(),
        status,
        topics: summarize(&findings),
        findings,
        selectors_checked: request
            .all_selectors()
            .iter()
            .map(|s| s.as_str().to_owned())
            .collect(),
        lookups: client.completed(),
        elapsed_ms: u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX),
    })
}

/// The ids of the findings that are not a pass, for the log.
fn finding_ids(findings: &[Finding]) -> String {
    let ids: Vec<&str> = findings
        .iter()
        .filter(|f| f.severity != Severity::Pass)
        .map(|f| f.id.as_str())
        .collect();
    ids.join(",")
}

/// The one finding shown when the DNS server answered nothing at all.
fn unreachable(client: &DnsClient) -> Finding {
    Finding::new(
        "dns.unreachable",
        Severity::Fail,
        Topic::Dns,
        format!("The DNS server {} did not answer, so nothing could be checked.", client.server()),
        format!(
            "Mailwright asked {} lookups and none got an answer in time. This is a problem with \
             the DNS server or the network, not with your domain.",
            client.completed()
        ),
    )
    .fix("Check your network connection, or the DNS server address in Settings, then run the audit again.")
    .evidence([Evidence::outcome(client.server(), "DNS server", "no answer")])
}
