//! The proof before any mail is sent: sign a sample message with the private key (mail-auth's
//! signer) and verify it (mail-auth's verifier) against a given DKIM record.

use std::sync::Arc;
use std::time::Instant;

use crate::dns::TokioResolver;
use mail_auth::common::crypto::{DkimKey, Ed25519Key, RsaKey, Sha256};
use mail_auth::common::headers::HeaderWriter;
use mail_auth::common::parse::TxtRecordParser;
use mail_auth::common::verify::DomainKey;
use mail_auth::dkim::DkimSigner;
use mail_auth::{
    AuthenticatedMessage, DkimResult, MessageAuthenticator, Parameters, ResolverCache, Txt,
};

use rustls_pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

use super::{DkimError, DkimKeyPair, KeyType};
use crate::dns::RecordCache;
use crate::domain::{DomainName, Selector};

/// Headers the sample message signs, as a typical MTA would.
const SIGNED_HEADERS: [&str; 5] = ["From", "To", "Subject", "Date", "Message-ID"];

/// A sample message from `postmaster@<domain>`, DKIM-signed with `pair` at `selector`.
pub fn sign_sample(
    pair: &DkimKeyPair,
    selector: &Selector,
    domain: &DomainName,
) -> Result<String, DkimError> {
    let message = format!(
        "From: Mailwright test <postmaster@{domain}>\r\n\
         To: Mailwright test <postmaster@{domain}>\r\n\
         Subject: DKIM proof for selector {selector}\r\n\
         Date: Sun, 22 Nov 2026 10:00:00 +0000\r\n\
         Message-ID: <dkim-proof.{selector}@{domain}>\r\n\
         \r\n\
         This message was signed on your computer to prove the DKIM key and record match.\r\n",
        selector = selector.as_str(),
    );
    sign_message(pair, selector, domain, &message)
}

/// `message` (CRLF lines) with a DKIM-Signature header for `d=<domain>`, `s=<selector>` in front.
pub fn sign_message(
    pair: &DkimKeyPair,
    selector: &Selector,
    domain: &DomainName,
    message: &str,
) -> Result<String, DkimError> {
    let failed = |e: mail_auth::Error| DkimError::Signing(e.to_string());
    let der = pair.private_pkcs8.expose();
    let key = match pair.key_type {
        KeyType::Rsa { bits } if bits < 2048 => {
            // ring, mail-auth's signer here, refuses to sign with keys under 2048 bits.
            return Err(DkimError::Signing(format!(
                "keys of {bits} bits are too short to sign with; make a 2048-bit key"
            )));
        }
        KeyType::Rsa { .. } => DkimKey::Rsa(
            RsaKey::<Sha256>::from_key_der(PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
                der.as_slice(),
            )))
            .map_err(failed)?,
        ),
        KeyType::Ed25519 => {
            DkimKey::Ed25519(Ed25519Key::from_pkcs8_maybe_unchecked_der(der).map_err(failed)?)
        }
    };
    let signature = DkimSigner::from_key(key)
        .domain(domain.as_str())
        .selector(selector.as_str())
        .headers(SIGNED_HEADERS)
        .sign(message.as_bytes())
        .map_err(failed)?;
    Ok(format!("{}{message}", signature.to_header()))
}

/// What mail-auth concluded about one signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The signature verifies.
    Pass,
    /// It does not, and mail-auth's reason.
    Fail(String),
}

/// Verifies the signed sample against `record` as if it were published at
/// `<selector>._domainkey.<domain>`. The record is handed to mail-auth through its TXT cache,
/// so the verifier never asks DNS itself; `resolver` is only there because mail-auth needs one.
pub async fn verify_with_record(
    resolver: TokioResolver,
    signed: &str,
    record: &str,
    selector: &Selector,
    domain: &DomainName,
) -> Verdict {
    let key = match DomainKey::parse(record.as_bytes()) {
        Ok(key) => key,
        Err(e) => return Verdict::Fail(e.to_string()),
    };
    let cache = RecordCache::default();
    cache.insert(
        format!("{}._domainkey.{}.", selector.as_str(), domain.as_str()).into_boxed_str(),
        Txt::DomainKey(Arc::new(key)),
        Instant::now(),
    );
    let Some(message) = AuthenticatedMessage::parse(signed.as_bytes()) else {
        return Verdict::Fail("the sample message could not be read back".into());
    };
    let authenticator = MessageAuthenticator(resolver);
    let outputs = authenticator
        .verify_dkim(Parameters::new(&message).with_txt_cache(&cache))
        .await;
    match outputs.first().map(|o| o.result()) {
        Some(DkimResult::Pass) => Verdict::Pass,
        Some(
            DkimResult::Fail(e)
            | DkimResult::Neutral(e)
            | DkimResult::PermError(e)
            | DkimResult::TempError(e),
        ) => Verdict::Fail(e.to_string()),
        Some(DkimResult::None) | None => Verdict::Fail("no DKIM signature was found".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dkim::{KeyAlgorithm, generate_key};
    use crate::dns::{DnsConfig, NameserverSource};
    use crate::domain::parse_domain_input;

    async fn prove(pair: &DkimKeyPair, record: &str) -> Verdict {
        let domain = parse_domain_input("example.com").unwrap().domain;
        let selector = Selector::parse("mw202611").unwrap();
        let signed = sign_sample(pair, &selector, &domain).unwrap();
        assert!(signed.starts_with("DKIM-Signature: v=1;"), "{signed}");
        let config =
            DnsConfig::choose(Some(("127.0.0.1:9", NameserverSource::CommandLine)), None).unwrap();
        verify_with_record(
            config.resolver().unwrap(),
            &signed,
            record,
            &selector,
            &domain,
        )
        .await
    }

    #[tokio::test]
    async fn a_signature_verifies_against_its_own_record_only() {
        let domain = parse_domain_input("example.com").unwrap().domain;
        let selector = Selector::parse("mw202611").unwrap();
        for algorithm in [KeyAlgorithm::Rsa2048, KeyAlgorithm::Ed25519] {
            let pair = generate_key(algorithm).unwrap();
            let other = generate_key(algorithm).unwrap();
            let own = pair.record(&selector, &domain).value;
            assert_eq!(prove(&pair, &own).await, Verdict::Pass, "{algorithm:?}");
            let foreign = other.record(&selector, &domain).value;
            assert!(
                matches!(prove(&pair, &foreign).await, Verdict::Fail(_)),
                "{algorithm:?}"
            );
        }
    }

    #[test]
    fn short_keys_are_refused_with_a_sentence() {
        let pair = generate_key(KeyAlgorithm::Rsa1024).unwrap();
        let domain = parse_domain_input("example.com").unwrap().domain;
        let error = sign_sample(&pair, &Selector::parse("s").unwrap(), &domain).unwrap_err();
        assert!(error.to_string().contains("2048-bit"), "{error}");
    }
}
