//! Mending the ways real receivers' aggregate reports break the XML rules before they are
//! parsed, as parsedmarc does with lxml's recovering parser: bytes that are not UTF-8, an
//! `xs:schema` element wrapped around the report, elements written with a namespace prefix
//! (`<dmarc:feedback xmlns:dmarc="urn:ietf:params:xml:ns:dmarc-2.0">`, the same document as
//! RFC 9990's default namespace to any namespace-aware reader), `<` and `>` left unescaped inside
//! an address, and result words in capitals (`Pass`), which RFC 7489 appendix C and RFC 9990
//! define in lower case. Written by hand because mail-auth's parser is strict and no XML library recovers this.

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
        if plain_open && (is_text || is_word) {
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
    out
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
        let xml = b"<?xml version=\"1.0\"?> <xs:schema xmlns:xs=\"x\">\n<feedback><email><bad@x.net></email><dkim> Pass </dkim><header_from>a\x91&b</header_from><auth_results><dkim><domain>d</domain></dkim></auth_results></feedback></xs:schema>";
        let fixed = repair(xml);
        assert_eq!(
            fixed,
            "<?xml version=\"1.0\"?> \n<feedback><email>&lt;bad@x.net&gt;</email><dkim>pass</dkim><header_from>a\u{FFFD}&amp;b</header_from><auth_results><dkim><domain>d</domain></dkim></auth_results></feedback>"
        );
        assert_eq!(repair(b"<p>&amp;</p>"), "<p>&amp;</p>");
    }

    #[test]
    fn declared_namespace_prefixes_are_dropped_from_element_names_only() {
        let xml = b"<?xml version=\"1.0\"?><d:feedback xmlns:d=\"urn:ietf:params:xml:ns:dmarc-2.0\" xmlns:xsi=\"x\"><d:email><mailto:r@x.net></d:email><d:p>none</d:p></d:feedback>";
        assert_eq!(
            repair(xml),
            "<?xml version=\"1.0\"?><feedback xmlns:d=\"urn:ietf:params:xml:ns:dmarc-2.0\" xmlns:xsi=\"x\"><email>&lt;mailto:r@x.net&gt;</email><p>none</p></feedback>"
        );
    }
}
