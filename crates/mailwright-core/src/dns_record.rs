//! Records to publish: what a wizard step produces for the user's DNS host.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Longest character-string in a TXT record (RFC 1035 §3.3).
pub const TXT_STRING_MAX: usize = 255;

/// One DNS record to publish, its value as the DNS holds it. How each DNS host wants it typed
/// (relative names, quoting) is a separate presentation step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DnsRecord {
    /// Fully qualified owner name, without the trailing dot.
    pub name: String,
    /// Record type, e.g. `TXT`.
    #[serde(rename = "type")]
    pub rtype: String,
    /// The value as one string (TXT: the character-strings joined).
    pub value: String,
    /// Suggested time to live, in seconds.
    pub ttl: u32,
    /// Why this record exists, in one sentence.
    pub purpose: String,
}

/// The TTL suggested for new records: one hour, short enough to correct a mistake quickly.
pub const DEFAULT_TTL: u32 = 3600;

impl DnsRecord {
    /// A TXT record with the default TTL.
    pub fn txt(
        name: impl Into<String>,
        value: impl Into<String>,
        purpose: impl Into<String>,
    ) -> Self {
        DnsRecord {
            name: name.into(),
            rtype: "TXT".into(),
            value: value.into(),
            ttl: DEFAULT_TTL,
            purpose: purpose.into(),
        }
    }

    /// The value split into character-strings of at most 255 octets, for zone files and DNS
    /// hosts that take long TXT values as several quoted strings. Splits never cut a UTF-8
    /// character.
    pub fn txt_strings(&self) -> Vec<String> {
        let mut strings = Vec::new();
        let mut current = String::new();
        for c in self.value.chars() {
            if current.len() + c.len_utf8() > TXT_STRING_MAX {
                strings.push(std::mem::take(&mut current));
            }
            current.push(c);
        }
        if !current.is_empty() || strings.is_empty() {
            strings.push(current);
        }
        strings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn txt(value: String) -> DnsRecord {
        DnsRecord::txt("x.example", value, "")
    }

    #[test]
    fn long_values_split_into_strings_of_at_most_255_octets_that_join_back() {
        let value = format!("v=DKIM1; k=rsa; p={}", "A".repeat(392));
        let strings = txt(value.clone()).txt_strings();
        assert_eq!(strings.len(), 2);
        assert!(strings.iter().all(|s| s.len() <= TXT_STRING_MAX));
        assert_eq!(strings[0].len(), 255);
        assert_eq!(strings.concat(), value);
        assert_eq!(txt("v=spf1 -all".into()).txt_strings(), ["v=spf1 -all"]);
        assert_eq!(txt(String::new()).txt_strings(), [""]);
        let wide = "é".repeat(200);
        assert!(
            txt(wide.clone())
                .txt_strings()
                .iter()
                .all(|s| s.len() <= 255)
        );
        assert_eq!(txt(wide.clone()).txt_strings().concat(), wide);
    }
}
