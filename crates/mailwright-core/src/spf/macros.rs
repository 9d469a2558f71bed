//! Macro expansion (RFC 7208 §7): the values a receiver substitutes for `%{s}`, `%{i}`, … and
//! how transformers cut and escape them.

use std::net::IpAddr;

use crate::spf_record::{MacroExpand, MacroToken};

/// Longest domain name a macro may expand to (RFC 7208 §7.3).
const MAX_NAME_OCTETS: usize = 253;

/// What is known about the message being checked: the values of the macro letters except `d`
/// (the domain being evaluated) and `p` (looked up only when used).
#[derive(Clone, Debug)]
pub(crate) struct MacroValues {
    /// The sender's local part (`postmaster` when the MAIL FROM had none).
    pub local: String,
    /// The sender's domain.
    pub sender_domain: String,
    /// The HELO/EHLO name.
    pub helo: String,
    /// The client address, an IPv4-mapped IPv6 address already read as IPv4.
    pub ip: IpAddr,
    /// The receiving host's name (`%{r}`, explanations only).
    pub receiver: String,
    /// Seconds since the Unix epoch (`%{t}`, explanations only).
    pub now: u64,
}

impl MacroValues {
    /// The value of one letter before transformation; `validated` is `%{p}`'s value.
    fn value(&self, letter: char, domain: &str, validated: &str) -> String {
        match letter {
            's' => format!("{}@{}", self.local, self.sender_domain),
            'l' => self.local.clone(),
            'o' => self.sender_domain.clone(),
            'd' => domain.to_owned(),
            'i' => dotted(self.ip),
            'p' => validated.to_owned(),
            'v' => match self.ip {
                IpAddr::V4(_) => "in-addr".into(),
                IpAddr::V6(_) => "ip6".into(),
            },
            'h' => self.helo.clone(),
            'c' => self.ip.to_string(),
            'r' => self.receiver.clone(),
            't' => self.now.to_string(),
            _ => String::new(),
        }
    }
}

/// `%{i}`: an IPv4 address as written, an IPv6 address as 32 dot-separated nibbles (RFC 7208
/// §7.3, upper-case as in its examples; DNS ignores the case).
pub(crate) fn dotted(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => v6
            .octets()
            .iter()
            .flat_map(|b| [b >> 4, b & 0xf])
            .map(|n| format!("{n:X}"))
            .collect::<Vec<_>>()
            .join("."),
    }
}

/// Whether the tokens use `%{p}` (which needs the client's validated name, a DNS lookup).
pub(crate) fn uses_validated_name(tokens: &[MacroToken]) -> bool {
    tokens
        .iter()
        .any(|t| matches!(t, MacroToken::Expand(e) if e.letter == 'p'))
}

/// Expands `tokens` for the domain being evaluated.
pub(crate) fn expand(
    tokens: &[MacroToken],
    values: &MacroValues,
    domain: &str,
    validated: &str,
) -> String {
    let mut out = String::new();
    for token in tokens {
        match token {
            MacroToken::Literal(text) => out.push_str(text),
            MacroToken::Percent => out.push('%'),
            MacroToken::Space => out.push(' '),
            MacroToken::UrlSpace => out.push_str("%20"),
            MacroToken::Expand(e) => {
                out.push_str(&transform(e, &values.value(e.letter, domain, validated)))
            }
        }
    }
    out
}

/// Expands a domain-spec into the name to look up: trailing dot removed, and, when longer than
/// 253 octets, labels removed from the left until it fits (RFC 7208 §7.3).
pub(crate) fn expand_name(
    tokens: &[MacroToken],
    values: &MacroValues,
    domain: &str,
    validated: &str,
) -> String {
    let name = expand(tokens, values, domain, validated);
    let mut name = name.strip_suffix('.').unwrap_or(&name);
    while name.len() > MAX_NAME_OCTETS {
        match name.split_once('.') {
            Some((_, rest)) => name = rest,
            None => break,
        }
    }
    name.to_owned()
}

/// Splits, reverses, keeps the right-hand parts and URL-escapes, as the macro asks.
fn transform(expand: &MacroExpand, value: &str) -> String {
    let text = if expand.keep.is_some() || expand.reverse || expand.delimiters != "." {
        let mut parts: Vec<&str> = value.split(|c| expand.delimiters.contains(c)).collect();
        if expand.reverse {
            parts.reverse();
        }
        if let Some(keep) = expand.keep {
            let skip = parts.len().saturating_sub(keep);
            parts.drain(..skip);
        }
        parts.join(".")
    } else {
        value.to_owned()
    };
    if expand.url_escape {
        url_escape(&text)
    } else {
        text
    }
}

/// Percent-encodes every byte outside RFC 3986's unreserved set.
fn url_escape(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spf_record::{MacroContext, macro_tokens};

    fn values(ip: &str) -> MacroValues {
        MacroValues {
            local: "strong-bad".into(),
            sender_domain: "email.example.com".into(),
            helo: "mx.example.org".into(),
            ip: ip.parse().unwrap(),
            receiver: "unknown".into(),
            now: 1,
        }
    }

    fn run(spec: &str, ip: &str) -> String {
        let tokens = macro_tokens(spec, MacroContext::Explanation).unwrap();
        expand(&tokens, &values(ip), "email.example.com", "unknown")
    }

    /// The examples of RFC 7208 §7.4.
    #[test]
    fn expands_the_rfc_examples() {
        let v4 = "192.0.2.3";
        let cases = [
            ("%{s}", "strong-bad@email.example.com"),
            ("%{o}", "email.example.com"),
            ("%{d}", "email.example.com"),
            ("%{d4}", "email.example.com"),
            ("%{d3}", "email.example.com"),
            ("%{d2}", "example.com"),
            ("%{d1}", "com"),
            ("%{dr}", "com.example.email"),
            ("%{d2r}", "example.email"),
            ("%{l}", "strong-bad"),
            ("%{l-}", "strong.bad"),
            ("%{lr}", "strong-bad"),
            ("%{lr-}", "bad.strong"),
            ("%{l1r-}", "strong"),
            (
                "%{ir}.%{v}._spf.%{d2}",
                "3.2.0.192.in-addr._spf.example.com",
            ),
            ("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com"),
            (
                "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}",
                "bad.strong.lp.3.2.0.192.in-addr._spf.example.com",
            ),
            (
                "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}",
                "3.2.0.192.in-addr.strong.lp._spf.example.com",
            ),
            (
                "%{d2}.trusted-domains.example.net",
                "example.com.trusted-domains.example.net",
            ),
            ("%%%_%-", "% %20"),
        ];
        for (spec, expected) in cases {
            assert_eq!(run(spec, v4), expected, "{spec}");
        }
        assert_eq!(
            run("%{ir}.%{v}._spf.%{d2}", "2001:db8::cb01"),
            "1.0.B.C.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.B.D.0.1.0.0.2.ip6._spf.example.com"
        );
        assert_eq!(run("%{c}", "2001:DB8::CB01"), "2001:db8::cb01");
    }

    #[test]
    fn upper_case_letters_are_url_escaped() {
        let mut v = values("192.0.2.3");
        v.local = "~jack&jill=up-a_b3.c".into();
        let tokens = macro_tokens("%{L}", MacroContext::DomainSpec).unwrap();
        assert_eq!(
            expand(&tokens, &v, "x.test", ""),
            "~jack%26jill%3Dup-a_b3.c"
        );
    }

    #[test]
    fn long_names_lose_labels_on_the_left() {
        let mut v = values("192.0.2.3");
        v.local = "a".repeat(60);
        let tokens = macro_tokens(
            "%{l}.%{l}.%{l}.%{l}.%{l}.example.com.",
            MacroContext::DomainSpec,
        )
        .unwrap();
        let name = expand_name(&tokens, &v, "x.test", "");
        assert!(name.len() <= MAX_NAME_OCTETS);
        assert!(name.ends_with(".example.com"));
        assert_eq!(name.split('.').count(), 5, "two 61-octet labels go: {name}");
    }
}
