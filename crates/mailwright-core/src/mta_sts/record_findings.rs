//! The findings for the `_mta-sts` and `_smtp._tls` TXT records themselves (missing, several,
//! unreadable, found), shared by the audit and the MTA-STS check.

use super::records::{parse_sts_record, parse_tls_rpt_record, starts_with_version};
use crate::dns::Lookup;
use crate::dns::lookup_failed;
use crate::domain::DomainName;
use crate::finding::{Evidence, Finding, Severity, Topic};

const TOPIC: Topic = Topic::TransportSecurity;

/// One of the two TXT record kinds: where it lives, how it starts and how it is read.
pub(crate) struct RecordKind {
    /// The label before the domain, such as `_mta-sts`.
    pub prefix: &'static str,
    version: &'static str,
    id: &'static str,
    name: &'static str,
    /// The name with its article ("an MTA-STS").
    a_name: &'static str,
    purpose: &'static str,
    example: &'static str,
    parse: fn(&str) -> Result<(), String>,
}

/// `_mta-sts.<domain>`.
pub(crate) const MTA_STS: RecordKind = RecordKind {
    prefix: "_mta-sts",
    version: "STSv1",
    id: "mta_sts",
    name: "MTA-STS",
    a_name: "an MTA-STS",
    purpose: "MTA-STS tells other mail servers to deliver to you only over verified encryption.",
    example: "v=STSv1; id=20261101",
    parse: |t| parse_sts_record(t).map(|_| ()).map_err(|e| e.to_string()),
};

/// `_smtp._tls.<domain>`.
pub(crate) const TLS_RPT: RecordKind = RecordKind {
    prefix: "_smtp._tls",
    version: "TLSRPTv1",
    id: "tls_rpt",
    name: "TLS-RPT",
    a_name: "a TLS-RPT",
    purpose: "TLS reporting (TLS-RPT) gets you daily reports of encryption failures when others deliver mail to you.",
    example: "v=TLSRPTv1; rua=mailto:tls-reports@",
    parse: |t| {
        parse_tls_rpt_record(t)
            .map(|_| ())
            .map_err(|e| e.to_string())
    },
};

/// The finding for one record kind at `lookup`, with the record when it is one valid record.
pub(crate) fn record_finding(
    kind: &RecordKind,
    domain: &DomainName,
    lookup: &Lookup,
) -> (Option<String>, Finding) {
    if let Some(failed) = lookup_failed(TOPIC, kind.name, &[lookup]) {
        return (None, failed);
    }
    let records: Vec<String> = lookup
        .txt()
        .into_iter()
        .filter(|t| starts_with_version(t, kind.version))
        .collect();
    let evidence: Vec<Evidence> = records
        .iter()
        .map(|r| Evidence::record(&lookup.name, "TXT", r))
        .collect();
    match records.as_slice() {
        [] => (
            None,
            Finding::new(
                &format!("{}.missing", kind.id),
                Severity::Info,
                TOPIC,
                format!("{domain} publishes no {} record (optional).", kind.name),
                kind.purpose,
            )
            .fix(format!(
                "Optional: publish a TXT record at {}.{domain} such as \"{}{}\".",
                kind.prefix,
                kind.example,
                if kind.example.ends_with('@') {
                    domain.as_str()
                } else {
                    ""
                }
            ))
            .evidence(lookup.evidence()),
        ),
        [record] => match (kind.parse)(record) {
            Ok(()) => (
                Some(record.clone()),
                Finding::new(
                    &format!("{}.found", kind.id),
                    Severity::Pass,
                    TOPIC,
                    format!("{domain} publishes {} record.", kind.a_name),
                    kind.purpose,
                )
                .evidence(evidence),
            ),
            Err(error) => (
                None,
                Finding::new(
                    &format!("{}.syntax", kind.id),
                    Severity::Warn,
                    TOPIC,
                    format!(
                        "The {} record at {} cannot be read ({error}).",
                        kind.name, lookup.name
                    ),
                    format!(
                        "Other servers ignore a record they cannot parse. {}",
                        kind.purpose
                    ),
                )
                .fix(format!(
                    "Correct the record so that it reads like \"{}…\".",
                    kind.example
                ))
                .evidence(evidence),
            ),
        },
        _ => (
            None,
            Finding::new(
                &format!("{}.multiple_records", kind.id),
                Severity::Warn,
                TOPIC,
                format!(
                    "{domain} publishes {} {} records; only one is allowed.",
                    records.len(),
                    kind.name
                ),
                format!(
                    "With more than one record, other servers ignore them all. {}",
                    kind.purpose
                ),
            )
            .fix("Keep one record and delete the others.")
            .evidence(evidence),
        ),
    }
}
