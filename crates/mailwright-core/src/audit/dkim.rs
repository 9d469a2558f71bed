//! DKIM: keys published at the user's selectors and at a catalog of common ones, following
//! CNAMEs to providers.

use futures::future::join_all;
use hickory_proto::rr::RecordType;
use mail_auth::common::parse::TxtRecordParser;
use mail_auth::common::verify::DomainKey;

use super::failure::lookup_failed;
use crate::catalog::selector_user;
use crate::dns::{DnsClient, Lookup};
use crate::domain::{DomainName, Selector};
use crate::finding::{Evidence, Finding, Severity, Topic};
use crate::tags::{tag, tag_list};

const TOPIC: Topic = Topic::Dkim;

/// What one selector's lookup showed.
enum KeyState {
    /// A usable key; `k=` type.
    Published(String),
    /// `p=` empty: the key was revoked.
    Revoked,
    /// A DKIM record mail-auth cannot read.
    Unreadable(String),
    /// No DKIM record there.
    Absent,
}

fn key_state(lookup: &Lookup) -> (KeyState, Option<String>) {
    let record = lookup.txt().into_iter().find(|t| {
        let tags = tag_list(t);
        tag(&tags, "v") == Some("DKIM1") || tag(&tags, "p").is_some()
    });
    let Some(record) = record else {
        return (KeyState::Absent, None);
    };
    let tags = tag_list(&record);
    let state = if tag(&tags, "p").is_some_and(str::is_empty) {
        KeyState::Revoked
    } else {
        match DomainKey::parse(record.as_bytes()) {
            Ok(_) => KeyState::Published(tag(&tags, "k").unwrap_or("rsa").to_owned()),
            Err(error) => KeyState::Unreadable(error.to_string()),
        }
    };
    (state, Some(record))
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
        let (state, _) = key_state(lookup);
        match state {
            KeyState::Published(kind) => {
                found_any = true;
                findings.push(found(domain, selector, lookup, &kind, given));
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
                        format!("The DKIM record at selector {} cannot be read ({error}).", selector.as_str()),
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

fn found(
    domain: &DomainName,
    selector: &Selector,
    lookup: &Lookup,
    kind: &str,
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
            "Receivers can verify mail signed by {domain} with selector {} ({} key).{via}",
            selector.as_str(),
            kind.to_ascii_uppercase()
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
