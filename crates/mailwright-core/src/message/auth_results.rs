//! `Authentication-Results` (RFC 8601): the receiver's own record of what it decided, read per
//! method. Written here because mail-auth only writes the header; the reader follows RFC 8601 §2.2:
//! an `authserv-id` (optionally a version), then `method=result` entries separated by `;`, each
//! with an optional `reason=` and `ptype.property=value` pairs; comments in parentheses ignored.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Entries read from one header at most (a hostile header cannot make the reader work more).
const MAX_RESULTS: usize = 64;

/// One `Authentication-Results` header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuthResults {
    /// The server that wrote it (`mx.google.com`); `None` when the header starts with a result
    /// (Microsoft 365 writes it that way).
    pub authserv_id: Option<String>,
    /// The results, in order.
    pub results: Vec<AuthResult>,
}

/// One `method=result` entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuthResult {
    /// The method, lower-case (`dkim`, `spf`, `dmarc`, `arc`, `bimi`, `iprev`, …).
    pub method: String,
    /// The result, lower-case (`pass`, `fail`, `softfail`, `none`, …).
    pub result: String,
    /// `reason=`, when given.
    pub reason: Option<String>,
    /// The properties, `ptype.property` lower-case with their values (`header.d`, `smtp.mailfrom`).
    pub properties: Vec<(String, String)>,
}

impl AuthResult {
    /// The value of property `name` (`header.d`, `smtp.mailfrom`), if present.
    pub fn property(&self, name: &str) -> Option<&str> {
        self.properties
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Removes RFC 5322 comments (nested parentheses, `\` escapes) and unfolds the header.
fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    let mut quoted = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next()
                    && depth == 0
                {
                    out.push(next);
                }
            }
            '"' if depth == 0 => {
                quoted = !quoted;
                out.push(c);
            }
            '(' if !quoted => depth += 1,
            ')' if !quoted && depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push(' ');
                }
            }
            '\r' | '\n' | '\t' if depth == 0 => out.push(' '),
            '\r' | '\n' | '\t' => {}
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Splits on `sep` outside double quotes.
fn split_outside_quotes(text: &str, sep: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut quoted = false;
    for c in text.chars() {
        if c == '"' {
            quoted = !quoted;
        }
        if c == sep && !quoted {
            parts.push(String::new());
        } else if let Some(last) = parts.last_mut() {
            last.push(c);
        }
    }
    parts
}

/// Reads the value of one `Authentication-Results` header (without the field name).
pub fn parse_auth_results(value: &str) -> AuthResults {
    let text = without_comments(value);
    let mut parts = split_outside_quotes(&text, ';').into_iter();
    let first = parts.next().unwrap_or_default();
    let first = first.trim();
    // The first part is the authserv-id (and maybe a version number), unless it is already a
    // result, as Microsoft 365 writes it.
    let (authserv_id, leading) = if first.contains('=') {
        (None, Some(first.to_owned()))
    } else {
        let id = first.split_whitespace().next().map(str::to_ascii_lowercase);
        (id.filter(|i| !i.is_empty()), None)
    };
    let results = leading
        .into_iter()
        .chain(parts)
        .filter_map(|part| resinfo(&part))
        .take(MAX_RESULTS)
        .collect();
    AuthResults {
        authserv_id,
        results,
    }
}

/// One `method[/version]=result reason=… ptype.prop=value …` entry; `None` for `none` alone.
fn resinfo(part: &str) -> Option<AuthResult> {
    let mut words = split_outside_quotes(part.trim(), ' ')
        .into_iter()
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .into_iter();
    // `method = result` may be written with spaces around `=`: join them first.
    let mut tokens: Vec<String> = Vec::new();
    for word in words.by_ref() {
        match tokens.last_mut() {
            Some(last) if last.ends_with('=') || word.starts_with('=') => last.push_str(&word),
            _ => tokens.push(word),
        }
    }
    let mut tokens = tokens.into_iter();
    let (method, result) = tokens.next()?.split_once('=').map(|(m, r)| {
        let method = m.split('/').next().unwrap_or(m).trim().to_ascii_lowercase();
        (method, r.trim().to_ascii_lowercase())
    })?;
    if method.is_empty() || result.is_empty() {
        return None;
    }
    let mut reason = None;
    let mut properties = Vec::new();
    for token in tokens {
        let Some((name, value)) = token.split_once('=') else {
            continue;
        };
        let value = value.trim_matches('"').to_owned();
        if name.eq_ignore_ascii_case("reason") {
            reason = Some(value);
        } else if name.contains('.') {
            properties.push((name.to_ascii_lowercase(), value));
        }
    }
    Some(AuthResult {
        method,
        result,
        reason,
        properties,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Gmail's format (support.google.com "Authentication-Results" examples).
    #[test]
    fn reads_gmail() {
        let header = "mx.google.com;\r\n       dkim=pass header.i=@example.com header.s=s1 header.b=AbCd;\r\n       spf=pass (google.com: domain of bob@example.com designates 192.0.2.1 as permitted sender) smtp.mailfrom=bob@example.com;\r\n       dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=example.com";
        let ar = parse_auth_results(header);
        assert_eq!(ar.authserv_id.as_deref(), Some("mx.google.com"));
        let methods: Vec<(&str, &str)> = ar
            .results
            .iter()
            .map(|r| (r.method.as_str(), r.result.as_str()))
            .collect();
        assert_eq!(
            methods,
            [("dkim", "pass"), ("spf", "pass"), ("dmarc", "pass")]
        );
        assert_eq!(ar.results[0].property("header.i"), Some("@example.com"));
        assert_eq!(
            ar.results[1].property("smtp.mailfrom"),
            Some("bob@example.com")
        );
        assert_eq!(ar.results[2].property("header.from"), Some("example.com"));
    }

    /// Microsoft 365 writes no authserv-id.
    #[test]
    fn reads_microsoft_without_an_authserv_id() {
        let header = "spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=example.com; dkim=pass (signature was verified) header.d=example.com;dmarc=pass action=none header.from=example.com;compauth=pass reason=100";
        let ar = parse_auth_results(header);
        assert_eq!(ar.authserv_id, None);
        assert_eq!(ar.results.len(), 4);
        assert_eq!(ar.results[3].method, "compauth");
        assert_eq!(ar.results[3].reason.as_deref(), Some("100"));
        assert_eq!(ar.results[1].property("header.d"), Some("example.com"));
    }

    /// Yahoo's format (Sender Hub samples): a comment right after the result.
    #[test]
    fn reads_yahoo() {
        let ar = parse_auth_results(
            "atlas122.free.mail.bf1.yahoo.com; dkim=pass header.i=@example.com header.s=s1024; spf=pass smtp.mailfrom=example.com; dmarc=pass(p=REJECT) header.from=example.com;",
        );
        assert_eq!(
            ar.authserv_id.as_deref(),
            Some("atlas122.free.mail.bf1.yahoo.com")
        );
        assert_eq!(ar.results.len(), 3);
        assert_eq!(ar.results[2].result, "pass");
        assert_eq!(ar.results[2].property("header.from"), Some("example.com"));
    }

    /// iCloud writes one header per method, each with its own authserv-id.
    #[test]
    fn reads_icloud() {
        let ar = parse_auth_results(
            "dkim-verifier.icloud.com; dkim=pass (2048-bit key) header.d=example.com header.i=@example.com header.b=AbCdEf",
        );
        assert_eq!(ar.authserv_id.as_deref(), Some("dkim-verifier.icloud.com"));
        assert_eq!(ar.results[0].property("header.d"), Some("example.com"));
        let bimi =
            parse_auth_results("bimi.icloud.com; bimi=skipped reason=\"insufficient dmarc\"");
        assert_eq!(bimi.results[0].method, "bimi");
        assert_eq!(
            bimi.results[0].reason.as_deref(),
            Some("insufficient dmarc")
        );
    }

    /// RFC 8601 §6's examples: a version, `none`, quoted values, spaces around `=`.
    #[test]
    fn reads_the_rfc_examples() {
        let ar = parse_auth_results("example.org 1; none");
        assert_eq!(ar.authserv_id.as_deref(), Some("example.org"));
        assert!(ar.results.is_empty());
        let ar = parse_auth_results(
            "example.com; spf = pass smtp.mailfrom=example.net (comment; with = and ;) ; dkim=fail reason=\"bad; signature\" header.d=example.com",
        );
        assert_eq!(ar.results[0].result, "pass");
        assert_eq!(ar.results[0].property("smtp.mailfrom"), Some("example.net"));
        assert_eq!(ar.results[1].reason.as_deref(), Some("bad; signature"));
        assert_eq!(ar.results[1].property("header.d"), Some("example.com"));
    }

    #[test]
    fn survives_anything() {
        for text in ["", ";;;", "((((", "a=b=c; =; x", "\"unclosed; dkim=pass"] {
            let _ = parse_auth_results(text);
        }
        let many = format!("x; {}", "dkim=pass; ".repeat(1000));
        assert_eq!(parse_auth_results(&many).results.len(), MAX_RESULTS);
    }
}
