//! The MTA-STS and TLS-RPT checker: both TXT records, the policy fetched over HTTPS, and
//! whether the policy's `mx` lines cover the domain's MX hosts.

use crate::dns::{RData, RecordType};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::fetch::{HttpsConfig, fetch_policy};
use super::policy::{StsMode, StsPolicy};
use super::record_findings::{MTA_STS, TLS_RPT, record_finding};
use crate::dns::{DnsClient, DnsConfig, Lookup, ProgressSink};
use crate::domain::DomainName;
use crate::error::EngineError;
use crate::finding::{Evidence, Finding, Severity, Topic};

const TOPIC: Topic = Topic::TransportSecurity;

/// The MTA-STS / TLS-RPT check of one domain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MtaStsCheckReport {
    /// The domain, in ASCII form.
    pub domain: String,
    /// The DNS server asked.
    pub nameserver: String,
    /// The `_mta-sts` record as published.
    pub record: Option<String>,
    /// The policy file as fetched.
    pub policy_text: Option<String>,
    /// The policy as read.
    pub policy: Option<StsPolicy>,
    /// The domain's MX hosts.
    pub mx_hosts: Vec<String>,
    /// The `_smtp._tls` record as published.
    pub tls_rpt: Option<String>,
    /// The findings, worst first.
    pub findings: Vec<Finding>,
}

/// The MX host names of `domain`, lowest preference first.
pub(crate) fn mx_hosts(lookup: &Lookup) -> Vec<String> {
    let mut hosts: Vec<(u16, String)> = lookup
        .records()
        .iter()
        .filter_map(|r| match r {
            RData::MX(mx) => Some((
                mx.preference,
                mx.exchange
                    .to_ascii()
                    .trim_end_matches('.')
                    .to_ascii_lowercase(),
            )),
            _ => None,
        })
        .collect();
    hosts.sort();
    hosts
        .into_iter()
        .map(|(_, h)| h)
        .filter(|h| !h.is_empty())
        .collect()
}

/// Checks both records and the policy file.
pub async fn check_mta_sts(
    domain: &DomainName,
    dns: &DnsConfig,
    https: &HttpsConfig,
    progress: Option<ProgressSink>,
) -> Result<MtaStsCheckReport, EngineError> {
    let client = DnsClient::new(dns, progress)?;
    let d = domain.as_str();
    let (sts_name, rpt_name) = (
        format!("{}.{d}", MTA_STS.prefix),
        format!("{}.{d}", TLS_RPT.prefix),
    );
    let (sts, rpt, mx) = tokio::join!(
        client.lookup(&sts_name, RecordType::TXT),
        client.lookup(&rpt_name, RecordType::TXT),
        client.lookup(d, RecordType::MX),
    );
    let mut report = MtaStsCheckReport {
        domain: d.to_owned(),
        nameserver: client.server().to_owned(),
        record: None,
        policy_text: None,
        policy: None,
        mx_hosts: mx_hosts(&mx),
        tls_rpt: None,
        findings: Vec::new(),
    };
    sts_findings(&client, domain, https, &sts, &mx, &mut report).await;
    tls_rpt_findings(domain, &rpt, &mut report);
    report
        .findings
        .sort_by_key(|f| std::cmp::Reverse(f.severity));
    Ok(report)
}

async fn sts_findings(
    client: &DnsClient,
    domain: &DomainName,
    https: &HttpsConfig,
    sts: &Lookup,
    mx: &Lookup,
    report: &mut MtaStsCheckReport,
) {
    let (record, finding) = record_finding(&MTA_STS, domain, sts);
    report.findings.push(finding);
    let Some(record) = record else { return };
    report.record = Some(record.clone());
    let findings = &mut report.findings;
    let evidence = [Evidence::record(&sts.name, "TXT", &record)];
    let url = format!("https://mta-sts.{domain}/.well-known/mta-sts.txt");
    let text = match fetch_policy(client, domain.as_str(), https).await {
        Ok(text) => text,
        Err(error) => {
            findings.push(
                Finding::new("mta_sts.policy.unreachable", Severity::Fail, TOPIC, format!("The MTA-STS policy at {url} could not be fetched: {error}."), "The TXT record announces a policy, but senders that cannot fetch it over valid HTTPS cannot use it.")
                    .fix(format!("Serve the policy file at {url} with a valid certificate for mta-sts.{domain} (Mailwright's MTA-STS step composes the file)."))
                    .evidence(evidence),
            );
            return;
        }
    };
    report.policy_text = Some(text.clone());
    let policy_evidence = Evidence::fetched(&url, text.trim());
    let policy = match StsPolicy::parse(&text) {
        Ok(policy) => policy,
        Err(error) => {
            findings.push(
                Finding::new(
                    "mta_sts.policy.syntax",
                    Severity::Fail,
                    TOPIC,
                    format!("The MTA-STS policy file is malformed: {error}."),
                    "Senders ignore a policy they cannot read.",
                )
                .fix("Replace the file with the one Mailwright's MTA-STS step composes.")
                .evidence([policy_evidence]),
            );
            return;
        }
    };
    // A withdrawn policy (mode: none) applies to no server: nothing to cover.
    let uncovered: Vec<&String> = report
        .mx_hosts
        .iter()
        .filter(|h| policy.mode != StsMode::None && !policy.covers(h))
        .collect();
    if !uncovered.is_empty() {
        let enforce = policy.mode == StsMode::Enforce;
        findings.push(
            Finding::new(
                "mta_sts.policy.mx_not_covered",
                if enforce { Severity::Fail } else { Severity::Warn },
                TOPIC,
                format!("The MTA-STS policy does not list the mail server{} {}.", if uncovered.len() == 1 { "" } else { "s" }, uncovered.iter().map(|h| h.as_str()).collect::<Vec<_>>().join(", ")),
                if enforce { "In enforce mode, senders refuse to deliver to an MX the policy does not list: that mail is lost." } else { "In testing mode mail still arrives, but TLS reports will show failures, and switching to enforce would lose that mail." },
            )
            .fix("Add an mx: line for each MX host to the policy file and change the id in the _mta-sts record.")
            .evidence(std::iter::once(policy_evidence.clone()).chain(mx.evidence())),
        );
    }
    let verdict = match policy.mode {
        StsMode::Enforce if uncovered.is_empty() => Some(Finding::new("mta_sts.ok", Severity::Pass, TOPIC, format!("MTA-STS is enforced for {domain}."), "Senders deliver to your listed mail servers only over TLS with a valid certificate.").evidence([policy_evidence])),
        StsMode::Enforce => None,
        StsMode::Testing => Some(Finding::new("mta_sts.testing", Severity::Info, TOPIC, format!("MTA-STS for {domain} is in testing mode."), "Senders report TLS problems but still deliver. Once the TLS reports show no failures for a few weeks, switch to enforce.")
            .fix("When the reports are clean, change mode: testing to mode: enforce in the policy file and change the id in the _mta-sts record.")
            .evidence([policy_evidence])),
        StsMode::None => Some(Finding::new("mta_sts.withdrawn", Severity::Info, TOPIC, format!("The MTA-STS policy for {domain} is withdrawn (mode: none)."), "Senders stop applying the policy once their cached copy expires.")
            .evidence([policy_evidence])),
    };
    findings.extend(verdict);
    report.policy = Some(policy);
}

fn tls_rpt_findings(domain: &DomainName, rpt: &Lookup, report: &mut MtaStsCheckReport) {
    let (record, finding) = record_finding(&TLS_RPT, domain, rpt);
    report.tls_rpt = record;
    report.findings.push(finding);
}
