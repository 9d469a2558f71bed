//! A key as shown to people after it is made or imported: the record to publish and what to
//! keep in mind. Never the private key.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{DkimKeyPair, KeyType, key_account};
use crate::dns_record::DnsRecord;
use crate::domain::{DomainName, Selector};

/// A new or imported key: its record and the warnings that go with its type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KeySummary {
    /// The domain, in ASCII form.
    pub domain: String,
    /// The selector.
    pub selector: String,
    /// The key's type and size.
    pub key_type: KeyType,
    /// The same in words, such as "RSA 2048-bit".
    pub key_label: String,
    /// The TXT record to publish.
    pub record: DnsRecord,
    /// The record's value as ≤255-octet strings, for zone files and DNS hosts that want them.
    pub txt_strings: Vec<String>,
    /// The keychain account the private key is (or would be) stored under.
    pub keychain_account: String,
    /// What to keep in mind about this key type, in plain words.
    pub warnings: Vec<String>,
}

impl KeySummary {
    /// The summary of `pair` at `selector` of `domain`.
    pub fn new(pair: &DkimKeyPair, selector: &Selector, domain: &DomainName) -> Self {
        let record = pair.record(selector, domain);
        KeySummary {
            domain: domain.as_str().to_owned(),
            selector: selector.as_str().to_owned(),
            key_type: pair.key_type,
            key_label: pair.key_type.label(),
            txt_strings: record.txt_strings(),
            record,
            keychain_account: key_account(selector, domain),
            warnings: key_warnings(pair.key_type),
        }
    }
}

/// Plain-words warnings for a key type: short RSA keys (RFC 8301) and Ed25519 (RFC 8463),
/// which the large mailbox providers do not verify.
pub fn key_warnings(key_type: KeyType) -> Vec<String> {
    match key_type {
        KeyType::Rsa { bits } if bits < 2048 => vec![format!(
            "A {bits}-bit key is the bare minimum of RFC 8301 and can be broken by a determined \
             attacker; receivers are moving to reject it. Use 2048 bits unless your DNS host \
             cannot publish a long record."
        )],
        KeyType::Rsa { .. } => Vec::new(),
        KeyType::Ed25519 => vec![
            "Gmail and Outlook do not verify Ed25519 signatures, so this key can only be an \
             extra one: keep signing with an RSA key too (dual signing), or your mail will \
             count as unsigned there."
                .to_owned(),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dkim::{KeyAlgorithm, generate_key};
    use crate::domain::parse_domain_input;

    #[test]
    fn the_summary_holds_the_record_and_the_warnings_but_no_private_key() {
        let pair = generate_key(KeyAlgorithm::Ed25519).unwrap();
        let domain = parse_domain_input("example.com").unwrap().domain;
        let summary = KeySummary::new(&pair, &Selector::parse("mw202611e").unwrap(), &domain);
        assert_eq!(summary.keychain_account, "dkim:mw202611e@example.com");
        assert!(summary.warnings[0].contains("Gmail and Outlook"));
        assert_eq!(summary.txt_strings.concat(), summary.record.value);
        let rsa = generate_key(KeyAlgorithm::Rsa1024).unwrap();
        let selector = Selector::parse("mw202611").unwrap();
        let json = serde_json::to_string(&KeySummary::new(&rsa, &selector, &domain)).unwrap();
        use base64::Engine;
        let private = base64::engine::general_purpose::STANDARD.encode(rsa.private_pkcs8.expose());
        // The private exponent sits in the middle of the PKCS#8 encoding.
        assert!(!json.contains(&private[400..460]));
        assert!(key_warnings(KeyType::Rsa { bits: 2048 }).is_empty());
        assert!(key_warnings(KeyType::Rsa { bits: 1024 })[0].contains("RFC 8301"));
    }
}
