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

use super::{SpfEvaluation, SpfQuery, SpfVerdict, check_host};
use crate::dns::{DnsConfig, ProgressSink, RecordCache};
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
/// published there), with Mailwright's evaluator and with mail-auth's at the same time.
pub async fn cross_check_spf(
    domain: &DomainName,
    query: &SpfQuery,
    record: Option<&str>,
    dns: &DnsConfig,
    progress: Option<ProgressSink>,
) -> Result<SpfCrossCheck, EngineError> {
    let ours = check_host(query, Some(domain.as_str()), record, dns, progress);
    let theirs = mail_auth_verdict(domain, query, record, dns);
    let (evaluation, theirs) = futures::join!(ours, theirs);
    let evaluation = evaluation?;
    let mail_auth_result = theirs?.filter(|v| *v != evaluation.result);
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

/// mail-auth's result for the same message.
async fn mail_auth_verdict(
    domain: &DomainName,
    query: &SpfQuery,
    record: Option<&str>,
    dns: &DnsConfig,
) -> Result<Option<SpfVerdict>, EngineError> {
    let resolver = dns.resolver()?;
    let cache = RecordCache::default();
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
