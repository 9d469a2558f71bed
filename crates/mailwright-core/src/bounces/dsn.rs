//! A bounce message read recipient by recipient: the delivery status notification (RFC 3464:
//! per recipient `Final-Recipient`, `Action`, `Status`, `Diagnostic-Code`, `Remote-MTA`), or,
//! when a server sends none, its text (Postfix's, Exim's, qmail's, Exchange's and Gmail's plain
//! bounces name the address and quote the reply). mail-parser takes the message apart.

use mail_parser::{MessageParser, MimeHeaders, PartType};

use super::catalog::BounceClass;
use super::explain::{BounceExplanation, Refusal, explain};

/// The most recipients read from one bounce.
pub const MAX_RECIPIENTS: usize = 1_000;

/// The largest bounce message read: 50 MiB (the original message attached can be large).
pub const MAX_BOUNCE_OCTETS: usize = 50 * 1024 * 1024;

/// Why a bounce could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BounceError {
    /// Not an email message.
    #[error(
        "This is not an email message. Open the bounce message itself (.eml), or paste the server's reply (such as “550 5.1.1 …”)."
    )]
    NotAMessage,
    /// Larger than what is read.
    #[error("The message is larger than the 50 MiB Mailwright reads.")]
    TooLarge,
    /// A suppression rule no one could mean.
    #[error(
        "The soft-bounce rule must count 1 to 100 soft bounces within 1 to 365 days; change the numbers."
    )]
    Rule,
    /// An address to release that is not suppressed.
    #[error(
        "{0} is not on the suppression list, so there is nothing to release; check the address."
    )]
    NotSuppressed(String),
}

impl crate::error::FeatureError for BounceError {
    fn code(&self) -> &'static str {
        match self {
            BounceError::NotAMessage => "not_a_message",
            BounceError::TooLarge => "message_too_large",
            BounceError::Rule => "suppression_rule",
            BounceError::NotSuppressed(_) => "not_suppressed",
        }
    }
}

/// Explains every recipient a bounce message names.
pub fn explain_bounce(raw: &[u8]) -> Result<Vec<BounceExplanation>, BounceError> {
    let read = read_bounce(raw)?;
    match read.unsubscribe_from {
        Some(who) => Ok(vec![BounceExplanation {
            recipient: Some(who.clone()),
            action: None,
            status: None,
            code: None,
            reply: None,
            remote_mta: None,
            class: BounceClass::Unknown,
            provider: None,
            meaning: format!("{who} asks to be taken off your list (an unsubscribe request by mail, RFC 2369)."),
            fix: "Stop mailing the address within two days: import this message in the Bounces step and it goes on the suppression list.".to_owned(),
            step: Some(crate::step::StepId::Bounces),
        }]),
        None => Ok(read.recipients),
    }
}

/// Explains what was pasted or opened: a bounce message when it is one, else one SMTP reply
/// (`550 5.7.26 …`).
pub fn explain_any(bytes: &[u8]) -> Vec<BounceExplanation> {
    explain_bounce(bytes).unwrap_or_else(|_| {
        vec![super::explain::explain_reply(&String::from_utf8_lossy(
            &bytes[..bytes.len().min(MAX_REPLY_INPUT)],
        ))]
    })
}

/// The most of a pasted reply read (a reply is a few lines; the explanation keeps less).
const MAX_REPLY_INPUT: usize = 64 * 1024;

/// A bounce message read: each recipient explained, and what places it among others.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ReadBounce {
    /// Every recipient the bounce names, explained (empty for an unsubscribe request).
    pub recipients: Vec<BounceExplanation>,
    /// The day it was sent (its `Date:`, in UTC).
    pub date: Option<jiff::civil::Date>,
    /// Its `Message-ID`, which tells one bounce from another.
    pub message_id: Option<String>,
    /// For an unsubscribe request mailed to the list address (`Subject: unsubscribe`, the
    /// `mailto:` of `List-Unsubscribe`, RFC 2369): who asked.
    pub unsubscribe_from: Option<String>,
}

/// Reads a bounce message: a feedback-loop report, a delivery status notification, an
/// unsubscribe request, or a server's plain-text bounce.
pub(crate) fn read_bounce(raw: &[u8]) -> Result<ReadBounce, BounceError> {
    if raw.len() > MAX_BOUNCE_OCTETS {
        return Err(BounceError::TooLarge);
    }
    let message = MessageParser::new()
        .parse(raw)
        .ok_or(BounceError::NotAMessage)?;
    if message.from().is_none() && message.subject().is_none() && message.content_type().is_none() {
        return Err(BounceError::NotAMessage);
    }
    let date = message.date().and_then(|d| {
        jiff::Timestamp::from_second(d.to_timestamp())
            .ok()
            .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date())
    });
    let message_id = message.message_id().map(str::to_owned);
    let mut read = ReadBounce {
        recipients: Vec::new(),
        date,
        message_id,
        unsubscribe_from: None,
    };
    if let Some(complaint) = feedback(raw, &message) {
        read.recipients.push(complaint);
        return Ok(read);
    }
    for part in &message.parts {
        let is_status = part.content_type().is_some_and(|ct| {
            ct.ctype().eq_ignore_ascii_case("message")
                && ct.subtype().is_some_and(|s| {
                    s.eq_ignore_ascii_case("delivery-status")
                        || s.eq_ignore_ascii_case("global-delivery-status")
                })
        });
        if !is_status {
            continue;
        }
        let text = match &part.body {
            PartType::Text(t) => t.to_string(),
            PartType::Binary(b) | PartType::InlineBinary(b) => {
                String::from_utf8_lossy(b).into_owned()
            }
            PartType::Message(m) => String::from_utf8_lossy(m.raw_message()).into_owned(),
            _ => continue,
        };
        let found = from_status_fields(&text);
        if !found.is_empty() {
            read.recipients = found;
            return Ok(read);
        }
    }
    let asks_to_unsubscribe = message
        .subject()
        .is_some_and(|s| s.trim().to_ascii_lowercase().starts_with("unsubscribe"));
    if asks_to_unsubscribe {
        read.unsubscribe_from = message
            .from()
            .and_then(|f| f.first())
            .and_then(|a| a.address())
            .map(str::to_owned);
        if read.unsubscribe_from.is_some() {
            return Ok(read);
        }
    }
    let text: String = message
        .parts
        .iter()
        .filter_map(|p| match &p.body {
            PartType::Text(t) => Some(t.to_string()),
            _ => None,
        })
        .take(4)
        .collect::<Vec<_>>()
        .join("\n");
    read.recipients = from_text(&text);
    Ok(read)
}

/// A feedback-loop report (ARF, RFC 5965, read with mail-auth): a complaint about one
/// recipient, or a failure report.
fn feedback(raw: &[u8], message: &mail_parser::Message<'_>) -> Option<BounceExplanation> {
    use mail_auth::report::{Feedback, FeedbackType};
    let is_arf = message.parts.iter().any(|p| {
        p.content_type().is_some_and(|ct| {
            ct.ctype().eq_ignore_ascii_case("message")
                && ct
                    .subtype()
                    .is_some_and(|s| s.eq_ignore_ascii_case("feedback-report"))
        })
    });
    if !is_arf {
        return None;
    }
    let report = Feedback::parse_rfc5322(raw).ok()?;
    // The reported recipient; many feedback loops leave `Original-Rcpt-To` out, and then the
    // complained-about message's own `To:` names it (unless the provider redacted it).
    let recipient = report
        .original_rcpt_to
        .as_deref()
        .map(|r| r.trim().trim_matches(['<', '>']).to_owned())
        .filter(|r| r.contains('@'))
        .or_else(|| {
            let original = report.message().or(report.headers())?;
            let parsed = MessageParser::new().parse_headers(original.as_bytes())?;
            let to = parsed.to()?;
            let mut addresses = to.iter().filter_map(|a| a.address());
            let only = addresses.next()?;
            (addresses.next().is_none() && !only.to_ascii_lowercase().contains("redacted"))
                .then(|| only.to_owned())
        })
        .filter(|r| r.contains('@'));
    let reporter = report
        .reporting_mta
        .as_deref()
        .map(str::to_owned)
        .or_else(|| {
            message
                .from()
                .and_then(|f| f.first())
                .and_then(|a| a.address())
                .map(str::to_owned)
        });
    let from = reporter.map(|r| format!(" from {r}")).unwrap_or_default();
    let (class, meaning, fix, step) = match report.feedback_type {
        FeedbackType::Abuse | FeedbackType::Fraud | FeedbackType::Virus => (
            BounceClass::Complaint,
            format!("A recipient marked your message as spam (a feedback-loop complaint{from})."),
            "Suppress the address at once and never mail it again; look at what that mail was and who asked for it.".to_owned(),
            Some(crate::step::StepId::Warmup),
        ),
        FeedbackType::AuthFailure => (
            BounceClass::Policy,
            format!("A receiver reports a message that failed authentication (a DMARC failure report{from})."),
            "Check which sender sent it: if it is yours, fix its SPF or DKIM; if not, it is spoofing, which an enforced DMARC policy stops.".to_owned(),
            Some(crate::step::StepId::Dmarc),
        ),
        _ => (
            BounceClass::Unknown,
            format!("A feedback report{from} that is not a complaint."),
            "Nothing to do for this address.".to_owned(),
            None,
        ),
    };
    Some(BounceExplanation {
        recipient,
        action: None,
        status: None,
        code: None,
        reply: None,
        remote_mta: None,
        class,
        provider: None,
        meaning,
        fix,
        step,
    })
}

/// One block of `Name: value` fields (continuation lines folded in), names in lower case.
fn fields(block: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in block.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(last) = out.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            out.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    out
}

/// The value after the type (`rfc822; a@b` → `a@b`).
fn typed(value: &str) -> String {
    value
        .split_once(';')
        .map_or(value, |(_, v)| v)
        .trim()
        .trim_matches(['<', '>'])
        .to_owned()
}

/// The recipients of the per-recipient blocks of a `message/delivery-status` part.
fn from_status_fields(text: &str) -> Vec<BounceExplanation> {
    let normalized = text.replace("\r\n", "\n");
    normalized
        .split("\n\n")
        .map(fields)
        .filter(|f| {
            f.iter()
                .any(|(n, _)| n == "final-recipient" || n == "original-recipient")
        })
        .take(MAX_RECIPIENTS)
        .map(|f| {
            let get = |name: &str| f.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
            let diagnostic = get("diagnostic-code").map(|d| typed(&d));
            explain(Refusal {
                recipient: get("final-recipient")
                    .or_else(|| get("original-recipient"))
                    .map(|r| typed(&r)),
                action: get("action").map(|a| a.to_ascii_lowercase()),
                status: get("status").map(|s| s.split_whitespace().next().unwrap_or("").to_owned()),
                reply: diagnostic.as_deref(),
                remote_mta: get("remote-mta").map(|r| typed(&r)),
            })
        })
        .collect()
}

/// An address-looking token: something@something.something, without brackets.
fn address_in(line: &str) -> Option<String> {
    line.split(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '(' | ')' | '"' | ',' | ';'))
        .map(|t| t.trim_end_matches([':', '.']))
        .find(|t| {
            t.split_once('@')
                .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.starts_with('.'))
        })
        .map(str::to_owned)
}

/// A line that quotes an SMTP refusal: a 4xx or 5xx code at its start, or after "said:".
/// What comes before a quoted reply in the servers' text bounces: Postfix's and qmail's
/// "said:", Exchange's "Remote Server returned '", Sendmail's "(reason:" and its transcript's
/// "<<<", and any ": " (Exim's "host mx [ip]: 550 …", Gmail's "returned was: 550 …").
const REPLY_MARKERS: [&str; 5] = ["said:", "returned '", "(reason:", "<<<", ": "];

/// Whether `text` starts with a reply code: a 4 or 5, two digits, then a space, a dash (more
/// lines) or, in Yahoo's bounces, a colon.
fn starts_with_reply(text: &str) -> bool {
    let head = text.as_bytes();
    head.len() >= 4
        && matches!(head[0], b'4' | b'5')
        && head[1].is_ascii_digit()
        && head[2].is_ascii_digit()
        && matches!(head[3], b' ' | b'-' | b':')
}

/// The reply quoted in a line of a text bounce, and what comes before it on the line.
fn refusal_in(line: &str) -> Option<(&str, &str)> {
    let trimmed = line.trim();
    let reply = |at: usize| trimmed[at..].trim().trim_end_matches(['\'', ')']);
    if starts_with_reply(trimmed) {
        return Some(("", reply(0)));
    }
    REPLY_MARKERS
        .iter()
        .flat_map(|m| trimmed.match_indices(m).map(move |(i, _)| (i, i + m.len())))
        .filter(|&(_, after)| starts_with_reply(trimmed[after..].trim_start()))
        .min_by_key(|&(at, _)| at)
        .map(|(at, after)| (&trimmed[..at], reply(after)))
}

/// Where the copy of the returned message starts in a text bounce: nothing after it is the
/// bounce's own words.
fn starts_the_returned_copy(line: &str) -> bool {
    let lower = line.trim().to_ascii_lowercase();
    (lower.starts_with("---") || lower.starts_with("==="))
        && [
            "original message",
            "copy of the message",
            "returned message",
            "undelivered message",
        ]
        .iter()
        .any(|m| lower.contains(m))
}

fn from_text(text: &str) -> Vec<BounceExplanation> {
    let mut out = Vec::new();
    let mut last_address: Option<String> = None;
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() && out.len() < MAX_RECIPIENTS {
        let line = lines[i];
        if starts_the_returned_copy(line) {
            break;
        }
        if let Some((before, reply)) = refusal_in(line) {
            // A reply may go on over the next indented lines.
            let mut words = reply.to_owned();
            while i + 1 < lines.len()
                && lines[i + 1].starts_with([' ', '\t'])
                && refusal_in(lines[i + 1]).is_none()
                && address_in(lines[i + 1]).is_none()
            {
                i += 1;
                words.push(' ');
                words.push_str(lines[i].trim());
            }
            // The recipient: named before the reply on its line (Postfix), else the address
            // line above it (qmail, Exim, Sendmail, Gmail), else one in the reply itself — a
            // reply may name the sender instead ("after MAIL FROM:<…>").
            let recipient = address_in(before)
                .or_else(|| last_address.clone())
                .or_else(|| address_in(reply));
            // Sendmail gives the reason and then the transcript: one per recipient.
            if recipient.is_some()
                && out
                    .iter()
                    .any(|e: &BounceExplanation| e.recipient == recipient)
            {
                i += 1;
                continue;
            }
            out.push(explain(Refusal {
                recipient,
                action: Some("failed".into()),
                status: None,
                reply: Some(&words),
                remote_mta: None,
            }));
        } else if let Some(address) = address_in(line) {
            last_address = Some(address);
        }
        i += 1;
    }
    if out.is_empty() {
        out.push(explain(Refusal {
            recipient: None,
            action: None,
            status: None,
            reply: None,
            remote_mta: None,
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Postfix's bounce (RFC 3464 DSN), as its `bounce` daemon writes it.
    const POSTFIX: &str = "From: MAILER-DAEMON@mail.example.com (Mail Delivery System)\r\nSubject: Undelivered Mail Returned to Sender\r\nTo: shop@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nI'm sorry to have to inform you that your message could not be delivered.\r\n\r\n<nobody@example.org>: host mx.example.org[192.0.2.9] said: 550 5.1.1\r\n    <nobody@example.org>: Recipient address rejected: User unknown (in reply to RCPT TO command)\r\n\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mail.example.com\r\nArrival-Date: Tue,  1 Dec 2026 10:00:00 +0000 (UTC)\r\n\r\nFinal-Recipient: rfc822; nobody@example.org\r\nOriginal-Recipient: rfc822;nobody@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\nRemote-MTA: dns; mx.example.org\r\nDiagnostic-Code: smtp; 550 5.1.1 <nobody@example.org>: Recipient address\r\n    rejected: User unknown\r\n\r\nFinal-Recipient: rfc822; full@example.org\r\nAction: delayed\r\nStatus: 4.2.2\r\nDiagnostic-Code: smtp; 452 4.2.2 Mailbox full\r\n\r\n--B--\r\n";

    #[test]
    fn reads_each_recipient_of_a_dsn() {
        let found = explain_bounce(POSTFIX.as_bytes()).unwrap();
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].recipient.as_deref(), Some("nobody@example.org"));
        assert_eq!(
            (found[0].class, found[0].status.as_deref()),
            (BounceClass::Hard, Some("5.1.1"))
        );
        assert_eq!(found[0].remote_mta.as_deref(), Some("mx.example.org"));
        assert!(
            found[0]
                .reply
                .as_deref()
                .unwrap()
                .contains("rejected: User unknown")
        );
        assert_eq!(
            (found[1].class, found[1].action.as_deref()),
            (BounceClass::Soft, Some("delayed"))
        );
    }

    #[test]
    fn reads_a_plain_text_bounce_without_a_dsn() {
        // qmail's form.
        let qmail = "From: MAILER-DAEMON@mail.example.com\nSubject: failure notice\n\nHi. This is the qmail-send program at mail.example.com.\nI'm afraid I wasn't able to deliver your message to the following addresses.\n\n<gone@example.net>:\n192.0.2.7 does not like recipient.\nRemote host said: 550 5.1.1 No such user\nGiving up on 192.0.2.7.\n";
        let found = explain_bounce(qmail.as_bytes()).unwrap();
        assert_eq!(found[0].recipient.as_deref(), Some("gone@example.net"));
        assert_eq!(found[0].class, BounceClass::Hard);
        // Exim's form.
        let exim = "From: Mail Delivery System <Mailer-Daemon@mail.example.com>\nSubject: Mail delivery failed: returning message to sender\n\nThis message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  someone@example.com\n    host mx.example.com [192.0.2.8]\n    SMTP error from remote mail server after end of data:\n    550 5.7.26 This mail has been blocked because the sender is unauthenticated.\n";
        let found = explain_bounce(exim.as_bytes()).unwrap();
        assert_eq!(found[0].recipient.as_deref(), Some("someone@example.com"));
        assert_eq!(found[0].class, BounceClass::Policy);
    }

    #[test]
    fn reads_the_text_bounces_of_yahoo_exchange_gmail_and_sendmail() {
        // Yahoo's (and AOL's) own bounce: "554: delivery error: dd …", no DSN.
        let yahoo = "From: MAILER-DAEMON@yahoo.com\nSubject: Failure Notice\n\nSorry, we were unable to deliver your message to the following address.\n\n<nobody@yahoo.com>:\n554: delivery error: dd This user doesn't have a yahoo.com account (nobody@yahoo.com) [0] - mta1234.mail.gq1.yahoo.com\n";
        let found = explain_bounce(yahoo.as_bytes()).unwrap();
        assert_eq!(found[0].recipient.as_deref(), Some("nobody@yahoo.com"));
        assert_eq!(found[0].class, BounceClass::Hard, "{found:?}");
        // Exchange / Microsoft 365's text form.
        let exchange = "From: postmaster@outlook.com\nSubject: Undeliverable: Our news\n\nDelivery has failed to these recipients or groups:\n\ngone@contoso.com\nThe email address you entered couldn't be found.\n\nDiagnostic information for administrators:\n\nGenerating server: BN8PR.prod.outlook.com\n\ngone@contoso.com\nRemote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'\n";
        let found = explain_bounce(exchange.as_bytes()).unwrap();
        assert_eq!(found[0].recipient.as_deref(), Some("gone@contoso.com"));
        assert_eq!(found[0].class, BounceClass::Hard, "{found:?}");
        assert_eq!(found[0].status.as_deref(), Some("5.1.10"));
        // Gmail's text part.
        let gmail = "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nSubject: Delivery Status Notification (Failure)\n\nAddress not found\n\nYour message wasn't delivered to nobody@example.org because the address couldn't be found.\n\nThe response from the remote server was:\n550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown\n";
        let found = explain_bounce(gmail.as_bytes()).unwrap();
        assert_eq!(found[0].recipient.as_deref(), Some("nobody@example.org"));
        assert_eq!(found[0].class, BounceClass::Hard);
        // Sendmail's transcript.
        let sendmail = "From: Mail Delivery Subsystem <MAILER-DAEMON@mail.example.com>\nSubject: Returned mail: see transcript for details\n\n   ----- The following addresses had permanent fatal errors -----\n<full@example.net>\n    (reason: 552 5.2.2 Mailbox full)\n\n   ----- Transcript of session follows -----\n... while talking to mx.example.net.:\n>>> DATA\n<<< 552 5.2.2 <full@example.net>... Mailbox full\n";
        let found = explain_bounce(sendmail.as_bytes()).unwrap();
        assert_eq!(found[0].recipient.as_deref(), Some("full@example.net"));
        assert_eq!(found[0].class, BounceClass::Soft, "{found:?}");
    }

    #[test]
    fn a_complaint_without_original_rcpt_to_names_the_original_message_s_recipient() {
        let arf = "From: staff@hotmail.com\r\nTo: fbl@shop.test\r\nSubject: complaint\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=feedback-report; boundary=\"F\"\r\n\r\n--F\r\nContent-Type: text/plain\r\n\r\nThis is an email abuse report.\r\n--F\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\nUser-Agent: Hotmail FBL\r\nVersion: 1\r\n\r\n--F\r\nContent-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\nFrom: news@shop.test\r\nTo: Reader <Reader@Hotmail.com>\r\nSubject: Our news\r\n\r\nHello.\r\n--F--\r\n";
        let found = explain_bounce(arf.as_bytes()).unwrap();
        assert_eq!(found[0].class, BounceClass::Complaint, "{found:?}");
        assert_eq!(found[0].recipient.as_deref(), Some("Reader@Hotmail.com"));
        // A redacted recipient names no one.
        let redacted = arf.replace("Reader <Reader@Hotmail.com>", "redacted@hotmail.com");
        let found = explain_bounce(redacted.as_bytes()).unwrap();
        assert_eq!(found[0].recipient, None);
    }

    #[test]
    fn text_that_is_not_a_message_gets_a_sentence() {
        assert_eq!(explain_bounce(b"just words"), Err(BounceError::NotAMessage));
        let unknown =
            explain_bounce(b"From: a@b.example\nSubject: hello\n\nNothing to see.\n").unwrap();
        assert_eq!(unknown[0].class, BounceClass::Unknown);
    }
}
