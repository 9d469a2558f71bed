//! An mbox file split one message at a time (mboxrd: a line `>From ` loses one `>`), each
//! message under a size cap, so a mailbox of any size is read in bounded memory.
//!
//! Written here rather than with mail-parser's mbox reader because that one holds a message
//! and a line of any length in memory.

use std::io::{BufRead, Read};

/// The longest line read from an mbox file before it is cut.
const MAX_LINE: u64 = 1024 * 1024;

/// One message found in an mbox file.
#[derive(Debug, PartialEq, Eq)]
pub enum MboxItem<'a> {
    /// The message's bytes (numbered from 1).
    Message {
        /// Its place in the file.
        number: usize,
        /// The message, unquoted.
        bytes: &'a [u8],
    },
    /// A message larger than the cap: skipped.
    TooBig {
        /// Its place in the file.
        number: usize,
    },
}

/// How a split ended.
#[derive(Debug, PartialEq, Eq)]
pub struct MboxEnd {
    /// How many messages were handed out (skipped ones included).
    pub messages: usize,
    /// Whether the receiver asked to stop.
    pub stopped: bool,
}

/// The file could not be read past message `after`.
#[derive(Debug)]
pub struct MboxReadError {
    /// The last message read whole.
    pub after: usize,
    /// What the system said.
    pub error: std::io::Error,
}

/// Splits an mbox file, handing each message (or each skipped one) to `out`, which answers
/// false to stop.
pub fn split_mbox(
    mut reader: impl BufRead,
    max_message: u64,
    out: &mut dyn FnMut(MboxItem<'_>) -> bool,
) -> Result<MboxEnd, MboxReadError> {
    let mut number = 0usize;
    let mut message: Vec<u8> = Vec::new();
    let mut too_big = false;
    let mut line = Vec::new();
    let mut started = false;
    loop {
        line.clear();
        let done = match (&mut reader).take(MAX_LINE).read_until(b'\n', &mut line) {
            Ok(0) => true,
            Ok(_) => false,
            Err(error) => {
                return Err(MboxReadError {
                    after: number,
                    error,
                });
            }
        };
        if done || line.starts_with(b"From ") {
            if started {
                let item = if too_big {
                    MboxItem::TooBig { number }
                } else {
                    MboxItem::Message {
                        number,
                        bytes: &message,
                    }
                };
                if !out(item) {
                    return Ok(MboxEnd {
                        messages: number,
                        stopped: true,
                    });
                }
            }
            if done {
                return Ok(MboxEnd {
                    messages: number,
                    stopped: false,
                });
            }
            started = true;
            number += 1;
            message.clear();
            too_big = false;
            continue;
        }
        if !started || too_big {
            continue;
        }
        let unquoted = match line.iter().position(|&b| b != b'>') {
            Some(i) if i > 0 && line[i..].starts_with(b"From ") => &line[1..],
            _ => &line[..],
        };
        if (message.len() + unquoted.len()) as u64 > max_message {
            too_big = true;
            message = Vec::new();
            continue;
        }
        message.extend_from_slice(unquoted);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &[u8], cap: u64) -> (Vec<String>, MboxEnd) {
        let mut found = Vec::new();
        let end = split_mbox(text, cap, &mut |item| {
            found.push(match item {
                MboxItem::Message { number, bytes } => {
                    format!("{number}:{}", String::from_utf8_lossy(bytes))
                }
                MboxItem::TooBig { number } => format!("{number}:too big"),
            });
            true
        })
        .unwrap();
        (found, end)
    }

    #[test]
    fn messages_are_split_and_unquoted() {
        let (found, end) = split(
            b"From a@b Mon Jan 1 00:00:00 2026\nSubject: one\n\n>From here\n>>From there\nFrom b@c Mon Jan 1 00:00:00 2026\nSubject: two\n\nbody\n",
            1024,
        );
        assert_eq!(
            found,
            [
                "1:Subject: one\n\nFrom here\n>From there\n",
                "2:Subject: two\n\nbody\n"
            ]
        );
        assert_eq!(
            end,
            MboxEnd {
                messages: 2,
                stopped: false
            }
        );
    }

    #[test]
    fn a_message_over_the_cap_is_skipped_and_the_rest_go_on() {
        let (found, _) = split(
            b"From a\nSubject: a long one\n\nxxxxxxxxxxxxxxxxxxxxxxxx\nFrom b\nS: b\n",
            20,
        );
        assert_eq!(found, ["1:too big", "2:S: b\n"]);
    }

    #[test]
    fn stopping_is_heard_and_an_empty_file_holds_nothing() {
        let end = split_mbox(&b"From a\nx\nFrom b\ny\n"[..], 100, &mut |_| false).unwrap();
        assert_eq!(
            end,
            MboxEnd {
                messages: 1,
                stopped: true
            }
        );
        assert_eq!(split(b"", 100).1.messages, 0);
    }
}
