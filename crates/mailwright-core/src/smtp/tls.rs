//! The TLS side of the probe: rustls (ring) with a verifier that records why a certificate
//! fails instead of stopping the handshake, so the rest can still be shown; and what was
//! negotiated. Credentials are only ever sent when the recorded verdict is a pass.

use std::sync::{Arc, Mutex};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
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

/// The verifier's record of the last certificate seen.
#[derive(Debug, Default)]
struct Seen {
    end_entity: Option<CertificateDer<'static>>,
    error: Option<Error>,
}

/// Wraps rustls's WebPKI verifier: the real verdict is recorded, the handshake goes on.
#[derive(Debug)]
struct RecordingVerifier {
    inner: Arc<WebPkiServerVerifier>,
    seen: Mutex<Seen>,
}

impl ServerCertVerifier for RecordingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        let verdict = self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        );
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.end_entity = Some(end_entity.clone().into_owned());
        seen.error = verdict.err();
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

/// A client configuration for one probe and a handle to read the verdict after the handshake.
pub(crate) struct ProbeTls {
    /// The configuration to connect with.
    pub config: Arc<ClientConfig>,
    verifier: Arc<RecordingVerifier>,
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
        let verifier = Arc::new(RecordingVerifier {
            inner,
            seen: Mutex::new(Seen::default()),
        });
        let config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .dangerous()
            .with_custom_certificate_verifier(verifier.clone())
            .with_no_client_auth();
        Ok(ProbeTls {
            config: Arc::new(config),
            verifier,
            trust: trust.clone(),
        })
    }

    /// What was negotiated on `connection`, with the certificate verdict for `expected`.
    pub fn details(&self, connection: &ClientConnection, expected: &str) -> TlsDetails {
        let seen = self.verifier.seen.lock().unwrap_or_else(|e| e.into_inner());
        let now = jiff::Timestamp::now().as_second();
        let certificate = seen.end_entity.as_ref().and_then(|der| {
            let mut details = describe(der, expected, now)?;
            let pinned = self
                .trust
                .certificates
                .iter()
                .any(|c| c.as_ref() == der.as_ref());
            let mut problems = details.problems.clone();
            match &seen.error {
                None => {}
                Some(Error::InvalidCertificate(e)) => match e {
                    CertificateError::Expired
                    | CertificateError::ExpiredContext { .. }
                    | CertificateError::NotValidYet
                    | CertificateError::NotValidYetContext { .. }
                    | CertificateError::NotValidForName
                    | CertificateError::NotValidForNameContext { .. } => {
                        // Already read from the certificate itself, with the details.
                    }
                    CertificateError::UnknownIssuer if pinned => {}
                    CertificateError::UnknownIssuer => {
                        problems.push(CertificateProblem::UnknownIssuer);
                    }
                    other => problems.push(CertificateProblem::Other {
                        reason: Error::InvalidCertificate(other.clone()).to_string(),
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
        });
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
