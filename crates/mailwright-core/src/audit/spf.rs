//! SPF in the audit: the SPF checker's findings (the RFC 7208 walk with its limits).

use crate::dns::DnsClient;
use crate::domain::DomainName;
use crate::finding::Finding;
use crate::spf::{findings, walk_spf};

/// The full SPF check (the RFC 7208 walk with its limits), as in the SPF step.
pub async fn check(dns: &DnsClient, domain: &DomainName) -> Vec<Finding> {
    let walk = walk_spf(dns, domain.as_str()).await;
    findings(domain, &walk)
}
