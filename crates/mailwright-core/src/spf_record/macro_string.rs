//! Macro strings (RFC 7208 §7.1): the text of a domain-spec, an `exp=` explanation or an unknown
//! modifier, read into literal text and macros exactly as the ABNF allows.

/// One macro letter and how it is transformed: `%{ir.}` is `i`, reversed, split on `.`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MacroExpand {
    /// The letter, lower-case (`s`, `l`, `o`, `d`, `i`, `p`, `h`, `c`, `r`, `t`, `v`).
    pub letter: char,
    /// Written upper-case: the expansion is URL-escaped (RFC 7208 §7.3).
    pub url_escape: bool,
    /// Keep only this many right-hand parts (never zero).
    pub keep: Option<usize>,
    /// Reverse the parts first.
    pub reverse: bool,
    /// The characters that split the value into parts (`.` when none is written).
    pub delimiters: String,
}

/// One piece of a macro string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MacroToken {
    /// Text copied as written.
    Literal(String),
    /// `%{…}`.
    Expand(MacroExpand),
    /// `%%`: a percent sign.
    Percent,
    /// `%_`: a space.
    Space,
    /// `%-`: `%20`, a URL-encoded space.
    UrlSpace,
}

/// Where a macro string is written, which decides the letters and characters it may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MacroContext {
    /// A domain-spec of a mechanism, `redirect=` or `exp=`: `c`, `r` and `t` are not allowed.
    DomainSpec,
    /// The value of an unknown modifier: any macro letter.
    ModifierValue,
    /// The text of an explanation (the TXT record `exp=` points at): every letter, and spaces.
    Explanation,
}

/// Macro letters allowed anywhere.
const LETTERS: &str = "slodiphv";
/// Macro letters allowed only in explanation text (RFC 7208 §7.1).
const EXPLANATION_LETTERS: &str = "crt";
/// The delimiters a macro may split on.
const DELIMITERS: &str = ".-+,/_=";

/// Reads `text` as a macro string for `context`; `None` when it is malformed.
pub fn macro_tokens(text: &str, context: MacroContext) -> Option<Vec<MacroToken>> {
    let mut tokens = Vec::new();
    let mut literal = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            let visible = ('\x21'..='\x7e').contains(&c);
            let space = c == ' ' && context == MacroContext::Explanation;
            if !(visible || space) {
                return None;
            }
            literal.push(c);
            continue;
        }
        let token = match chars.next()? {
            '%' => MacroToken::Percent,
            '_' => MacroToken::Space,
            '-' => MacroToken::UrlSpace,
            '{' => MacroToken::Expand(expand(&mut chars, context)?),
            _ => return None,
        };
        if !literal.is_empty() {
            tokens.push(MacroToken::Literal(std::mem::take(&mut literal)));
        }
        tokens.push(token);
    }
    if !literal.is_empty() {
        tokens.push(MacroToken::Literal(literal));
    }
    Some(tokens)
}

/// The inside of `%{…}`, after the brace.
fn expand(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    context: MacroContext,
) -> Option<MacroExpand> {
    let written = chars.next()?;
    let letter = written.to_ascii_lowercase();
    let allowed = LETTERS.contains(letter)
        || (EXPLANATION_LETTERS.contains(letter) && context != MacroContext::DomainSpec);
    if !written.is_ascii_alphabetic() || !allowed {
        return None;
    }
    let mut digits = String::new();
    while let Some(d) = chars.next_if(char::is_ascii_digit) {
        digits.push(d);
    }
    let keep = match digits.as_str() {
        "" => None,
        // RFC 7208 §7.3: the number of parts, when written, is never zero.
        d if d.trim_start_matches('0').is_empty() => return None,
        d => Some(d.parse::<usize>().unwrap_or(usize::MAX)),
    };
    let reverse = chars.next_if(|c| c.eq_ignore_ascii_case(&'r')).is_some();
    let mut delimiters = String::new();
    loop {
        match chars.next()? {
            '}' => break,
            d if DELIMITERS.contains(d) => delimiters.push(d),
            _ => return None,
        }
    }
    Some(MacroExpand {
        letter,
        url_escape: written.is_ascii_uppercase(),
        keep,
        reverse,
        delimiters: if delimiters.is_empty() {
            ".".into()
        } else {
            delimiters
        },
    })
}

/// Whether `text` is a domain-spec (RFC 7208 §7.1): a macro string ending in a macro or in
/// `.toplabel` with an optional trailing dot.
pub fn is_domain_spec(text: &str) -> bool {
    let Some(tokens) = macro_tokens(text, MacroContext::DomainSpec) else {
        return false;
    };
    match tokens.last() {
        None => false,
        Some(MacroToken::Literal(tail)) => {
            let tail = tail.strip_suffix('.').unwrap_or(tail);
            tail.rsplit_once('.')
                .is_some_and(|(_, top)| is_toplabel(top))
        }
        Some(_) => true,
    }
}

/// `toplabel` (RFC 7208 §7.1): letters, digits and inner hyphens, not all digits.
fn is_toplabel(label: &str) -> bool {
    let bytes = label.as_bytes();
    let (Some(first), Some(last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    bytes
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        && first.is_ascii_alphanumeric()
        && last.is_ascii_alphanumeric()
        && bytes.iter().any(|b| b.is_ascii_alphabetic() || *b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_macros_with_their_transformers() {
        let tokens = macro_tokens("%{ir.-}.%{D2}%%%_%-x", MacroContext::DomainSpec).unwrap();
        assert_eq!(
            tokens[0],
            MacroToken::Expand(MacroExpand {
                letter: 'i',
                url_escape: false,
                keep: None,
                reverse: true,
                delimiters: ".-".into()
            })
        );
        assert_eq!(tokens[1], MacroToken::Literal(".".into()));
        assert!(matches!(
            &tokens[2],
            MacroToken::Expand(MacroExpand {
                letter: 'd',
                url_escape: true,
                keep: Some(2),
                ..
            })
        ));
        assert_eq!(
            &tokens[3..],
            [
                MacroToken::Percent,
                MacroToken::Space,
                MacroToken::UrlSpace,
                MacroToken::Literal("x".into())
            ]
        );
    }

    #[test]
    fn refuses_what_the_grammar_refuses() {
        for bad in [
            "%{x}",
            "%{i",
            "%(ir)",
            "foo%",
            "%{d0}",
            "%{i*}",
            "a b",
            "caf\u{e9}",
        ] {
            assert_eq!(macro_tokens(bad, MacroContext::DomainSpec), None, "{bad}");
        }
        assert_eq!(macro_tokens("%{c}", MacroContext::DomainSpec), None);
        assert!(macro_tokens("%{c} says %{t}", MacroContext::Explanation).is_some());
    }

    #[test]
    fn a_domain_spec_ends_in_a_toplabel_or_a_macro() {
        for good in [
            "example.com",
            "example.com.",
            "foo:bar/baz.example.com",
            "%{d}",
            "%{ir}.%{v}._spf.%{d2}",
            "x.x-1",
            "foo%-",
        ] {
            assert!(is_domain_spec(good), "{good}");
        }
        for bad in [
            "",
            "example",
            "1.2.3.4",
            "example.com-",
            "example.",
            "ex ample.com",
        ] {
            assert!(!is_domain_spec(bad), "{bad}");
        }
    }
}
