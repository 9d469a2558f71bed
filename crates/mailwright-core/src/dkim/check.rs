//! Checks one selector of any domain: what is published there, and — with the private key —
//! the sign-and-verify proof against the record as composed and as published (like
//! opendkim-testkey, but with a real signature).

use crate::dns::RecordType;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::findings::{KeyState, describe, key_state, record_warnings, revoked, syntax, via_cname};
use super::key_record::read_public_key;
use super::proof::{Verdict, sign_sample, verify_with_record};
use super::{DkimError, DkimKeyPair, DkimKeyRecord, KeyType};
use crate::dns::lookup_failed;
use crate::dns::{DnsClient, DnsConfig, Lookup, ProgressSink};
use crate::domain::{DomainName, Selector};
use crate::error::EngineError;
use crate::finding::{Evidence, Finding, Severity, Topic};

const TOPIC: Topic = Topic::Dkim;

/// What the check of one selector found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DkimCheckReport {
    /// The domain, in ASCII form.
    pub domain: String,
    /// The selector checked.
    pub selector: String,
    /// `<selector>._domainkey.<domain>`.
    pub record_name: String,
    /// The DNS server asked, as a person reads it.
    pub nameserver: String,
    /// The DKIM record as published (TXT strings joined), if any.
    pub published: Option<String>,
    /// The published key's type and size, when it could be read.
    pub key: Option<KeyType>,
    /// Whether the sign-and-verify proof against the published record passed (`None`: not run).
    pub proof_passed: Option<bool>,
    /// The findings, worst first.
    pub findings: Vec<Finding>,
}

impl DkimCheckReport {
    /// True when any finding fails (the CLI's exit code 1).
    pub fn has_failures(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Fail)
    }
}

/// A selector check as the app shows it: the report, and why the proof did not run if it did not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DkimCheck {
    /// The check's report.
    pub report: DkimCheckReport,
    /// Why the sign-and-verify proof was not run (no private key available), if it was not.
    pub note: Option<String>,
}

/// Looks up `<selector>._domainkey.<domain>` (following CNAMEs) and, when `key` is given,
/// proves that mail signed with it verifies.
pub async fn check_selector(
    domain: &DomainName,
    selector: &Selector,
    key: Option<&DkimKeyPair>,
    dns: &DnsConfig,
    progress: Option<ProgressSink>,
) -> Result<DkimCheckReport, EngineError> {
    let client = DnsClient::new(dns, progress)?;
    let name = format!("{}._domainkey.{domain}", selector.as_str());
    let lookup = client.lookup(&name, RecordType::TXT).await;
    let (state, published) = key_state(&lookup);
    let mut report = DkimCheckReport {
        domain: domain.as_str().to_owned(),
        selector: selector.as_str().to_owned(),
        record_name: name,
        nameserver: client.server().to_owned(),
        published: published.clone(),
        key: match &state {
            KeyState::Published(record) => record.key_type,
            _ => None,
        },
        proof_passed: None,
        findings: Vec::new(),
    };
    if let Some(failure) = lookup_failed(TOPIC, "the DKIM record", &[&lookup]) {
        report.findings.push(failure);
        return Ok(report);
    }
    let composed = match key {
        Some(pair) => Some(Proof::sign(dns, pair, selector, domain).await?),
        None => None,
    };
    match state {
        KeyState::Absent => {
            report
                .findings
                .push(not_published(selector, &lookup, composed.as_ref()))
        }
        KeyState::Revoked => {
            let severity = if key.is_some() {
                Severity::Fail
            } else {
                Severity::Info
            };
            report.findings.push(revoked(selector, &lookup, severity));
        }
        KeyState::Unreadable(error) => report.findings.push(syntax(selector, &lookup, &error)),
        KeyState::Published(record) => {
            report
                .findings
                .extend(record_warnings(selector, &lookup, &record));
            match (composed, published) {
                (Some(composed), Some(text)) => {
                    let (finding, passed) =
                        composed.against_published(&text, &record, &lookup).await?;
                    report.proof_passed = Some(passed);
                    report.findings.push(finding);
                }
                _ => report.findings.push(key_found(selector, &lookup, &record)),
            }
        }
    }
    report
        .findings
        .sort_by_key(|f| std::cmp::Reverse(f.severity));
    Ok(report)
}

/// The sign-and-verify proof for one key: the signed sample and mail-auth's verdict against the
/// record Mailwright composes for it.
struct Proof<'a> {
    dns: &'a DnsConfig,
    pair: &'a DkimKeyPair,
    selector: &'a Selector,
    domain: &'a DomainName,
    signed: Option<String>,
    verdict: Verdict,
}

impl<'a> Proof<'a> {
    /// Signs the sample with `pair` and verifies it against the composed record.
    async fn sign(
        dns: &'a DnsConfig,
        pair: &'a DkimKeyPair,
        selector: &'a Selector,
        domain: &'a DomainName,
    ) -> Result<Self, EngineError> {
        let record = pair.record(selector, domain).value;
        let (signed, verdict) = match sign_sample(pair, selector, domain) {
            Ok(signed) => {
                let verdict =
                    verify_with_record(dns.resolver()?, &signed, &record, selector, domain).await;
                (Some(signed), verdict)
            }
            Err(DkimError::Signing(reason)) => (None, Verdict::Fail(reason)),
            Err(other) => return Err(other.into()),
        };
        Ok(Proof {
            dns,
            pair,
            selector,
            domain,
            signed,
            verdict,
        })
    }

    fn composed_evidence(&self, name: &str) -> Evidence {
        Evidence::proof(
            name,
            match &self.verdict {
                Verdict::Fail(reason) if self.signed.is_none() => {
                    format!("no sample signed: {reason}")
                }
                Verdict::Pass => {
                    "signed sample verifies against the record Mailwright composed".to_owned()
                }
                Verdict::Fail(reason) => {
                    format!("signed sample does not verify against the composed record: {reason}")
                }
            },
        )
    }

    /// Compares the published key with the private key's and verifies the sample against the
    /// published `text`; the finding and whether the proof passed.
    async fn against_published(
        &self,
        text: &str,
        record: &DkimKeyRecord,
        lookup: &Lookup,
    ) -> Result<(Finding, bool), EngineError> {
        let (pair, selector, domain) = (self.pair, self.selector, self.domain);
        let published_key = record
            .key_type
            .and_then(|t| read_public_key(t.k_tag(), &record.public_p).ok())
            .map(|(_, bytes)| bytes);
        let matches = published_key.as_deref() == Some(pair.public_key_bytes().as_slice())
            && record.key_type.map(KeyType::k_tag) == Some(pair.key_type.k_tag());
        let verdict = match &self.signed {
            Some(signed) => {
                verify_with_record(self.dns.resolver()?, signed, text, selector, domain).await
            }
            None => self.verdict.clone(),
        };
        let mut evidence = lookup.evidence();
        evidence.push(self.composed_evidence(&lookup.name));
        evidence.push(Evidence::proof(
            &lookup.name,
            match &verdict {
                _ if self.signed.is_none() && matches => {
                    "the published key is the public half of your private key (compared)".to_owned()
                }
                Verdict::Pass => "signed sample verifies against the published record".to_owned(),
                Verdict::Fail(reason) => {
                    format!("signed sample does not verify against the published record: {reason}")
                }
            },
        ));
        let name = selector.as_str();
        if !matches {
            let finding = Finding::new(
            "dkim.key_mismatch",
            Severity::Fail,
            TOPIC,
            format!("The key published at selector {name} is not the public half of your private key."),
            format!(
                "Mail signed with your private key will fail DKIM: receivers look up {} and find {} \
                 that belongs to a different private key. This happens when a key is generated again \
                 but the old record is still published, or the wrong record was pasted.",
                lookup.name,
                describe(record)
            ),
        )
        .fix(format!("Replace the record at {} with the one Mailwright shows for this key.", lookup.name))
        .evidence(evidence);
            return Ok((finding, false));
        }
        if self.signed.is_none()
            && let Verdict::Fail(reason) = &verdict
        {
            // ring refuses to sign with keys under 2048 bits; the public keys were compared
            // instead, and they match.
            let finding = Finding::new(
                "dkim.selftest.unsigned",
                Severity::Warn,
                TOPIC,
                format!(
                    "The key at selector {name} matches your private key, but no proof could be signed with it."
                ),
                format!(
                    "Mailwright compared the published key with your private key's public half:                      they match ({}). It could not sign a sample message to verify, because {reason}.                      Receivers still verify such signatures, but a short key is easy to break.",
                    describe(record)
                ),
            )
            .fix("Make a 2048-bit key in the DKIM step, publish it under a new selector, then sign with it.")
            .evidence(evidence);
            return Ok((finding, false));
        }
        let finding = match verdict {
            Verdict::Pass => Finding::new(
                "dkim.selftest.pass",
                Severity::Pass,
                TOPIC,
                format!(
                    "DKIM proof passed: mail signed with your key verifies against selector {name}."
                ),
                format!(
                    "Mailwright signed a sample message with your private key and verified it with \
                 mail-auth against the record Mailwright composed and against the record \
                 published at {} ({}).{}",
                    lookup.name,
                    describe(record),
                    via_cname(lookup)
                ),
            )
            .evidence(evidence),
            Verdict::Fail(reason) => Finding::new(
                "dkim.selftest.fail",
                Severity::Fail,
                TOPIC,
                format!("DKIM proof failed at selector {name}: {reason}."),
                "The published key matches your private key, but a message signed with it does not \
             verify. The record may carry flags or a key type that do not fit the signature.",
            )
            .fix(format!(
                "Replace the record at {} with exactly the one Mailwright shows.",
                lookup.name
            ))
            .evidence(evidence),
        };
        let passed = finding.severity == Severity::Pass;
        Ok((finding, passed))
    }
}

fn not_published(selector: &Selector, lookup: &Lookup, composed: Option<&Proof<'_>>) -> Finding {
    let severity = if composed.is_some() {
        Severity::Fail
    } else {
        Severity::Warn
    };
    let mut finding = Finding::new(
        "dkim.not_published",
        severity,
        TOPIC,
        format!(
            "No DKIM record is published at selector {} yet.",
            selector.as_str()
        ),
        format!(
            "Receivers look up {} to verify signatures made with selector {}, and find nothing \
             there, so such mail fails DKIM. New records can take up to an hour to appear.",
            lookup.name,
            selector.as_str()
        ),
    )
    .fix(format!(
        "Publish the DKIM record at {} at your DNS host, then check again.",
        lookup.name
    ))
    .evidence(lookup.evidence());
    if let Some(composed) = composed {
        finding = finding.evidence([composed.composed_evidence(&lookup.name)]);
    }
    finding
}

fn key_found(selector: &Selector, lookup: &Lookup, record: &DkimKeyRecord) -> Finding {
    Finding::new(
        "dkim.selector_found",
        Severity::Pass,
        TOPIC,
        format!("A DKIM key is published at selector {}.", selector.as_str()),
        format!(
            "It holds {}.{} Give Mailwright the private key to prove that signatures verify.",
            describe(record),
            via_cname(lookup)
        ),
    )
    .evidence(lookup.evidence())
}
