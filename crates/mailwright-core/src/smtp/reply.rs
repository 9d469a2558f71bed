//! Reading one SMTP reply (RFC 5321 §4.2) with bounds: a time limit for the whole reply, lines
//! cut at 1,000 octets and replies cut at 100 lines, so a hostile or broken server can neither
//! hang the probe nor grow its memory.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use thiserror::Error;
use tokio::io::{AsyncBufRead, AsyncBufReadExt};
use ts_rs::TS;

/// Longest reply line kept, in octets (RFC 5321 §4.5.3.1.5 allows 512; servers send more).
pub const MAX_LINE_OCTETS: usize = 1000;
/// Most lines kept in one multiline reply.
pub const MAX_REPLY_LINES: usize = 100;

/// Why a reply was cut short; the session cannot go on after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReplyCut {
    /// A line longer than [`MAX_LINE_OCTETS`].
    LongLine,
    /// More than [`MAX_REPLY_LINES`] lines.
    TooManyLines,
}

/// One reply: the code and each line's text after it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Reply {
    /// The three-digit code.
    pub code: u16,
    /// The text of each line, without the code and separator.
    pub lines: Vec<String>,
    /// Set when the reply was cut.
    pub cut: Option<ReplyCut>,
}

impl Reply {
    /// The enhanced status code (RFC 3463) at the start of the first line, such as `5.7.8`.
    pub fn enhanced(&self) -> Option<&str> {
        let first = self.lines.first()?.split_whitespace().next()?;
        let parts: Vec<&str> = first.split('.').collect();
        let valid = parts.len() == 3
            && ["2", "4", "5"].contains(&parts[0])
            && parts[1..]
                .iter()
                .all(|p| !p.is_empty() && p.len() <= 3 && p.chars().all(|c| c.is_ascii_digit()));
        valid.then_some(first)
    }
}

/// Why no reply could be read.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ReplyError {
    /// Nothing complete arrived in time.
    #[error("the server did not answer within {0} seconds")]
    Timeout(u64),
    /// The server closed the connection.
    #[error("the server closed the connection")]
    Closed,
    /// The bytes were not an SMTP reply.
    #[error("the server sent something that is not an SMTP reply: “{0}”")]
    Garbage(String),
    /// Reading failed.
    #[error("reading from the server failed ({0})")]
    Io(String),
}

/// Reads one reply within `limit`.
pub async fn read_reply<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    limit: Duration,
) -> Result<Reply, ReplyError> {
    match tokio::time::timeout(limit, read(reader)).await {
        Ok(result) => result,
        Err(_) => Err(ReplyError::Timeout(limit.as_secs().max(1))),
    }
}

async fn read<R: AsyncBufRead + Unpin>(reader: &mut R) -> Result<Reply, ReplyError> {
    let mut code = None;
    let mut lines = Vec::new();
    loop {
        let (line, long) = read_line(reader).await?;
        let (this_code, last, text) = parse_line(&line)?;
        if *code.get_or_insert(this_code) != this_code {
            return Err(ReplyError::Garbage(printable(&line)));
        }
        lines.push(text);
        let cut = if long {
            Some(ReplyCut::LongLine)
        } else if !last && lines.len() >= MAX_REPLY_LINES {
            Some(ReplyCut::TooManyLines)
        } else {
            None
        };
        if last || cut.is_some() {
            return Ok(Reply {
                code: this_code,
                lines,
                cut,
            });
        }
    }
}

/// One line without its CRLF, at most [`MAX_LINE_OCTETS`] kept; the rest of a long line is
/// read and dropped. Returns whether it was cut.
async fn read_line<R: AsyncBufRead + Unpin>(reader: &mut R) -> Result<(Vec<u8>, bool), ReplyError> {
    let mut line = Vec::new();
    let mut long = false;
    loop {
        let available = reader
            .fill_buf()
            .await
            .map_err(|e| ReplyError::Io(e.kind().to_string()))?;
        if available.is_empty() {
            return Err(ReplyError::Closed);
        }
        let (chunk, done) = match available.iter().position(|b| *b == b'\n') {
            Some(end) => (&available[..end], end + 1),
            None => (available, available.len()),
        };
        let room = MAX_LINE_OCTETS.saturating_sub(line.len());
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        long |= chunk.len() > room;
        let finished = done > chunk.len();
        reader.consume(done);
        if finished {
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            return Ok((line, long));
        }
    }
}

fn parse_line(line: &[u8]) -> Result<(u16, bool, String), ReplyError> {
    let garbage = || ReplyError::Garbage(printable(line));
    if line.len() < 3
        || !line[..3].iter().all(u8::is_ascii_digit)
        || !(b'2'..=b'5').contains(&line[0])
    {
        return Err(garbage());
    }
    let code = std::str::from_utf8(&line[..3])
        .map_err(|_| garbage())?
        .parse()
        .map_err(|_| garbage())?;
    let (last, text) = match line.get(3) {
        None => (true, &line[3..]),
        Some(b' ') => (true, &line[4..]),
        Some(b'-') => (false, &line[4..]),
        Some(_) => return Err(garbage()),
    };
    Ok((code, last, String::from_utf8_lossy(text).into_owned()))
}

/// At most 80 characters of `bytes`, control characters shown as `?`.
fn printable(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .chars()
        .take(80)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::BufReader;

    async fn reply(bytes: &[u8]) -> Result<Reply, ReplyError> {
        let mut reader = BufReader::new(bytes);
        read_reply(&mut reader, Duration::from_secs(1)).await
    }

    #[tokio::test]
    async fn reads_single_and_multiline_replies_with_enhanced_codes() {
        let r = reply(b"535 5.7.8 Authentication credentials invalid\r\n")
            .await
            .unwrap();
        assert_eq!((r.code, r.enhanced()), (535, Some("5.7.8")));
        let r = reply(b"250-mail.example.com\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n")
            .await
            .unwrap();
        assert_eq!(
            r.lines,
            ["mail.example.com", "STARTTLS", "AUTH PLAIN LOGIN"]
        );
        assert_eq!(r.cut, None);
        assert_eq!(reply(b"220 ready\r\n").await.unwrap().enhanced(), None);
    }

    #[tokio::test]
    async fn long_lines_and_endless_replies_are_cut() {
        let mut huge = b"250 ".to_vec();
        huge.extend(std::iter::repeat_n(b'x', 1_000_000));
        huge.extend_from_slice(b"\r\n");
        let r = reply(&huge).await.unwrap();
        assert_eq!(r.cut, Some(ReplyCut::LongLine));
        assert_eq!(r.lines[0].len(), MAX_LINE_OCTETS - 4);
        let endless: Vec<u8> = std::iter::repeat_n(&b"250-more\r\n"[..], 10_000)
            .flatten()
            .copied()
            .collect();
        let r = reply(&endless).await.unwrap();
        assert_eq!(
            (r.cut, r.lines.len()),
            (Some(ReplyCut::TooManyLines), MAX_REPLY_LINES)
        );
    }

    #[tokio::test]
    async fn garbage_closed_and_silent_servers_are_errors() {
        assert!(matches!(
            reply(b"\x16\x03\x01garbage\r\n").await,
            Err(ReplyError::Garbage(_))
        ));
        assert!(matches!(
            reply(b"250-one\r\n251 two\r\n").await,
            Err(ReplyError::Garbage(_))
        ));
        assert_eq!(reply(b"220 half").await, Err(ReplyError::Closed));
        let (client, _server) = tokio::io::duplex(64);
        let mut reader = BufReader::new(client);
        let started = std::time::Instant::now();
        let result = read_reply(&mut reader, Duration::from_millis(200)).await;
        assert!(matches!(result, Err(ReplyError::Timeout(_))));
        assert!(started.elapsed() < Duration::from_secs(1));
    }
}
