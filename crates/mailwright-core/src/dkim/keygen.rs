//! Key generation: RSA (2048 by default, RFC 8301) and Ed25519 (RFC 8463, as an extra key).

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::pkcs8::EncodePrivateKey as _;
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::DkimError;
use super::key_record::{KeyType, read_public_key};
use crate::dns_record::DnsRecord;
use crate::domain::{DomainName, Selector};
use crate::secrets::Sensitive;

/// The kinds of key Mailwright generates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum KeyAlgorithm {
    /// RSA 1024: the RFC 8301 minimum; offered only behind a warning.
    Rsa1024,
    /// RSA 2048: the default (RFC 8301 "SHOULD").
    Rsa2048,
    /// RSA 3072.
    Rsa3072,
    /// RSA 4096.
    Rsa4096,
    /// Ed25519 (RFC 8463): only beside an RSA key — Gmail and Outlook do not verify it.
    Ed25519,
}

impl KeyAlgorithm {
    /// RSA modulus size in bits, or `None` for Ed25519.
    pub fn rsa_bits(self) -> Option<usize> {
        match self {
            KeyAlgorithm::Rsa1024 => Some(1024),
            KeyAlgorithm::Rsa2048 => Some(2048),
            KeyAlgorithm::Rsa3072 => Some(3072),
            KeyAlgorithm::Rsa4096 => Some(4096),
            KeyAlgorithm::Ed25519 => None,
        }
    }
}

/// A key pair: the private key (PKCS#8 DER, secret) and the public part for DNS.
#[derive(Clone, Debug)]
pub struct DkimKeyPair {
    /// The key's type and size.
    pub key_type: KeyType,
    /// The private key as PKCS#8 DER; never written anywhere but the keychain or an export.
    pub private_pkcs8: Sensitive<Vec<u8>>,
    /// The `p=` value: base64 SubjectPublicKeyInfo (RSA) or the raw 32-byte key (Ed25519).
    pub public_p: String,
}

impl DkimKeyPair {
    /// The TXT record to publish at `<selector>._domainkey.<domain>`.
    pub fn record(&self, selector: &Selector, domain: &DomainName) -> DnsRecord {
        DnsRecord::txt(
            format!("{}._domainkey.{}", selector.as_str(), domain.as_str()),
            format!("v=DKIM1; k={}; p={}", self.key_type.k_tag(), self.public_p),
            format!(
                "Lets receivers check the DKIM signature of mail signed with selector {}.",
                selector.as_str()
            ),
        )
    }

    /// Reads a private key held as PKCS#8 DER (RSA or Ed25519) and derives its public part.
    pub fn from_pkcs8(private: Sensitive<Vec<u8>>) -> Result<Self, DkimError> {
        use ed25519_dalek::pkcs8::DecodePrivateKey as _;
        use rsa::pkcs8::DecodePrivateKey;
        use rsa::traits::PublicKeyParts;
        if let Ok(key) = rsa::RsaPrivateKey::from_pkcs8_der(private.expose()) {
            let public = key
                .to_public_key()
                .to_public_key_der()
                .map_err(|_| DkimError::NotAPrivateKey)?;
            return Ok(DkimKeyPair {
                key_type: KeyType::Rsa {
                    bits: key.n().bits(),
                },
                private_pkcs8: private,
                public_p: BASE64.encode(public.as_bytes()),
            });
        }
        let key = ed25519_dalek::SigningKey::from_pkcs8_der(private.expose())
            .map_err(|_| DkimError::NotAPrivateKey)?;
        Ok(DkimKeyPair {
            key_type: KeyType::Ed25519,
            public_p: BASE64.encode(key.verifying_key().to_bytes()),
            private_pkcs8: private,
        })
    }

    /// The public key in the comparable form of [`read_public_key`].
    pub(crate) fn public_key_bytes(&self) -> Vec<u8> {
        read_public_key(self.key_type.k_tag(), &self.public_p)
            .map(|(_, bytes)| bytes)
            .unwrap_or_default()
    }
}

/// Generates a key pair. RSA takes a noticeable moment (about 0.3 s for 2048 bits in an
/// optimized build): call it off the UI thread.
pub fn generate_key(algorithm: KeyAlgorithm) -> Result<DkimKeyPair, DkimError> {
    let failed = |e: &dyn std::fmt::Display| DkimError::Generation(e.to_string());
    match algorithm.rsa_bits() {
        Some(bits) => {
            let key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, bits)
                .map_err(|e| failed(&e))?;
            let private = key.to_pkcs8_der().map_err(|e| failed(&e))?;
            let public = key
                .to_public_key()
                .to_public_key_der()
                .map_err(|e| failed(&e))?;
            Ok(DkimKeyPair {
                key_type: KeyType::Rsa { bits },
                private_pkcs8: Sensitive::new(private.as_bytes().to_vec()),
                public_p: BASE64.encode(public.as_bytes()),
            })
        }
        None => {
            let mut seed = zeroize::Zeroizing::new([0u8; 32]);
            getrandom::fill(seed.as_mut()).map_err(|e| failed(&e))?;
            let key = ed25519_dalek::SigningKey::from_bytes(&seed);
            let private = key.to_pkcs8_der().map_err(|e| failed(&e))?;
            Ok(DkimKeyPair {
                key_type: KeyType::Ed25519,
                private_pkcs8: Sensitive::new(private.as_bytes().to_vec()),
                public_p: BASE64.encode(key.verifying_key().to_bytes()),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dkim::DkimKeyRecord;
    use crate::domain::parse_domain_input;

    #[test]
    fn rsa_2048_gives_a_392_character_key_and_a_readable_record() {
        let pair = generate_key(KeyAlgorithm::Rsa2048).unwrap();
        assert_eq!(
            pair.public_p.len(),
            392,
            "RFC 8301 sizes: 392 base64 characters for 2048 bits"
        );
        let domain = parse_domain_input("example.com").unwrap().domain;
        let record = pair.record(&Selector::parse("mw202611").unwrap(), &domain);
        assert_eq!(record.name, "mw202611._domainkey.example.com");
        assert!(record.value.starts_with("v=DKIM1; k=rsa; p=MII"));
        assert_eq!(record.txt_strings().len(), 2);
        let parsed = DkimKeyRecord::parse(&record.value).unwrap();
        assert_eq!(parsed.key_type, Some(KeyType::Rsa { bits: 2048 }));
        assert!(!format!("{pair:?}").contains(&format!("{:?}", &pair.private_pkcs8.expose()[..8])));
    }

    #[test]
    fn ed25519_publishes_the_raw_32_byte_key() {
        let pair = generate_key(KeyAlgorithm::Ed25519).unwrap();
        assert_eq!(BASE64.decode(&pair.public_p).unwrap().len(), 32);
        let domain = parse_domain_input("example.com").unwrap().domain;
        let record = pair.record(&Selector::parse("mw202611e").unwrap(), &domain);
        assert!(record.value.starts_with("v=DKIM1; k=ed25519; p="));
        assert_eq!(
            DkimKeyRecord::parse(&record.value).unwrap().key_type,
            Some(KeyType::Ed25519)
        );
    }

    #[test]
    fn the_public_part_is_derived_again_from_the_private_key() {
        for algorithm in [KeyAlgorithm::Rsa1024, KeyAlgorithm::Ed25519] {
            let pair = generate_key(algorithm).unwrap();
            let again =
                DkimKeyPair::from_pkcs8(Sensitive::new(pair.private_pkcs8.expose().clone()))
                    .unwrap();
            assert_eq!(again.public_p, pair.public_p);
            assert_eq!(again.key_type, pair.key_type);
        }
        assert!(matches!(
            DkimKeyPair::from_pkcs8(Sensitive::new(b"not a key".to_vec())),
            Err(DkimError::NotAPrivateKey)
        ));
    }

    #[test]
    fn two_keys_are_never_the_same() {
        let a = generate_key(KeyAlgorithm::Ed25519).unwrap();
        let b = generate_key(KeyAlgorithm::Ed25519).unwrap();
        assert_ne!(a.public_p, b.public_p);
    }
}
