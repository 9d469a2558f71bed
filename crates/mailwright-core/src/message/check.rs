//! The check of one received message: its path, what the receiver decided, and what Mailwright
//! decides now through the configured DNS server — every signature, SPF for the sending address,
//! DMARC, the sending address's reverse DNS — with the big providers' rules and the findings.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::auth_results::AuthResult;
use super::dkim::{SignatureCheck, verify_signatures};
use super::facts::{MessageFacts, domain_of, read};
use super::findings::findings;
use super::hops::{Hop, sending_ip};
use super::rules::{RuleCheck, rules};
use crate::catalog::{Receiver, receivers};
use crate::dmarc::{
    DkimIdentity, DmarcEvaluation, DmarcMessage, SpfIdentity, decide, dmarc_facts, temperror,
};
use crate::dns::{DnsClient, DnsConfig, ProgressSink, ReverseDns, reverse_dns};
use crate::error::EngineError;
use crate::finding::Finding;
use crate::spf::{SpfEvaluation, SpfQuery, check_host};

/// What the receiving provider wrote in its own `Authentication-Results`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReceiverView {
    /// The provider, when the catalog knows it.
    pub provider: Option<String>,
    /// Its authserv-id (`None` for Microsoft, which writes none).
    pub authserv_id: Option<String>,
    /// Its results, per method.
    pub results: Vec<AuthResult>,
}

/// The whole check of one message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MessageCheck {
    /// `Message-ID`.
    pub message_id: Option<String>,
    /// `Date` (RFC 3339).
    pub date: Option<String>,
    /// `Subject` (shown in the window; never kept in the project or a report).
    pub subject: Option<String>,
    /// The `From` addresses.
    pub from: Vec<String>,
    /// The `From` domain DMARC protects.
    pub from_domain: Option<String>,
    /// The `Return-Path` (the MAIL FROM).
    pub return_path: Option<String>,
    /// Whether the body was given (it is needed for the DKIM body hash).
    pub has_body: bool,
    /// The hops, oldest first.
    pub hops: Vec<Hop>,
    /// The address the receiving organization took the message from.
    pub sending_ip: Option<String>,
    /// The name the sending server gave in HELO/EHLO.
    pub helo: Option<String>,
    /// The receiving provider's own results, when its header is there.
    pub receiver: Option<ReceiverView>,
    /// `Authentication-Results` written by others (not verified: anyone can write them).
    pub unverified: Vec<String>,
    /// Each DKIM signature, verified now.
    pub signatures: Vec<SignatureCheck>,
    /// SPF for the MAIL FROM, decided now.
    pub spf: Option<SpfEvaluation>,
    /// SPF for the HELO name, decided now.
    pub spf_helo: Option<SpfEvaluation>,
    /// DMARC, decided now.
    pub dmarc: Option<DmarcEvaluation>,
    /// `ARC-Seal` headers (sets of ARC headers added by forwarders).
    pub arc_sets: u32,
    /// The sending address's reverse DNS.
    pub reverse_dns: Option<ReverseDns>,
    /// Gmail's, Yahoo's and Microsoft's rules, item by item.
    pub rules: Vec<RuleCheck>,
    /// The findings, worst first.
    pub findings: Vec<Finding>,
}

/// Checks the message in `raw` (a whole `.eml`, or its headers alone).
pub async fn check_message(
    raw: &[u8],
    dns: &DnsConfig,
    progress: Option<ProgressSink>,
) -> Result<MessageCheck, EngineError> {
    // A message travels with CRLF line ends (RFC 5322 §2.1); a saved or pasted copy often has
    // bare LFs, which would break the DKIM hashes: restored as on the wire.
    let raw = &crlf(raw);
    let facts = read(raw)?;
    let client = DnsClient::new(dns, progress)?;
    let receiver = trusted_receiver(&facts);
    let sending = receiver
        .as_ref()
        .and_then(|(view, _)| remote_ip(view))
        .or_else(|| sending_ip(&facts.hops));
    let helo = sending.and_then(|ip| helo_of(&facts.hops, ip));
    let from_domain = facts.from.first().and_then(|a| domain_of(a));
    let mail_from_domain = facts.return_path.as_deref().and_then(domain_of);

    let present: Vec<String> = ["List-Unsubscribe", "List-Unsubscribe-Post"]
        .iter()
        .zip([&facts.list_unsubscribe, &facts.list_unsubscribe_post])
        .filter(|(_, v)| v.is_some())
        .map(|(n, _)| (*n).to_owned())
        .collect();
    let identifiers: Vec<String> = facts
        .signatures
        .iter()
        .map(|s| s.domain.clone())
        .chain(mail_from_domain.clone())
        .chain(helo.clone())
        .collect();
    let spf_query = sending.map(|ip| SpfQuery {
        ip,
        mail_from: facts.return_path.clone().unwrap_or_default(),
        helo: helo.clone().unwrap_or_default(),
    });
    let (signatures, spf, spf_helo, dmarc_facts, reverse_dns) = futures::join!(
        verify_signatures(raw, &facts.signatures, &present, dns, &client),
        async {
            match &spf_query {
                Some(query) => check_host(query, None, None, dns, None).await.ok(),
                None => None,
            }
        },
        async {
            match (&spf_query, &helo) {
                (Some(query), Some(helo)) if helo.contains('.') => {
                    let query = SpfQuery {
                        mail_from: String::new(),
                        ..query.clone()
                    };
                    check_host(&query, Some(helo), None, dns, None).await.ok()
                }
                _ => None,
            }
        },
        async {
            match &from_domain {
                Some(from) => Some(dmarc_facts(&client, from, &identifiers).await),
                None => None,
            }
        },
        async {
            match sending {
                Some(ip) => Some(reverse_dns(&client, ip).await),
                None => None,
            }
        },
    );
    let dmarc = from_domain
        .as_ref()
        .zip(dmarc_facts)
        .map(|(from, dns_facts)| {
            let message = DmarcMessage {
                from_domain: from.clone(),
                spf: spf.as_ref().map(|e| SpfIdentity {
                    result: e.result,
                    domain: e.domain.clone(),
                }),
                dkim: signatures
                    .iter()
                    .map(|s| DkimIdentity {
                        passed: s.result == "pass",
                        domain: s.domain.clone(),
                    })
                    .collect(),
            };
            match dns_facts {
                Some(dns_facts) => decide(&message, &dns_facts),
                None => temperror(&message),
            }
        });
    let unverified = facts
        .auth_results
        .iter()
        .enumerate()
        .filter(|(i, _)| receiver.as_ref().is_none_or(|(_, at)| !at.contains(i)))
        .map(|(_, (_, text))| text.clone())
        .collect();
    let mut check = MessageCheck {
        message_id: facts.message_id.clone(),
        date: facts.date.clone(),
        subject: facts.subject.clone(),
        from: facts.from.clone(),
        from_domain,
        return_path: facts.return_path.clone(),
        has_body: facts.has_body,
        hops: facts.hops.clone(),
        sending_ip: sending.map(|ip| ip.to_string()),
        helo,
        receiver: receiver.map(|(view, _)| view),
        unverified,
        signatures,
        spf,
        spf_helo,
        dmarc,
        arc_sets: facts.arc_sets as u32,
        reverse_dns,
        rules: Vec::new(),
        findings: Vec::new(),
    };
    check.rules = rules(&check, &facts);
    let mut found = findings(&check, &facts);
    found.sort_by_key(|f| std::cmp::Reverse(f.severity));
    check.findings = found;
    Ok(check)
}

/// `raw` with every bare LF (and bare CR) written as CRLF.
fn crlf(raw: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let bare = raw.iter().enumerate().any(|(i, b)| {
        (*b == b'\n' && (i == 0 || raw[i - 1] != b'\r'))
            || (*b == b'\r' && raw.get(i + 1) != Some(&b'\n'))
    });
    if !bare {
        return std::borrow::Cow::Borrowed(raw);
    }
    let mut out = Vec::with_capacity(raw.len() + raw.len() / 16);
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'\r' if raw.get(i + 1) == Some(&b'\n') => {
                out.extend_from_slice(b"\r\n");
                i += 1;
            }
            b'\r' | b'\n' => out.extend_from_slice(b"\r\n"),
            b => out.push(b),
        }
        i += 1;
    }
    std::borrow::Cow::Owned(out)
}

/// The receiving provider's own `Authentication-Results` and their positions: the newest
/// header, when its authserv-id is a known provider's, or the final server's own name, or
/// (Microsoft, which writes none) when that provider's servers received the message; with it,
/// the provider's other headers (iCloud writes one per method: `dkim-verifier.icloud.com`,
/// `spf.icloud.com`, …). Any other is unverified: a sender can write such a header itself.
fn trusted_receiver(facts: &MessageFacts) -> Option<(ReceiverView, Vec<usize>)> {
    let (newest, _) = facts.auth_results.first()?;
    let last_by = facts.hops.last().and_then(|h| h.by.clone());
    let trust = match &newest.authserv_id {
        Some(id) => match receivers().iter().find(|r| r.has_authserv_id(id)) {
            Some(known) => Trust::Provider(known),
            None if last_by
                .as_deref()
                .is_some_and(|by| by.trim_end_matches('.').eq_ignore_ascii_case(id)) =>
            {
                Trust::FinalServer(id.clone())
            }
            None => return None,
        },
        None => Trust::Provider(
            receivers()
                .iter()
                .find(|r| last_by.as_deref().is_some_and(|by| r.has_host(by)))?,
        ),
    };
    let at: Vec<usize> = facts
        .auth_results
        .iter()
        .enumerate()
        .filter(|(_, (r, _))| trust.wrote(r.authserv_id.as_deref(), newest.authserv_id.is_none()))
        .map(|(i, _)| i)
        .collect();
    let results = at
        .iter()
        .flat_map(|i| facts.auth_results[*i].0.results.clone())
        .collect();
    Some((
        ReceiverView {
            provider: Some(trust.name()),
            authserv_id: newest.authserv_id.clone(),
            results,
        },
        at,
    ))
}

/// Who wrote the trusted `Authentication-Results`.
enum Trust {
    /// A provider of the catalog.
    Provider(&'static Receiver),
    /// The final receiving server, by its own name.
    FinalServer(String),
}

impl Trust {
    /// Whether a header with authserv-id `id` is this receiver's (`no_id`: it writes none).
    fn wrote(&self, id: Option<&str>, no_id: bool) -> bool {
        match (self, id) {
            (_, None) => no_id,
            (Trust::Provider(known), Some(id)) => !no_id && known.has_authserv_id(id),
            (Trust::FinalServer(name), Some(id)) => id.eq_ignore_ascii_case(name),
        }
    }

    fn name(&self) -> String {
        match self {
            Trust::Provider(known) => known.name.clone(),
            Trust::FinalServer(name) => format!("the receiving server {name}"),
        }
    }
}

/// The client address the receiver recorded (`smtp.remote-ip`, RFC 8601 §2.7.4 practice).
fn remote_ip(view: &ReceiverView) -> Option<IpAddr> {
    view.results
        .iter()
        .find_map(|r| r.property("smtp.remote-ip").or(r.property("policy.iprev")))
        .and_then(|ip| ip.parse().ok())
}

/// The name the server at `ip` gave when it connected.
fn helo_of(hops: &[Hop], ip: IpAddr) -> Option<String> {
    hops.iter()
        .rev()
        .find(|h| h.from_ip.as_deref().and_then(|a| a.parse().ok()) == Some(ip))
        .and_then(|h| h.from.clone())
        .map(|h| h.trim_end_matches('.').to_ascii_lowercase())
}
