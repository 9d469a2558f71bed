//! Policy discovery (RFC 9989 §4.10): the record at `_dmarc.<domain>`, or else the first one
//! found walking up the DNS tree, at most eight queries.

use crate::dns::RecordType;

use crate::dns::{DnsClient, Lookup};

/// At most this many queries in one tree walk (RFC 9989 §4.10).
const MAX_WALK_QUERIES: usize = 8;

/// The names a DMARC tree walk queries for `domain`, in order (RFC 9989 §4.10): the domain,
/// then — jumping to the seven right-most labels when there are eight or more — one label
/// shorter each time, down to the top-level domain.
pub fn tree_walk_targets(domain: &str) -> Vec<String> {
    let labels: Vec<&str> = domain.split('.').collect();
    let mut targets = vec![domain.to_owned()];
    let mut count = if labels.len() >= 8 {
        7
    } else {
        labels.len() - 1
    };
    while count >= 1 && targets.len() < MAX_WALK_QUERIES {
        targets.push(labels[labels.len() - count..].join("."));
        count -= 1;
    }
    targets
}

/// How the walk ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Discovery {
    /// One DMARC record, at `_dmarc.<target>`.
    Found {
        /// The domain whose record applies.
        target: String,
        /// The lookup that found it.
        lookup: Lookup,
        /// The record (strings joined).
        record: String,
    },
    /// Several DMARC records at one name: receivers apply none (RFC 7489 §6.6.3).
    Multiple {
        /// The lookup.
        lookup: Lookup,
        /// The records.
        records: Vec<String>,
    },
    /// A lookup failed, so the answer is unknown.
    Failed(Lookup),
    /// No record anywhere on the walk.
    Missing(Vec<Lookup>),
}

/// True when a TXT record is a DMARC record (it starts with the `v=DMARC1` tag; the tag name in
/// any case).
pub fn is_dmarc(txt: &str) -> bool {
    let first = txt.trim_start().split(';').next().unwrap_or_default();
    first
        .split_once('=')
        .is_some_and(|(k, v)| k.trim().eq_ignore_ascii_case("v") && v.trim() == "DMARC1")
}

/// Walks up from `domain` until a DMARC record is found.
pub async fn discover(dns: &DnsClient, domain: &str) -> Discovery {
    let mut looked_up = Vec::new();
    for target in tree_walk_targets(domain) {
        let lookup = dns
            .lookup(&format!("_dmarc.{target}"), RecordType::TXT)
            .await;
        if lookup.failed() {
            return Discovery::Failed(lookup);
        }
        let mut records: Vec<String> = lookup.txt().into_iter().filter(|t| is_dmarc(t)).collect();
        match records.len() {
            0 => looked_up.push(lookup),
            1 => {
                return Discovery::Found {
                    target,
                    lookup,
                    record: records.remove(0),
                };
            }
            _ => return Discovery::Multiple { lookup, records },
        }
    }
    Discovery::Missing(looked_up)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_walk_goes_up_to_the_top_level_domain() {
        assert_eq!(
            tree_walk_targets("mail.example.com"),
            ["mail.example.com", "example.com", "com"]
        );
        assert_eq!(tree_walk_targets("example.com"), ["example.com", "com"]);
    }

    #[test]
    fn tree_walk_jumps_to_seven_labels_and_stays_within_eight_queries() {
        let long = "a.b.c.d.e.f.g.h.i.example.com";
        let targets = tree_walk_targets(long);
        assert_eq!(targets[0], long);
        assert_eq!(targets[1], "e.f.g.h.i.example.com");
        assert_eq!(targets[1].split('.').count(), 7);
        assert_eq!(targets.len(), 8);
        assert_eq!(targets.last().unwrap(), "com");
    }

    #[test]
    fn recognizes_dmarc_records() {
        assert!(is_dmarc("v=DMARC1; p=none"));
        assert!(is_dmarc("v = DMARC1;p=reject"));
        assert!(
            is_dmarc("V=DMARC1; P=reject"),
            "tag names are case-insensitive"
        );
        assert!(
            !is_dmarc("v=dmarc1; p=reject"),
            "the version's value is exact"
        );
        assert!(!is_dmarc("p=none; v=DMARC1"));
        assert!(!is_dmarc("v=spf1 -all"));
    }
}
