//! What to probe: a host, a port, how TLS starts there, the name its certificate must carry and
//! any certificate authority the user trusts for a private server.

use rustls::pki_types::{CertificateDer, ServerName};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::TlsMode;
use crate::error::EngineError;

/// One port of one server to probe.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SmtpTarget {
    /// Host name or IP address to connect to.
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// How TLS starts on this port.
    pub tls: TlsMode,
    /// The name the certificate must carry when it differs from `host` (e.g. connecting by IP).
    pub server_name: Option<String>,
}

impl SmtpTarget {
    /// A target with the usual TLS mode for the port: implicit on 465, STARTTLS elsewhere.
    pub fn new(host: &str, port: u16) -> Self {
        SmtpTarget {
            host: normalize_host(host),
            port,
            tls: TlsMode::for_port(port),
            server_name: None,
        }
    }

    /// Checks the host, port and certificate name, and returns the name to verify against.
    pub fn validate(&self) -> Result<ServerName<'static>, EngineError> {
        if self.host.is_empty()
            || self.host.len() > 253
            || !self
                .host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]_".contains(c))
        {
            return Err(EngineError::SmtpHost(self.host.clone()));
        }
        if self.port == 0 {
            return Err(EngineError::SmtpPort(self.port.to_string()));
        }
        let name = self.certificate_name();
        ServerName::try_from(name.to_owned()).map_err(|_| EngineError::SmtpHost(name.to_owned()))
    }

    /// The name the certificate must carry.
    pub fn certificate_name(&self) -> &str {
        self.server_name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .unwrap_or(self.host.trim_start_matches('[').trim_end_matches(']'))
    }

    /// `host:port`, with brackets around an IPv6 address.
    pub fn address(&self) -> String {
        let host = self.host.trim_start_matches('[').trim_end_matches(']');
        if host.contains(':') {
            format!("[{host}]:{}", self.port)
        } else {
            format!("{host}:{}", self.port)
        }
    }
}

/// A host name as Mailwright keeps it: trimmed, lower case, without a trailing dot. One
/// spelling for the test, the keychain account and the password's binding.
pub fn normalize_host(host: &str) -> String {
    host.trim().trim_end_matches('.').to_ascii_lowercase()
}

impl TlsMode {
    /// The usual mode for a port: implicit TLS on 465 (RFC 8314), STARTTLS elsewhere.
    pub fn for_port(port: u16) -> Self {
        if port == 465 {
            TlsMode::Implicit
        } else {
            TlsMode::Starttls
        }
    }

    /// The mode a port is known to use: implicit TLS on 465 (RFC 8314), STARTTLS on 25, 587
    /// (RFC 6409) and 2525 (the common alternative submission port); `None` for any other port,
    /// whose mode the user is asked.
    pub fn known_for_port(port: u16) -> Option<Self> {
        match port {
            465 => Some(TlsMode::Implicit),
            25 | 587 | 2525 => Some(TlsMode::Starttls),
            _ => None,
        }
    }

    /// How people name it: `TLS`, `STARTTLS` or `no TLS`.
    pub fn label(self) -> &'static str {
        match self {
            TlsMode::Implicit => "TLS",
            TlsMode::Starttls => "STARTTLS",
            TlsMode::None => "no TLS",
        }
    }
}

/// Certificates the user trusts besides the public roots: a private CA, or one server
/// certificate exactly.
#[derive(Clone, Debug, Default)]
pub struct Trust {
    /// Trusted certificates (DER), read from the user's file.
    pub certificates: Vec<CertificateDer<'static>>,
}

impl Trust {
    /// Reads every certificate in a PEM file the user chose.
    /// (At most [`crate::files::MAX_PEM_FILE`] bytes of a regular file are read.)
    pub fn from_pem_file(path: &std::path::Path) -> Result<Self, EngineError> {
        let bytes = crate::files::read_capped_io(path, crate::files::MAX_PEM_FILE)
            .map_err(|_| EngineError::CaFile(path.display().to_string()))?;
        Self::from_pem(
            &String::from_utf8_lossy(&bytes),
            &path.display().to_string(),
        )
    }

    /// Reads every certificate in PEM text (what the app's file picker hands over).
    pub fn from_pem(text: &str, origin: &str) -> Result<Self, EngineError> {
        use rustls::pki_types::pem::PemObject;
        let certificates: Vec<CertificateDer<'static>> =
            CertificateDer::pem_slice_iter(text.as_bytes())
                .collect::<Result<_, _>>()
                .map_err(|_| EngineError::CaFile(origin.to_owned()))?;
        if certificates.is_empty() {
            return Err(EngineError::CaFile(origin.to_owned()));
        }
        Ok(Trust { certificates })
    }

    /// Whether the user trusts anything beyond the public roots.
    pub fn is_explicit(&self) -> bool {
        !self.certificates.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_pick_the_usual_tls_mode_and_validate_names() {
        assert_eq!(
            SmtpTarget::new("smtp.Example.com.", 465).tls,
            TlsMode::Implicit
        );
        let mut t = SmtpTarget::new("127.0.0.1", 587);
        assert_eq!(t.tls, TlsMode::Starttls);
        assert!(t.validate().is_ok());
        t.server_name = Some("mail.example.com".into());
        assert_eq!(t.certificate_name(), "mail.example.com");
        assert_eq!(SmtpTarget::new("::1", 25).address(), "[::1]:25");
        assert!(SmtpTarget::new("bad host;rm", 25).validate().is_err());
        assert!(SmtpTarget::new("mail.example.com", 0).validate().is_err());
    }
}
