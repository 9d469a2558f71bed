//! DKIM: keys published at the user's selectors and at a catalog of common ones, following
//! CNAMEs to providers.

use crate::dns::RecordType;
use futures::future::join_all;

use crate::catalog::selector_user;
use crate::dkim::DkimKeyRecord;
use crate::dkim::findings::{
    KeyState, describe, key_state, record_warnings, revoked, syntax, via_cname,
};
use crate::dns::lookup_failed;
use crate::dns::{DnsClient, Lookup};
use crate::domain::{DomainName, Selector};
use crate::finding::{Evidence, Finding, Severity, Topic};

const TOPIC: Topic = Topic::Dkim;

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
        match key_state(lookup).0 {
            KeyState::Published(key) => {
                found_any = true;
                findings.push(found(domain, selector, lookup, &key, given));
                findings.extend(record_warnings(selector, lookup, &key));
            }
            KeyState::Revoked => {
                found_any = true;
                findings.push(revoked(selector, lookup, Severity::Info));
            }
            KeyState::Unreadable(error) => {
                found_any = true;
                findings.push(syntax(selector, lookup, &error));
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
    key: &DkimKeyRecord,
    given: bool,
) -> Finding {
    let via = via_cname(lookup);
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
    .evidence([Evidence::outcome(format!("*._domainkey.{domain}"), "TXT", format!("no key at {tried} selectors"))])
}
