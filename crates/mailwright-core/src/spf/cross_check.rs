//! The SPF result for one message: Mailwright's own evaluation, and mail-auth's beside it when
//! the two read the record differently (some receivers use mail-auth or code like it).

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Instant;

use mail_auth::common::parse::TxtRecordParser;
use mail_auth::spf::Spf;
use mail_auth::{MessageAuthenticator, Parameters, ResolverCache, Txt};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::check_host::evaluate;
use super::{SpfCheckReport, SpfEvaluation, SpfQuery, SpfVerdict, check_spf};
use crate::dns::{DnsClient, DnsConfig, Lookup, ProgressSink, RData, RecordCache, RecordType};
use crate::domain::DomainName;
use crate::error::EngineError;

/// Mailwright's SPF result for one message, with mail-auth's beside it only when the two differ.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SpfCrossCheck {
    /// Mailwright's evaluation: the result shown.
    #[serde(flatten)]
    pub evaluation: SpfEvaluation,
    /// mail-auth's result, when it differs from Mailwright's.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub mail_auth_result: Option<SpfVerdict>,
    /// What the difference means, in one sentence, when there is one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub difference: Option<String>,
}

/// Reads a sending IP address as typed (IPv4 or IPv6).
pub fn parse_ip_address(text: &str) -> Result<IpAddr, EngineError> {
    text.trim()
        .parse()
        .map_err(|_| EngineError::IpAddress(text.to_owned()))
}

/// Evaluates SPF for `query` at `domain` (its published record, or `record` as if it were
/// published there) with Mailwright's evaluator, then with mail-auth's, which reads the SPF
/// records Mailwright already fetched (the same data, without asking again one name after
/// another).
pub async fn cross_check_spf(
    domain: &DomainName,
    query: &SpfQuery,
    record: Option<&str>,
    dns: &DnsConfig,
    progress: Option<ProgressSink>,
) -> Result<SpfCrossCheck, EngineError> {
    let client = DnsClient::new(dns, progress)?;
    let (evaluation, answers) = evaluate(query, Some(domain.as_str()), record, client).await;
    let theirs = mail_auth_verdict(domain, query, record, dns, &answers).await?;
    let mail_auth_result = theirs.filter(|v| *v != evaluation.result);
    let difference = mail_auth_result.map(|v| {
        format!(
            "mail-auth, an SPF library some receivers use, says it would {} instead: some \
             receivers may read this record differently.",
            v.meaning()
        )
    });
    Ok(SpfCrossCheck {
        evaluation,
        mail_auth_result,
        difference,
    })
}

/// The SPF check of the domain's record and the decision for one message, run at the same
/// time: what `mailwright spf check --ip` shows.
pub async fn check_spf_for_message(
    domain: &DomainName,
    query: &SpfQuery,
    dns: &DnsConfig,
    progress: Option<ProgressSink>,
) -> Result<(SpfCheckReport, SpfCrossCheck), EngineError> {
    let (report, cross) = futures::join!(
        check_spf(domain, dns, progress.clone()),
        cross_check_spf(domain, query, None, dns, progress)
    );
    Ok((report?, cross?))
}

/// mail-auth's TXT cache filled with the SPF records among `answers`, chosen as mail-auth
/// chooses them from a DNS answer (the first record that parses).
fn spf_cache(answers: &[Lookup]) -> RecordCache {
    let cache = RecordCache::default();
    for answer in answers.iter().filter(|a| a.rtype == RecordType::TXT) {
        let parsed = answer.records().iter().find_map(|rdata| match rdata {
            RData::TXT(txt) => Spf::parse(&txt.txt_data.concat()).ok(),
            _ => None,
        });
        if let Some(spf) = parsed {
            let name = format!("{}.", answer.name.trim_end_matches('.'));
            cache.insert(
                name.into_boxed_str(),
                Txt::Spf(Arc::new(spf)),
                Instant::now(),
            );
        }
    }
    cache
}

/// mail-auth's result for the same message.
async fn mail_auth_verdict(
    domain: &DomainName,
    query: &SpfQuery,
    record: Option<&str>,
    dns: &DnsConfig,
    answers: &[Lookup],
) -> Result<Option<SpfVerdict>, EngineError> {
    let resolver = dns.resolver()?;
    let cache = spf_cache(answers);
    if let Some(record) = record {
        let value = match Spf::parse(record.as_bytes()) {
            Ok(spf) => Txt::Spf(Arc::new(spf)),
            Err(error) => Txt::Error(error),
        };
        cache.insert(
            format!("{}.", domain.as_str()).into_boxed_str(),
            value,
            Instant::now(),
        );
    }
    let sender = if query.mail_from.trim().is_empty() {
        format!("postmaster@{}", domain.as_str())
    } else {
        query.mail_from.trim().to_owned()
    };
    let params = mail_auth::spf::verify::SpfParameters::verify_mail_from(
        query.ip,
        domain.as_str(),
        &query.helo,
        &sender,
    );
    let output = tokio::time::timeout(
        dns.deadline,
        MessageAuthenticator(resolver).verify_spf(Parameters::new(params).with_txt_cache(&cache)),
    )
    .await;
    Ok(output.ok().map(|output| SpfVerdict::from(output.result())))
}
