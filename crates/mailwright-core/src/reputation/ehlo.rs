//! The name the mail server gives itself (its greeting in the mail-server test, which is the
//! name Postfix, Exim and Exchange also say in EHLO when they send out): receivers check that it
//! is a real name that resolves to the sending address, and that it matches the address's
//! reverse DNS (RFC 5321 §4.1.4; Gmail's and Microsoft's sender guidelines).

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::dns::{DnsClient, RData, RecordType};

/// What the EHLO name shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EhloCheck {
    /// The name the server gave.
    pub name: String,
    /// The address the test connected to.
    pub ip: String,
    /// Whether the name resolves to that address.
    pub resolves: bool,
    /// Whether the address's reverse DNS names it.
    pub matches_ptr: bool,
    /// The verdict and the one thing to do.
    pub sentence: String,
    /// True when receivers will accept the name.
    pub passes: bool,
}

/// The host name in a greeting (`mail.example.com ESMTP Postfix`, with or without its `220`),
/// when it gives one.
pub fn greeting_name(banner: &str) -> Option<String> {
    let mut words = banner.split_whitespace();
    let first = words.next()?;
    let name = if first.len() == 3 && first.chars().all(|c| c.is_ascii_digit()) {
        words.next()?
    } else {
        first.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-')
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let is_name = name.contains('.')
        && name.len() <= 253
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        && name.parse::<IpAddr>().is_err();
    is_name.then_some(name)
}

/// Checks the server's `name` against the address `ip` it answered on and that address's
/// reverse DNS names `ptr_names`.
pub async fn check_ehlo(
    client: &DnsClient,
    name: &str,
    ip: IpAddr,
    ptr_names: &[String],
) -> EhloCheck {
    let rtype = if ip.is_ipv4() {
        RecordType::A
    } else {
        RecordType::AAAA
    };
    let lookup = client.lookup(name, rtype).await;
    let resolves = lookup.records().iter().any(|r| match r {
        RData::A(a) => IpAddr::V4(a.0) == ip,
        RData::AAAA(a) => IpAddr::V6(a.0) == ip,
        _ => false,
    });
    let matches_ptr = ptr_names
        .iter()
        .any(|p| p.trim_end_matches('.').eq_ignore_ascii_case(name));
    let (passes, sentence) = if lookup.failed() {
        (
            false,
            format!(
                "The name {name} could not be looked up; check the DNS server in Settings and try again."
            ),
        )
    } else if !resolves {
        (
            false,
            format!(
                "Your server calls itself {name}, but that name does not resolve to {ip}: receivers distrust a server whose name is not its own. Add an A/AAAA record for {name} pointing to {ip}, or set the server's name (Postfix: myhostname) to one that does."
            ),
        )
    } else if !matches_ptr {
        (
            false,
            format!(
                "Your server calls itself {name}, which resolves to {ip}, but the reverse DNS of {ip} names something else. Ask your provider to set the PTR of {ip} to {name}, so the two match."
            ),
        )
    } else {
        (
            true,
            format!(
                "Your server calls itself {name}, which resolves to {ip} and is its reverse DNS name."
            ),
        )
    };
    EhloCheck {
        name: name.to_owned(),
        ip: ip.to_string(),
        resolves,
        matches_ptr,
        sentence,
        passes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_is_read_from_the_greeting() {
        assert_eq!(
            greeting_name("220 mail.example.com ESMTP Postfix (Debian)").as_deref(),
            Some("mail.example.com")
        );
        assert_eq!(
            greeting_name("MX.Example.ORG. Microsoft ESMTP MAIL Service").as_deref(),
            Some("mx.example.org"),
            "the greeting as the test keeps it, without its code"
        );
        assert_eq!(
            greeting_name("220-mx.example.org ESMTP").as_deref(),
            Some("mx.example.org")
        );
        assert_eq!(
            greeting_name("220 [192.0.2.1] ESMTP"),
            None,
            "an address is not a name"
        );
        assert_eq!(greeting_name("220 localhost ESMTP"), None);
        assert_eq!(greeting_name(""), None);
    }
}
