//! A strict reader for SPF records (RFC 7208 §4.6, §5, §6, §7): every term typed, and a named
//! reason for every way a record can be malformed.

use std::net::{Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

mod macro_string;

pub use macro_string::{MacroContext, MacroExpand, MacroToken, is_domain_spec, macro_tokens};

/// A mechanism's qualifier (RFC 7208 §4.6.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Qualifier {
    /// `+` (the default): pass.
    Pass,
    /// `-`: fail.
    Fail,
    /// `~`: softfail.
    SoftFail,
    /// `?`: neutral.
    Neutral,
}

/// One mechanism (RFC 7208 §5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mechanism {
    /// `all`.
    All,
    /// `include:<domain-spec>`.
    Include(String),
    /// `a[:<domain-spec>][/cidr][//cidr6]`.
    A(Option<String>, DualCidr),
    /// `mx[:<domain-spec>][/cidr][//cidr6]`.
    Mx(Option<String>, DualCidr),
    /// `ptr[:<domain-spec>]`.
    Ptr(Option<String>),
    /// `ip4:<address>[/len]`.
    Ip4(Ipv4Addr, u8),
    /// `ip6:<address>[/len]`.
    Ip6(Ipv6Addr, u8),
    /// `exists:<domain-spec>`.
    Exists(String),
}

/// The prefix lengths of an `a` or `mx` mechanism: `/24//64` compares the first 24 bits of IPv4
/// addresses and the first 64 of IPv6 ones (32 and 128, a whole address, when not written).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DualCidr {
    /// Bits compared for an IPv4 address.
    pub v4: u8,
    /// Bits compared for an IPv6 address.
    pub v6: u8,
}

impl Default for DualCidr {
    fn default() -> Self {
        DualCidr { v4: 32, v6: 128 }
    }
}

impl Mechanism {
    /// Whether evaluating it costs one of the 10 DNS-querying terms (RFC 7208 §4.6.4).
    pub fn queries_dns(&self) -> bool {
        matches!(
            self,
            Mechanism::Include(_)
                | Mechanism::A(..)
                | Mechanism::Mx(..)
                | Mechanism::Ptr(_)
                | Mechanism::Exists(_)
        )
    }
}

/// One term of a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Term {
    /// A mechanism with its qualifier, and its text as written.
    Mechanism(Qualifier, Mechanism, String),
    /// `redirect=<domain-spec>`.
    Redirect(String),
    /// `exp=<domain-spec>` (does not count as a lookup).
    Explanation(String),
    /// Any other `name=value` modifier (ignored by receivers, RFC 7208 §6).
    Unknown(String, String),
}

/// A parsed SPF record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpfRecord {
    /// The terms in order.
    pub terms: Vec<Term>,
}

/// Why a record is malformed (a receiver's permerror); each names the term.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum SpfSyntaxError {
    /// The record does not begin with exactly `v=spf1`.
    #[error("the record must begin with exactly v=spf1 (it begins with “{0}”)")]
    Version(String),
    /// A term that is neither a known mechanism nor a modifier.
    #[error("“{0}” is not an SPF mechanism (known: all, include, a, mx, ptr, ip4, ip6, exists)")]
    UnknownMechanism(String),
    /// A bad IPv4 or IPv6 address or prefix length.
    #[error("“{0}” is not a valid IP address or network")]
    BadAddress(String),
    /// A mechanism that needs a domain has none, or a bad one.
    #[error("“{0}” needs a valid domain after the colon")]
    BadDomain(String),
    /// `redirect=` or `exp=` appears twice.
    #[error("the modifier {0}= appears more than once")]
    DuplicateModifier(String),
    /// A character that is not plain ASCII (RFC 7208 §3.1 keeps records to 7-bit text).
    #[error("the record has a character that is not plain ASCII ({0}); retype it by hand")]
    NotAscii(String),
    /// A malformed macro (RFC 7208 §7.1).
    #[error(
        "“{0}” has a malformed macro (use %{{s}}, %{{l}}, %{{o}}, %{{d}}, %{{i}}, %{{p}}, %{{h}}, %{{v}}, %% , %_ or %-)"
    )]
    BadMacro(String),
}

impl SpfRecord {
    /// Reads a record (TXT strings already joined) exactly as RFC 7208 §4.6 and §12 write it:
    /// any term the grammar refuses makes the whole record malformed (a receiver's permerror).
    pub fn parse(text: &str) -> Result<Self, SpfSyntaxError> {
        if let Some(c) = text.chars().find(|c| !c.is_ascii()) {
            return Err(SpfSyntaxError::NotAscii(c.escape_unicode().to_string()));
        }
        let mut words = text.split(' ').filter(|w| !w.is_empty());
        match words.next() {
            Some(v) if v.eq_ignore_ascii_case("v=spf1") && text.starts_with(v) => {}
            _ => return Err(SpfSyntaxError::Version(text.chars().take(12).collect())),
        }
        let mut terms = Vec::new();
        for word in words {
            let term = parse_term(word)?;
            let duplicate = match &term {
                Term::Redirect(_) => terms
                    .iter()
                    .any(|t| matches!(t, Term::Redirect(_)))
                    .then_some("redirect"),
                Term::Explanation(_) => terms
                    .iter()
                    .any(|t| matches!(t, Term::Explanation(_)))
                    .then_some("exp"),
                _ => None,
            };
            if let Some(name) = duplicate {
                return Err(SpfSyntaxError::DuplicateModifier(name.into()));
            }
            terms.push(term);
        }
        Ok(SpfRecord { terms })
    }

    /// The mechanisms, in order.
    pub fn mechanisms(&self) -> impl Iterator<Item = (&Qualifier, &Mechanism, &str)> {
        self.terms.iter().filter_map(|t| match t {
            Term::Mechanism(q, m, text) => Some((q, m, text.as_str())),
            _ => None,
        })
    }

    /// The `redirect=` target, if any.
    pub fn redirect(&self) -> Option<&str> {
        self.terms.iter().find_map(|t| match t {
            Term::Redirect(d) => Some(d.as_str()),
            _ => None,
        })
    }

    /// The `exp=` target, if any.
    pub fn explanation(&self) -> Option<&str> {
        self.terms.iter().find_map(|t| match t {
            Term::Explanation(d) => Some(d.as_str()),
            _ => None,
        })
    }

    /// Whether the record has an `all` mechanism (then `redirect=` is ignored, RFC 7208 §6.1).
    pub fn has_all(&self) -> bool {
        self.mechanisms().any(|(_, m, _)| *m == Mechanism::All)
    }
}

/// A modifier's name (RFC 7208 §12): a letter, then letters, digits, `-`, `_` or `.`.
fn is_modifier_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}

pub(crate) fn parse_term(word: &str) -> Result<Term, SpfSyntaxError> {
    if let Some(c) = word.chars().find(|c| !c.is_ascii()) {
        return Err(SpfSyntaxError::NotAscii(c.escape_unicode().to_string()));
    }
    if let Some((name, value)) = word.split_once('=')
        && is_modifier_name(name)
    {
        return Ok(match name.to_ascii_lowercase().as_str() {
            "redirect" => Term::Redirect(domain_spec(word, Some(value))?),
            "exp" => Term::Explanation(domain_spec(word, Some(value))?),
            _ => {
                macro_tokens(value, MacroContext::ModifierValue)
                    .ok_or_else(|| SpfSyntaxError::BadMacro(word.into()))?;
                Term::Unknown(name.to_owned(), value.to_owned())
            }
        });
    }
    let (qualifier, rest) = match word.as_bytes().first() {
        Some(b'+') => (Qualifier::Pass, &word[1..]),
        Some(b'-') => (Qualifier::Fail, &word[1..]),
        Some(b'~') => (Qualifier::SoftFail, &word[1..]),
        Some(b'?') => (Qualifier::Neutral, &word[1..]),
        _ => (Qualifier::Pass, word),
    };
    let split = rest.find([':', '/']).unwrap_or(rest.len());
    let (name, argument) = rest.split_at(split);
    let unknown = || SpfSyntaxError::UnknownMechanism(word.into());
    // After the name: nothing, `:argument`, or (for a and mx) `/cidr`.
    let spec = argument.strip_prefix(':');
    let mechanism = match name.to_ascii_lowercase().as_str() {
        "all" if argument.is_empty() => Mechanism::All,
        "include" => Mechanism::Include(domain_spec(word, spec)?),
        "exists" => Mechanism::Exists(domain_spec(word, spec)?),
        "ptr" if spec.is_some() || argument.is_empty() => {
            Mechanism::Ptr(spec.map(|s| domain_spec(word, Some(s))).transpose()?)
        }
        "a" | "mx" => {
            let (domain, cidr) = dual_cidr(word, argument)?;
            let domain = match domain {
                "" => None,
                d => Some(domain_spec(word, d.strip_prefix(':'))?),
            };
            if name.eq_ignore_ascii_case("a") {
                Mechanism::A(domain, cidr)
            } else {
                Mechanism::Mx(domain, cidr)
            }
        }
        "ip4" => {
            let (ip, len) = network(word, spec, 32)?;
            if !is_ip4_network(ip) {
                return Err(SpfSyntaxError::BadAddress(word.into()));
            }
            Mechanism::Ip4(
                ip.parse()
                    .map_err(|_| SpfSyntaxError::BadAddress(word.into()))?,
                len,
            )
        }
        "ip6" => {
            let (ip, len) = network(word, spec, 128)?;
            Mechanism::Ip6(
                ip.parse()
                    .map_err(|_| SpfSyntaxError::BadAddress(word.into()))?,
                len,
            )
        }
        _ => return Err(unknown()),
    };
    Ok(Term::Mechanism(qualifier, mechanism, word.to_owned()))
}

/// A CIDR length as the grammar writes it: no leading zero, at most `max`.
fn cidr_length(text: &str, max: u8) -> Option<u8> {
    let valid = !text.is_empty()
        && text.len() <= 3
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    valid
        .then(|| text.parse::<u8>().ok())
        .flatten()
        .filter(|len| *len <= max)
}

/// Splits `[:domain-spec][/cidr4][//cidr6]` into the domain part and the lengths. A slash
/// followed by digits ends the domain; when those digits are not a valid length, the term is
/// malformed (`/032`, `/33`, `//129`).
fn dual_cidr<'a>(word: &str, argument: &'a str) -> Result<(&'a str, DualCidr), SpfSyntaxError> {
    let bad = || SpfSyntaxError::BadAddress(word.into());
    let digits_after = |text: &'a str, at: usize, skip: usize| {
        let tail = &text[at + skip..];
        (!tail.is_empty() && tail.bytes().all(|b| b.is_ascii_digit())).then_some(tail)
    };
    let mut rest = argument;
    let mut cidr = DualCidr::default();
    if let Some(at) = rest.rfind("//")
        && let Some(len) = digits_after(rest, at, 2)
    {
        cidr.v6 = cidr_length(len, 128).ok_or_else(bad)?;
        rest = &rest[..at];
    }
    if let Some(at) = rest.rfind('/')
        && let Some(len) = digits_after(rest, at, 1)
    {
        cidr.v4 = cidr_length(len, 32).ok_or_else(bad)?;
        rest = &rest[..at];
    }
    if !(rest.is_empty() || rest.starts_with(':')) {
        return Err(SpfSyntaxError::UnknownMechanism(word.into()));
    }
    Ok((rest, cidr))
}

/// `ip4-network` (RFC 7208 §5.6): four decimal numbers without leading zeros.
fn is_ip4_network(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && (*p == "0" || !p.starts_with('0'))
        })
}

fn network<'a>(
    word: &str,
    argument: Option<&'a str>,
    max: u8,
) -> Result<(&'a str, u8), SpfSyntaxError> {
    let bad = || SpfSyntaxError::BadAddress(word.into());
    let argument = argument.filter(|a| !a.is_empty()).ok_or_else(bad)?;
    match argument.split_once('/') {
        Some((ip, len)) => Ok((ip, cidr_length(len, max).ok_or_else(bad)?)),
        None => Ok((argument, max)),
    }
}

fn domain_spec(word: &str, argument: Option<&str>) -> Result<String, SpfSyntaxError> {
    match argument {
        Some(d) if is_domain_spec(d) => Ok(d.to_owned()),
        Some(d) if macro_tokens(d, MacroContext::DomainSpec).is_none() && d.contains('%') => {
            Err(SpfSyntaxError::BadMacro(word.into()))
        }
        _ => Err(SpfSyntaxError::BadDomain(word.into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_kind_of_term() {
        let record = SpfRecord::parse(
            "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 a mx:mail.example.com/24 include:_spf.example.net \
             exists:%{i}._spf.%{d} ?ptr -all exp=explain.%{d} foo=bar",
        )
        .unwrap();
        let lookups = record
            .mechanisms()
            .filter(|(_, m, _)| m.queries_dns())
            .count();
        assert_eq!(lookups, 5);
        assert!(matches!(
            record.terms[0],
            Term::Mechanism(Qualifier::Pass, Mechanism::Ip4(_, 24), _)
        ));
        assert!(matches!(
            record.terms[7],
            Term::Mechanism(Qualifier::Fail, Mechanism::All, _)
        ));
        assert!(matches!(record.terms[8], Term::Explanation(_)));
        assert!(matches!(record.terms[9], Term::Unknown(..)));
        assert_eq!(
            SpfRecord::parse("v=spf1 redirect=_spf.example.com")
                .unwrap()
                .redirect(),
            Some("_spf.example.com")
        );
    }

    #[test]
    fn names_what_is_wrong() {
        let cases = [
            (
                " v=spf1 -all",
                SpfSyntaxError::Version(" v=spf1 -all".into()),
            ),
            ("spf1 -all", SpfSyntaxError::Version("spf1 -all".into())),
            (
                "v=spf1 ip4:192.0.2.300 -all",
                SpfSyntaxError::BadAddress("ip4:192.0.2.300".into()),
            ),
            (
                "v=spf1 ip4:192.0.2.0/33",
                SpfSyntaxError::BadAddress("ip4:192.0.2.0/33".into()),
            ),
            (
                "v=spf1 ip6:2001:db8::zz",
                SpfSyntaxError::BadAddress("ip6:2001:db8::zz".into()),
            ),
            (
                "v=spf1 inlcude:example.com",
                SpfSyntaxError::UnknownMechanism("inlcude:example.com".into()),
            ),
            (
                "v=spf1 include: -all",
                SpfSyntaxError::BadDomain("include:".into()),
            ),
            (
                "v=spf1 redirect=a.example redirect=b.example",
                SpfSyntaxError::DuplicateModifier("redirect".into()),
            ),
            (
                "v=spf1 exists:%{x}.example.com",
                SpfSyntaxError::BadMacro("exists:%{x}.example.com".into()),
            ),
            (
                "v=spf1 exists:%{i.example.com",
                SpfSyntaxError::BadMacro("exists:%{i.example.com".into()),
            ),
        ];
        for (record, expected) in cases {
            assert_eq!(SpfRecord::parse(record), Err(expected), "{record}");
        }
    }
}
