//! MTA-STS (RFC 8461) and SMTP TLS reporting (RFC 8460) records in the audit: how other servers
//! are told to encrypt mail to this domain and where to report failures. The policy file itself
//! is fetched by the MTA-STS step.

use crate::dns::RecordType;

use crate::dns::DnsClient;
use crate::domain::DomainName;
use crate::finding::Finding;
use crate::mta_sts::{MTA_STS, TLS_RPT, record_finding};

/// Looks up both records concurrently.
pub async fn check(dns: &DnsClient, domain: &DomainName) -> Vec<Finding> {
    let sts_name = format!("{}.{domain}", MTA_STS.prefix);
    let rpt_name = format!("{}.{domain}", TLS_RPT.prefix);
    let (sts, rpt) = tokio::join!(
        dns.lookup(&sts_name, RecordType::TXT),
        dns.lookup(&rpt_name, RecordType::TXT),
    );
    vec![
        record_finding(&MTA_STS, domain, &sts).1,
        record_finding(&TLS_RPT, domain, &rpt).1,
    ]
}
