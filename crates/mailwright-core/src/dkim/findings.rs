//! What a published DKIM record says, as findings: shared by the domain audit and the
//! selector check.

use crate::dkim::{DkimKeyRecord, DkimRecordError, KeyType};
use crate::dns::Lookup;
use crate::domain::Selector;
use crate::finding::{Finding, Severity, Topic};
use crate::tags::{tag, tag_list};

const TOPIC: Topic = Topic::Dkim;

/// What one selector's lookup showed.
pub(crate) enum KeyState {
    /// A usable key.
    Published(DkimKeyRecord),
    /// `p=` empty: the key was revoked.
    Revoked,
    /// A DKIM record that cannot be used, and why.
    Unreadable(DkimRecordError),
    /// No DKIM record there.
    Absent,
}

/// Reads the first TXT record at the selector that looks like a DKIM key, with its text.
pub(crate) fn key_state(lookup: &Lookup) -> (KeyState, Option<String>) {
    let record = lookup.txt().into_iter().find(|t| {
        let tags = tag_list(t);
        tag(&tags, "v") == Some("DKIM1") || tag(&tags, "p").is_some()
    });
    let state = match record.as_deref().map(DkimKeyRecord::parse) {
        None => KeyState::Absent,
        Some(Ok(key)) if key.key_type.is_none() => KeyState::Revoked,
        Some(Ok(key)) => KeyState::Published(key),
        Some(Err(error)) => KeyState::Unreadable(error),
    };
    (state, record)
}

/// `dkim.revoked`: informational in an audit, a failure when the user means to sign with it.
pub(crate) fn revoked(selector: &Selector, lookup: &Lookup, severity: Severity) -> Finding {
    Finding::new(
        "dkim.revoked",
        severity,
        TOPIC,
        format!("The DKIM key at selector {} is revoked (empty p=).", selector.as_str()),
        "An empty p= tag says this key must no longer be trusted, as after a key rotation. Mail \
         still signed with it fails DKIM.",
    )
    .fix(format!(
        "Make sure nothing still signs with selector {}; remove the record once old mail has been delivered.",
        selector.as_str()
    ))
    .evidence(lookup.evidence())
}

/// `dkim.syntax`: the record cannot be used, naming the fault.
pub(crate) fn syntax(selector: &Selector, lookup: &Lookup, error: &DkimRecordError) -> Finding {
    Finding::new(
        "dkim.syntax",
        Severity::Fail,
        TOPIC,
        format!("The DKIM record at selector {} cannot be used: {error}.", selector.as_str()),
        "Receivers cannot verify signatures with a record they cannot parse, so mail signed with \
         this selector fails DKIM. Records are often cut off or garbled when pasted.",
    )
    .fix("Copy the DKIM record again from your provider (or Mailwright's DKIM step) and replace the published one.")
    .evidence(lookup.evidence())
}

/// `dkim.testing`: `t=y` makes receivers treat failures as unsigned mail.
pub(crate) fn testing(
    selector: &Selector,
    lookup: &Lookup,
    key: &DkimKeyRecord,
) -> Option<Finding> {
    key.testing.then(|| {
        Finding::new(
            "dkim.testing",
            Severity::Warn,
            TOPIC,
            format!(
                "The DKIM key at selector {} is marked as testing (t=y).",
                selector.as_str()
            ),
            "With t=y receivers treat mail whose signature fails as if it were unsigned, so a \
             broken setup goes unnoticed and DMARC gains nothing from DKIM failures being real.",
        )
        .fix("Once the DKIM proof passes, remove t=y from the record.")
        .evidence(lookup.evidence())
    })
}

/// RFC 8301 §3.2: signers MUST use at least 1024 bits and SHOULD use at least 2048.
pub(crate) fn weak_key(
    selector: &Selector,
    lookup: &Lookup,
    key: &DkimKeyRecord,
) -> Option<Finding> {
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

/// The key in words: "an RSA key of 2048 bits".
pub(crate) fn describe(key: &DkimKeyRecord) -> String {
    match key.key_type {
        Some(KeyType::Rsa { bits }) => format!("an RSA key of {bits} bits"),
        Some(KeyType::Ed25519) => {
            "an Ed25519 key (Gmail and Outlook verify only RSA, so keep an RSA key too)".to_owned()
        }
        None => "a revoked key".to_owned(),
    }
}

/// " It is reached through a CNAME to <target>." or nothing.
pub(crate) fn via_cname(lookup: &Lookup) -> String {
    match lookup.cnames.last() {
        Some((_, target)) => format!(" It is reached through a CNAME to {target}."),
        None => String::new(),
    }
}

/// The findings every published record gets: weak key, testing.
pub(crate) fn record_warnings(
    selector: &Selector,
    lookup: &Lookup,
    key: &DkimKeyRecord,
) -> Vec<Finding> {
    weak_key(selector, lookup, key)
        .into_iter()
        .chain(testing(selector, lookup, key))
        .collect()
}
