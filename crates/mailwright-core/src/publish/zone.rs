//! The records as a BIND zone-file snippet (RFC 1035 master file): full names with the
//! trailing dot, TTLs, long TXT values as several quoted strings on the line.

use std::fmt::Write;

use super::present::quoted_strings;
use crate::dns_record::DnsRecord;

/// The snippet for `records`, one record per entry, with its purpose as a comment.
pub fn zone_snippet(records: &[DnsRecord]) -> String {
    let mut out = String::from("; Mailwright: records to add to the zone\n");
    for r in records {
        let name = format!("{}.", r.name.trim_end_matches('.'));
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
