//! Fetching the policy file over HTTPS (RFC 8461 §3.3): from `mta-sts.<domain>` resolved through
//! the configured DNS server, a certificate valid for that name, no redirects, status 200,
//! `text/plain`, at most 64 KiB, within a timeout.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Empty, Limited};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use rustls::ClientConfig;
use rustls::pki_types::{CertificateDer, ServerName};

use super::super::tls_roots::root_store;
use thiserror::Error;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use crate::dns::DnsClient;

/// Largest policy accepted (RFC 8461 §3.3 suggests 64 KiB).
pub const MAX_POLICY_BYTES: usize = 64 * 1024;

/// Where and how policies are fetched.
#[derive(Clone, Debug)]
pub struct HttpsConfig {
    /// The HTTPS port (443; tests use a local server on another port).
    pub port: u16,
    /// Certificate authorities trusted besides the public ones (tests use their own CA).
    pub extra_roots: Vec<CertificateDer<'static>>,
    /// The whole fetch's time limit.
    pub timeout: Duration,
}

impl Default for HttpsConfig {
    fn default() -> Self {
        HttpsConfig {
            port: 443,
            extra_roots: Vec::new(),
            timeout: Duration::from_secs(10),
        }
    }
}

/// Environment variable naming another HTTPS port for policy fetches (private test setups).
pub const ENV_HTTPS_PORT: &str = "MAILWRIGHT_HTTPS_PORT";
/// Environment variable naming a PEM CA certificate to trust besides the public roots.
pub const ENV_EXTRA_CA: &str = "MAILWRIGHT_EXTRA_CA";

impl HttpsConfig {
    /// The defaults, with `MAILWRIGHT_HTTPS_PORT` and `MAILWRIGHT_EXTRA_CA` applied when set
    /// (how the end-to-end tests point the app at their local policy server); in debug builds
    /// only ([`crate::test_switch`]).
    pub fn from_environment() -> Result<Self, crate::EngineError> {
        use crate::test_switch::test_switch;
        let mut config = HttpsConfig::default();
        if let Some(port) = test_switch(ENV_HTTPS_PORT) {
            config.port = port
                .trim()
                .parse()
                .map_err(|_| crate::EngineError::HttpsPort(port.clone()))?;
        }
        if let Some(path) = test_switch(ENV_EXTRA_CA) {
            config
                .extra_roots
                .push(read_ca_file(std::path::Path::new(&path))?);
        }
        Ok(config)
    }
}

/// Reads a PEM CA certificate to trust.
pub fn read_ca_file(path: &std::path::Path) -> Result<CertificateDer<'static>, crate::EngineError> {
    use rustls::pki_types::pem::PemObject;
    let refused = || crate::EngineError::CaFile(path.display().to_string());
    let bytes =
        crate::files::read_capped_io(path, crate::files::MAX_PEM_FILE).map_err(|_| refused())?;
    CertificateDer::from_pem_slice(&bytes).map_err(|_| refused())
}

/// Why the policy could not be fetched; each says what to do.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum FetchError {
    /// The host has no address.
    #[error(
        "{0} has no A or AAAA record; publish one pointing to the web server that serves the policy"
    )]
    NoAddress(String),
    /// No connection.
    #[error("could not connect to {0} ({1}); check that a web server answers HTTPS there")]
    Connect(String, String),
    /// The TLS handshake failed (certificate expired, wrong name, unknown issuer…).
    #[error(
        "the HTTPS certificate of {0} was refused ({1}); senders refuse it too, so install a valid certificate for {0}"
    )]
    Tls(String, String),
    /// Nothing within the time limit.
    #[error("{0} did not answer within {1} seconds")]
    Timeout(String, u64),
    /// A redirect, which senders must not follow.
    #[error(
        "{0} answered with a redirect to {1}; senders do not follow redirects, so serve the file directly"
    )]
    Redirect(String, String),
    /// Another status than 200.
    #[error(
        "{0} answered HTTP {1} for /.well-known/mta-sts.txt; the file must be served with status 200"
    )]
    Status(String, u16),
    /// Not `text/plain`.
    #[error("{0} serves the policy as “{1}”; it must be text/plain")]
    ContentType(String, String),
    /// Too large.
    #[error("the policy from {0} is larger than 64 KiB")]
    TooLarge(String),
    /// The HTTP exchange failed.
    #[error("the HTTP exchange with {0} failed ({1})")]
    Http(String, String),
}

/// Fetches `https://mta-sts.<domain>/.well-known/mta-sts.txt` and returns the body.
pub async fn fetch_policy(
    dns: &DnsClient,
    domain: &str,
    https: &HttpsConfig,
) -> Result<String, FetchError> {
    let host = format!("mta-sts.{domain}");
    match tokio::time::timeout(https.timeout, fetch(dns, &host, https)).await {
        Ok(result) => result,
        Err(_) => Err(FetchError::Timeout(host, https.timeout.as_secs())),
    }
}

/// Why the HTTPS handshake failed, in plain words (rustls's own words only for a failure not
/// named here).
fn tls_failure(error: &std::io::Error) -> String {
    use rustls::{CertificateError, Error};
    let Some(rustls) = error.get_ref().and_then(|e| e.downcast_ref::<Error>()) else {
        return error.to_string();
    };
    let plain = match rustls {
        Error::InvalidCertificate(CertificateError::UnknownIssuer) => {
            "it is not signed by an authority that mail servers trust"
        }
        Error::InvalidCertificate(
            CertificateError::Expired | CertificateError::ExpiredContext { .. },
        ) => "it has expired",
        Error::InvalidCertificate(
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
        ) => "it is for another name",
        Error::InvalidCertificate(
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. },
        ) => "it is not valid yet",
        Error::InvalidCertificate(CertificateError::Revoked) => "it was revoked",
        other => return format!("the secure connection could not be set up: {other}"),
    };
    plain.to_owned()
}

async fn fetch(dns: &DnsClient, host: &str, https: &HttpsConfig) -> Result<String, FetchError> {
    let addresses = dns.addresses(host).await;
    let Some(ip) = addresses.first() else {
        return Err(FetchError::NoAddress(host.to_owned()));
    };
    let address = SocketAddr::new(*ip, https.port);
    let tcp = TcpStream::connect(address)
        .await
        .map_err(|e| FetchError::Connect(address.to_string(), e.kind().to_string()))?;
    let name = ServerName::try_from(host.to_owned())
        .map_err(|e| FetchError::Tls(host.to_owned(), e.to_string()))?;
    let config = client_config(&https.extra_roots)
        .map_err(|e| FetchError::Tls(host.to_owned(), e.to_string()))?;
    let tls = TlsConnector::from(Arc::new(config))
        .connect(name, tcp)
        .await
        .map_err(|e| FetchError::Tls(host.to_owned(), tls_failure(&e)))?;
    let http = |e: hyper::Error| FetchError::Http(host.to_owned(), e.to_string());
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(tls))
        .await
        .map_err(http)?;
    let driver = tokio::spawn(connection);
    let request = hyper::Request::get("/.well-known/mta-sts.txt")
        .header(hyper::header::HOST, host)
        .header(hyper::header::USER_AGENT, "Mailwright")
        .body(Empty::<Bytes>::new())
        .map_err(|e| FetchError::Http(host.to_owned(), e.to_string()))?;
    let response = sender.send_request(request).await.map_err(http)?;
    let status = response.status();
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    if status.is_redirection() {
        driver.abort();
        return Err(FetchError::Redirect(
            host.to_owned(),
            header(hyper::header::LOCATION),
        ));
    }
    if status != hyper::StatusCode::OK {
        driver.abort();
        return Err(FetchError::Status(host.to_owned(), status.as_u16()));
    }
    let content_type = header(hyper::header::CONTENT_TYPE);
    if !content_type
        .trim()
        .to_ascii_lowercase()
        .starts_with("text/plain")
    {
        driver.abort();
        return Err(FetchError::ContentType(host.to_owned(), content_type));
    }
    let body = Limited::new(response.into_body(), MAX_POLICY_BYTES)
        .collect()
        .await
        .map_err(|e| {
            if e.is::<http_body_util::LengthLimitError>() {
                FetchError::TooLarge(host.to_owned())
            } else {
                FetchError::Http(host.to_owned(), e.to_string())
            }
        })?
        .to_bytes();
    driver.abort();
    Ok(String::from_utf8_lossy(&body).into_owned())
}

/// Public roots plus any extra ones; ring as the provider.
fn client_config(extra_roots: &[CertificateDer<'static>]) -> Result<ClientConfig, rustls::Error> {
    let roots = root_store(extra_roots);
    Ok(
        ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()?
            .with_root_certificates(roots)
            .with_no_client_auth(),
    )
}
