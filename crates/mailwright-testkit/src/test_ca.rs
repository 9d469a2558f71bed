//! A throwaway certificate authority (rcgen) and the server certificates tests need: good,
//! expired, for another name, or self-signed.

use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A test CA.
pub struct TestCa {
    issuer: Issuer<'static, KeyPair>,
    cert: rcgen::Certificate,
}

/// A server certificate and its key, with the chain to present.
pub struct ServerCertificate {
    /// Leaf first, then the CA when there is one.
    pub chain: Vec<CertificateDer<'static>>,
    /// The leaf's private key.
    pub key: PrivateKeyDer<'static>,
    /// The leaf in PEM form (to trust exactly one certificate).
    pub pem: String,
    /// The private key in PEM form (for servers configured from files, such as Postfix).
    pub key_pem: String,
}

impl TestCa {
    /// A new CA named `name`.
    pub fn new(name: &str) -> Self {
        let key = KeyPair::generate().expect("key generation");
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, name);
        let cert = params.self_signed(&key).expect("CA certificate");
        TestCa {
            issuer: Issuer::new(params, key),
            cert,
        }
    }

    /// The CA certificate.
    pub fn der(&self) -> CertificateDer<'static> {
        self.cert.der().clone()
    }

    /// The CA certificate in PEM form.
    pub fn pem(&self) -> String {
        self.cert.pem()
    }

    /// A certificate for `names` signed by this CA; `expired` dates it 2020–2021.
    pub fn issue(&self, names: &[&str], expired: bool) -> ServerCertificate {
        let key = KeyPair::generate().expect("key generation");
        let mut params = params(names);
        if expired {
            params.not_before = rcgen::date_time_ymd(2020, 1, 1);
            params.not_after = rcgen::date_time_ymd(2021, 1, 1);
        }
        let leaf = params
            .signed_by(&key, &self.issuer)
            .expect("leaf certificate");
        ServerCertificate {
            pem: leaf.pem(),
            key_pem: key.serialize_pem(),
            chain: vec![leaf.der().clone(), self.der()],
            key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        }
    }
}

/// A self-signed certificate for `names`.
pub fn self_signed(names: &[&str]) -> ServerCertificate {
    let key = KeyPair::generate().expect("key generation");
    let leaf = params(names)
        .self_signed(&key)
        .expect("self-signed certificate");
    ServerCertificate {
        pem: leaf.pem(),
        key_pem: key.serialize_pem(),
        chain: vec![leaf.der().clone()],
        key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
    }
}

fn params(names: &[&str]) -> CertificateParams {
    let mut params =
        CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>())
            .expect("names are valid");
    // Ten years around today, as a real certificate would have (rcgen's default runs to 4096).
    params.not_before = rcgen::date_time_ymd(2025, 1, 1);
    params.not_after = rcgen::date_time_ymd(2035, 1, 1);
    params.distinguished_name.push(
        rcgen::DnType::CommonName,
        names.first().copied().unwrap_or("test"),
    );
    params
}

/// A rustls server configuration (ring) presenting `certificate`.
pub fn server_config(certificate: &ServerCertificate) -> rustls::ServerConfig {
    rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("TLS versions")
    .with_no_client_auth()
    .with_single_cert(certificate.chain.clone(), certificate.key.clone_key())
    .expect("server certificate")
}

/// Like [`server_config`], but speaking TLS 1.2 only.
pub fn server_config_tls12(certificate: &ServerCertificate) -> rustls::ServerConfig {
    rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_protocol_versions(&[&rustls::version::TLS12])
    .expect("TLS 1.2")
    .with_no_client_auth()
    .with_single_cert(certificate.chain.clone(), certificate.key.clone_key())
    .expect("server certificate")
}
