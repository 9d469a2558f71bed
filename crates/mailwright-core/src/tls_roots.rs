//! The certificate authorities Mailwright trusts: Mozilla's public roots (webpki-roots), plus
//! any the user or a test chose.

use rustls::RootCertStore;
use rustls::pki_types::CertificateDer;

/// The public roots plus `extra`; an extra certificate rustls cannot use as a root is skipped
/// (the SMTP probe can still trust it exactly).
pub(crate) fn root_store(extra: &[CertificateDer<'static>]) -> RootCertStore {
    let mut roots = RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    for root in extra {
        let _ = roots.add(root.clone());
    }
    roots
}
