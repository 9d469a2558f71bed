//! DMARC in the audit: the checker's findings (discovery, policy, external reports).

use crate::dmarc::dmarc_findings;
use crate::dns::DnsClient;
use crate::domain::DomainName;
use crate::finding::Finding;

/// Finds the DMARC record that applies to the domain and checks it.
pub async fn check(dns: &DnsClient, domain: &DomainName) -> Vec<Finding> {
    dmarc_findings(dns, domain).await.findings
}
