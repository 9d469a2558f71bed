//! The session transcript, swaks-style: every line in both directions with a direction marker.
//! AUTH payloads are redacted as they are recorded, so a password never reaches a transcript.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Who a line is from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Direction {
    /// Mailwright to the server.
    Client,
    /// The server to Mailwright.
    Server,
    /// What Mailwright did (connect, TLS handshake).
    Note,
}

/// One line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TranscriptLine {
    /// Who sent it.
    pub direction: Direction,
    /// Whether it travelled inside TLS.
    pub encrypted: bool,
    /// The text (redacted where needed).
    pub text: String,
}

/// What was redacted in place of a secret.
pub const REDACTED: &str = "[redacted]";

/// A transcript being recorded.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Transcript {
    /// The lines in order.
    pub lines: Vec<TranscriptLine>,
    /// Inside an AUTH exchange: client lines are credentials until the server's final reply.
    #[serde(skip)]
    in_auth: bool,
}

impl Transcript {
    /// Records a line Mailwright sent, redacting AUTH initial responses and continuation lines.
    pub fn client(&mut self, text: &str, encrypted: bool) {
        // Inside AUTH this copy holds the credentials: wiped when dropped.
        let upper = zeroize::Zeroizing::new(text.to_ascii_uppercase());
        let shown = if self.in_auth {
            REDACTED.to_owned()
        } else if let Some(rest) = upper.strip_prefix("AUTH ") {
            self.in_auth = true;
            let mut words = rest.split_whitespace();
            let mechanism = words.next().unwrap_or_default();
            match words.next() {
                Some(_) => format!("AUTH {mechanism} {REDACTED}"),
                None => format!("AUTH {mechanism}"),
            }
        } else {
            text.to_owned()
        };
        self.push(Direction::Client, encrypted, shown);
    }

    /// Records a reply line from the server; any non-334 code ends an AUTH exchange.
    pub fn server(&mut self, text: &str, encrypted: bool) {
        if self.in_auth && !text.starts_with("334") {
            self.in_auth = false;
        }
        self.push(Direction::Server, encrypted, text.to_owned());
    }

    /// Records what Mailwright did.
    pub fn note(&mut self, text: impl Into<String>) {
        self.push(Direction::Note, false, text.into());
    }

    fn push(&mut self, direction: Direction, encrypted: bool, text: String) {
        self.lines.push(TranscriptLine {
            direction,
            encrypted,
            text,
        });
    }

    /// The transcript as text: `->`/`<-` in the clear, `~>`/`<~` inside TLS, `===` for notes.
    pub fn render(&self) -> String {
        self.lines
            .iter()
            .map(|line| {
                let marker = match (line.direction, line.encrypted) {
                    (Direction::Client, false) => " ->",
                    (Direction::Client, true) => " ~>",
                    (Direction::Server, false) => "<- ",
                    (Direction::Server, true) => "<~ ",
                    (Direction::Note, _) => "===",
                };
                format!("{marker} {}\n", line.text)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_payloads_never_reach_the_transcript() {
        let mut t = Transcript::default();
        t.note("Connected to 127.0.0.1:587");
        t.server("220 mail.example.com ESMTP", false);
        t.client("EHLO mailwright.invalid", false);
        t.client("AUTH PLAIN AHVzZXIAc2VjcmV0", true);
        t.server("235 2.7.0 Authentication successful", true);
        t.client("AUTH LOGIN", true);
        t.server("334 VXNlcm5hbWU6", true);
        t.client("dXNlcg==", true);
        t.server("334 UGFzc3dvcmQ6", true);
        t.client("c2VjcmV0", true);
        t.server("535 5.7.8 Authentication credentials invalid", true);
        t.client("QUIT", true);
        let text = t.render();
        for secret in ["AHVzZXIAc2VjcmV0", "dXNlcg==", "c2VjcmV0"] {
            assert!(!text.contains(secret), "{secret} in:\n{text}");
        }
        assert!(text.contains(" ~> AUTH PLAIN [redacted]"));
        assert!(text.contains(" ~> QUIT"), "the exchange ended at 535");
        assert!(text.contains("<-  220 mail.example.com ESMTP"));
        assert!(text.starts_with("=== Connected"));
    }
}
