//! A strict reader for SPF records (RFC 7208 §4.6, §5, §6, §7): every term typed, and a named
//! reason for every way a record can be malformed.

use std::net::{Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

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
    /// `a[:<domain-spec>][/cidr]`.
    A(Option<String>),
    /// `mx[:<domain-spec>][/cidr]`.
    Mx(Option<String>),
    /// `ptr[:<domain-spec>]`.
    Ptr(Option<String>),
    /// `ip4:<address>[/len]`.
    Ip4(Ipv4Addr, u8),
    /// `ip6:<address>[/len]`.
    Ip6(Ipv6Addr, u8),
    /// `exists:<domain-spec>`.
    Exists(String),
}

impl Mechanism {
    /// Whether evaluating it costs one of the 10 DNS-querying terms (RFC 7208 §4.6.4).
    pub fn queries_dns(&self) -> bool {
        matches!(
            self,
            Mechanism::Include(_)
                | Mechanism::A(_)
                | Mechanism::Mx(_)
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
    /// A malformed macro (RFC 7208 §7.1).
    #[error(
        "“{0}” has a malformed macro (use %{{s}}, %{{l}}, %{{o}}, %{{d}}, %{{i}}, %{{p}}, %{{h}}, %{{v}}, %% , %_ or %-)"
    )]
    BadMacro(String),
}

impl SpfRecord {
    /// Reads a record (TXT strings already joined).
    pub fn parse(text: &str) -> Result<Self, SpfSyntaxError> {
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
}

pub(crate) fn parse_term(word: &str) -> Result<Term, SpfSyntaxError> {
    // A modifier is name=value where name starts with a letter and has no ':' before '='.
    if let Some((name, value)) = word.split_once('=')
        && !name.contains(':')
        && !name.contains('/')
        && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
    {
        check_macros(word, value)?;
        return Ok(match name.to_ascii_lowercase().as_str() {
            "redirect" => Term::Redirect(domain_spec(word, Some(value))?),
            "exp" => Term::Explanation(domain_spec(word, Some(value))?),
            _ => Term::Unknown(name.to_owned(), value.to_owned()),
        });
    }
    let (qualifier, rest) = match word.as_bytes()[0] {
        b'+' => (Qualifier::Pass, &word[1..]),
        b'-' => (Qualifier::Fail, &word[1..]),
        b'~' => (Qualifier::SoftFail, &word[1..]),
        b'?' => (Qualifier::Neutral, &word[1..]),
        _ => (Qualifier::Pass, word),
    };
    let (name, argument) = match rest.find([':', '/']) {
        Some(i) if rest.as_bytes()[i] == b':' => (&rest[..i], Some(&rest[i + 1..])),
        Some(i) => (&rest[..i], None),
        None => (rest, None),
    };
    let mechanism = match name.to_ascii_lowercase().as_str() {
        "all" if rest.len() == 3 => Mechanism::All,
        "include" => Mechanism::Include(domain_spec(word, argument)?),
        "exists" => Mechanism::Exists(domain_spec(word, argument)?),
        "a" => Mechanism::A(optional_domain(word, without_cidr(argument))?),
        "mx" => Mechanism::Mx(optional_domain(word, without_cidr(argument))?),
        "ptr" => Mechanism::Ptr(optional_domain(word, argument)?),
        "ip4" => {
            let (ip, len) = network(word, argument, 32)?;
            Mechanism::Ip4(
                ip.parse()
                    .map_err(|_| SpfSyntaxError::BadAddress(word.into()))?,
                len,
            )
        }
        "ip6" => {
            let (ip, len) = network(word, argument, 128)?;
            Mechanism::Ip6(
                ip.parse()
                    .map_err(|_| SpfSyntaxError::BadAddress(word.into()))?,
                len,
            )
        }
        _ => return Err(SpfSyntaxError::UnknownMechanism(word.into())),
    };
    if let Some(argument) = argument {
        check_macros(word, argument)?;
    }
    Ok(Term::Mechanism(qualifier, mechanism, word.to_owned()))
}

/// The domain part of `a:`/`mx:` arguments, without a `/cidr` suffix.
fn without_cidr(argument: Option<&str>) -> Option<&str> {
    argument.map(|a| a.split('/').next().unwrap_or(a))
}

fn network<'a>(
    word: &str,
    argument: Option<&'a str>,
    max: u8,
) -> Result<(&'a str, u8), SpfSyntaxError> {
    let bad = || SpfSyntaxError::BadAddress(word.into());
    let argument = argument.filter(|a| !a.is_empty()).ok_or_else(bad)?;
    match argument.split_once('/') {
        Some((ip, len)) => {
            let len: u8 = len.parse().map_err(|_| bad())?;
            if len > max {
                return Err(bad());
            }
            Ok((ip, len))
        }
        None => Ok((argument, max)),
    }
}

fn domain_spec(word: &str, argument: Option<&str>) -> Result<String, SpfSyntaxError> {
    match argument {
        Some(d) if valid_domain_spec(d) => Ok(d.to_owned()),
        _ => Err(SpfSyntaxError::BadDomain(word.into())),
    }
}

fn optional_domain(word: &str, argument: Option<&str>) -> Result<Option<String>, SpfSyntaxError> {
    argument.map(|a| domain_spec(word, Some(a))).transpose()
}

/// A domain-spec: labels of letters, digits, hyphens and underscores, or macros; at least one dot
/// unless it is a macro.
fn valid_domain_spec(spec: &str) -> bool {
    !spec.is_empty()
        && (spec.contains('%') || spec.contains('.'))
        && spec
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._%{}+=,/|".contains(c))
}

/// RFC 7208 §7.1 macro syntax, checked (never expanded).
fn check_macros(word: &str, text: &str) -> Result<(), SpfSyntaxError> {
    let bad = || SpfSyntaxError::BadMacro(word.into());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            continue;
        }
        match chars.next() {
            Some('%' | '_' | '-') => {}
            Some('{') => {
                let letter = chars.next().ok_or_else(bad)?;
                if !"slodiphcrtvSLODIPHCRTV".contains(letter) {
                    return Err(bad());
                }
                let mut closed = false;
                for c in chars.by_ref() {
                    if c == '}' {
                        closed = true;
                        break;
                    }
                    if !(c.is_ascii_digit() || c == 'r' || c == 'R' || ".-+,/_=".contains(c)) {
                        return Err(bad());
                    }
                }
                if !closed {
                    return Err(bad());
                }
            }
            _ => return Err(bad()),
        }
    }
    Ok(())
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
