//! The records as a BIND zone-file snippet (RFC 1035 master file): full names with the
//! trailing dot, TTLs, long TXT values as several quoted strings on the line.

use std::fmt::Write;

use super::present::{in_zone, quoted_strings};
use crate::dns_record::DnsRecord;

/// The snippet for the records in `zone`, one per entry, with its purpose as a comment.
/// Records outside the zone (a report receiver's) are listed in comments only: a zone file
/// must not hold another zone's names.
pub fn zone_snippet(records: &[DnsRecord], zone: &str) -> String {
    let mut out = format!("; Mailwright: records to add to the zone {zone}\n");
    for r in records {
        let name = format!("{}.", r.name.trim_end_matches('.'));
        if !in_zone(&r.name, zone) {
            let _ = writeln!(
                out,
                "; Not for this zone: whoever runs that domain publishes {name} TXT \"{}\" ({})",
                r.value, r.purpose
            );
            continue;
        }
        let _ = writeln!(out, "; {}", r.purpose);
        match r.rtype.as_str() {
            "TXT" => {
                let _ = writeln!(out, "{name} {} IN TXT {}", r.ttl, quoted_strings(r));
            }
            "CNAME" => {
                let _ = writeln!(
                    out,
                    "{name} {} IN CNAME {}.",
                    r.ttl,
                    r.value.trim_end_matches('.')
                );
            }
            other => {
                let _ = writeln!(out, "{name} {} IN {other} {}", r.ttl, r.value);
            }
        }
    }
    out
}
