//! A strict reader for published DKIM key records (RFC 6376 §3.6.1): key type and size, flags,
//! and a named reason for every way a record can be broken. mail-auth's own parser is lenient
//! and hides these details, so this one exists to tell people what is wrong.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::DecodePublicKey;
use rsa::traits::PublicKeyParts;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

use crate::tags::{tag, tag_list};

/// The public key a record holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum KeyType {
    /// RSA with its modulus size in bits.
    Rsa {
        /// Modulus size in bits.
        bits: usize,
    },
    /// Ed25519 (32-byte key).
    Ed25519,
}

impl KeyType {
    /// The `k=` tag value.
    pub fn k_tag(self) -> &'static str {
        match self {
            KeyType::Rsa { .. } => "rsa",
            KeyType::Ed25519 => "ed25519",
        }
    }

    /// How people name it: "RSA 2048-bit" or "Ed25519".
    pub fn label(self) -> String {
        match self {
            KeyType::Rsa { bits } => format!("RSA {bits}-bit"),
            KeyType::Ed25519 => "Ed25519".to_owned(),
        }
    }
}

/// A published DKIM key record, read strictly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DkimKeyRecord {
    /// The key, or `None` when `p=` is empty (the key was revoked).
    pub key_type: Option<KeyType>,
    /// `t=y`: the domain is testing DKIM; receivers treat failures as if unsigned.
    pub testing: bool,
    /// `t=s`: the signing domain must match exactly (no subdomains).
    pub strict: bool,
    /// The `p=` value without white space.
    pub public_p: String,
}

/// Why a DKIM record cannot be used; each message names the tag at fault.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum DkimRecordError {
    /// `v=` present but not `DKIM1`, or not the first tag.
    #[error("the record must start with v=DKIM1 (found “{0}”)")]
    Version(String),
    /// No `p=` tag at all.
    #[error("the record has no p= tag, so it holds no public key")]
    MissingKey,
    /// A tag appears twice.
    #[error("the tag {0}= appears more than once")]
    DuplicateTag(String),
    /// `k=` names an unknown key type.
    #[error("k={0} is not a key type receivers know (use rsa or ed25519)")]
    KeyType(String),
    /// `p=` is not valid base64: often a truncated or garbled paste.
    #[error("the key in p= is not valid base64; it was probably cut off or garbled when pasted")]
    Base64,
    /// `s=` does not list `email` or `*`.
    #[error(
        "it says s={0}: the key is published for another service than email, so receivers do not use it to verify mail (use s=email, or leave s= out)"
    )]
    NotForEmail(String),
    /// `p=` decodes, but not to a key of the stated type.
    #[error("the key in p= is not a valid {0} public key; it was probably cut off when pasted")]
    NotAKey(&'static str),
}

impl DkimKeyRecord {
    /// Reads a record (TXT strings already joined).
    pub fn parse(record: &str) -> Result<Self, DkimRecordError> {
        let tags = tag_list(record);
        for (i, (name, _)) in tags.iter().enumerate() {
            if tags[..i].iter().any(|(earlier, _)| earlier == name) {
                return Err(DkimRecordError::DuplicateTag(name.clone()));
            }
        }
        if let Some(position) = tags.iter().position(|(name, _)| name == "v") {
            let version = &tags[position].1;
            if position != 0 || version != "DKIM1" {
                return Err(DkimRecordError::Version(format!("v={version}")));
            }
        }
        // s= lists the services the key is for (RFC 6376 §3.6.1): without email or *, receivers
        // do not use it to verify mail.
        if let Some(services) = tag(&tags, "s")
            && !services
                .split(':')
                .any(|s| s == "*" || s.eq_ignore_ascii_case("email"))
        {
            return Err(DkimRecordError::NotForEmail(services.to_owned()));
        }
        let flags: Vec<&str> = tag(&tags, "t")
            .map(|t| t.split(':').collect())
            .unwrap_or_default();
        let public_p = tag(&tags, "p")
            .ok_or(DkimRecordError::MissingKey)?
            .to_owned();
        let key_type = if public_p.is_empty() {
            None
        } else {
            Some(read_public_key(tag(&tags, "k").unwrap_or("rsa"), &public_p)?.0)
        };
        Ok(DkimKeyRecord {
            key_type,
            testing: flags.contains(&"y"),
            strict: flags.contains(&"s"),
            public_p,
        })
    }
}

/// A public key in a comparable form: RSA as PKCS#1 DER (whether the record held
/// SubjectPublicKeyInfo or PKCS#1), Ed25519 as its 32 bytes.
pub(crate) fn read_public_key(k_tag: &str, p: &str) -> Result<(KeyType, Vec<u8>), DkimRecordError> {
    let der = BASE64.decode(p).map_err(|_| DkimRecordError::Base64)?;
    match k_tag {
        "rsa" => {
            use rsa::pkcs1::EncodeRsaPublicKey;
            let key = rsa::RsaPublicKey::from_public_key_der(&der)
                .or_else(|_| rsa::RsaPublicKey::from_pkcs1_der(&der))
                .map_err(|_| DkimRecordError::NotAKey("RSA"))?;
            let canonical = key
                .to_pkcs1_der()
                .map_err(|_| DkimRecordError::NotAKey("RSA"))?;
            Ok((
                KeyType::Rsa {
                    bits: key.n().bits(),
                },
                canonical.as_bytes().to_vec(),
            ))
        }
        "ed25519" if der.len() == 32 => Ok((KeyType::Ed25519, der)),
        "ed25519" => Err(DkimRecordError::NotAKey("Ed25519")),
        other => Err(DkimRecordError::KeyType(other.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dkim::{KeyAlgorithm, generate_key};

    fn rsa_p(algorithm: KeyAlgorithm) -> String {
        generate_key(algorithm).unwrap().public_p
    }

    #[test]
    fn reads_key_type_size_and_flags() {
        let p = rsa_p(KeyAlgorithm::Rsa1024);
        let record = DkimKeyRecord::parse(&format!("v=DKIM1; k=rsa; t=y:s; p={p}")).unwrap();
        assert_eq!(record.key_type, Some(KeyType::Rsa { bits: 1024 }));
        assert!(record.testing && record.strict);
        // k= defaults to rsa; v= is optional; folding white space inside p= is allowed.
        let (a, b) = p.split_at(100);
        let record = DkimKeyRecord::parse(&format!("p={a} {b}")).unwrap();
        assert_eq!(record.key_type, Some(KeyType::Rsa { bits: 1024 }));
        assert!(!record.testing);
        // Tag names are case-sensitive and unknown tags are ignored: K= and x= change nothing.
        let record = DkimKeyRecord::parse(&format!("v=DKIM1; K=ed25519; x=1; p={p}")).unwrap();
        assert_eq!(record.key_type, Some(KeyType::Rsa { bits: 1024 }));
        assert_eq!(
            DkimKeyRecord::parse(&format!("v=DKIM1; P={p}")),
            Err(DkimRecordError::MissingKey)
        );
        // s= must allow email.
        assert!(DkimKeyRecord::parse(&format!("v=DKIM1; s=email:tlsrpt; p={p}")).is_ok());
        assert!(DkimKeyRecord::parse(&format!("v=DKIM1; s=*; p={p}")).is_ok());
        assert_eq!(
            DkimKeyRecord::parse(&format!("v=DKIM1; s=tlsrpt; p={p}")),
            Err(DkimRecordError::NotForEmail("tlsrpt".into()))
        );
    }

    #[test]
    fn an_empty_p_is_a_revoked_key() {
        let record = DkimKeyRecord::parse("v=DKIM1; k=rsa; p=").unwrap();
        assert_eq!(record.key_type, None);
    }

    #[test]
    fn names_what_is_wrong() {
        let p = rsa_p(KeyAlgorithm::Rsa1024);
        let cases = [
            ("v=DKIM1; k=rsa".to_owned(), DkimRecordError::MissingKey),
            (
                format!("k=rsa; v=DKIM1; p={p}"),
                DkimRecordError::Version("v=DKIM1".into()),
            ),
            (
                format!("v=DKIM2; p={p}"),
                DkimRecordError::Version("v=DKIM2".into()),
            ),
            (
                format!("v=DKIM1; p={p}; p={p}"),
                DkimRecordError::DuplicateTag("p".into()),
            ),
            (
                format!("v=DKIM1; k=dsa; p={p}"),
                DkimRecordError::KeyType("dsa".into()),
            ),
            ("v=DKIM1; p=MIIB*IjAN".to_owned(), DkimRecordError::Base64),
            // Truncated at a base64 boundary: decodes, but is no longer a key.
            (
                format!("v=DKIM1; p={}", &p[..120]),
                DkimRecordError::NotAKey("RSA"),
            ),
            (
                format!("v=DKIM1; k=ed25519; p={p}"),
                DkimRecordError::NotAKey("Ed25519"),
            ),
        ];
        for (record, expected) in cases {
            assert_eq!(DkimKeyRecord::parse(&record), Err(expected), "{record}");
        }
        assert!(DkimRecordError::Base64.to_string().contains("cut off"));
    }
}
