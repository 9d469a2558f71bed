//! Private key files: PEM export (PKCS#8 or PKCS#1) to a file only its owner can read, and PEM
//! import. The only place a private key is ever written outside the keychain, and only when
//! the user asks.

use std::path::{Path, PathBuf};

use pem_rfc7468::LineEnding;
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{DkimError, DkimKeyPair, KeyType};
use crate::files::Replace;
use crate::secrets::Sensitive;

/// The PEM flavours a private key can be exported as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PemFormat {
    /// `BEGIN PRIVATE KEY` (PKCS#8): RSA or Ed25519; what rspamd, Stalwart and OpenSSL 3 use.
    Pkcs8,
    /// `BEGIN RSA PRIVATE KEY` (PKCS#1): RSA only; what older OpenDKIM setups expect.
    Pkcs1,
}

/// The private key as PEM text.
pub fn private_key_pem(
    pair: &DkimKeyPair,
    format: PemFormat,
) -> Result<Sensitive<String>, DkimError> {
    let (label, der) = match (format, pair.key_type) {
        (PemFormat::Pkcs8, _) => (
            "PRIVATE KEY",
            Sensitive::new(pair.private_pkcs8.expose().clone()),
        ),
        (PemFormat::Pkcs1, KeyType::Ed25519) => return Err(DkimError::NoPkcs1ForEd25519),
        (PemFormat::Pkcs1, KeyType::Rsa { .. }) => {
            let key = rsa::RsaPrivateKey::from_pkcs8_der(pair.private_pkcs8.expose())
                .map_err(|_| DkimError::NotAPrivateKey)?;
            let der = key.to_pkcs1_der().map_err(|_| DkimError::NotAPrivateKey)?;
            ("RSA PRIVATE KEY", Sensitive::new(der.as_bytes().to_vec()))
        }
    };
    pem_rfc7468::encode_string(label, LineEnding::LF, der.expose())
        .map(Sensitive::new)
        .map_err(|_| DkimError::NotAPrivateKey)
}

/// Reads a private key from PEM text (PKCS#8 or PKCS#1, RSA or Ed25519).
pub fn read_private_key_pem(text: &str) -> Result<DkimKeyPair, DkimError> {
    if text.contains("ENCRYPTED") {
        return Err(DkimError::EncryptedKey);
    }
    let (label, der) = pem_block(text).ok_or(DkimError::NotAPrivateKey)?;
    let pkcs8 = match label.as_str() {
        "PRIVATE KEY" => der,
        "RSA PRIVATE KEY" => {
            let key = rsa::RsaPrivateKey::from_pkcs1_der(der.expose())
                .map_err(|_| DkimError::NotAPrivateKey)?;
            let pkcs8 = key.to_pkcs8_der().map_err(|_| DkimError::NotAPrivateKey)?;
            Sensitive::new(pkcs8.as_bytes().to_vec())
        }
        "PUBLIC KEY" | "RSA PUBLIC KEY" | "CERTIFICATE" => return Err(DkimError::PublicKeyGiven),
        _ => return Err(DkimError::NotAPrivateKey),
    };
    let pair = DkimKeyPair::from_pkcs8(pkcs8)?;
    if let KeyType::Rsa { bits } = pair.key_type
        && bits < 1024
    {
        return Err(DkimError::KeyTooShort(bits));
    }
    Ok(pair)
}

/// The first PEM block's label and bytes. Lenient about line lengths and surrounding text,
/// which other tools and copy-paste vary.
fn pem_block(text: &str) -> Option<(String, Sensitive<Vec<u8>>)> {
    use base64::Engine;
    let start = text.find("-----BEGIN ")? + "-----BEGIN ".len();
    let label_end = start + text[start..].find("-----")?;
    let label = text[start..label_end].to_owned();
    let body_start = label_end + "-----".len();
    let end = body_start + text[body_start..].find(&format!("-----END {label}-----"))?;
    let body = Sensitive::new(
        text[body_start..end]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>(),
    );
    let der = base64::engine::general_purpose::STANDARD
        .decode(body.expose())
        .ok()?;
    Some((label, Sensitive::new(der)))
}

/// Reads a private key from a PEM file.
pub fn import_private_key(path: &Path) -> Result<DkimKeyPair, DkimError> {
    let bytes = crate::files::read_capped_io(path, crate::files::MAX_PEM_FILE)
        .map_err(|e| file_error("read", path, &e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        drop(Sensitive::new(e.into_bytes()));
        DkimError::NotAPrivateKey
    })?;
    read_private_key_pem(Sensitive::new(text).expose())
}

/// Writes the private key as PEM to `path`, readable only by its owner (mode 0600 where the OS
/// has modes), atomically, never through a symbolic link, and over an existing file only when
/// `replace` says the user confirmed it. Returns the absolute path written.
pub fn export_private_key(
    pair: &DkimKeyPair,
    format: PemFormat,
    path: &Path,
    replace: Replace,
) -> Result<PathBuf, DkimError> {
    let pem = private_key_pem(pair, format)?;
    crate::files::write_atomically(path, pem.expose().as_bytes(), replace)
        .map_err(|e| file_error("write", path, &e))
}

fn file_error(action: &'static str, path: &Path, error: &std::io::Error) -> DkimError {
    let reason = match error.kind() {
        std::io::ErrorKind::AlreadyExists => {
            "a file of that name is already there, and a key file is replaced only when you confirm it (on the command line: --force)".to_owned()
        }
        _ => crate::files::io_reason(error),
    };
    DkimError::File {
        action,
        path: path.to_owned(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dkim::{KeyAlgorithm, generate_key};

    /// Bits of an RSA private key held as PKCS#8.
    fn rsa_bits(pair: &DkimKeyPair) -> usize {
        use rsa::traits::PublicKeyParts;
        rsa::RsaPrivateKey::from_pkcs8_der(pair.private_pkcs8.expose())
            .unwrap()
            .n()
            .bits()
    }

    #[test]
    fn rsa_keys_round_trip_through_both_pem_formats() {
        let pair = generate_key(KeyAlgorithm::Rsa1024).unwrap();
        for (format, header) in [
            (PemFormat::Pkcs8, "-----BEGIN PRIVATE KEY-----"),
            (PemFormat::Pkcs1, "-----BEGIN RSA PRIVATE KEY-----"),
        ] {
            let pem = private_key_pem(&pair, format).unwrap();
            assert!(pem.expose().starts_with(header), "{format:?}");
            let back = read_private_key_pem(pem.expose()).unwrap();
            assert_eq!(back.public_p, pair.public_p);
            assert_eq!(rsa_bits(&back), 1024);
        }
    }

    #[test]
    fn ed25519_exports_as_pkcs8_only() {
        let pair = generate_key(KeyAlgorithm::Ed25519).unwrap();
        let pem = private_key_pem(&pair, PemFormat::Pkcs8).unwrap();
        assert_eq!(
            read_private_key_pem(pem.expose()).unwrap().public_p,
            pair.public_p
        );
        assert!(matches!(
            private_key_pem(&pair, PemFormat::Pkcs1),
            Err(DkimError::NoPkcs1ForEd25519)
        ));
    }

    #[test]
    fn names_what_is_wrong_with_a_file() {
        let pair = generate_key(KeyAlgorithm::Rsa1024).unwrap();
        let public = format!(
            "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
            pair.public_p
        );
        assert!(matches!(
            read_private_key_pem(&public),
            Err(DkimError::PublicKeyGiven)
        ));
        // Built from its label so no private-key block sits in the source.
        let label = "ENCRYPTED PRIVATE KEY";
        let encrypted = format!("-----BEGIN {label}-----\nMIIB\n-----END {label}-----");
        assert!(matches!(
            read_private_key_pem(&encrypted),
            Err(DkimError::EncryptedKey)
        ));
        assert!(matches!(
            read_private_key_pem("hello"),
            Err(DkimError::NotAPrivateKey)
        ));
        let pem = private_key_pem(&pair, PemFormat::Pkcs8).unwrap();
        let cut = &pem.expose()[..200];
        assert!(matches!(
            read_private_key_pem(cut),
            Err(DkimError::NotAPrivateKey)
        ));
    }

    #[test]
    fn export_writes_an_owner_only_file_that_imports_again() {
        let dir = tempfile::tempdir().unwrap();
        let pair = generate_key(KeyAlgorithm::Rsa1024).unwrap();
        let written = export_private_key(
            &pair,
            PemFormat::Pkcs1,
            &dir.path().join("mw.pem"),
            Replace::Never,
        )
        .unwrap();
        assert!(written.is_absolute());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&written).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(
            import_private_key(&written).unwrap().public_p,
            pair.public_p
        );
        // The key is never written over an existing file unasked.
        let other = generate_key(KeyAlgorithm::Ed25519).unwrap();
        let refused = export_private_key(&other, PemFormat::Pkcs8, &written, Replace::Never);
        assert!(refused.unwrap_err().to_string().contains("already there"));
        assert_eq!(
            import_private_key(&written).unwrap().public_p,
            pair.public_p
        );
        let missing = export_private_key(
            &pair,
            PemFormat::Pkcs8,
            &dir.path().join("no/such/dir.pem"),
            Replace::Never,
        );
        let message = missing.unwrap_err().to_string();
        assert!(
            message.contains("Could not write") && !message.contains("PRIVATE"),
            "{message}"
        );
    }
}
