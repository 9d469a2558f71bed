//! The optional test message: from the user's address to one they give, DKIM-signed with the key
//! from the DKIM step when there is one, and the server's reply with its queue id.

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncWrite};
use ts_rs::TS;

use super::reply::ReplyError;
use super::request_error::RequestError;
use super::session::Session;
use super::transcript::Transcript;
use crate::dkim::{DkimKeyPair, sign_message};
use crate::domain::{DomainName, Selector, parse_domain_input};

/// The key to sign the test message with.
#[derive(Clone, Debug)]
pub struct DkimSigning {
    /// The key pair.
    pub pair: DkimKeyPair,
    /// Its selector.
    pub selector: Selector,
    /// The `d=` domain.
    pub domain: DomainName,
}

/// A test message to send after signing in.
#[derive(Clone, Debug)]
pub struct TestMessage {
    /// The user's address (envelope and header From).
    pub from: String,
    /// Where to send it.
    pub to: String,
    /// The DKIM key, when the DKIM step made or imported one.
    pub dkim: Option<DkimSigning>,
}

impl TestMessage {
    /// A message from `from` to `to`, both checked.
    pub fn new(from: &str, to: &str, dkim: Option<DkimSigning>) -> Result<Self, RequestError> {
        Ok(TestMessage {
            from: address(from, "From address")?,
            to: address(to, "test recipient")?,
            dkim,
        })
    }
}

/// A plain `local@domain` address: no spaces, brackets or line breaks, and a real domain.
pub(crate) fn address(text: &str, field: &'static str) -> Result<String, RequestError> {
    let text = text.trim();
    let bad = || RequestError::Address {
        field,
        value: text.to_owned(),
    };
    let (local, domain) = text.rsplit_once('@').ok_or_else(bad)?;
    if local.is_empty()
        || local.len() > 64
        || local
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\\\"@".contains(c))
        || parse_domain_input(domain).is_err()
        || domain.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(bad());
    }
    Ok(text.to_owned())
}

/// What the server said to the test message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MessageOutcome {
    /// Whether it was accepted for delivery.
    pub accepted: bool,
    /// The server's final reply.
    pub reply: String,
    /// The queue id from the reply, when it gives one.
    pub queue_id: Option<String>,
    /// Whether it carried a DKIM signature.
    pub dkim_signed: bool,
    /// The recipient.
    pub to: String,
}

/// Sends `message` on a signed-in session.
pub(crate) async fn send_message<S: AsyncRead + AsyncWrite + Unpin>(
    session: &mut Session<S>,
    transcript: &mut Transcript,
    message: &TestMessage,
) -> Result<MessageOutcome, ReplyError> {
    let refused = |reply: &super::Reply| MessageOutcome {
        accepted: false,
        reply: format!("{} {}", reply.code, reply.lines.join(" ")),
        queue_id: None,
        dkim_signed: message.dkim.is_some(),
        to: message.to.clone(),
    };
    for command in [
        format!("MAIL FROM:<{}>", message.from),
        format!("RCPT TO:<{}>", message.to),
    ] {
        let reply = session.command(&command, transcript).await?;
        if reply.code / 100 != 2 {
            return Ok(refused(&reply));
        }
    }
    let reply = session.command("DATA", transcript).await?;
    if reply.code != 354 {
        return Ok(refused(&reply));
    }
    let (text, dkim_signed) = compose(message);
    for line in text.trim_end_matches("\r\n").split("\r\n") {
        // Dot-stuffing (RFC 5321 §4.5.2).
        let stuffed = if line.starts_with('.') {
            format!(".{line}")
        } else {
            line.to_owned()
        };
        session.send(&stuffed, transcript).await?;
    }
    let reply = session.command(".", transcript).await?;
    let text = reply.lines.join(" ");
    Ok(MessageOutcome {
        accepted: reply.code / 100 == 2,
        queue_id: queue_id(&text),
        reply: format!("{} {text}", reply.code),
        dkim_signed,
        to: message.to.clone(),
    })
}

/// The message text, signed when a key is there (unsigned when signing fails).
fn compose(message: &TestMessage) -> (String, bool) {
    let now = crate::clock::now().to_zoned(jiff::tz::TimeZone::UTC);
    let date = jiff::fmt::rfc2822::to_string(&now).unwrap_or_default();
    let domain = message
        .from
        .rsplit_once('@')
        .map(|(_, d)| d)
        .unwrap_or("invalid");
    let mut id = [0u8; 8];
    let _ = getrandom::fill(&mut id);
    let id: String = id.iter().map(|b| format!("{b:02x}")).collect();
    let text = format!(
        "From: <{from}>\r\n\
         To: <{to}>\r\n\
         Subject: Mailwright test message\r\n\
         Date: {date}\r\n\
         Message-ID: <mailwright-test.{id}@{domain}>\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\
         \r\n\
         This test message was sent by Mailwright to check that your mail server\r\n\
         accepts mail after signing in. You can delete it.\r\n",
        from = message.from,
        to = message.to,
    );
    match &message.dkim {
        Some(key) => match sign_message(&key.pair, &key.selector, &key.domain, &text) {
            Ok(signed) => (signed, true),
            Err(_) => (text, false),
        },
        None => (text, false),
    }
}

/// The queue id in a 250 reply: Postfix's `queued as X`, or the `id=X` others use.
fn queue_id(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .windows(3)
        .find(|w| w[0].eq_ignore_ascii_case("queued") && w[1].eq_ignore_ascii_case("as"))
        .map(|w| w[2])
        .or_else(|| words.iter().find_map(|w| w.strip_prefix("id=")))
        .map(|id| {
            id.trim_matches(|c: char| !c.is_ascii_alphanumeric())
                .to_owned()
        })
        .filter(|id| !id.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_ids_and_addresses() {
        assert_eq!(
            queue_id("2.0.0 Ok: queued as 4ZkQ2x0Hf3z9").as_deref(),
            Some("4ZkQ2x0Hf3z9")
        );
        assert_eq!(queue_id("Ok id=1abc-00xyz").as_deref(), Some("1abc-00xyz"));
        assert_eq!(queue_id("2.0.0 OK"), None);
        assert!(TestMessage::new("me@example.com", "you@example.net", None).is_ok());
        for bad in [
            "no-at",
            "a b@example.com",
            "x@",
            "x@bad..domain",
            "x@example.com\r\nRCPT",
        ] {
            assert!(
                TestMessage::new(bad, "you@example.net", None).is_err(),
                "{bad}"
            );
        }
    }
}
