//! The TLS side of the probe: rustls (ring) with a verifier that lets the handshake finish
//! (checking its signatures), so a refused certificate can still be shown; then each
//! connection's own chain is judged by webpki, and what was negotiated is read. Credentials are
//! only ever sent when that connection's verdict is a pass.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{WebPkiServerVerifier, verify_server_name};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{
    CertificateError, ClientConfig, ClientConnection, DigitallySignedStruct, Error, SignatureScheme,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::certificate::{CertificateDetails, CertificateProblem, describe};
use super::target::Trust;

/// What the handshake negotiated and what the certificate says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TlsDetails {
    /// `TLSv1.3` or `TLSv1.2`.
    pub version: String,
    /// The cipher suite, such as `TLS13_AES_256_GCM_SHA384`.
    pub cipher_suite: String,
    /// The key-exchange group, such as `X25519`.
    pub key_exchange: String,
    /// The server's certificate; absent when it could not be read.
    pub certificate: Option<CertificateDetails>,
}

impl TlsDetails {
    /// Whether credentials may be sent over this connection.
    pub fn certificate_passed(&self) -> bool {
        self.certificate
            .as_ref()
            .is_some_and(|c| c.trusted && c.problems.is_empty())
    }
}

/// Lets every handshake finish so the whole conversation can be shown, while still checking the
/// handshake signatures: the certificate itself is judged afterwards, on each connection's own
/// chain ([`ProbeTls::details`]). There is no shared "last certificate seen": several ports are
/// probed at once, and one port's verdict must never be read by another.
#[derive(Debug)]
struct DeferredVerifier {
    inner: Arc<WebPkiServerVerifier>,
}

impl ServerCertVerifier for DeferredVerifier {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// A client configuration for the probes of one test, and the verifier that judges each
/// connection's certificate after its handshake.
pub(crate) struct ProbeTls {
    /// The configuration to connect with.
    pub config: Arc<ClientConfig>,
    inner: Arc<WebPkiServerVerifier>,
    trust: Trust,
}

impl ProbeTls {
    /// Public roots (webpki-roots) plus what the user trusts; ring as the provider.
    pub fn new(trust: &Trust) -> Result<Self, Error> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let roots = crate::tls_roots::root_store(&trust.certificates);
        let inner = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
            .build()
            .map_err(|e| Error::General(e.to_string()))?;
        let verifier = Arc::new(DeferredVerifier {
            inner: inner.clone(),
        });
        let config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .dangerous()
            .with_custom_certificate_verifier(verifier.clone())
            .with_no_client_auth();
        Ok(ProbeTls {
            config: Arc::new(config),
            inner,
            trust: trust.clone(),
        })
    }

    /// What was negotiated on `connection`, with the verdict on the chain that connection
    /// presented, checked by webpki for `expected`. Only this connection's own certificates are
    /// read, so ports probed at the same time can never see each other's verdicts.
    pub fn details(&self, connection: &ClientConnection, expected: &str) -> TlsDetails {
        let certificate = connection
            .peer_certificates()
            .and_then(|chain| self.judge(chain, expected, UnixTime::now()));
        TlsDetails {
            version: connection
                .protocol_version()
                .map(|v| format!("{v:?}").replace("TLSv1_", "TLSv1."))
                .unwrap_or_default(),
            cipher_suite: connection
                .negotiated_cipher_suite()
                .map(|s| format!("{:?}", s.suite()))
                .unwrap_or_default(),
            key_exchange: connection
                .negotiated_key_exchange_group()
                .map(|g| format!("{:?}", g.name()))
                .unwrap_or_default(),
            certificate,
        }
    }
}

impl ProbeTls {
    /// The verdict on `chain` (end entity first) for the name `expected` at `now`. webpki
    /// decides; the certificate's own reading (names, dates) describes what is wrong.
    fn judge(
        &self,
        chain: &[CertificateDer<'_>],
        expected: &str,
        now: UnixTime,
    ) -> Option<CertificateDetails> {
        let (end_entity, intermediates) = chain.split_first()?;
        let mut details = describe(end_entity, expected, now.as_secs() as i64)?;
        let name = ServerName::try_from(expected.to_owned()).ok();
        let pinned = self
            .trust
            .certificates
            .iter()
            .any(|c| c.as_ref() == end_entity.as_ref());
        let chain_verdict = match &name {
            Some(name) => self
                .inner
                .verify_server_cert(end_entity, intermediates, name, &[], now)
                .err(),
            None => Some(Error::InvalidCertificate(CertificateError::NotValidForName)),
        };
        // The name verdict on its own, as webpki gives it: the chain verdict stops at its
        // first fault and would not say whether the name also fails.
        let name_ok = name.as_ref().is_some_and(|name| {
            ParsedCertificate::try_from(end_entity)
                .is_ok_and(|parsed| verify_server_name(&parsed, name).is_ok())
        });
        let mut problems: Vec<CertificateProblem> = details
            .problems
            .drain(..)
            .filter(|p| !matches!(p, CertificateProblem::NameMismatch { .. }))
            .collect();
        if !name_ok {
            problems.push(CertificateProblem::NameMismatch {
                expected: expected.to_ascii_lowercase(),
                presented: details.names.clone(),
            });
        }
        details.covers_host = name_ok;
        match chain_verdict {
            None => {}
            Some(Error::InvalidCertificate(e)) => match e {
                CertificateError::Expired
                | CertificateError::ExpiredContext { .. }
                | CertificateError::NotValidYet
                | CertificateError::NotValidYetContext { .. }
                | CertificateError::NotValidForName
                | CertificateError::NotValidForNameContext { .. } => {
                    // Named above from the certificate itself and webpki's name check.
                    if !problems.iter().any(|p| {
                        matches!(
                            p,
                            CertificateProblem::Expired { .. }
                                | CertificateProblem::NotYetValid
                                | CertificateProblem::NameMismatch { .. }
                        )
                    }) {
                        problems.push(CertificateProblem::Other {
                            reason: Error::InvalidCertificate(e).to_string(),
                        });
                    }
                }
                CertificateError::UnknownIssuer if pinned => {}
                CertificateError::UnknownIssuer => {
                    problems.push(CertificateProblem::UnknownIssuer);
                }
                other => problems.push(CertificateProblem::Other {
                    reason: Error::InvalidCertificate(other).to_string(),
                }),
            },
            Some(other) => problems.push(CertificateProblem::Other {
                reason: other.to_string(),
            }),
        }
        details.trusted = !problems.contains(&CertificateProblem::UnknownIssuer)
            && !problems
                .iter()
                .any(|p| matches!(p, CertificateProblem::Other { .. }));
        // With the user's certificates among the roots, a pass may rest on them.
        details.trusted_by_user = details.trusted && self.trust.is_explicit();
        details.problems = problems;
        Some(details)
    }
}
