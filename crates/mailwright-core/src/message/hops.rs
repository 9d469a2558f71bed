//! The path of a message: its `Received` headers (RFC 5321 §4.4; read by mail-parser) as hops
//! from the first server to the last, each with its protocol, TLS and delay.

use std::net::IpAddr;

use mail_parser::{Host, Protocol, Received};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `Received` headers read at most (real paths have a handful; a hostile message thousands).
pub(crate) const MAX_HOPS: usize = 50;

/// One hop: a server that handed the message to the next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Hop {
    /// The sending server as it named itself or was named (`from`).
    pub from: Option<String>,
    /// The sending server's address, as the receiving one saw it.
    pub from_ip: Option<String>,
    /// The receiving server (`by`).
    pub by: Option<String>,
    /// The protocol (`with`): `ESMTPS` and `ESMTPSA` mean TLS, `ESMTPSA` also a sign-in.
    pub with: Option<String>,
    /// The TLS version, where the receiver wrote it.
    pub tls_version: Option<String>,
    /// The cipher, where the receiver wrote it.
    pub tls_cipher: Option<String>,
    /// Whether this hop was encrypted (by the protocol or the TLS details written).
    pub encrypted: bool,
    /// When the receiving server took the message (RFC 3339).
    pub time: Option<String>,
    /// Seconds since the previous hop, when both times are known.
    #[ts(type = "number | null")]
    pub delay_seconds: Option<i64>,
}

fn host(host: &Host<'_>) -> String {
    match host {
        Host::Name(name) => name.to_string(),
        Host::IpAddr(ip) => ip.to_string(),
    }
}

fn protocol(p: Protocol) -> (&'static str, bool) {
    match p {
        Protocol::SMTP => ("SMTP", false),
        Protocol::ESMTP => ("ESMTP", false),
        Protocol::ESMTPA => ("ESMTPA", false),
        Protocol::ESMTPS => ("ESMTPS", true),
        Protocol::ESMTPSA => ("ESMTPSA", true),
        Protocol::LMTP => ("LMTP", false),
        Protocol::LMTPA => ("LMTPA", false),
        Protocol::LMTPS => ("LMTPS", true),
        Protocol::LMTPSA => ("LMTPSA", true),
        Protocol::MMS => ("MMS", false),
        Protocol::UTF8SMTP => ("UTF8SMTP", false),
        Protocol::UTF8SMTPA => ("UTF8SMTPA", false),
        Protocol::UTF8SMTPS => ("UTF8SMTPS", true),
        Protocol::UTF8SMTPSA => ("UTF8SMTPSA", true),
        Protocol::UTF8LMTP => ("UTF8LMTP", false),
        Protocol::UTF8LMTPA => ("UTF8LMTPA", false),
        Protocol::UTF8LMTPS => ("UTF8LMTPS", true),
        Protocol::UTF8LMTPSA => ("UTF8LMTPSA", true),
        Protocol::HTTP => ("HTTP", false),
        Protocol::HTTPS => ("HTTPS", true),
        Protocol::IMAP => ("IMAP", false),
        Protocol::POP3 => ("POP3", false),
        Protocol::Local => ("local", false),
    }
}

/// The hops from the `Received` headers, newest first as written: returned oldest first.
pub(crate) fn hops<'a>(received: impl Iterator<Item = &'a Received<'a>>) -> Vec<Hop> {
    let mut hops: Vec<(Hop, Option<i64>)> = received
        .take(MAX_HOPS)
        .map(|r| {
            let (with, tls_by_protocol) = r.with.map(protocol).unzip();
            let tls_version = r.tls_version.map(|v| format!("{v:?}").replace('_', "."));
            let tls_cipher = r.tls_cipher.as_ref().map(|c| c.to_string());
            let encrypted = tls_by_protocol.unwrap_or(false) || tls_version.is_some();
            let stamp = r.date.as_ref().map(|d| d.to_timestamp());
            (
                Hop {
                    from: r.from.as_ref().or(r.helo.as_ref()).map(host),
                    from_ip: r.from_ip.map(|ip| ip.to_string()),
                    by: r.by.as_ref().map(host),
                    with: with.map(str::to_owned),
                    tls_version,
                    tls_cipher,
                    encrypted,
                    time: r.date.as_ref().map(|d| d.to_rfc3339()),
                    delay_seconds: None,
                },
                stamp,
            )
        })
        .collect();
    hops.reverse();
    let stamps: Vec<Option<i64>> = hops.iter().map(|(_, s)| *s).collect();
    for (i, (hop, _)) in hops.iter_mut().enumerate().skip(1) {
        if let (Some(before), Some(now)) = (stamps[i - 1], stamps[i]) {
            hop.delay_seconds = Some(now - before);
        }
    }
    hops.into_iter().map(|(hop, _)| hop).collect()
}

/// Whether an address belongs to a private network, loopback or link-local range: the inside
/// of an organization, not the Internet.
pub(crate) fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_private() || v4.is_loopback() || v4.is_link_local() || v4.is_unspecified()
        }
        IpAddr::V6(v6) => {
            v6.is_loopback()
                || v6.is_unspecified()
                || (v6.segments()[0] & 0xfe00) == 0xfc00
                || (v6.segments()[0] & 0xffc0) == 0xfe80
        }
    }
}

/// The address the receiving organization took the message from: the newest hop from an
/// Internet address (hops inside the receiver come from private ones), else the newest hop
/// with an address at all.
pub(crate) fn sending_ip(hops: &[Hop]) -> Option<IpAddr> {
    let ips: Vec<IpAddr> = hops
        .iter()
        .rev()
        .filter_map(|h| h.from_ip.as_deref()?.parse().ok())
        .collect();
    ips.iter()
        .find(|ip| !is_internal(**ip))
        .or(ips.first())
        .copied()
}
