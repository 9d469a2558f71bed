//! Who a report source is: its reverse DNS name, and the sender it belongs to — the user's own
//! servers and the catalog's services matched by Mailwright's own SPF evaluation of their
//! mechanisms (exactly as a receiver would), by the domains their DKIM signatures use, or by a
//! forward-confirmed reverse DNS name; finally whether the domain's published SPF lists it.

use std::net::IpAddr;
use std::sync::atomic::{AtomicU32, Ordering};

use futures::StreamExt;

use crate::dns::{DnsClient, DnsConfig, reverse_dns};
use crate::senders::{Inventory, Sender, own_server_term, sender, senders};
use crate::spf::{SpfQuery, SpfVerdict, check_host};

/// How many sources are looked up at once.
const CONCURRENT: usize = 8;

/// Who one source is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceIdentity {
    /// The address.
    pub ip: IpAddr,
    /// Its forward-confirmed reverse DNS name, or the first PTR name when none is confirmed.
    pub ptr: Option<String>,
    /// The catalog sender it belongs to.
    pub sender_id: Option<String>,
    /// How that was found, in words.
    pub matched_by: Option<String>,
}

/// An SPF mechanism that names a sender's servers.
struct Candidate {
    id: String,
    mechanisms: String,
    words: String,
}

/// The mechanisms to try: the user's own servers, then each service the user listed (with a
/// mechanism pasted for their account), then the rest of the catalog.
fn candidates(inventory: &Inventory) -> Vec<Candidate> {
    let mut out = Vec::new();
    for choice in &inventory.senders {
        if choice.id == "own_server" {
            let terms: Vec<String> = choice
                .hosts
                .iter()
                .filter_map(|h| own_server_term(h).ok())
                .collect();
            if !terms.is_empty() {
                out.push(Candidate {
                    id: choice.id.clone(),
                    mechanisms: terms.join(" "),
                    words: "listed as your own mail server in Senders".into(),
                });
            }
        } else if let Some(mechanism) = choice
            .spf
            .clone()
            .or_else(|| sender(&choice.id).and_then(|s| s.spf.clone()))
        {
            out.push(Candidate {
                id: choice.id.clone(),
                words: format!("its SPF ({mechanism}) lists this address"),
                mechanisms: mechanism,
            });
        }
    }
    for entry in senders() {
        if let Some(mechanism) = &entry.spf
            && !out.iter().any(|c| c.id == entry.id)
        {
            out.push(Candidate {
                id: entry.id.clone(),
                words: format!("its SPF ({mechanism}) lists this address"),
                mechanisms: mechanism.clone(),
            });
        }
    }
    out
}

fn suffix_of(name: &str, suffix: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == suffix || name.ends_with(&format!(".{suffix}"))
}

/// How many sources' lookups may fail before the rest are left for a later run (the DNS
/// server is not answering).
const MAX_FAILED: u32 = 3;

/// Names every source in `sources` (address and the DKIM domains that passed for it) for
/// `domain`, `CONCURRENT` at a time. A source whose lookups could not be made is left out (it
/// is named after a later import); when several fail, the DNS server is not answering and the
/// rest are left too.
pub async fn identify_sources(
    sources: Vec<(IpAddr, Vec<(String, String)>)>,
    domain: &str,
    inventory: &Inventory,
    dns: &DnsConfig,
) -> Vec<SourceIdentity> {
    let candidates = candidates(inventory);
    let failed = AtomicU32::new(0);
    futures::stream::iter(sources)
        .map(|(ip, dkim)| identify(ip, dkim, domain, &candidates, dns, &failed))
        .buffer_unordered(CONCURRENT)
        .filter_map(|named| async move { named })
        .collect()
        .await
}

async fn identify(
    ip: IpAddr,
    dkim: Vec<(String, String)>,
    domain: &str,
    candidates: &[Candidate],
    dns: &DnsConfig,
    failed: &AtomicU32,
) -> Option<SourceIdentity> {
    if failed.load(Ordering::Relaxed) >= MAX_FAILED {
        return None;
    }
    let reverse = reverse_dns(&DnsClient::new(dns, None).ok()?, ip).await;
    if !reverse.looked_up {
        failed.fetch_add(1, Ordering::Relaxed);
        return None;
    }
    let reverse = Some(reverse);
    let ptr = reverse.as_ref().and_then(|r| r.names.first().cloned());
    let confirmed = reverse.as_ref().is_some_and(|r| r.confirmed);
    let found = |id: &str, words: String| {
        Some(SourceIdentity {
            ip,
            ptr: ptr.clone(),
            sender_id: Some(id.to_owned()),
            matched_by: Some(words),
        })
    };
    let query = SpfQuery {
        ip,
        mail_from: format!("postmaster@{domain}"),
        helo: domain.to_owned(),
    };
    for candidate in candidates {
        let record = format!("v=spf1 {} -all", candidate.mechanisms);
        if let Ok(evaluation) = check_host(&query, Some(domain), Some(&record), dns, None).await
            && evaluation.result == SpfVerdict::Pass
        {
            return found(&candidate.id, candidate.words.clone());
        }
    }
    for (d, _) in &dkim {
        if let Some(entry) = senders()
            .iter()
            .find(|s: &&Sender| s.dkim_domains.iter().any(|x| suffix_of(d, x)))
        {
            return found(&entry.id, format!("its DKIM signatures use d={d}"));
        }
    }
    if confirmed
        && let Some(name) = &ptr
        && let Some(entry) = senders()
            .iter()
            .find(|s| s.ptr_suffixes.iter().any(|x| suffix_of(name, x)))
    {
        return found(&entry.id, format!("its reverse DNS name is {name}"));
    }
    let listed = check_host(&query, Some(domain), None, dns, None)
        .await
        .is_ok_and(|e| e.result == SpfVerdict::Pass);
    Some(SourceIdentity {
        ip,
        ptr: ptr.clone(),
        sender_id: None,
        matched_by: listed.then(|| "your published SPF record lists this address".to_owned()),
    })
}
