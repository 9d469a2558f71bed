//! Everything the command line prints goes through here: text from DNS records, server replies
//! and files can hold terminal escape sequences (colour, cursor moves, a rewritten title) or
//! bidirectional overrides, so every control character but the line break is shown as a
//! `\uXXXX` escape instead of reaching the terminal. The escape is also valid inside a JSON
//! string, so `--json` output stays parseable.

use std::borrow::Cow;

/// `text` with every control character except `\n` (and the `\r` of a `\r\n`) written as
/// `\uXXXX`.
pub fn safe(text: &str) -> Cow<'_, str> {
    let mut chars = text.chars().peekable();
    if !text.chars().any(dangerous) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    while let Some(c) = chars.next() {
        let line_end = c == '\r' && chars.peek() == Some(&'\n');
        if dangerous(c) && !line_end {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A character that acts on the terminal rather than being shown: C0 and C1 controls (but the
/// line break and the tab), DEL, and the Unicode bidirectional overrides and isolates.
fn dangerous(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_shown_not_obeyed() {
        assert_eq!(safe("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(safe("a\u{1b}[31mred"), "a\\u001b[31mred");
        assert_eq!(safe("over\rwrite"), "over\\u000dwrite");
        assert_eq!(safe("line\r\nnext"), "line\r\nnext");
        assert_eq!(safe("\u{9b}2J\u{202e}"), "\\u009b2J\\u202e");
        let json = serde_json::json!({ "v": "x\u{1b}]0;title\u{7}\u{9b}" }).to_string();
        let shown = safe(&json);
        let back: serde_json::Value = serde_json::from_str(&shown).unwrap();
        assert_eq!(back["v"], "x\u{1b}]0;title\u{7}\u{9b}");
    }
}
