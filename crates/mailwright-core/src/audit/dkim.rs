//! DKIM: keys published at the user's selectors and at a catalog of common ones, following
//! CNAMEs to providers.

use futures::future::join_all;
use hickory_proto::rr::RecordType;

use super::failure::lookup_failed;
use crate::catalog::selector_user;
use crate::dkim::{DkimKeyRecord, DkimRecordError, KeyType};
use crate::dns::{DnsClient, Lookup};
use crate::domain::{DomainName, Selector};
use crate::finding::{Evidence, Finding, Severity, Topic};
use crate::tags::{tag, tag_list};

const TOPIC: Topic = Topic::Dkim;

/// What one selector's lookup showed.
enum KeyState {
    /// A usable key.
    Published(DkimKeyRecord),
    /// `p=` empty: the key was revoked.
    Revoked,
    /// A DKIM record that cannot be used, and why.
    Unreadable(DkimRecordError),
    /// No DKIM record there.
    Absent,
}

/// Reads the first TXT record at the selector that looks like a DKIM key.
fn key_state(lookup: &Lookup) -> KeyState {
    let record = lookup.txt().into_iter().find(|t| {
        let tags = tag_list(t);
        tag(&tags, "v") == Some("DKIM1") || tag(&tags, "p").is_some()
    });
    match record.map(|r| DkimKeyRecord::parse(&r)) {
        None => KeyState::Absent,
        Some(Ok(key)) if key.key_type.is_none() => KeyState::Revoked,
        Some(Ok(key)) => KeyState::Published(key),
        Some(Err(error)) => KeyState::Unreadable(error),
    }
}

/// Looks up every selector concurrently and reports what was found; `user` are the ones the
/// user gave (a subset of `selectors`).
pub async fn check(
    dns: &DnsClient,
    domain: &DomainName,
    selectors: &[Selector],
    user: &[Selector],
) -> Vec<Finding> {
    let lookups: Vec<Lookup> = join_all(selectors.iter().map(|s| {
        let name = format!("{}._domainkey.{domain}", s.as_str());
        async move { dns.lookup(&name, RecordType::TXT).await }
    }))
    .await;

    let mut findings = Vec::new();
    let mut found_any = false;
    for (selector, lookup) in selectors.iter().zip(&lookups) {
        let given = user.contains(selector);
        match key_state(lookup) {
            KeyState::Published(key) => {
                found_any = true;
                findings.push(found(domain, selector, lookup, &key, given));
                findings.extend(weak_key(selector, lookup, &key));
            }
            KeyState::Revoked => {
                found_any = true;
                findings.push(
                    Finding::new(
                        "dkim.revoked",
                        Severity::Info,
                        TOPIC,
                        format!("The DKIM key at selector {} is revoked (empty p=).", selector.as_str()),
                        "An empty p= tag says this key must no longer be trusted, as after a key \
                         rotation. Mail still signed with it fails DKIM.",
                    )
                    .fix(format!("Make sure nothing still signs with selector {}; remove the record once old mail has been delivered.", selector.as_str()))
                    .evidence(lookup.evidence()),
                );
            }
            KeyState::Unreadable(error) => {
                found_any = true;
                findings.push(
                    Finding::new(
                        "dkim.syntax",
                        Severity::Fail,
                        TOPIC,
                        format!("The DKIM record at selector {} cannot be used: {error}.", selector.as_str()),
                        "Receivers cannot verify signatures with a record they cannot parse, so \
                         mail signed with this selector fails DKIM. Records are often cut off or \
                         garbled when pasted.",
                    )
                    .fix("Copy the DKIM record again from your provider (or Mailwright's DKIM step) and replace the published one.")
                    .evidence(lookup.evidence()),
                );
            }
            KeyState::Absent if given && !lookup.failed() => findings.push(
                Finding::new(
                    "dkim.selector_not_found",
                    Severity::Warn,
                    TOPIC,
                    format!(
                        "No DKIM key is published at your selector {}.",
                        selector.as_str()
                    ),
                    format!(
                        "You said mail is signed with selector {}, but {} has no DKIM record, so \
                         those signatures cannot be verified.",
                        selector.as_str(),
                        lookup.name
                    ),
                )
                .fix(format!(
                    "Publish the DKIM record at {} or check the selector's spelling.",
                    lookup.name
                ))
                .evidence(lookup.evidence()),
            ),
            KeyState::Absent => {}
        }
    }
    let refs: Vec<&Lookup> = lookups.iter().collect();
    let failure = lookup_failed(TOPIC, "some DKIM selectors", &refs);
    if !found_any && failure.is_none() {
        findings.push(none_found(domain, selectors.len()));
    }
    findings.extend(failure);
    findings
}

/// RFC 8301 §3.2: signers MUST use at least 1024 bits and SHOULD use at least 2048.
fn weak_key(selector: &Selector, lookup: &Lookup, key: &DkimKeyRecord) -> Option<Finding> {
    let Some(KeyType::Rsa { bits }) = key.key_type else {
        return None;
    };
    if bits >= 2048 {
        return None;
    }
    let severity = if bits < 1024 {
        Severity::Fail
    } else {
        Severity::Warn
    };
    Some(
        Finding::new(
            "dkim.weak_key",
            severity,
            TOPIC,
            format!("The DKIM key at selector {} is only {bits} bits long.", selector.as_str()),
            "RFC 8301 requires at least 1024 bits and recommends 2048; receivers may ignore \
             signatures made with keys below 1024 bits, and short keys can be broken.",
        )
        .fix("Create a new 2048-bit key under a new selector, publish it, switch signing to it, then revoke this one.")
        .evidence(lookup.evidence()),
    )
}

fn describe(key: &DkimKeyRecord) -> String {
    let kind = match key.key_type {
        Some(KeyType::Rsa { bits }) => format!("an RSA key of {bits} bits"),
        Some(KeyType::Ed25519) => {
            "an Ed25519 key (Gmail and Outlook verify only RSA, so keep an RSA key too)".to_owned()
        }
        None => "a revoked key".to_owned(),
    };
    if key.testing {
        format!("{kind}, marked as testing (t=y): receivers treat failures as unsigned mail")
    } else {
        kind
    }
}

fn found(
    domain: &DomainName,
    selector: &Selector,
    lookup: &Lookup,
    key: &DkimKeyRecord,
    given: bool,
) -> Finding {
    let via = match lookup.cnames.last() {
        Some((_, target)) => format!(" It is reached through a CNAME to {target}."),
        None => String::new(),
    };
    let whose = if given {
        "your selector".to_owned()
    } else {
        match selector_user(selector) {
            Some(user) => format!("a selector used by {user}"),
            None => "a common selector".to_owned(),
        }
    };
    Finding::new(
        "dkim.selector_found",
        Severity::Pass,
        TOPIC,
        format!(
            "A DKIM key is published at selector {} ({whose}).",
            selector.as_str()
        ),
        format!(
            "Receivers can verify mail signed by {domain} with selector {}: {}.{via}",
            selector.as_str(),
            describe(key)
        ),
    )
    .evidence(lookup.evidence())
}

fn none_found(domain: &DomainName, tried: usize) -> Finding {
    Finding::new(
        "dkim.none_found",
        Severity::Warn,
        TOPIC,
        format!("No DKIM key was found for {domain} at the {tried} selectors tried."),
        "DKIM keys can only be found by their exact selector name, so yours may use a name \
         Mailwright did not try. Without DKIM, Gmail, Yahoo and Microsoft treat bulk mail as \
         unauthenticated.",
    )
    .fix("Enter the selector your mail provider gave you and run the audit again, or create a key in Mailwright's DKIM step.")
    .evidence([Evidence::new(format!("*._domainkey.{domain}"), "TXT", format!("no key at {tried} selectors"))])
}
