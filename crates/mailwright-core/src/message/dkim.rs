//! Each DKIM signature of a received message verified now with mail-auth against the keys
//! published today, with what the signature covers and its limits.

use futures::future::join_all;
use mail_auth::dkim::DkimError;
use mail_auth::{AuthenticatedMessage, DkimResult, Error, MessageAuthenticator, Parameters};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::facts::SignatureFields;
use crate::dkim::DkimKeyRecord;
use crate::dns::{DnsClient, DnsConfig, RecordType};

/// Header fields a signature should cover (Gmail and Yahoo's rules, RFC 8058 §4 for the
/// unsubscribe fields); the last two only matter when the message has them.
const IMPORTANT: [&str; 6] = [
    "From",
    "Subject",
    "Date",
    "Message-ID",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
];

/// One DKIM signature and what verifying it now says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SignatureCheck {
    /// `d=`: the domain that signed.
    pub domain: String,
    /// `s=`: the selector.
    pub selector: String,
    /// `a=`: the algorithm (`rsa-sha256`, `ed25519-sha256`, `rsa-sha1`).
    pub algorithm: String,
    /// The published key's type and size, when it could be read.
    pub key: Option<String>,
    /// `pass`, `fail`, `neutral`, `temperror`, `permerror`.
    pub result: String,
    /// Why it did not pass, in plain words.
    pub reason: Option<String>,
    /// The body was changed after signing (or only the headers were given).
    pub body_changed: bool,
    /// The important header fields the signature covers (`h=`), each with whether it does.
    pub covers: Vec<(String, bool)>,
    /// `l=`: only this many body octets are signed.
    #[ts(type = "number | null")]
    pub body_length: Option<u64>,
    /// `x=` is in the past.
    pub expired: bool,
}

/// Verifies every signature of `raw` (as read in `fields`) against DNS now; `present` lists the
/// unsubscribe fields the message has (which a signature should then cover).
pub(crate) async fn verify_signatures(
    raw: &[u8],
    fields: &[SignatureFields],
    present: &[String],
    dns: &DnsConfig,
    client: &DnsClient,
) -> Vec<SignatureCheck> {
    let verify = async {
        let (Some(message), Ok(resolver)) = (AuthenticatedMessage::parse(raw), dns.resolver())
        else {
            return Vec::new();
        };
        let outputs = tokio::time::timeout(
            dns.deadline,
            MessageAuthenticator(resolver).verify_dkim(Parameters::new(&message)),
        )
        .await
        .unwrap_or_default();
        // Owned results, matched to the signatures below by domain and selector.
        outputs
            .iter()
            .filter_map(|o| {
                let s = o.signature()?;
                Some((s.d.to_ascii_lowercase(), s.s.clone(), o.result().clone()))
            })
            .collect::<Vec<_>>()
    };
    // Each signature's key, looked up at the same time, for its type and size.
    let keys = join_all(fields.iter().map(|f| async move {
        let lookup = client
            .lookup(
                &format!("{}._domainkey.{}", f.selector, f.domain),
                RecordType::TXT,
            )
            .await;
        lookup
            .txt()
            .iter()
            .find_map(|t| DkimKeyRecord::parse(t).ok())
            .and_then(|k| k.key_type)
            .map(|k| k.label())
    }));
    let (mut results, keys) = futures::join!(verify, keys);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    fields
        .iter()
        .zip(keys)
        .map(|(f, key)| {
            let verdict = results
                .iter()
                .position(|(d, s, _)| *d == f.domain && *s == f.selector)
                .map(|i| results.remove(i).2);
            let body_changed = matches!(
                verdict,
                Some(
                    DkimResult::Fail(Error::Dkim(DkimError::FailedBodyHashMatch))
                        | DkimResult::Neutral(Error::Dkim(DkimError::FailedBodyHashMatch))
                )
            );
            let (result, reason) = match &verdict {
                // RFC 6376 §6.3: a body hash that does not match is a failure.
                _ if body_changed => ("fail", Some(reason(&Error::Dkim(DkimError::FailedBodyHashMatch)))),
                Some(DkimResult::Pass) => ("pass", None),
                Some(DkimResult::Fail(e)) => ("fail", Some(reason(e))),
                Some(DkimResult::Neutral(e)) => ("neutral", Some(reason(e))),
                Some(DkimResult::TempError(e)) => ("temperror", Some(reason(e))),
                Some(DkimResult::PermError(e)) => ("permerror", Some(reason(e))),
                Some(DkimResult::None) => ("none", None),
                None if f.body_length.is_some() => (
                    "neutral",
                    Some("not verified: Mailwright's verifier refuses signatures with l= (anyone can add text after the signed part)".to_owned()),
                ),
                None => ("permerror", Some("the signature cannot be read".to_owned())),
            };
            let covers = IMPORTANT
                .iter()
                .filter(|name| {
                    !name.starts_with("List-")
                        || present.iter().any(|p| p.eq_ignore_ascii_case(name))
                })
                .map(|name| {
                    let covered = f.headers.iter().any(|h| h.eq_ignore_ascii_case(name));
                    ((*name).to_owned(), covered)
                })
                .collect();
            SignatureCheck {
                domain: f.domain.clone(),
                selector: f.selector.clone(),
                algorithm: f.algorithm.clone(),
                key,
                result: result.to_owned(),
                reason,
                body_changed,
                covers,
                body_length: f.body_length,
                expired: f.expires.is_some_and(|x| x < now),
            }
        })
        .collect()
}

/// mail-auth's reason in plain words.
fn reason(error: &Error) -> String {
    match error {
        Error::Dkim(DkimError::FailedBodyHashMatch) => {
            "the body is not the one that was signed (changed on the way, or only the headers were given)".into()
        }
        Error::Dkim(DkimError::SignatureExpired) => "the signature has expired (x=)".into(),
        Error::Dkim(DkimError::RevokedPublicKey) => "the key has been revoked (empty p=)".into(),
        Error::Crypto(_) => {
            "the signature does not match the key published now (a changed header, or a key rotated since)".into()
        }
        Error::Dns(_) => "the key could not be looked up".into(),
        other => other.to_string(),
    }
}
