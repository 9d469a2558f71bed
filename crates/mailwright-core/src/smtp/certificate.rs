//! What a server's certificate says, read with x509-parser: the names it covers and whether
//! they include the host, the issuer, the expiry and the verdict on the chain.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use x509_parser::prelude::{FromDer, GeneralName, X509Certificate};

/// Why a certificate was refused, each kept separately so all of them can be reported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case", tag = "kind")]
#[ts(export)]
pub enum CertificateProblem {
    /// Past its end date.
    Expired {
        /// Days since it expired.
        days_ago: i32,
    },
    /// Not valid yet.
    NotYetValid,
    /// The names do not include the one expected.
    NameMismatch {
        /// The name Mailwright expected.
        expected: String,
        /// The names the certificate covers.
        presented: Vec<String>,
    },
    /// Not issued by a trusted authority (self-signed, private CA, missing intermediate).
    UnknownIssuer,
    /// Refused for another reason, in rustls's words.
    Other {
        /// rustls's description.
        reason: String,
    },
}

/// The server's certificate as shown to the user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CertificateDetails {
    /// The subject, such as `CN=smtp.example.com`.
    pub subject: String,
    /// The DNS names and IP addresses it covers.
    pub names: Vec<String>,
    /// Whether those include the expected name.
    pub covers_host: bool,
    /// The issuer.
    pub issuer: String,
    /// The end of validity, RFC 3339.
    pub not_after: String,
    /// Days until it expires (negative once expired).
    pub days_left: i32,
    /// Whether the chain is trusted (public roots, or what the user trusts).
    pub trusted: bool,
    /// Whether trust came from a certificate or CA the user chose.
    pub trusted_by_user: bool,
    /// Everything wrong with it; empty when it is fine.
    pub problems: Vec<CertificateProblem>,
}

/// Reads the end-entity certificate; `None` when it cannot be parsed.
pub fn describe(der: &[u8], expected: &str, now_unix: i64) -> Option<CertificateDetails> {
    let (_, cert) = X509Certificate::from_der(der).ok()?;
    let mut names: Vec<String> = Vec::new();
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for name in &san.value.general_names {
            match name {
                GeneralName::DNSName(n) => names.push(n.to_ascii_lowercase()),
                GeneralName::IPAddress(bytes) => {
                    if let Some(ip) = ip_from_bytes(bytes) {
                        names.push(ip.to_string());
                    }
                }
                _ => {}
            }
        }
    }
    if names.is_empty() {
        // Only when there is no SAN do clients look at the common name (RFC 6125 §6.4.4).
        names.extend(
            cert.subject()
                .iter_common_name()
                .filter_map(|cn| cn.as_str().ok())
                .map(str::to_ascii_lowercase),
        );
    }
    let not_after = cert.validity().not_after.timestamp();
    let not_before = cert.validity().not_before.timestamp();
    // Clamped so that negating it never overflows, whatever dates a hostile certificate carries.
    let days_left =
        (not_after.saturating_sub(now_unix).div_euclid(86_400)).clamp(-1_000_000, 1_000_000) as i32;
    let covers_host = names.iter().any(|n| name_matches(n, expected));
    let mut problems = Vec::new();
    if not_after < now_unix {
        problems.push(CertificateProblem::Expired {
            days_ago: -days_left,
        });
    } else if not_before > now_unix {
        problems.push(CertificateProblem::NotYetValid);
    }
    if !covers_host {
        problems.push(CertificateProblem::NameMismatch {
            expected: expected.to_ascii_lowercase(),
            presented: names.clone(),
        });
    }
    Some(CertificateDetails {
        subject: cert.subject().to_string(),
        names,
        covers_host,
        issuer: cert.issuer().to_string(),
        not_after: jiff::Timestamp::from_second(not_after)
            .map(|t| t.to_string())
            .unwrap_or_default(),
        days_left,
        trusted: false,
        trusted_by_user: false,
        problems,
    })
}

fn ip_from_bytes(bytes: &[u8]) -> Option<std::net::IpAddr> {
    match bytes.len() {
        4 => Some(<[u8; 4]>::try_from(bytes).ok()?.into()),
        16 => Some(<[u8; 16]>::try_from(bytes).ok()?.into()),
        _ => None,
    }
}

/// RFC 6125 matching: exact, or a `*.` wildcard covering exactly one left-most label.
pub fn name_matches(pattern: &str, name: &str) -> bool {
    let (pattern, name) = (pattern.to_ascii_lowercase(), name.to_ascii_lowercase());
    let name = name.trim_end_matches('.');
    match pattern.strip_prefix("*.") {
        Some(rest) => name
            .split_once('.')
            .is_some_and(|(first, tail)| !first.is_empty() && tail == rest),
        None => pattern == name,
    }
}

impl CertificateDetails {
    /// The expiry day alone (`2026-11-19`), as every date is shown to a person.
    pub fn expiry_day(&self) -> &str {
        self.not_after.get(..10).unwrap_or(&self.not_after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000),
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Certificates a hostile server sends: a real one with bytes changed, cut or added, and
        /// arbitrary bytes. Reading never panics; whatever is read, webpki (through rustls's
        /// parser) never accepts more than it can parse, and the dates never overflow.
        #[test]
        fn hostile_certificates_are_read_without_panic(
            edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 0..6),
            garbage in prop::collection::vec(any::<u8>(), 0..600),
            use_garbage in any::<bool>(),
            now in any::<i64>(),
        ) {
            static DER: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
            let der = DER.get_or_init(|| {
                mailwright_testkit::TestCa::new("fuzz CA")
                    .issue(&["mail.test"], false)
                    .chain[0]
                    .to_vec()
            });
            let mut bytes = if use_garbage { garbage } else { der.clone() };
            for (at, byte, op) in edits {
                if bytes.is_empty() {
                    break;
                }
                let i = at.index(bytes.len());
                match op {
                    0 => bytes[i] = byte,
                    1 => bytes.truncate(i),
                    _ => bytes.insert(i, byte),
                }
            }
            if let Some(details) = describe(&bytes, "mail.test", now) {
                prop_assert!(details.days_left.abs() <= 1_000_000);
            }
            let cert = rustls::pki_types::CertificateDer::from(bytes.as_slice());
            let _ = rustls::server::ParsedCertificate::try_from(&cert);
        }
    }

    #[test]
    fn wildcards_cover_one_label_only() {
        assert!(name_matches("*.example.com", "smtp.example.com"));
        assert!(!name_matches("*.example.com", "a.b.example.com"));
        assert!(!name_matches("*.example.com", "example.com"));
        assert!(name_matches("SMTP.example.com", "smtp.example.com."));
    }
}
