//! The MTA-STS composer: the `_mta-sts` TXT record with a fresh id, the policy file with one
//! `mx:` line per MX host, and the `_smtp._tls` record.

use crate::dns::RecordType;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::check::mx_hosts;
use super::policy::{StsMode, StsPolicy};
use crate::dns::{DnsClient, DnsConfig};
use crate::dns_record::DnsRecord;
use crate::domain::DomainName;
use crate::error::EngineError;

/// `max_age` while testing: one day, so a mistake is cached only briefly.
pub const TESTING_MAX_AGE: u32 = 86_400;
/// `max_age` when enforcing: about a week, the value RFC 8461 §3.2 cites as typical.
pub const ENFORCE_MAX_AGE: u32 = 604_800;

/// Everything to publish for MTA-STS and TLS-RPT.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MtaStsComposition {
    /// `_mta-sts.<domain>`.
    pub record_name: String,
    /// `v=STSv1; id=…`.
    pub record: String,
    /// Where the policy file is served.
    pub policy_url: String,
    /// The policy file's content.
    pub policy_text: String,
    /// The policy.
    pub policy: StsPolicy,
    /// `_smtp._tls.<domain>`.
    pub tls_rpt_name: String,
    /// `v=TLSRPTv1; rua=mailto:…`.
    pub tls_rpt: String,
    /// What to do, in order.
    pub steps: Vec<String>,
    /// The two TXT records.
    pub records: Vec<DnsRecord>,
}

/// Composes the records and the policy for these MX hosts.
pub fn compose_mta_sts(
    domain: &str,
    mx: &[String],
    mode: StsMode,
    report_to: &str,
    now: Timestamp,
) -> MtaStsComposition {
    let max_age = match mode {
        StsMode::Enforce => ENFORCE_MAX_AGE,
        _ => TESTING_MAX_AGE,
    };
    let policy = StsPolicy {
        mode,
        mx: mx.to_vec(),
        max_age,
    };
    let id = now.strftime("%Y%m%dT%H%M%S").to_string();
    let report_to = report_to.trim().trim_start_matches("mailto:");
    let report_to = if report_to.is_empty() {
        format!("tls-reports@{domain}")
    } else {
        report_to.to_owned()
    };
    let record_name = format!("_mta-sts.{domain}");
    let record = format!("v=STSv1; id={id}");
    let tls_rpt_name = format!("_smtp._tls.{domain}");
    let tls_rpt = format!("v=TLSRPTv1; rua=mailto:{report_to}");
    let records = vec![
        DnsRecord::txt(
            &record_name,
            &record,
            "MTA-STS: tells other servers a policy exists; change the id whenever the policy file changes.",
        ),
        DnsRecord::txt(
            &tls_rpt_name,
            &tls_rpt,
            "TLS-RPT: where servers send daily reports of TLS problems delivering to you.",
        ),
    ];
    let policy_url = format!("https://mta-sts.{domain}/.well-known/mta-sts.txt");
    MtaStsComposition {
        record_name,
        record,
        records,
        steps: vec![
            format!("Serve the policy file at {policy_url} as text/plain, over HTTPS with a valid certificate for mta-sts.{domain} (a static site or your web host will do)."),
            "Then publish the _mta-sts TXT record; its id tells senders the policy changed.".into(),
            "Publish the _smtp._tls record to receive daily TLS reports.".into(),
            "After a few weeks of clean reports, switch the policy to enforce and publish a new id.".into(),
        ],
        policy_text: policy.to_text(),
        policy,
        policy_url,
        tls_rpt_name,
        tls_rpt,
    }
}

/// Looks up the domain's MX hosts and composes for them.
pub async fn compose_mta_sts_for(
    domain: &DomainName,
    mode: StsMode,
    report_to: &str,
    dns: &DnsConfig,
) -> Result<MtaStsComposition, EngineError> {
    let client = DnsClient::new(dns, None)?;
    let mx = client.lookup(domain.as_str(), RecordType::MX).await;
    if mx.failed() {
        return Err(EngineError::DnsFailed(format!("{} MX", domain.as_str())));
    }
    let hosts = mx_hosts(&mx);
    if hosts.is_empty() {
        return Err(EngineError::NoMx(domain.as_str().to_owned()));
    }
    Ok(compose_mta_sts(
        domain.as_str(),
        &hosts,
        mode,
        report_to,
        crate::clock::now(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composes_testing_first_with_each_mx() {
        let now: Timestamp = "2026-11-22T12:30:00Z".parse().unwrap();
        let out = compose_mta_sts(
            "example.com",
            &["mx1.example.com".into(), "mx2.example.com".into()],
            StsMode::Testing,
            "",
            now,
        );
        assert_eq!(out.record, "v=STSv1; id=20261122T123000");
        assert_eq!(
            out.policy_text,
            "version: STSv1\r\nmode: testing\r\nmx: mx1.example.com\r\nmx: mx2.example.com\r\nmax_age: 86400\r\n"
        );
        assert_eq!(
            out.tls_rpt,
            "v=TLSRPTv1; rua=mailto:tls-reports@example.com"
        );
        assert!(super::super::records::parse_sts_record(&out.record).is_ok());
        assert!(super::super::records::parse_tls_rpt_record(&out.tls_rpt).is_ok());
    }
}
