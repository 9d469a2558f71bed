//! The reputation check as a whole: the reverse DNS of each sending address, the mail server's
//! own name, and every blocklist, asked together; one verdict and the one thing to do.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::blocklists::{Blocklist, ListVerdict, Listing, check_blocklists};
use super::ehlo::{EhloCheck, check_ehlo};
use super::ptr::{PtrCheck, check_ptr};
use crate::dns::{DnsClient, DnsConfig};
use crate::error::EngineError;

/// What is checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReputationRequest {
    /// Sending addresses (own servers, dedicated IPs).
    pub ips: Vec<IpAddr>,
    /// Domains (the user's, for the domain lists).
    pub domains: Vec<String>,
    /// The lists to ask.
    pub lists: Vec<Blocklist>,
    /// The server's own name and the address it answered on (from the mail-server test).
    pub ehlo: Option<(String, IpAddr)>,
}

/// What the check found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReputationCheck {
    /// Reverse DNS of each address.
    pub ptr: Vec<PtrCheck>,
    /// The server's own name, when the mail-server test saw one.
    pub ehlo: Option<EhloCheck>,
    /// Every list's verdict on every address and domain.
    pub blocklists: Vec<ListVerdict>,
    /// True when nothing is listed and every name checks out.
    pub passed: bool,
    /// How many listings.
    pub listed: u32,
    /// Lists that could not be checked from here.
    pub cannot_check: u32,
    /// The one thing to do next.
    pub next_step: String,
}

/// Runs every check at once (the blocklists within their deadline).
pub async fn check_reputation(
    request: &ReputationRequest,
    dns: &DnsConfig,
) -> Result<ReputationCheck, EngineError> {
    let client = DnsClient::new(dns, None)?;
    let (ptr, listed) = futures::join!(
        futures::future::join_all(request.ips.iter().map(|ip| check_ptr(&client, *ip))),
        check_blocklists(&request.lists, &request.ips, &request.domains, dns)
    );
    let blocklists = listed?;
    let ehlo = match &request.ehlo {
        Some((name, ip)) => {
            let names = match ptr.iter().find(|p| p.ip == ip.to_string()) {
                Some(p) => p.names.clone(),
                None => check_ptr(&client, *ip).await.names,
            };
            Some(check_ehlo(&client, name, *ip, &names).await)
        }
        None => None,
    };
    let listed = blocklists
        .iter()
        .filter(|v| matches!(v.listing, Listing::Listed { .. }))
        .count() as u32;
    let cannot_check = blocklists
        .iter()
        .filter(|v| matches!(v.listing, Listing::CannotCheck { .. }))
        .count() as u32;
    let bad_ptr = ptr.iter().find(|p| !p.passes);
    let bad_ehlo = ehlo.as_ref().filter(|e| !e.passes);
    let passed = listed == 0 && bad_ptr.is_none() && bad_ehlo.is_none();
    let next_step = if let Some(v) = blocklists
        .iter()
        .find(|v| matches!(v.listing, Listing::Listed { .. }))
    {
        let removal = match &v.listing {
            Listing::Listed {
                delist: Some(url), ..
            } => format!("ask for removal at {url}"),
            _ => "ask the list for removal".to_owned(),
        };
        format!(
            "{} is on {}: find and fix the cause first (an infected machine, a leaked password, a bad list), then {removal}.",
            v.subject, v.list
        )
    } else if let Some(p) = bad_ptr {
        p.sentence.clone()
    } else if let Some(e) = bad_ehlo {
        e.sentence.clone()
    } else if request.ips.is_empty() && request.domains.is_empty() {
        "Nothing to check: add your own server's address in the Senders step, or run the mail server test.".to_owned()
    } else if cannot_check > 0 {
        "Nothing is listed where Mailwright could ask; the lists marked \"cannot check\" say why they could not be asked from here.".to_owned()
    } else {
        "Nothing is listed and the names check out. Check again whenever bounces mention a blocklist.".to_owned()
    };
    Ok(ReputationCheck {
        ptr,
        ehlo,
        blocklists,
        passed,
        listed,
        cannot_check,
        next_step,
    })
}
