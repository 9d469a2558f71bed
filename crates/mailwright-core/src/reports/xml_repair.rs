//! Mending the ways real receivers' aggregate reports break the XML rules before they are
//! parsed, as parsedmarc does with lxml's recovering parser: bytes that are not UTF-8, an
//! `xs:schema` element wrapped around the report, elements written with a namespace prefix
//! (`<dmarc:feedback xmlns:dmarc="urn:ietf:params:xml:ns:dmarc-2.0">`, the same document as
//! RFC 9990's default namespace to any namespace-aware reader), `<` and `>` left unescaped inside
//! an address, result words in capitals (`Pass`), which RFC 7489 appendix C and RFC 9990
//! define in lower case, whole numbers written as decimals (`<count>3.0</count>`); and elements `<feedback>` does not define (a reporter's own, or a later
//! schema's), which mail-auth 0.13's parser does not skip at that level: everything after one was
//! lost. Written by hand because mail-auth's parser is strict and no XML library recovers this.

use std::borrow::Cow;

/// Elements whose content is free text (addresses, names, ids).
const TEXT_ELEMENTS: [&str; 14] = [
    "org_name",
    "email",
    "extra_contact_info",
    "report_id",
    "error",
    "domain",
    "header_from",
    "envelope_from",
    "envelope_to",
    "selector",
    "human_result",
    "comment",
    "source_ip",
    "generator",
];

/// Elements whose content is one of the schema's lower-case words.
const WORD_ELEMENTS: [&str; 13] = [
    "result",
    "disposition",
    "dkim",
    "spf",
    "p",
    "sp",
    "np",
    "adkim",
    "aspf",
    "scope",
    "testing",
    "type",
    "discovery_method",
];

/// Elements whose content is a whole number; some reporters write it as a decimal (`3.0`).
const NUMBER_ELEMENTS: [&str; 3] = ["begin", "end", "count"];

/// `text` as a whole number when it is one written as a decimal (`1764547200.0`).
fn whole_number(text: &str) -> Option<String> {
    let (whole, fraction) = text.trim().split_once('.')?;
    (!whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b == b'0'))
    .then(|| whole.to_owned())
}

/// The report with those faults mended (unchanged text is borrowed).
pub(super) fn repair(xml: &[u8]) -> String {
    let lossy: Cow<'_, str> = String::from_utf8_lossy(xml);
    let text = strip_declared_prefixes(&lossy);
    let mut out = String::with_capacity(text.len());
    let mut rest: &str = &text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        let from = if rest[1..].starts_with('/') { 2 } else { 1 };
        let name_end = rest[from..]
            .find(|c: char| c == '>' || c.is_whitespace() || c == '/')
            .map_or(rest.len(), |i| i + from);
        let name = &rest[1..name_end];
        if name == "xs:schema" || name == "/xs:schema" {
            rest = rest.find('>').map_or("", |end| &rest[end + 1..]);
            continue;
        }
        let plain_open = rest[name_end..].starts_with('>');
        let is_text = TEXT_ELEMENTS.contains(&name);
        let is_word = WORD_ELEMENTS.contains(&name);
        let is_number = NUMBER_ELEMENTS.contains(&name);
        if plain_open && (is_text || is_word || is_number) {
            let start = name_end + 1;
            let close = format!("</{name}>");
            if let Some(len) = rest[start..].find(&close) {
                let inner = &rest[start..start + len];
                if is_text {
                    out.push_str(&rest[..start]);
                    out.push_str(&escape_stray(inner));
                    out.push_str(&close);
                    rest = &rest[start + len + close.len()..];
                    continue;
                }
                if is_number {
                    out.push_str(&rest[..start]);
                    out.push_str(&whole_number(inner).unwrap_or_else(|| inner.to_owned()));
                    out.push_str(&close);
                    rest = &rest[start + len + close.len()..];
                    continue;
                }
                if !inner.contains('<') {
                    out.push_str(&rest[..start]);
                    out.push_str(&inner.trim().to_ascii_lowercase());
                    out.push_str(&close);
                    rest = &rest[start + len + close.len()..];
                    continue;
                }
            }
        }
        out.push('<');
        rest = &rest[1..];
    }
    out.push_str(rest);
    match drop_unknown_sections(&out) {
        Cow::Borrowed(_) => out,
        Cow::Owned(kept) => kept,
    }
}

/// The children of `<feedback>` mail-auth reads (RFC 7489 appendix C, RFC 9990 appendix A).
const FEEDBACK_CHILDREN: [&str; 5] = [
    "version",
    "report_metadata",
    "policy_published",
    "record",
    "extensions",
];

/// One piece of markup: its kind, its element name and its length in bytes.
#[derive(Clone, Copy, PartialEq)]
enum Markup {
    Open,
    Close,
    Empty,
    /// A comment, processing instruction, CDATA section or declaration.
    Other,
}

/// The markup starting at `text` (which starts with `<`), or `None` when it never ends.
fn markup(text: &str) -> Option<(Markup, &str, usize)> {
    for (start, end, kind) in [
        ("<!--", "-->", Markup::Other),
        ("<![CDATA[", "]]>", Markup::Other),
        ("<?", "?>", Markup::Other),
    ] {
        if text.starts_with(start) {
            return Some((kind, "", text.find(end)? + end.len()));
        }
    }
    // The `>` that ends the tag, outside quoted attribute values.
    let mut quote = None;
    let end = text.char_indices().find_map(|(i, c)| {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
        None
    })?;
    if text.starts_with("<!") {
        return Some((Markup::Other, "", end + 1));
    }
    let closing = text.starts_with("</");
    let from = if closing { 2 } else { 1 };
    let name_end = text[from..end]
        .find(|c: char| c.is_whitespace() || c == '/')
        .map_or(end, |i| i + from);
    let kind = if closing {
        Markup::Close
    } else if text[..end].ends_with('/') {
        Markup::Empty
    } else {
        Markup::Open
    };
    Some((kind, &text[from..name_end], end + 1))
}

/// The document without the elements directly inside `<feedback>` that are not among
/// [`FEEDBACK_CHILDREN`] (borrowed when there are none).
fn drop_unknown_sections(text: &str) -> Cow<'_, str> {
    let mut out = String::new();
    let mut copied = 0;
    let mut depth = 0usize;
    let mut feedback_at = None;
    let mut at = 0;
    while let Some(open) = text[at..].find('<') {
        let start = at + open;
        let Some((kind, name, len)) = markup(&text[start..]) else {
            break;
        };
        at = start + len;
        match kind {
            Markup::Other => {}
            Markup::Close => {
                depth = depth.saturating_sub(1);
                if feedback_at.is_some_and(|d| depth < d) {
                    feedback_at = None;
                }
            }
            Markup::Open | Markup::Empty
                if feedback_at == Some(depth) && !FEEDBACK_CHILDREN.contains(&name) =>
            {
                let end = if kind == Markup::Empty {
                    Some(at)
                } else {
                    element_end(text, at)
                };
                out.push_str(&text[copied..start]);
                at = end.unwrap_or(text.len());
                copied = at;
            }
            Markup::Open => {
                depth += 1;
                if name == "feedback" && feedback_at.is_none() {
                    feedback_at = Some(depth);
                }
            }
            Markup::Empty => {}
        }
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// Where the element whose start tag ends at `from` ends (after its end tag).
fn element_end(text: &str, from: usize) -> Option<usize> {
    let mut depth = 1usize;
    let mut at = from;
    while depth > 0 {
        let start = at + text[at..].find('<')?;
        let (kind, _, len) = markup(&text[start..])?;
        at = start + len;
        match kind {
            Markup::Open => depth += 1,
            Markup::Close => depth -= 1,
            Markup::Empty | Markup::Other => {}
        }
    }
    Some(at)
}

/// Element names without the namespace prefixes the document declares (`xmlns:p="…"`), so
/// `<p:feedback>` reads as `<feedback>`; an undeclared prefix (`<mailto:…>` left in an
/// address) and the schema wrapper's `xs:` are left alone.
fn strip_declared_prefixes(text: &str) -> Cow<'_, str> {
    let mut prefixes: Vec<&str> = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("xmlns:") {
        rest = &rest[at + "xmlns:".len()..];
        let end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let prefix = &rest[..end];
        if !prefix.is_empty()
            && !["xs", "xsd", "xsi"].contains(&prefix)
            && !prefixes.contains(&prefix)
        {
            prefixes.push(prefix);
        }
    }
    if prefixes.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        let from = if rest[open + 1..].starts_with('/') {
            open + 2
        } else {
            open + 1
        };
        out.push_str(&rest[..from]);
        rest = &rest[from..];
        if let Some(prefix) = prefixes
            .iter()
            .find(|p| rest.starts_with(**p) && rest[p.len()..].starts_with(':'))
        {
            rest = &rest[prefix.len() + 1..];
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Escapes `<` and `>` in text content, and `&` that does not start an entity.
fn escape_stray(inner: &str) -> Cow<'_, str> {
    if !inner.contains(['<', '>', '&']) {
        return Cow::Borrowed(inner);
    }
    let mut out = String::with_capacity(inner.len() + 8);
    for (i, c) in inner.char_indices() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' if !starts_entity(&inner[i..]) => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn starts_entity(text: &str) -> bool {
    let Some(end) = text.find(';') else {
        return false;
    };
    let body = &text[1..end];
    ["lt", "gt", "amp", "quot", "apos"].contains(&body)
        || body.strip_prefix('#').is_some_and(|n| {
            !n.is_empty() && n.len() < 8 && n.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mends_stray_brackets_capital_words_schema_wrappers_and_bad_bytes() {
        let xml = b"<?xml version=\"1.0\"?> <xs:schema xmlns:xs=\"x\">\n<feedback><record><email><bad@x.net></email><dkim> Pass </dkim><header_from>a\x91&b</header_from><auth_results><dkim><domain>d</domain></dkim></auth_results></record></feedback></xs:schema>";
        let fixed = repair(xml);
        assert_eq!(
            fixed,
            "<?xml version=\"1.0\"?> \n<feedback><record><email>&lt;bad@x.net&gt;</email><dkim>pass</dkim><header_from>a\u{FFFD}&amp;b</header_from><auth_results><dkim><domain>d</domain></dkim></auth_results></record></feedback>"
        );
        assert_eq!(repair(b"<p>&amp;</p>"), "<p>&amp;</p>");
    }

    #[test]
    fn elements_feedback_does_not_define_are_left_out_with_their_content() {
        let xml = b"<?xml version=\"1.0\"?><!-- a > b --><feedback><version>1.0</version><generator a='>'>x</generator><report_metadata><extra>k</extra></report_metadata><vendor><record><x/></record></vendor><note/><record><row/></record></feedback>";
        assert_eq!(
            repair(xml),
            "<?xml version=\"1.0\"?><!-- a > b --><feedback><version>1.0</version><report_metadata><extra>k</extra></report_metadata><record><row/></record></feedback>"
        );
        // A document with none is returned as it came.
        let plain = "<feedback><version>1.0</version><record><row/></record></feedback>";
        assert!(matches!(drop_unknown_sections(plain), Cow::Borrowed(_)));
        // An element never closed is dropped to the end rather than read halfway.
        assert_eq!(
            drop_unknown_sections("<feedback><record/><odd><a>"),
            "<feedback><record/>"
        );
    }

    #[test]
    fn declared_namespace_prefixes_are_dropped_from_element_names_only() {
        let xml = b"<?xml version=\"1.0\"?><d:feedback xmlns:d=\"urn:ietf:params:xml:ns:dmarc-2.0\" xmlns:xsi=\"x\"><d:report_metadata><d:email><mailto:r@x.net></d:email></d:report_metadata><d:policy_published><d:p>none</d:p></d:policy_published></d:feedback>";
        assert_eq!(
            repair(xml),
            "<?xml version=\"1.0\"?><feedback xmlns:d=\"urn:ietf:params:xml:ns:dmarc-2.0\" xmlns:xsi=\"x\"><report_metadata><email>&lt;mailto:r@x.net&gt;</email></report_metadata><policy_published><p>none</p></policy_published></feedback>"
        );
    }
}
