//! From a bounce read (or a CSV row) to the events stored: one per recipient that was not
//! delivered, with its kind, its permanence and its day. A delivery report (`Action:
//! delivered`, `relayed`, `expanded`) is not a failure and is left out; `delayed` is a
//! deferral, not a bounce.

use super::catalog::BounceClass;
use super::dsn::ReadBounce;
use super::explain::BounceExplanation;
use crate::reports::BounceRow;
use crate::warmup::Provider;

/// The stored word for a class.
pub(crate) fn kind_of(class: BounceClass) -> &'static str {
    match class {
        BounceClass::Hard => "hard",
        BounceClass::Soft => "soft",
        BounceClass::Policy => "policy",
        BounceClass::Reputation => "reputation",
        BounceClass::Rate => "rate",
        BounceClass::Complaint => "complaint",
        BounceClass::Unknown => "unknown",
    }
}

/// A stable key for what has no `Message-ID`: a SHA-256 digest of its bytes.
pub(crate) fn digest_key(prefix: &str, bytes: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    let hex: String = digest
        .as_ref()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{prefix}:{hex}")
}

/// The events of one bounce message; `raw` keys a message without a `Message-ID`, `day`
/// (days since 1970-01-01) is used when it has no date.
pub(crate) fn message_events(
    read: &ReadBounce,
    raw: &[u8],
    origin: &str,
    day: i64,
) -> Vec<BounceRow> {
    let key = read
        .message_id
        .as_deref()
        .map(|id| format!("mid:{id}"))
        .unwrap_or_else(|| digest_key("sha", raw));
    let day = read.date.map(date_day).unwrap_or(day);
    if let Some(who) = &read.unsubscribe_from {
        return vec![plain_event(
            key,
            who.to_ascii_lowercase(),
            "unsubscribed",
            day,
            origin,
        )];
    }
    let mut rows: Vec<BounceRow> = read
        .recipients
        .iter()
        .filter_map(|e| event(e, &key, day, origin))
        .collect();
    // One event per message and address: a DSN naming a recipient twice keeps the first.
    let mut seen = std::collections::HashSet::new();
    rows.retain(|r| seen.insert(r.address.clone()));
    rows
}

/// An event that is not a refusal (a complaint, an unsubscribe request): permanent, no reply.
pub(crate) fn plain_event(
    key: String,
    address: String,
    kind: &str,
    day: i64,
    origin: &str,
) -> BounceRow {
    BounceRow {
        message_key: key,
        address,
        kind: kind.to_owned(),
        permanent: true,
        status: None,
        provider: None,
        reply: None,
        day,
        origin: origin.to_owned(),
    }
}

/// One recipient's event, or `None` when it was delivered.
pub(crate) fn event(e: &BounceExplanation, key: &str, day: i64, origin: &str) -> Option<BounceRow> {
    let action = e.action.as_deref().unwrap_or("failed");
    if matches!(action, "delivered" | "relayed" | "expanded") {
        return None;
    }
    let address = e
        .recipient
        .as_deref()
        .map(|r| r.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let permanent = e
        .status
        .as_deref()
        .map_or_else(|| e.code.is_some_and(|c| c >= 500), |s| s.starts_with('5'));
    let kind = if action == "delayed" {
        "delayed"
    } else {
        kind_of(e.class)
    };
    let provider = address
        .rsplit_once('@')
        .map(|(_, domain)| Provider::of_domain(domain).label().to_owned())
        .or_else(|| e.provider.clone());
    Some(BounceRow {
        message_key: key.to_owned(),
        address,
        kind: kind.to_owned(),
        permanent: permanent && kind != "delayed",
        status: e.status.clone(),
        provider,
        reply: e.reply.clone(),
        day,
        origin: origin.to_owned(),
    })
}

/// Days since 1970-01-01 of a UTC date.
pub(crate) fn date_day(date: jiff::civil::Date) -> i64 {
    date.to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| {
            z.timestamp()
                .as_second()
                .div_euclid(crate::reports::DAY_SECONDS)
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::super::dsn::read_bounce;
    use super::*;

    #[test]
    fn a_dsn_gives_one_event_per_failed_recipient_and_a_delay_is_a_deferral() {
        let raw = b"From: MAILER-DAEMON@mail.example.com\r\nDate: Tue, 1 Dec 2026 10:00:00 +0000\r\nMessage-ID: <b1@mail.example.com>\r\nSubject: Undelivered Mail\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nSorry.\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mail.example.com\r\n\r\nFinal-Recipient: rfc822; Nobody@Gmail.com\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 The email account that you tried to reach does not exist.\r\n\r\nFinal-Recipient: rfc822; late@example.org\r\nAction: delayed\r\nStatus: 4.4.1\r\n\r\nFinal-Recipient: rfc822; fine@example.org\r\nAction: delivered\r\nStatus: 2.0.0\r\n\r\n--B--\r\n";
        let read = read_bounce(raw).unwrap();
        let rows = message_events(&read, raw, "b.eml", 0);
        let got: Vec<_> = rows
            .iter()
            .map(|r| {
                (
                    r.address.as_str(),
                    r.kind.as_str(),
                    r.permanent,
                    r.provider.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("nobody@gmail.com", "hard", true, Some("Gmail")),
                ("late@example.org", "delayed", false, Some("Others")),
            ]
        );
        assert!(
            rows.iter()
                .all(|r| r.message_key == "mid:b1@mail.example.com")
        );
        assert_eq!(crate::reports::day_to_date(rows[0].day), "2026-12-01");
    }

    #[test]
    fn an_unsubscribe_request_is_an_event_for_its_sender() {
        let raw = b"From: Ann <Ann@Example.org>\r\nTo: list-unsubscribe@shop.example\r\nSubject: unsubscribe\r\n\r\n\r\n";
        let read = read_bounce(raw).unwrap();
        let rows = message_events(&read, raw, "u.eml", 20_000);
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (rows[0].address.as_str(), rows[0].kind.as_str(), rows[0].day),
            ("ann@example.org", "unsubscribed", 20_000)
        );
        assert!(rows[0].message_key.starts_with("sha:"));
    }
}
