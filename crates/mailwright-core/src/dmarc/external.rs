//! External report destinations (RFC 7489 §7.1, RFC 9990 §3.2.3): a `rua`/`ruf` address at
//! another domain receives reports only when that domain publishes
//! `<domain>._report._dmarc.<destination>` with `v=DMARC1`.

use crate::dns::RecordType;

use super::discovery::is_dmarc;
use super::record::report_domain;
use crate::dns::{DnsClient, Lookup};

/// The name the destination must publish to accept reports about `domain`.
pub fn authorization_name(domain: &str, destination: &str) -> String {
    format!("{domain}._report._dmarc.{destination}")
}

/// True when `destination` is `domain`, one of its parents or one of its subdomains: no
/// authorization is needed for reports that stay within the organization.
pub fn same_organization(domain: &str, destination: &str) -> bool {
    let inside = |a: &str, b: &str| a == b || a.ends_with(&format!(".{b}"));
    inside(domain, destination) || inside(destination, domain)
}

/// The destinations among `uris` that need an authorization record, without duplicates.
pub fn external_destinations(domain: &str, uris: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for destination in uris.iter().filter_map(|u| report_domain(u)) {
        if !same_organization(domain, &destination) && !out.contains(&destination) {
            out.push(destination);
        }
    }
    out
}

/// Looks the authorization up; `Ok(lookup)` when published, `Err(lookup)` when not.
pub async fn check_authorization(
    dns: &DnsClient,
    domain: &str,
    destination: &str,
) -> Result<Lookup, Lookup> {
    let name = authorization_name(domain, destination);
    let lookup = dns.lookup(&name, RecordType::TXT).await;
    if lookup.txt().iter().any(|t| is_dmarc(t)) {
        Ok(lookup)
    } else {
        // A wildcard (*._report._dmarc.<destination>) also answers the exact name (erratum 5440).
        Err(lookup)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_within_the_organization_need_no_authorization() {
        let uris = [
            "mailto:d@example.com".to_owned(),
            "mailto:d@reports.example.com".to_owned(),
            "mailto:x@dmarc.vendor.example".to_owned(),
            "mailto:y@dmarc.vendor.example".to_owned(),
            "https://vendor.example/report".to_owned(),
        ];
        assert_eq!(
            external_destinations("example.com", &uris),
            ["dmarc.vendor.example"]
        );
        assert_eq!(
            authorization_name("example.com", "dmarc.vendor.example"),
            "example.com._report._dmarc.dmarc.vendor.example"
        );
    }
}
