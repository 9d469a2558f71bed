//! Where each common mail program shows a received message's original source, for the message
//! step and `mailwright message check --help`: the headers Mailwright reads are only in the
//! original, never in a forwarded copy.

use serde::Serialize;

/// How to get the original of a received message out of one mail program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct OriginalSource {
    /// The program or web mail.
    pub program: &'static str,
    /// The clicks, in the program's own words.
    pub how: &'static str,
}

/// The programs most small businesses read their test messages in.
pub const ORIGINAL_SOURCES: &[OriginalSource] = &[
    OriginalSource {
        program: "Gmail",
        how: "open the message, ⋮ (More) → Show original → Download original.",
    },
    OriginalSource {
        program: "Outlook / Microsoft 365",
        how: "on the web, open the message, … → View → View message source (or … → Download → Download as EML); in the Outlook app, File → Properties shows the headers (its .msg files cannot be read).",
    },
    OriginalSource {
        program: "Apple Mail",
        how: "open the message, View → Message → Raw Source, then File → Save As.",
    },
    OriginalSource {
        program: "Thunderbird",
        how: "open the message, File → Save As → File (.eml), or View → Message Source.",
    },
    OriginalSource {
        program: "Yahoo Mail",
        how: "open the message, ⋯ (More) → View raw message.",
    },
];

/// The list as text, one program per line, for the command line's help.
pub fn original_sources_text() -> String {
    let mut text = String::from("Getting the original of a received message:\n");
    for source in ORIGINAL_SOURCES {
        text.push_str(&format!("  {}: {}\n", source.program, source.how));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_program_is_named_once_with_its_clicks() {
        let text = original_sources_text();
        for source in ORIGINAL_SOURCES {
            assert_eq!(text.matches(&format!("  {}: ", source.program)).count(), 1);
            assert!(source.how.ends_with('.'), "{}", source.how);
        }
        assert!(text.contains("Gmail: open the message"));
    }
}
