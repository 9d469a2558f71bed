//! The MTA-STS composer: the policy file with one `mx:` line per MX host, the `_mta-sts` TXT
//! record (a new id only when the policy changes) and the `_smtp._tls` record, over what the
//! domain publishes now.

use crate::dns::RecordType;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::check::{MtaStsCheckReport, check_mta_sts, mx_hosts};
use super::fetch::HttpsConfig;
use super::policy::{StsMode, StsPolicy};
use super::records::parse_tls_rpt_record;
use super::setup::MtaStsSetup;
use crate::dns::{DnsClient, DnsConfig, LOOKUP_FAILED};
use crate::dns_record::DnsRecord;
use crate::domain::DomainName;
use crate::error::EngineError;
use crate::weaker::Weaker;

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
    /// The policy file in force now, as served.
    pub published_policy: Option<String>,
    /// What the choices would weaken compared with it, and whether the user chose that.
    pub weaker: Weaker,
    /// True when the composed policy is the one served now: nothing needs to change.
    pub unchanged: bool,
}

/// What the domain publishes now for MTA-STS and TLS-RPT.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PublishedSts {
    /// The `_mta-sts` record.
    pub record: Option<String>,
    /// The policy file as served.
    pub policy_text: Option<String>,
    /// The policy, when it could be read.
    pub policy: Option<StsPolicy>,
    /// The `_smtp._tls` record.
    pub tls_rpt: Option<String>,
}

impl PublishedSts {
    /// What the MTA-STS check found.
    pub fn from_check(report: &MtaStsCheckReport) -> Self {
        PublishedSts {
            record: report.record.clone(),
            policy_text: report.policy_text.clone(),
            policy: report.policy.clone(),
            tls_rpt: report.tls_rpt.clone(),
        }
    }

    /// The report addresses of the published TLS-RPT record (`mailto:` dropped).
    fn report_addresses(&self) -> Vec<String> {
        self.tls_rpt
            .as_deref()
            .and_then(|r| parse_tls_rpt_record(r).ok())
            .unwrap_or_default()
            .into_iter()
            .map(|u| u.strip_prefix("mailto:").map(str::to_owned).unwrap_or(u))
            .collect()
    }
}

impl MtaStsSetup {
    /// True once the step composed (or a project saved before `started_from` existed has a
    /// report address).
    pub fn chosen(&self) -> bool {
        self.started_from.is_some() || !self.report_to.trim().is_empty()
    }

    /// The choices a composer starts from: the published policy's mode and report addresses,
    /// or testing mode with reports to `tls-reports@<domain>` when nothing is published.
    pub fn starting_from(published: &PublishedSts) -> Self {
        MtaStsSetup {
            mode: published
                .policy
                .as_ref()
                .map_or(StsMode::Testing, |p| p.mode),
            report_to: published.report_addresses().join(", "),
            started_from: Some(published.policy_text.clone().unwrap_or_default()),
            ..MtaStsSetup::default()
        }
    }
}

/// How much a mode protects: none, then testing, then enforce.
fn strength(mode: StsMode) -> u8 {
    match mode {
        StsMode::None => 0,
        StsMode::Testing => 1,
        StsMode::Enforce => 2,
    }
}

/// Composes the records and the policy for these MX hosts over what is published: a weaker
/// mode or a dropped report address is kept as published unless `setup.weaken`, and named
/// either way. The published `_mta-sts` record is kept when the policy does not change, and
/// `setup`'s id while the policy is the one it was made for; else the id is `now`.
pub fn compose_mta_sts(
    domain: &str,
    mx: &[String],
    setup: &MtaStsSetup,
    published: &PublishedSts,
    now: Timestamp,
) -> MtaStsComposition {
    let mut changes = Vec::new();
    let mut mode = setup.mode;
    let in_force = published.policy.as_ref();
    if let Some(policy) = in_force
        && strength(mode) < strength(policy.mode)
    {
        changes.push(format!(
            "It moves MTA-STS from {} to {}: servers would again deliver to you when TLS fails or a certificate is wrong, {}.",
            policy.mode.as_str(),
            mode.as_str(),
            if mode == StsMode::None { "and stop applying the policy" } else { "only reporting it" }
        ));
    }
    let mut report_to: Vec<String> = setup
        .report_to
        .split([',', ' ', ';'])
        .map(|a| a.trim().trim_start_matches("mailto:").to_owned())
        .filter(|a| !a.is_empty())
        .collect();
    let published_to = published.report_addresses();
    if !report_to.is_empty() {
        for address in published_to
            .iter()
            .filter(|p| !report_to.iter().any(|a| a.eq_ignore_ascii_case(p)))
        {
            changes.push(format!(
                "It stops the daily TLS reports to {address}: whoever reads them there would no longer see delivery problems."
            ));
        }
    }
    let weaker = Weaker::new(changes, setup.weaken);
    if weaker.kept() {
        if let Some(policy) = in_force {
            mode = if strength(mode) < strength(policy.mode) {
                policy.mode
            } else {
                mode
            };
        }
        for address in &published_to {
            if !report_to.iter().any(|a| a.eq_ignore_ascii_case(address)) {
                report_to.push(address.clone());
            }
        }
    }
    let max_age = match in_force {
        Some(policy) if policy.mode == mode => policy.max_age,
        _ if mode == StsMode::Enforce => ENFORCE_MAX_AGE,
        _ => TESTING_MAX_AGE,
    };
    let policy = StsPolicy {
        mode,
        mx: mx.to_vec(),
        max_age,
    };
    let policy_text = policy.to_text();
    let unchanged = in_force == Some(&policy) && published.record.is_some();
    let record_name = format!("_mta-sts.{domain}");
    let record = match &published.record {
        Some(record) if unchanged => record.clone(),
        _ if setup.id_for == policy_text && !setup.id.is_empty() => {
            format!("v=STSv1; id={}", setup.id)
        }
        _ => format!("v=STSv1; id={}", now.strftime("%Y%m%dT%H%M%S")),
    };
    let tls_rpt_name = format!("_smtp._tls.{domain}");
    let tls_rpt = match (&published.tls_rpt, report_to.is_empty()) {
        (Some(published), true) => published.clone(),
        (_, true) => format!("v=TLSRPTv1; rua=mailto:tls-reports@{domain}"),
        (_, false) => format!(
            "v=TLSRPTv1; rua={}",
            report_to
                .iter()
                .map(|a| if a.starts_with("https://") {
                    a.clone()
                } else {
                    format!("mailto:{a}")
                })
                .collect::<Vec<_>>()
                .join(",")
        ),
    };
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
    let mut steps = vec![
        format!(
            "Serve the policy file at {policy_url} as text/plain, over HTTPS with a valid certificate for mta-sts.{domain} (a static site or your web host will do)."
        ),
        "Then publish the _mta-sts TXT record; its id tells senders the policy changed.".into(),
        "Publish the _smtp._tls record to receive daily TLS reports.".into(),
    ];
    if mode == StsMode::Testing {
        steps.push("After a few weeks of clean reports, switch the policy to enforce and publish a new id.".into());
    }
    if unchanged {
        steps = vec![format!(
            "The policy served at {policy_url} is already this one: nothing to change."
        )];
    }
    MtaStsComposition {
        record_name,
        record,
        records,
        steps,
        policy_text,
        policy,
        policy_url,
        tls_rpt_name,
        tls_rpt,
        published_policy: published.policy_text.clone(),
        weaker,
        unchanged,
    }
}

/// Looks up the domain's MX hosts and what it publishes for MTA-STS (the policy fetched with
/// `https`), and composes over it.
pub async fn compose_mta_sts_for(
    domain: &DomainName,
    setup: &MtaStsSetup,
    dns: &DnsConfig,
    https: &HttpsConfig,
) -> Result<(MtaStsComposition, PublishedSts), EngineError> {
    let client = DnsClient::new(dns, None)?;
    let (mx, check) = tokio::join!(
        client.lookup(domain.as_str(), RecordType::MX),
        check_mta_sts(domain, dns, https, None)
    );
    if mx.failed() {
        return Err(EngineError::DnsFailed(format!("{} MX", domain.as_str())));
    }
    let hosts = mx_hosts(&mx);
    if hosts.is_empty() {
        return Err(EngineError::NoMx(domain.as_str().to_owned()));
    }
    let check = check?;
    // What is in force must be known before anything is composed over it: a record that could
    // not be looked up might be an enforced policy.
    if let Some(failed) = check.findings.iter().find(|f| f.id == LOOKUP_FAILED) {
        return Err(EngineError::DnsFailed(failed.evidence.first().map_or_else(
            || format!("_mta-sts.{}", domain.as_str()),
            |e| e.name.clone(),
        )));
    }
    let published = PublishedSts::from_check(&check);
    let composition = compose_mta_sts(
        domain.as_str(),
        &hosts,
        setup,
        &published,
        crate::clock::now(),
    );
    Ok((composition, published))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-11-22T12:30:00Z".parse().unwrap()
    }

    #[test]
    fn composes_testing_first_with_each_mx() {
        let out = compose_mta_sts(
            "example.com",
            &["mx1.example.com".into(), "mx2.example.com".into()],
            &MtaStsSetup::default(),
            &PublishedSts::default(),
            now(),
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
        let again = compose_mta_sts(
            "example.com",
            &["mx1.example.com".into(), "mx2.example.com".into()],
            &MtaStsSetup {
                id: "20261101T000000".into(),
                id_for: out.policy_text.clone(),
                ..MtaStsSetup::default()
            },
            &PublishedSts::default(),
            now(),
        );
        assert_eq!(again.record, "v=STSv1; id=20261101T000000");
    }

    fn enforced() -> PublishedSts {
        let text = "version: STSv1\r\nmode: enforce\r\nmx: mx.example.com\r\nmax_age: 1209600\r\n";
        PublishedSts {
            record: Some("v=STSv1; id=old1".into()),
            policy_text: Some(text.into()),
            policy: Some(StsPolicy::parse(text).unwrap()),
            tls_rpt: Some("v=TLSRPTv1; rua=mailto:tls@example.com".into()),
        }
    }

    #[test]
    fn an_enforced_policy_is_kept_with_its_id_unless_the_user_chooses_testing() {
        let published = enforced();
        let mx = ["mx.example.com".to_owned()];
        let start = MtaStsSetup::starting_from(&published);
        assert_eq!(start.mode, StsMode::Enforce);
        assert_eq!(start.report_to, "tls@example.com");
        let same = compose_mta_sts("example.com", &mx, &start, &published, now());
        assert!(same.unchanged);
        assert_eq!(same.record, "v=STSv1; id=old1");
        assert_eq!(same.tls_rpt, "v=TLSRPTv1; rua=mailto:tls@example.com");
        assert!(same.weaker.changes.is_empty());

        let testing = MtaStsSetup {
            mode: StsMode::Testing,
            report_to: "new@example.com".into(),
            ..MtaStsSetup::default()
        };
        let kept = compose_mta_sts("example.com", &mx, &testing, &published, now());
        assert_eq!(kept.policy.mode, StsMode::Enforce);
        assert!(kept.unchanged);
        assert_eq!(
            kept.tls_rpt,
            "v=TLSRPTv1; rua=mailto:new@example.com,mailto:tls@example.com"
        );
        assert_eq!(kept.weaker.changes.len(), 2);
        assert!(kept.weaker.kept());

        let chosen = MtaStsSetup {
            weaken: true,
            ..testing
        };
        let weaker = compose_mta_sts("example.com", &mx, &chosen, &published, now());
        assert_eq!(weaker.policy.mode, StsMode::Testing);
        assert_eq!(weaker.record, "v=STSv1; id=20261122T123000");
        assert!(weaker.weaker.chosen);
    }
}
