//! MTA-STS (RFC 8461) and SMTP TLS reporting (RFC 8460) records: how other servers are told to
//! encrypt mail to this domain and where to report failures.

use hickory_proto::rr::RecordType;

use super::failure::lookup_failed;
use crate::dns::{DnsClient, Lookup};
use crate::domain::DomainName;
use crate::finding::{Evidence, Finding, Severity, Topic};
use crate::mta_sts::{parse_sts_record, parse_tls_rpt_record};

const TOPIC: Topic = Topic::TransportSecurity;

/// One of the two record kinds checked here.
struct Kind {
    prefix: &'static str,
    version: &'static str,
    id: &'static str,
    name: &'static str,
    purpose: &'static str,
    example: &'static str,
    parse: fn(&str) -> Result<(), String>,
}

const MTA_STS: Kind = Kind {
    prefix: "_mta-sts",
    version: "v=STSv1",
    id: "mta_sts",
    name: "MTA-STS",
    purpose: "MTA-STS tells other mail servers to deliver to you only over verified encryption.",
    example: "v=STSv1; id=20261101",
    parse: |t| parse_sts_record(t).map(|_| ()).map_err(|e| e.to_string()),
};

const TLS_RPT: Kind = Kind {
    prefix: "_smtp._tls",
    version: "v=TLSRPTv1",
    id: "tls_rpt",
    name: "TLS-RPT",
    purpose: "TLS reporting (TLS-RPT) gets you daily reports of encryption failures when others deliver mail to you.",
    example: "v=TLSRPTv1; rua=mailto:tls-reports@",
    parse: |t| {
        parse_tls_rpt_record(t)
            .map(|_| ())
            .map_err(|e| e.to_string())
    },
};

/// Looks up both records concurrently.
pub async fn check(dns: &DnsClient, domain: &DomainName) -> Vec<Finding> {
    let sts_name = format!("{}.{domain}", MTA_STS.prefix);
    let rpt_name = format!("{}.{domain}", TLS_RPT.prefix);
    let (sts, rpt) = tokio::join!(
        dns.lookup(&sts_name, RecordType::TXT),
        dns.lookup(&rpt_name, RecordType::TXT),
    );
    let mut findings = one(&MTA_STS, domain, &sts);
    findings.extend(one(&TLS_RPT, domain, &rpt));
    findings
}

fn one(kind: &Kind, domain: &DomainName, lookup: &Lookup) -> Vec<Finding> {
    if let Some(failed) = lookup_failed(TOPIC, kind.name, &[lookup]) {
        return vec![failed];
    }
    let records: Vec<String> = lookup
        .txt()
        .into_iter()
        .filter(|t| t.trim_start().starts_with(kind.version))
        .collect();
    let evidence: Vec<Evidence> = records
        .iter()
        .map(|r| Evidence::new(&lookup.name, "TXT", r))
        .collect();
    let finding = match records.as_slice() {
        [] => Finding::new(
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
        [record] => match (kind.parse)(record) {
            Ok(()) => Finding::new(
                &format!("{}.found", kind.id),
                Severity::Pass,
                TOPIC,
                format!("{domain} publishes a {} record.", kind.name),
                kind.purpose,
            )
            .evidence(evidence),
            Err(error) => Finding::new(
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
        },
        _ => Finding::new(
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
    };
    vec![finding]
}
