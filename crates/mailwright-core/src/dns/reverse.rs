//! Reverse DNS: the name a PTR lookup asks for (RFC 1035 §3.5, RFC 3596 §2.5), and the names
//! an address has, checked forward.

use std::net::IpAddr;

use hickory_proto::rr::{RData, RecordType};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::DnsClient;

/// The reverse DNS of an address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReverseDns {
    /// The names its PTR records give.
    pub names: Vec<String>,
    /// Whether one of them resolves back to the address (forward-confirmed).
    pub confirmed: bool,
    /// Whether the lookups could be made.
    pub looked_up: bool,
}

/// The PTR names of `ip` (at most 10) and whether one of them resolves back to it.
pub async fn reverse_dns(client: &DnsClient, ip: IpAddr) -> ReverseDns {
    let ptr = client.lookup(&reverse_name(ip), RecordType::PTR).await;
    if ptr.failed() {
        return ReverseDns {
            names: Vec::new(),
            confirmed: false,
            looked_up: false,
        };
    }
    let names: Vec<String> = ptr.host_names().into_iter().take(10).collect();
    let rtype = if ip.is_ipv4() {
        RecordType::A
    } else {
        RecordType::AAAA
    };
    let forward = futures::future::join_all(names.iter().map(|n| client.lookup(n, rtype))).await;
    let confirmed = forward.iter().any(|l| {
        l.records().iter().any(|r| match r {
            RData::A(a) => IpAddr::V4(a.0) == ip,
            RData::AAAA(a) => IpAddr::V6(a.0) == ip,
            _ => false,
        })
    });
    ReverseDns {
        names,
        confirmed,
        looked_up: true,
    }
}

/// `3.2.0.192.in-addr.arpa` for 192.0.2.3; the 32 nibbles under `ip6.arpa` for IPv6.
pub fn reverse_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            format!("{}.{}.{}.{}.in-addr.arpa", o[3], o[2], o[1], o[0])
        }
        IpAddr::V6(v6) => {
            let nibbles: Vec<String> = v6
                .octets()
                .iter()
                .rev()
                .flat_map(|b| [b & 0xf, b >> 4])
                .map(|n| format!("{n:x}"))
                .collect();
            format!("{}.ip6.arpa", nibbles.join("."))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reverses_both_families() {
        assert_eq!(
            reverse_name("192.0.2.1".parse().unwrap()),
            "1.2.0.192.in-addr.arpa"
        );
        let v6 = reverse_name("2001:db8::1".parse().unwrap());
        assert!(
            v6.starts_with("1.0.0.0.") && v6.ends_with(".8.b.d.0.1.0.0.2.ip6.arpa"),
            "{v6}"
        );
    }
}
