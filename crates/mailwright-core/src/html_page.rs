//! Markdown documents (the report, the DNS hand-off): safe table cells and code spans, and the
//! document as one self-contained HTML page (pulldown-cmark, an embedded
//! stylesheet). Anything in the Markdown that came from DNS or a server stays text: raw HTML is
//! escaped and links or images are dropped, so a hostile record cannot script or track the page.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Ubuntu,sans-serif;color:#1c2330;background:#fff;line-height:1.5;margin:0}\
main{max-width:960px;margin:0 auto;padding:24px}\
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d9dde5;padding-bottom:4px}\
ul{padding-left:1.2rem}li{margin:4px 0}code{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:.85em;word-break:break-all}\
pre{white-space:pre-wrap;word-break:break-all;background:#f6f7f9;padding:8px;border-radius:6px}\
table{border-collapse:collapse;width:100%;font-size:.9em;table-layout:fixed}th,td{border-bottom:1px solid #d9dde5;padding:4px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere}\
strong.pass{color:#1a7f37}strong.warn{color:#8a5a00}strong.fail{color:#b42318}strong.manual{color:#2457c5}\
@media print{main{padding:0}h2{break-after:avoid}}";

/// Characters that mean something in Markdown (CommonMark and GitHub's tables) wherever they
/// stand; each is written with a backslash, which CommonMark allows before any ASCII punctuation.
const MARKDOWN_SPECIAL: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '|', '#', '~', '!', '&', '{', '}', '$',
];

/// Text from outside (a DNS record, a server's reply, anything a finding quotes) as plain
/// Markdown inline text: control characters dropped, lines joined, and every character that
/// could open emphasis, a link, HTML, a heading, a list item or a table cell escaped, so a
/// hostile record cannot forge a line of the report. Safe in a table cell and in a list item.
pub fn plain_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in one_line(text).trim().chars() {
        if MARKDOWN_SPECIAL.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    // A leading `-`, `+`, `=` or `1.` would start a list or underline a heading.
    let starts_block = out.starts_with(['-', '+', '='])
        || out
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .starts_with(['.', ')'])
            && out.starts_with(|c: char| c.is_ascii_digit());
    if starts_block {
        let at = out.find(|c: char| !c.is_ascii_digit()).unwrap_or_default();
        out.insert(at, '\\');
    }
    out
}

/// Text on one line: line breaks and tabs become spaces, other control characters (terminal
/// escapes, `\r`, NUL) are dropped.
pub fn one_line(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// Text as an inline code span, safe in a table cell (longer fences when it holds a
/// backtick). Inside a code span nothing is Markdown, so only the table's pipe is escaped.
pub fn code_span(text: &str) -> String {
    let text = one_line(text).replace('|', "\\|");
    let longest = text
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default();
    if longest == 0 {
        format!("`{text}`")
    } else {
        let fence = "`".repeat(longest + 1);
        format!("{fence} {text} {fence}")
    }
}

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The body HTML of `markdown`, with raw HTML escaped and links and images dropped.
pub fn body(markdown: &str) -> String {
    let events = Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS)
        .filter_map(|event| match event {
            Event::Html(text) | Event::InlineHtml(text) => Some(Event::Text(text)),
            Event::Start(Tag::Link { .. } | Tag::Image { .. })
            | Event::End(TagEnd::Link | TagEnd::Image) => None,
            other => Some(other),
        });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

/// A standalone page titled `title` around `body_html`.
pub fn page(title: &str, body_html: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body_html}</main>\n</body>\n</html>\n",
        escape(title)
    )
}
