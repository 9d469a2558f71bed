//! One SMTP dialogue over any stream (plain TCP, then TLS): commands and replies, each bounded
//! in time and size, every line recorded in the transcript as it passes.

use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};

use super::reply::{Reply, ReplyCut, ReplyError, read_reply};
use super::transcript::Transcript;

/// A dialogue in progress.
pub(crate) struct Session<S> {
    reader: BufReader<S>,
    encrypted: bool,
    limit: Duration,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Session<S> {
    /// Starts a dialogue on `stream`; `limit` bounds each reply and each write.
    pub fn new(stream: S, encrypted: bool, limit: Duration) -> Self {
        Session {
            reader: BufReader::new(stream),
            encrypted,
            limit,
        }
    }

    /// Reads one reply and records it.
    pub async fn reply(&mut self, transcript: &mut Transcript) -> Result<Reply, ReplyError> {
        let reply = read_reply(&mut self.reader, self.limit).await?;
        let count = reply.lines.len();
        for (i, text) in reply.lines.iter().enumerate() {
            let separator = if i + 1 == count && reply.cut.is_none() {
                ' '
            } else {
                '-'
            };
            transcript.server(&format!("{}{separator}{text}", reply.code), self.encrypted);
        }
        match reply.cut {
            Some(ReplyCut::LongLine) => transcript.note(format!(
                "The reply line was longer than {} octets; Mailwright cut it and stopped.",
                super::MAX_LINE_OCTETS
            )),
            Some(ReplyCut::TooManyLines) => transcript.note(format!(
                "The reply went on past {} lines; Mailwright cut it and stopped.",
                super::MAX_REPLY_LINES
            )),
            None => {}
        }
        Ok(reply)
    }

    /// Sends one line (CRLF added) and records it (redacted inside AUTH).
    pub async fn send(
        &mut self,
        line: &str,
        transcript: &mut Transcript,
    ) -> Result<(), ReplyError> {
        transcript.client(line, self.encrypted);
        // Inside AUTH this copy holds the credentials: wiped when dropped.
        let mut bytes = zeroize::Zeroizing::new(Vec::with_capacity(line.len() + 2));
        bytes.extend_from_slice(line.as_bytes());
        bytes.extend_from_slice(b"\r\n");
        let write = async {
            let stream = self.reader.get_mut();
            stream.write_all(&bytes).await?;
            stream.flush().await
        };
        match tokio::time::timeout(self.limit, write).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(ReplyError::Io(e.kind().to_string())),
            Err(_) => Err(ReplyError::Timeout(self.limit.as_secs().max(1))),
        }
    }

    /// Sends a command and reads its reply.
    pub async fn command(
        &mut self,
        line: &str,
        transcript: &mut Transcript,
    ) -> Result<Reply, ReplyError> {
        self.send(line, transcript).await?;
        self.reply(transcript).await
    }

    /// The stream back, for the TLS handshake; `Err` with the bytes' count when the server
    /// sent more than its reply (STARTTLS command injection, RFC 3207 §6 / CVE-2011-0411).
    pub fn into_stream(self) -> Result<S, usize> {
        match self.reader.buffer().len() {
            0 => Ok(self.reader.into_inner()),
            n => Err(n),
        }
    }
}
