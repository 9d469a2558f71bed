//! What a message says about itself, read once with mail-parser: its size limits, the addresses
//! and identifiers in its headers, its `Received` path and its `Authentication-Results`.

use mail_parser::{Address, HeaderValue, MessageParser};

use super::auth_results::{AuthResults, parse_auth_results};
use super::hops::{Hop, hops};
use crate::error::EngineError;
use crate::tags::{tag, tag_list};

/// The largest message read (50 MiB): a larger file is refused with a sentence.
pub const MAX_MESSAGE_OCTETS: usize = 50 * 1024 * 1024;
/// Header fields read at most.
const MAX_HEADERS: usize = 2_000;
/// `DKIM-Signature` headers read at most.
const MAX_SIGNATURES: usize = 20;
/// `Authentication-Results` headers read at most.
const MAX_AUTH_RESULTS: usize = 50;

/// The facts of one message that the checks use.
#[derive(Clone, Debug, Default)]
pub(crate) struct MessageFacts {
    /// Every `From` address (there should be exactly one).
    pub from: Vec<String>,
    /// How many `From` header fields there are.
    pub from_fields: usize,
    /// The `Return-Path` address (the MAIL FROM), when the receiver wrote it.
    pub return_path: Option<String>,
    /// `Message-ID`.
    pub message_id: Option<String>,
    /// `Date`, as RFC 3339, when it could be read.
    pub date: Option<String>,
    /// Whether a `Date` field is present at all.
    pub date_present: bool,
    /// `Subject`.
    pub subject: Option<String>,
    /// `List-Unsubscribe` as written.
    pub list_unsubscribe: Option<String>,
    /// `List-Unsubscribe-Post` as written.
    pub list_unsubscribe_post: Option<String>,
    /// Each `DKIM-Signature` as written (before any verification).
    pub signatures: Vec<SignatureFields>,
    /// The hops, oldest first.
    pub hops: Vec<Hop>,
    /// Every `Authentication-Results` header, newest first, with its raw text.
    pub auth_results: Vec<(AuthResults, String)>,
    /// `ARC-Seal` headers.
    pub arc_sets: usize,
    /// Whether the message has a body (only headers were pasted otherwise).
    pub has_body: bool,
}

/// The tags of one `DKIM-Signature` that the check reports (RFC 6376 §3.5).
#[derive(Clone, Debug, Default)]
pub(crate) struct SignatureFields {
    /// `d=`, lower-case.
    pub domain: String,
    /// `s=`.
    pub selector: String,
    /// `a=`.
    pub algorithm: String,
    /// `h=`: the signed header fields.
    pub headers: Vec<String>,
    /// `l=`.
    pub body_length: Option<u64>,
    /// `x=`.
    pub expires: Option<u64>,
}

impl SignatureFields {
    fn read(value: &str) -> Self {
        let tags = tag_list(value);
        let get = |name: &str| tag(&tags, name).unwrap_or_default().to_owned();
        SignatureFields {
            domain: get("d").trim_end_matches('.').to_ascii_lowercase(),
            selector: get("s"),
            algorithm: get("a").to_ascii_lowercase(),
            headers: get("h")
                .split(':')
                .map(|h| h.trim().to_owned())
                .filter(|h| !h.is_empty())
                .collect(),
            body_length: tag(&tags, "l").and_then(|l| l.parse().ok()),
            expires: tag(&tags, "x").and_then(|x| x.parse().ok()),
        }
    }
}

/// The domain of an address (`bob@Example.com` → `example.com`), angle brackets removed.
pub(crate) fn domain_of(address: &str) -> Option<String> {
    let address = address.trim().trim_start_matches('<').trim_end_matches('>');
    let (_, domain) = address.rsplit_once('@')?;
    let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    (!domain.is_empty()).then_some(domain)
}

fn addresses(address: &Address<'_>) -> Vec<String> {
    address
        .iter()
        .filter_map(|a| a.address.as_ref().map(|s| s.to_string()))
        .collect()
}

/// The path of the message in `raw` (its `Received` headers as hops, oldest first), without
/// any lookup.
pub fn read_hops(raw: &[u8]) -> Result<Vec<Hop>, EngineError> {
    Ok(read(raw)?.hops)
}

/// Reads `raw` (a whole message, or its headers alone).
pub(crate) fn read(raw: &[u8]) -> Result<MessageFacts, EngineError> {
    if raw.len() > MAX_MESSAGE_OCTETS {
        return Err(EngineError::MessageTooLarge(raw.len()));
    }
    // A message has at least one of the fields every sent message carries.
    const ANY_OF: [&str; 6] = [
        "From",
        "Received",
        "Date",
        "Message-ID",
        "DKIM-Signature",
        "Return-Path",
    ];
    // Only the header section goes to mail-parser: the checks need no MIME structure, and
    // mail-parser 0.11 can panic on some malformed MIME nesting (found by this project's fuzzing).
    let (head, body) = split_head(raw);
    let message = MessageParser::default()
        .parse(head)
        .filter(|m| {
            m.headers().iter().any(|h| {
                ANY_OF
                    .iter()
                    .any(|n| h.name.as_str().eq_ignore_ascii_case(n))
            })
        })
        .ok_or(EngineError::NotAMessage)?;
    let headers = &message.headers()[..message.headers().len().min(MAX_HEADERS)];
    let raw_value = |h: &mail_parser::Header<'_>| {
        let (start, end) = (h.offset_start as usize, h.offset_end as usize);
        head.get(start..end)
            .map(|b| String::from_utf8_lossy(b).trim().to_owned())
            .unwrap_or_default()
    };
    let named = |name: &'static str| {
        headers
            .iter()
            .filter(move |h| h.name.as_str().eq_ignore_ascii_case(name))
    };
    let mut facts = MessageFacts {
        from: message.from().map(addresses).unwrap_or_default(),
        from_fields: named("From").count(),
        message_id: message.message_id().map(str::to_owned),
        date: message.date().map(|d| d.to_rfc3339()),
        date_present: named("Date").next().is_some(),
        subject: message.subject().map(str::to_owned),
        list_unsubscribe: named("List-Unsubscribe").next().map(raw_value),
        list_unsubscribe_post: named("List-Unsubscribe-Post").next().map(raw_value),
        arc_sets: named("ARC-Seal").count(),
        ..MessageFacts::default()
    };
    facts.return_path = match message.return_path() {
        HeaderValue::Address(address) => addresses(address).into_iter().next(),
        HeaderValue::Text(text) => Some(text.trim().trim_matches(['<', '>']).to_owned()),
        _ => named("Return-Path")
            .next()
            .map(|h| raw_value(h).trim_matches(['<', '>']).to_owned()),
    };
    facts.signatures = named("DKIM-Signature")
        .take(MAX_SIGNATURES)
        .map(|h| SignatureFields::read(&raw_value(h)))
        .collect();
    facts.hops = hops(message.received_all());
    facts.auth_results = named("Authentication-Results")
        .take(MAX_AUTH_RESULTS)
        .map(|h| {
            let value = raw_value(h);
            (parse_auth_results(&value), value)
        })
        .collect();
    facts.has_body = body.iter().any(|b| !b.is_ascii_whitespace());
    Ok(facts)
}

/// The header section (with the blank line that ends it) and the body.
fn split_head(raw: &[u8]) -> (&[u8], &[u8]) {
    let crlf = raw.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4);
    let lf = raw.windows(2).position(|w| w == b"\n\n").map(|i| i + 2);
    match [crlf, lf].into_iter().flatten().min() {
        Some(end) => raw.split_at(end),
        None => (raw, &[]),
    }
}
