//! RFC 6186 service discovery: the `_submissions._tcp` (implicit TLS, RFC 8314 §5.1) and
//! `_submission._tcp` (STARTTLS) SRV records of the user's domain.

use crate::dns::{RData, RecordType};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::dns::{DnsClient, DnsConfig, Lookup};
use crate::domain::DomainName;
use crate::error::EngineError;

/// How a port starts TLS.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[ts(export)]
pub enum TlsMode {
    /// TLS from the first byte (port 465).
    Implicit,
    /// Plain text, then the STARTTLS command (port 587, 25).
    Starttls,
    /// No TLS at all (only for a check that AUTH is not offered in the clear).
    None,
}

/// A submission service found in DNS.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DiscoveredService {
    /// The host to connect to.
    pub host: String,
    /// The port.
    pub port: u16,
    /// Implicit TLS (`_submissions`) or STARTTLS (`_submission`).
    pub tls: TlsMode,
    /// SRV priority (lower first).
    pub priority: u16,
    /// SRV weight among equal priorities.
    pub weight: u16,
}

/// The submission services the domain announces, implicit TLS first, then by priority. A
/// target of `.` means "not offered" (RFC 6186 §3.4) and is left out.
pub async fn discover_submission(
    domain: &DomainName,
    dns: &DnsConfig,
) -> Result<Vec<DiscoveredService>, EngineError> {
    let client = DnsClient::new(dns, None)?;
    let implicit = format!("_submissions._tcp.{}", domain.as_str());
    let starttls = format!("_submission._tcp.{}", domain.as_str());
    let (a, b) = tokio::join!(
        client.lookup(&implicit, RecordType::SRV),
        client.lookup(&starttls, RecordType::SRV),
    );
    let mut found = services(&a, TlsMode::Implicit);
    found.extend(services(&b, TlsMode::Starttls));
    found.sort_by_key(|s| {
        (
            s.tls != TlsMode::Implicit,
            s.priority,
            std::cmp::Reverse(s.weight),
        )
    });
    Ok(found)
}

fn services(lookup: &Lookup, tls: TlsMode) -> Vec<DiscoveredService> {
    lookup
        .records()
        .iter()
        .filter_map(|r| match r {
            RData::SRV(srv) => {
                let host = srv
                    .target
                    .to_ascii()
                    .trim_end_matches('.')
                    .to_ascii_lowercase();
                (!host.is_empty() && srv.port != 0).then_some(DiscoveredService {
                    host,
                    port: srv.port,
                    tls,
                    priority: srv.priority,
                    weight: srv.weight,
                })
            }
            _ => None,
        })
        .collect()
}
