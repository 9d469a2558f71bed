//! A sending IP's reverse DNS, as receivers check it (Gmail `5.7.25`, Yahoo's "valid,
//! non-generic PTR"): the PTR exists, resolves back to the same address (forward-confirmed), and
//! does not look like a dynamic pool's name; and the EHLO name seen in the mail-server test
//! resolves to the address.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::dns::{DnsClient, reverse_dns};

/// Words that mark a pool of home or dynamic addresses in a PTR name.
const DYNAMIC_WORDS: [&str; 14] = [
    "dynamic",
    "dyn",
    "pool",
    "dhcp",
    "ppp",
    "dsl",
    "adsl",
    "cable",
    "dial",
    "dialup",
    "broadband",
    "cust",
    "client",
    "residential",
];

/// What the reverse DNS of one sending address shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PtrCheck {
    /// The address.
    pub ip: String,
    /// Its PTR names.
    pub names: Vec<String>,
    /// Whether one of them resolves back to the address.
    pub confirmed: bool,
    /// Whether the name looks like a dynamic pool's (the address written in it, or words such
    /// as "dynamic", "pool", "dsl").
    pub generic: bool,
    /// Whether the lookups could be made.
    pub looked_up: bool,
    /// The verdict and the one thing to do, in a sentence.
    pub sentence: String,
    /// True when receivers will accept this reverse DNS.
    pub passes: bool,
}

/// Whether `name` looks like a dynamic pool's name for `ip`.
pub fn looks_generic(name: &str, ip: IpAddr) -> bool {
    let lower = name.to_ascii_lowercase();
    let labels: Vec<&str> = lower.split(['.', '-']).collect();
    let words = DYNAMIC_WORDS.iter().any(|w| {
        labels.iter().any(|l| {
            l == w || (l.starts_with(w) && l[w.len()..].chars().all(|c| c.is_ascii_digit()))
        })
    });
    let address_in_name = match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            let forward = format!("{}-{}-{}-{}", o[0], o[1], o[2], o[3]);
            let backward = format!("{}-{}-{}-{}", o[3], o[2], o[1], o[0]);
            let flat = lower.replace('.', "-");
            flat.contains(&forward) || flat.contains(&backward)
        }
        IpAddr::V6(_) => false,
    };
    words || address_in_name
}

/// Checks the reverse DNS of `ip`.
pub async fn check_ptr(client: &DnsClient, ip: IpAddr) -> PtrCheck {
    let reverse = reverse_dns(client, ip).await;
    let generic = reverse.names.iter().any(|n| looks_generic(n, ip));
    let name = reverse.names.first().cloned().unwrap_or_default();
    let (passes, sentence) = if !reverse.looked_up {
        (
            false,
            format!(
                "The reverse DNS of {ip} could not be looked up; check the DNS server in Settings and try again."
            ),
        )
    } else if reverse.names.is_empty() {
        (
            false,
            format!(
                "{ip} has no reverse DNS (PTR) name: Gmail refuses such mail (5.7.25) and others mark it. Ask whoever runs the server (your hosting provider) to set a PTR record naming the server, such as mail.yourdomain."
            ),
        )
    } else if !reverse.confirmed {
        (
            false,
            format!(
                "{ip} is named {name}, but that name does not resolve back to {ip}. Add an A/AAAA record for {name} pointing to {ip} (or change the PTR to a name that does)."
            ),
        )
    } else if generic {
        (
            false,
            format!(
                "{ip} is named {name}, which looks like a pool of home or dynamic addresses: receivers distrust such names. Ask the provider for a PTR naming the mail server (such as mail.yourdomain)."
            ),
        )
    } else {
        (
            true,
            format!("{ip} is named {name}, which resolves back to it."),
        )
    };
    PtrCheck {
        ip: ip.to_string(),
        names: reverse.names,
        confirmed: reverse.confirmed,
        generic,
        looked_up: reverse.looked_up,
        sentence,
        passes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dynamic_names_are_told_apart_from_mail_server_names() {
        let ip: IpAddr = "203.0.113.45".parse().unwrap();
        assert!(looks_generic("203-0-113-45.dyn.example.net", ip));
        assert!(looks_generic("45.113.0.203.broadband.example.net", ip));
        assert!(looks_generic("ppp12.pool.example.net", ip));
        assert!(looks_generic("dsl3.example.net", ip));
        assert!(!looks_generic("mail.example.com", ip));
        assert!(!looks_generic("mx1.dynamics-consulting.example", ip));
    }
}
