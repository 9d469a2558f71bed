//! An SMTP TLS report (RFC 8460, JSON), read with mail-auth's parser and kept as what Mailwright
//! shows: per policy, the sessions that succeeded and failed, and each failure's type.

use std::net::IpAddr;
use std::sync::LazyLock;

use mail_auth::report::tlsrpt::TlsReport;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One TLS report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsReportDoc {
    /// The reporting organisation.
    pub reporter: String,
    /// Its id for the report.
    pub report_id: String,
    /// The period, Unix seconds.
    pub begin: i64,
    /// The period's end, Unix seconds.
    pub end: i64,
    /// One entry per policy the sender applied.
    pub policies: Vec<TlsPolicyResult>,
}

/// The sessions under one policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsPolicyResult {
    /// `sts`, `tlsa` or `no-policy-found`.
    pub policy_type: String,
    /// The domain the policy is for, lower case.
    pub policy_domain: String,
    /// Sessions that succeeded.
    pub successful: u64,
    /// Sessions that failed.
    pub failed: u64,
    /// The failures by type.
    pub failures: Vec<TlsFailure>,
}

/// Failed sessions of one type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsFailure {
    /// The RFC 8460 result type (`certificate-expired`, …; `other` for anything else).
    pub result_type: String,
    /// The MX host the sender tried.
    pub receiving_mx: Option<String>,
    /// The sender's address.
    pub sending_ip: Option<IpAddr>,
    /// How many sessions.
    pub count: u64,
    /// The reporter's own words (`failure-reason-code`, `additional-information`).
    pub detail: Option<String>,
}

/// Reads a TLS report document, or says why not.
pub(super) fn read_tls_report(json: &[u8]) -> Result<TlsReportDoc, String> {
    let report = match TlsReport::parse_json(json) {
        Ok(report) => report,
        Err(first) => mend(json)
            .and_then(|mended| TlsReport::parse_json(&mended).ok())
            .ok_or_else(|| {
                format!("It is not an SMTP TLS report Mailwright can read ({first:?}).")
            })?,
    };
    let reporter = report
        .organization_name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .or(report.contact_info.as_deref().map(str::trim))
        .unwrap_or("")
        .to_owned();
    if reporter.is_empty() || report.report_id.trim().is_empty() {
        return Err(
            "It has no reporter or no report id, so it cannot be told apart from other reports."
                .into(),
        );
    }
    let begin = report.date_range.start_datetime.to_timestamp();
    let end = report.date_range.end_datetime.to_timestamp();
    if begin <= 0 || end < begin {
        return Err("Its date range is missing or ends before it begins.".into());
    }
    let policies = report
        .policies
        .into_iter()
        .map(|p| TlsPolicyResult {
            policy_type: serde_plain(&p.policy.policy_type),
            policy_domain: p
                .policy
                .policy_domain
                .trim()
                .trim_end_matches('.')
                .to_ascii_lowercase(),
            successful: u64::from(p.summary.total_success),
            failed: u64::from(p.summary.total_failure),
            failures: p
                .failure_details
                .into_iter()
                .map(|f| TlsFailure {
                    result_type: serde_plain(&f.result_type),
                    receiving_mx: f.receiving_mx_hostname,
                    sending_ip: f.sending_mta_ip,
                    count: u64::from(f.failed_session_count),
                    detail: f
                        .failure_reason_code
                        .or(f.additional_information)
                        .map(|d| d.chars().take(300).collect()),
                })
                .collect(),
        })
        .collect();
    Ok(TlsReportDoc {
        reporter,
        report_id: report.report_id.trim().to_owned(),
        begin,
        end,
        policies,
    })
}

/// The report mended the ways real reporters stray from RFC 8460's schema, which mail-auth's
/// parser refuses whole: a UTF-8 byte order mark before the JSON; `mx-host` written as one
/// string (RFC 8460's own example, §4.4, does); an address field (`sending-mta-ip`,
/// `receiving-ip`) with spaces around it or that is no address at all (left out, the rest of
/// the failure kept).
fn mend(json: &[u8]) -> Option<Vec<u8>> {
    let json = json.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(json);
    let mut value: serde_json::Value = serde_json::from_slice(json).ok()?;
    for policy in value.get_mut("policies")?.as_array_mut()? {
        if let Some(mx) = policy.pointer_mut("/policy/mx-host")
            && mx.is_string()
        {
            *mx = serde_json::Value::Array(vec![mx.take()]);
        }
        let details = policy
            .get_mut("failure-details")
            .and_then(serde_json::Value::as_array_mut);
        for detail in details.into_iter().flatten() {
            let Some(fields) = detail.as_object_mut() else {
                continue;
            };
            for key in ["sending-mta-ip", "receiving-ip"] {
                let address = fields
                    .get(key)
                    .and_then(serde_json::Value::as_str)
                    .and_then(|text| text.trim().parse::<std::net::IpAddr>().ok());
                match address {
                    Some(ip) => {
                        fields.insert(key.to_owned(), ip.to_string().into());
                    }
                    None => {
                        fields.remove(key);
                    }
                }
            }
        }
    }
    serde_json::to_vec(&value).ok()
}

/// A serde enum's name as written in JSON.
fn serde_plain<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) if s != "Other" => s,
        // mail-auth's catch-all variant serializes by its Rust name.
        _ => "other".to_owned(),
    }
}

/// What a TLS failure type means and what fixes it (catalog `tls_failures.toml`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TlsFailureAdvice {
    /// The RFC 8460 result type.
    pub result_type: String,
    /// What happened, in a sentence.
    pub meaning: String,
    /// The one thing to do.
    pub fix: String,
    /// The step that fixes it: `smtp`, `mta-sts` or `dns`.
    pub step: String,
}

static ADVICE: LazyLock<Vec<TlsFailureAdvice>> = LazyLock::new(|| {
    crate::catalog::table(include_str!("../catalog/tls_failures.toml"), "failure")
});

/// The advice for a failure type (the `other` entry for a type the catalog does not know).
pub fn tls_failure_advice(result_type: &str) -> &'static TlsFailureAdvice {
    ADVICE
        .iter()
        .find(|a| a.result_type == result_type)
        .or_else(|| ADVICE.iter().find(|a| a.result_type == "other"))
        .expect("the catalog has an `other` entry")
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = r#"{
      "organization-name": "Company-X",
      "date-range": {"start-datetime": "2026-11-30T00:00:00Z", "end-datetime": "2026-11-30T23:59:59Z"},
      "contact-info": "sts-reporting@company-x.example",
      "report-id": "5065427c-23d3-47ca-b6e0-946ea0e8c4be",
      "policies": [{
        "policy": {"policy-type": "sts", "policy-string": ["version: STSv1", "mode: enforce"],
                   "policy-domain": "Example.com", "mx-host": ["mx1.example.com"]},
        "summary": {"total-successful-session-count": 5326, "total-failure-session-count": 303},
        "failure-details": [{"result-type": "certificate-expired", "sending-mta-ip": "2001:db8:abcd:0012::1",
                             "receiving-mx-hostname": "mx1.example.com", "failed-session-count": 100},
                            {"result-type": "something-new", "failed-session-count": 3,
                             "failure-reason-code": "X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED"}]
      }]
    }"#;

    #[test]
    fn reads_the_rfc8460_example_and_names_each_failure() {
        let report = read_tls_report(REPORT.as_bytes()).unwrap();
        assert_eq!(report.reporter, "Company-X");
        let policy = &report.policies[0];
        assert_eq!(
            (policy.policy_type.as_str(), policy.policy_domain.as_str()),
            ("sts", "example.com")
        );
        assert_eq!((policy.successful, policy.failed), (5326, 303));
        assert_eq!(policy.failures[0].result_type, "certificate-expired");
        assert_eq!(tls_failure_advice("certificate-expired").step, "smtp");
        assert_eq!(policy.failures[1].result_type, "other");
        assert_eq!(
            policy.failures[1].detail.as_deref(),
            Some("X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED")
        );
        assert_eq!(tls_failure_advice("no-such-type").result_type, "other");
    }

    #[test]
    fn every_rfc8460_result_type_has_advice() {
        for t in [
            "starttls-not-supported",
            "certificate-host-mismatch",
            "certificate-expired",
            "certificate-not-trusted",
            "validation-failure",
            "tlsa-invalid",
            "dnssec-invalid",
            "dane-required",
            "sts-policy-fetch-error",
            "sts-policy-invalid",
            "sts-webpki-invalid",
        ] {
            assert_eq!(tls_failure_advice(t).result_type, t);
        }
    }

    #[test]
    fn a_byte_order_mark_and_an_address_that_is_none_do_not_lose_the_report() {
        let mended = format!("\u{FEFF}{REPORT}")
            .replace("\"2001:db8:abcd:0012::1\"", "\"unknown\"")
            .replace(
                "\"failed-session-count\": 3,",
                "\"failed-session-count\": 3, \"receiving-ip\": \" 192.0.2.7 \",",
            );
        let report = read_tls_report(mended.as_bytes()).unwrap();
        let failures = &report.policies[0].failures;
        assert_eq!(failures.len(), 2);
        assert_eq!((failures[0].sending_ip, failures[0].count), (None, 100));
        assert_eq!(failures[1].count, 3);
    }

    #[test]
    fn a_report_without_id_or_dates_is_refused() {
        let no_id = REPORT.replace("5065427c-23d3-47ca-b6e0-946ea0e8c4be", "");
        assert!(
            read_tls_report(no_id.as_bytes())
                .unwrap_err()
                .contains("report id")
        );
        let no_date = REPORT.replace("2026-11-30T00:00:00Z", "yesterday");
        assert!(
            read_tls_report(no_date.as_bytes())
                .unwrap_err()
                .contains("date range")
        );
        assert!(read_tls_report(b"{\"a\":1}").is_err());
    }
}
