//! The DNS host catalog (`catalog/dns_hosts.toml`): how each host's form wants a record typed.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One DNS host's way of taking records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DnsHost {
    /// Stable id, such as `cloudflare`.
    pub id: String,
    /// The host's name.
    pub name: String,
    /// The form's label for the name field.
    pub name_label: String,
    /// `relative` (the part before the domain) or `fqdn` (the full name).
    pub name_style: String,
    /// What to type for the domain itself: `@` or nothing.
    pub apex: String,
    /// The host adds the domain to the name typed.
    pub appends: bool,
    /// TXT values are typed in double quotes.
    pub txt_quotes: bool,
    /// Long TXT values are typed as several quoted strings of at most 255 octets.
    pub txt_split: bool,
    /// The host can proxy records (mail CNAMEs must stay "DNS only").
    pub proxy: bool,
    /// What to choose for TTL.
    pub ttl: String,
    /// Where the form is, or what the host does by itself.
    pub note: String,
}

static HOSTS: LazyLock<Vec<DnsHost>> =
    LazyLock::new(|| crate::catalog::table(include_str!("../catalog/dns_hosts.toml"), "host"));

/// Every DNS host in the catalog, in catalog order.
pub fn dns_hosts() -> &'static [DnsHost] {
    &HOSTS
}

/// The host with this id.
pub fn dns_host(id: &str) -> Option<&'static DnsHost> {
    dns_hosts().iter().find(|h| h.id == id)
}

/// The host with this id, or the sentence saying it is not one Mailwright knows.
pub fn known_dns_host(id: &str) -> Result<&'static DnsHost, crate::error::EngineError> {
    dns_host(id).ok_or_else(|| crate::error::EngineError::NotInCatalog("a DNS host", id.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_has_every_host_the_step_offers() {
        let ids: Vec<&str> = dns_hosts().iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids.len(), 14);
        for id in ["cloudflare", "route53", "bind", "gandi", "porkbun"] {
            assert!(ids.contains(&id), "{id}");
        }
        for host in dns_hosts() {
            assert!(
                matches!(host.name_style.as_str(), "relative" | "fqdn"),
                "{}",
                host.id
            );
            assert!(matches!(host.apex.as_str(), "@" | ""), "{}", host.id);
            assert!(
                !host.txt_split || host.txt_quotes,
                "split strings are quoted: {}",
                host.id
            );
        }
    }
}
