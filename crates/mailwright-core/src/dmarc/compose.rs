//! The DMARC composer: a record both RFC 7489 and RFC 9989 receivers read (p second, no pct),
//! the authorization records for external report addresses, and the policy ramp
//! none → quarantine → reject with dates and the conditions to move on.

use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

use crate::dns_record::DnsRecord;
use crate::weaker::Weaker;

use super::external::{authorization_name, external_destinations};
use super::in_force::{keep_in_force, weakenings};
use super::record::{AlignmentMode, DmarcPolicy, DmarcRecord};

/// Weeks at p=none before quarantine: at least two full weeks of daily aggregate reports from
/// the big receivers, doubled for mail that goes out only weekly or monthly (M3AAWG "DMARC
/// Training Series" and Google Workspace Admin Help "Roll out DMARC gradually").
pub const WEEKS_AT_NONE: i64 = 4;
/// Weeks at quarantine before reject, for the same reason.
pub const WEEKS_AT_QUARANTINE: i64 = 4;

/// What the composer is asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct DmarcComposeRequest {
    /// The domain, in ASCII form.
    pub domain: String,
    /// The policy to publish now (the ramp starts from it).
    pub policy: Option<DmarcPolicy>,
    /// Addresses for aggregate reports (with or without `mailto:`).
    pub rua: Vec<String>,
    /// Addresses for failure reports.
    pub ruf: Vec<String>,
    /// DKIM alignment mode.
    pub adkim: AlignmentMode,
    /// SPF alignment mode.
    pub aspf: AlignmentMode,
    /// Policy for subdomains, when different.
    pub sp: Option<DmarcPolicy>,
    /// Policy for subdomains that do not exist.
    pub np: Option<DmarcPolicy>,
    /// Failure-report options (`0`, `1`, `d`, `s`).
    pub fo: Vec<String>,
    /// The ramp's first day (today when absent).
    #[ts(type = "string | null")]
    pub start: Option<Date>,
    /// The user chose to publish choices weaker than the record in force; without it, the
    /// composer keeps what is published where the choices would weaken it.
    pub weaken: bool,
    /// The published record these choices started from (empty: there was none); `None` until
    /// the step first composed, when the choices are filled in from what is published.
    pub started_from: Option<String>,
}

/// A report address that is not an e-mail address.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum DmarcComposeError {
    /// The address cannot receive mail.
    #[error(
        "“{0}” is not an e-mail address for DMARC reports; type one such as dmarc@example.com."
    )]
    BadAddress(String),
    /// A failure-report option is unknown.
    #[error("“{0}” is not a failure-report option; use 0, 1, d or s.")]
    BadFailureOption(String),
}

impl crate::error::FeatureError for DmarcComposeError {
    fn code(&self) -> &'static str {
        "invalid_dmarc_request"
    }
}

/// The record an external report destination publishes to accept reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportAuthorization {
    /// The destination domain.
    pub destination: String,
    /// Where the TXT record goes.
    pub name: String,
    /// Its value.
    pub value: String,
}

/// One stage of the policy ramp.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RampStage {
    /// The policy of this stage.
    pub policy: DmarcPolicy,
    /// The record for this stage.
    pub record: String,
    /// The earliest suggested day.
    #[ts(type = "string")]
    pub from: Date,
    /// What must be true before this stage.
    pub conditions: Vec<String>,
}

/// The composer's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DmarcComposition {
    /// Where the record goes: `_dmarc.<domain>`.
    pub name: String,
    /// The record to publish now.
    pub record: String,
    /// Records external report destinations must publish.
    pub authorizations: Vec<ReportAuthorization>,
    /// The ramp from the chosen policy up to reject.
    pub ramp: Vec<RampStage>,
    /// Every record: the domain's, then those the report destinations publish.
    pub records: Vec<DnsRecord>,
    /// The record in force now, as published (or inherited from a parent domain).
    pub published: Option<String>,
    /// What the choices would weaken compared with it, and whether the user chose that.
    pub weaker: Weaker,
    /// True when the record says what the published one says.
    pub unchanged: bool,
}

/// Composes the record, its authorizations and the ramp, over `published`, the record in force:
/// what would weaken it is kept as published unless `request.weaken`, and named either way.
pub fn compose_dmarc(
    request: &DmarcComposeRequest,
    published: Option<&DmarcRecord>,
    today: Date,
) -> Result<DmarcComposition, DmarcComposeError> {
    let rua = mailto_list(&request.rua)?;
    let ruf = mailto_list(&request.ruf)?;
    if let Some(bad) = request
        .fo
        .iter()
        .find(|o| !["0", "1", "d", "s"].contains(&o.as_str()))
    {
        return Err(DmarcComposeError::BadFailureOption(bad.clone()));
    }
    let mut choices = DmarcRecord {
        p: Some(request.policy.unwrap_or(DmarcPolicy::None)),
        sp: request.sp,
        np: request.np,
        adkim: request.adkim,
        aspf: request.aspf,
        fo: request.fo.clone(),
        rua,
        ruf,
        ..DmarcRecord::default()
    };
    let changes = published.map_or_else(Vec::new, |p| weakenings(p, &choices));
    let weaker = Weaker::new(changes, request.weaken);
    if let Some(published) = published.filter(|_| weaker.kept()) {
        keep_in_force(published, &mut choices);
    }
    let (rua, ruf) = (choices.rua.clone(), choices.ruf.clone());
    let record_for = |policy: DmarcPolicy| DmarcRecord {
        p: Some(policy),
        sp: choices
            .sp
            .map(|sp| sp.max(policy))
            .filter(|sp| *sp != policy),
        np: choices.np,
        adkim: choices.adkim,
        aspf: choices.aspf,
        fo: if ruf.is_empty() {
            Vec::new()
        } else {
            choices.fo.clone()
        },
        rua: rua.clone(),
        ruf: ruf.clone(),
        ..DmarcRecord::default()
    };
    let first = choices.p.unwrap_or(DmarcPolicy::None);
    let in_force = published.and_then(|p| p.p);
    let start = request.start.unwrap_or(today);
    let mut ramp = Vec::new();
    let mut from = start;
    for policy in [
        DmarcPolicy::None,
        DmarcPolicy::Quarantine,
        DmarcPolicy::Reject,
    ] {
        if policy < first {
            continue;
        }
        if !ramp.is_empty() {
            let weeks = if policy == DmarcPolicy::Quarantine {
                WEEKS_AT_NONE
            } else {
                WEEKS_AT_QUARANTINE
            };
            from = from.checked_add(weeks.weeks()).unwrap_or(from);
        }
        ramp.push(RampStage {
            policy,
            record: record_for(policy).to_text(),
            from,
            conditions: conditions(policy, !rua.is_empty(), in_force, ramp.is_empty()),
        });
    }
    let uris: Vec<String> = rua.iter().chain(&ruf).cloned().collect();
    let authorizations: Vec<ReportAuthorization> = external_destinations(&request.domain, &uris)
        .into_iter()
        .map(|destination| ReportAuthorization {
            name: authorization_name(&request.domain, &destination),
            destination,
            value: "v=DMARC1".into(),
        })
        .collect();
    let name = format!("_dmarc.{}", request.domain);
    let record = record_for(first).to_text();
    let unchanged = published.is_some() && DmarcRecord::parse(&record).ok().as_ref() == published;
    let records = std::iter::once(DnsRecord::txt(
        &name,
        &record,
        "DMARC: what receivers do with mail that fails SPF and DKIM, and where they send reports.",
    ))
    .chain(authorizations.iter().map(|a| {
        DnsRecord::txt(
            &a.name,
            &a.value,
            format!(
                "Published by whoever runs {}: it agrees to receive your DMARC reports.",
                a.destination
            ),
        )
    }))
    .collect();
    Ok(DmarcComposition {
        name,
        record,
        records,
        authorizations,
        ramp,
        unchanged,
        published: published.map(DmarcRecord::to_text),
        weaker,
    })
}

/// What must be true before a stage; the first stage says how it compares with the policy in
/// force.
fn conditions(
    policy: DmarcPolicy,
    reports: bool,
    in_force: Option<DmarcPolicy>,
    first: bool,
) -> Vec<String> {
    if first && let Some(in_force) = in_force {
        if in_force == policy {
            return vec![format!(
                "Your domain publishes p={} already: publishing this record keeps that policy.",
                policy.as_str()
            )];
        }
        if in_force > policy {
            return vec![format!(
                "Publishing this lowers the policy in force (p={}): only do it if legitimate mail is being lost.",
                in_force.as_str()
            )];
        }
    }
    let reports_line = if reports {
        "You have read the aggregate reports of the last two weeks and know every source in them."
    } else {
        "You receive aggregate reports (add an rua address): without them you cannot see who would be blocked."
    };
    match policy {
        DmarcPolicy::None => {
            vec!["Publish now: it changes nothing for delivery and starts the reports.".into()]
        }
        DmarcPolicy::Quarantine => vec![
            reports_line.into(),
            "Every service in “Who sends as you” passes DMARC through aligned DKIM or SPF.".into(),
            "No legitimate mail in the reports fails DMARC.".into(),
        ],
        DmarcPolicy::Reject => vec![
            "Quarantine has run for at least four weeks without legitimate mail landing in spam."
                .into(),
            reports_line.into(),
            "No stream in the alignment table would be rejected.".into(),
        ],
    }
}

/// Every address of `addresses` that cannot receive reports (the composer stops at the first).
pub fn bad_report_addresses(addresses: &[String]) -> Vec<DmarcComposeError> {
    addresses
        .iter()
        .filter_map(|a| mailto_list(std::slice::from_ref(a)).err())
        .collect()
}

fn mailto_list(addresses: &[String]) -> Result<Vec<String>, DmarcComposeError> {
    addresses
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
        .map(|a| {
            let bare = a.strip_prefix("mailto:").unwrap_or(a);
            // A published address may carry RFC 7489's size limit (`!10m`): kept as it is.
            let (address, limit) = bare.split_once('!').unwrap_or((bare, ""));
            let limit_ok = limit.is_empty()
                || limit
                    .strip_suffix(['k', 'm', 'g', 't'])
                    .unwrap_or(limit)
                    .parse::<u64>()
                    .is_ok();
            let valid = limit_ok
                && address.rsplit_once('@').is_some_and(|(local, domain)| {
                    !local.is_empty()
                        && !local.contains([' ', ',', ';', '!'])
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                        && domain
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
                });
            if valid {
                Ok(format!("mailto:{bare}"))
            } else {
                Err(DmarcComposeError::BadAddress(a.to_owned()))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        jiff::civil::date(2026, 11, 22)
    }

    #[test]
    fn starts_at_none_and_ramps_to_reject_with_dates() {
        let out = compose_dmarc(
            &DmarcComposeRequest {
                domain: "example.com".into(),
                rua: vec!["dmarc@example.com".into()],
                np: Some(DmarcPolicy::Reject),
                ..DmarcComposeRequest::default()
            },
            None,
            today(),
        )
        .unwrap();
        assert_eq!(out.name, "_dmarc.example.com");
        assert_eq!(
            out.record,
            "v=DMARC1; p=none; np=reject; rua=mailto:dmarc@example.com"
        );
        let stages: Vec<(DmarcPolicy, String)> = out
            .ramp
            .iter()
            .map(|s| (s.policy, s.from.to_string()))
            .collect();
        assert_eq!(
            stages,
            [
                (DmarcPolicy::None, "2026-11-22".to_owned()),
                (DmarcPolicy::Quarantine, "2026-12-20".to_owned()),
                (DmarcPolicy::Reject, "2027-01-17".to_owned()),
            ]
        );
        assert!(out.ramp[2].record.starts_with("v=DMARC1; p=reject"));
        assert!(!out.record.contains("pct"));
        assert!(out.authorizations.is_empty());
    }

    #[test]
    fn external_addresses_get_an_authorization_record() {
        let out = compose_dmarc(
            &DmarcComposeRequest {
                domain: "example.com".into(),
                policy: Some(DmarcPolicy::Quarantine),
                rua: vec!["mailto:x@reports.vendor.example".into()],
                ruf: vec!["forensic@example.com".into()],
                fo: vec!["1".into()],
                ..DmarcComposeRequest::default()
            },
            None,
            today(),
        )
        .unwrap();
        assert_eq!(
            out.record,
            "v=DMARC1; p=quarantine; rua=mailto:x@reports.vendor.example; ruf=mailto:forensic@example.com; fo=1"
        );
        assert_eq!(out.ramp.len(), 2);
        assert_eq!(
            out.authorizations[0].name,
            "example.com._report._dmarc.reports.vendor.example"
        );
        assert_eq!(out.authorizations[0].value, "v=DMARC1");
    }

    #[test]
    fn a_published_size_limit_is_kept() {
        let out = compose_dmarc(
            &DmarcComposeRequest {
                domain: "example.com".into(),
                rua: vec!["d@example.com!10m".into()],
                ..DmarcComposeRequest::default()
            },
            None,
            today(),
        )
        .unwrap();
        assert!(
            out.record.ends_with("rua=mailto:d@example.com!10m"),
            "{}",
            out.record
        );
        assert!(bad_report_addresses(&["d@example.com!ten".into()]).len() == 1);
    }

    #[test]
    fn bad_addresses_are_named() {
        let error = compose_dmarc(
            &DmarcComposeRequest {
                domain: "example.com".into(),
                rua: vec!["dmarc at example".into()],
                ..DmarcComposeRequest::default()
            },
            None,
            today(),
        )
        .unwrap_err();
        assert!(error.to_string().contains("“dmarc at example”"));
    }

    #[test]
    fn a_strict_domain_keeps_its_policy_unless_the_user_chooses_to_weaken_it() {
        let published =
            DmarcRecord::parse("v=DMARC1; p=quarantine; adkim=s; rua=mailto:d@example.com")
                .unwrap();
        let request = DmarcComposeRequest {
            domain: "example.com".into(),
            rua: vec!["new@example.com".into()],
            ..DmarcComposeRequest::default()
        };
        let kept = compose_dmarc(&request, Some(&published), today()).unwrap();
        assert_eq!(
            kept.record,
            "v=DMARC1; p=quarantine; adkim=s; rua=mailto:new@example.com,mailto:d@example.com"
        );
        assert!(kept.weaker.kept());
        assert_eq!(kept.weaker.changes.len(), 3);
        assert_eq!(kept.ramp[0].policy, DmarcPolicy::Quarantine);
        assert!(kept.ramp[0].conditions[0].contains("already"));
        assert!(
            !kept
                .ramp
                .iter()
                .flat_map(|s| &s.conditions)
                .any(|c| c.contains("changes nothing"))
        );

        let weakened = compose_dmarc(
            &DmarcComposeRequest {
                weaken: true,
                ..request
            },
            Some(&published),
            today(),
        )
        .unwrap();
        assert_eq!(
            weakened.record,
            "v=DMARC1; p=none; rua=mailto:new@example.com"
        );
        assert!(weakened.weaker.chosen);
        assert!(weakened.ramp[0].conditions[0].contains("lowers"));
    }

    #[test]
    fn the_choices_start_from_the_published_record() {
        let published =
            DmarcRecord::parse("v=DMARC1; p=quarantine; adkim=s; rua=mailto:d@example.com")
                .unwrap();
        let request = DmarcComposeRequest::starting_from("example.com", Some(&published));
        let out = compose_dmarc(&request, Some(&published), today()).unwrap();
        assert_eq!(out.record, published.to_text());
        assert!(out.weaker.changes.is_empty());
        let fresh = DmarcComposeRequest::starting_from("example.com", None);
        assert_eq!(fresh.rua, ["dmarc-reports@example.com"]);
        assert_eq!(fresh.started_from.as_deref(), Some(""));
    }
}
