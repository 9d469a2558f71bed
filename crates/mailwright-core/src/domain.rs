//! Validated names: the user's domain (IDNA, pasted URLs and addresses) and DKIM selectors.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

/// A domain name checked for DNS: ASCII (punycode) for lookups, Unicode for people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DomainName {
    /// Lower-case ASCII form, no trailing dot, e.g. `xn--bcher-kva.example`.
    pub ascii: String,
    /// The form people read, e.g. `bücher.example`.
    pub unicode: String,
}

impl DomainName {
    /// The ASCII name, used for every lookup.
    pub fn as_str(&self) -> &str {
        &self.ascii
    }
}

impl std::fmt::Display for DomainName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.ascii)
    }
}

/// What the user typed, turned into a domain, with a note when something was taken out of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DomainInput {
    /// The domain that will be checked.
    pub domain: DomainName,
    /// Said to the user when the input was a URL or an e-mail address.
    pub note: Option<String>,
}

/// Why typed text is not a usable domain; each message says what to type instead.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum DomainError {
    /// Nothing was typed.
    #[error("Type your domain name, for example example.com.")]
    Empty,
    /// An IP address was typed.
    #[error(
        "“{0}” is an IP address. Type the domain name your mail is sent from, for example example.com."
    )]
    IpAddress(String),
    /// A name with only one label.
    #[error("“{0}” is not a complete domain name. Type it with its ending, for example {0}.com.")]
    SingleLabel(String),
    /// Too long for DNS.
    #[error(
        "“{0}” is too long for a domain name: the whole name may have at most 253 characters and each part between dots at most 63."
    )]
    TooLong(String),
    /// Characters or shape DNS does not allow.
    #[error(
        "“{0}” is not a valid domain name. Use letters, digits and hyphens, with dots between the parts, for example example.com."
    )]
    Invalid(String),
    /// A DKIM selector that is not a DNS label.
    #[error(
        "“{0}” is not a valid DKIM selector. Use only letters, digits and hyphens (at most 63), for example selector1."
    )]
    Selector(String),
}

impl crate::error::FeatureError for DomainError {
    fn code(&self) -> &'static str {
        match self {
            DomainError::Selector(_) => "invalid_selector",
            _ => "invalid_domain",
        }
    }
}

/// Turns what the user typed or pasted into a domain name.
///
/// Accepts internationalized names, a URL (`https://www.example.com/x` → `example.com`) or an
/// e-mail address (`alice@example.com` → `example.com`); says in `note` what was taken.
pub fn parse_domain_input(input: &str) -> Result<DomainInput, DomainError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(DomainError::Empty);
    }
    let (candidate, note) = extract(text)?;
    let domain = validate(&candidate)?;
    let note = note.map(|from| format!("{from} We will check {}.", domain.unicode));
    Ok(DomainInput { domain, note })
}

/// Pulls the host out of a URL or the domain out of an address; the note says which.
fn extract(text: &str) -> Result<(String, Option<String>), DomainError> {
    // Every leading `mailto:` at once, in a loop: a hostile `mailto:mailto:…` token in a
    // recipients file must not recurse once per prefix.
    let mut address = text;
    while let Some(rest) = address
        .get(..7)
        .filter(|p| p.eq_ignore_ascii_case("mailto:"))
        .map(|_| &address[7..])
    {
        address = rest;
    }
    if address.len() < text.len() {
        return extract_link_free(address)
            .map(|(d, _)| (d, Some(format!("You pasted a mail link ({text})."))));
    }
    extract_link_free(text)
}

/// [`extract`] for text without a `mailto:` prefix.
fn extract_link_free(text: &str) -> Result<(String, Option<String>), DomainError> {
    if text.contains("://") || (text.contains('/') && !text.contains('@')) {
        let with_scheme = if text.contains("://") {
            text.to_owned()
        } else {
            format!("http://{text}")
        };
        let host = url::Url::parse(&with_scheme)
            .ok()
            .and_then(|url| url.host_str().map(str::to_owned))
            .filter(|host| !host.is_empty())
            .ok_or_else(|| DomainError::Invalid(text.to_owned()))?;
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        if host.parse::<IpAddr>().is_ok() {
            return Err(DomainError::IpAddress(host));
        }
        let domain = host
            .strip_prefix("www.")
            .filter(|rest| rest.contains('.'))
            .unwrap_or(&host);
        return Ok((
            domain.to_owned(),
            Some(format!(
                "You pasted a web address ({text}); mail uses the domain part."
            )),
        ));
    }
    if let Some((local, domain)) = text.rsplit_once('@') {
        if domain.trim().is_empty() {
            return Err(DomainError::Invalid(text.to_owned()));
        }
        let what = if local.is_empty() {
            "an @-name".to_owned()
        } else {
            format!("an e-mail address ({text})")
        };
        return Ok((
            domain.trim().to_owned(),
            Some(format!("You typed {what}; its domain is what matters.")),
        ));
    }
    Ok((text.to_owned(), None))
}

/// Checks a bare name with IDNA (UTS #46, STD3 rules) and DNS length limits.
fn validate(name: &str) -> Result<DomainName, DomainError> {
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.parse::<IpAddr>().is_ok() {
        return Err(DomainError::IpAddress(name.to_owned()));
    }
    if name.chars().any(char::is_whitespace) || name.is_empty() {
        return Err(DomainError::Invalid(name.to_owned()));
    }
    let ascii = idna::domain_to_ascii(name).map_err(|_| DomainError::Invalid(name.to_owned()))?;
    // RFC 1035 §2.3.4: labels of at most 63 octets, names of at most 253 characters.
    if ascii.len() > 253 || ascii.split('.').any(|label| label.len() > 63) {
        return Err(DomainError::TooLong(name.to_owned()));
    }
    let ascii =
        idna::domain_to_ascii_strict(&ascii).map_err(|_| DomainError::Invalid(name.to_owned()))?;
    let labels: Vec<&str> = ascii.split('.').collect();
    if labels.iter().any(|label| label.is_empty()) {
        return Err(DomainError::Invalid(name.to_owned()));
    }
    if labels.len() < 2 {
        return Err(DomainError::SingleLabel(name.to_owned()));
    }
    if labels
        .last()
        .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(DomainError::Invalid(name.to_owned()));
    }
    let (unicode, _) = idna::domain_to_unicode(&ascii);
    Ok(DomainName { ascii, unicode })
}

/// A DKIM selector: one DNS label of letters, digits and hyphens, at most 63 long.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Selector(String);

impl Selector {
    /// Validates and lower-cases a selector.
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let text = text.trim().to_ascii_lowercase();
        let ok = !text.is_empty()
            && text.len() <= 63
            && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !text.starts_with('-')
            && !text.ends_with('-');
        if ok {
            Ok(Selector(text))
        } else {
            Err(DomainError::Selector(text))
        }
    }

    /// The selector text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> DomainInput {
        parse_domain_input(input).unwrap_or_else(|e| panic!("{input}: {e}"))
    }

    #[test]
    fn plain_names_are_lower_cased_without_note() {
        let parsed = ok("  Example.COM. ");
        assert_eq!(parsed.domain.ascii, "example.com");
        assert_eq!(parsed.note, None);
    }

    #[test]
    fn internationalized_names_get_both_forms() {
        let parsed = ok("Bücher.example");
        assert_eq!(parsed.domain.ascii, "xn--bcher-kva.example");
        assert_eq!(parsed.domain.unicode, "bücher.example");
        assert_eq!(ok("xn--bcher-kva.example").domain.unicode, "bücher.example");
    }

    #[test]
    fn urls_give_their_host_with_a_note() {
        let parsed = ok("https://www.example.com/x");
        assert_eq!(parsed.domain.ascii, "example.com");
        let note = parsed.note.unwrap();
        assert!(
            note.contains("web address") && note.contains("example.com"),
            "{note}"
        );
        assert_eq!(ok("example.org/contact").domain.ascii, "example.org");
        assert_eq!(
            ok("http://mail.example.net:8080").domain.ascii,
            "mail.example.net"
        );
    }

    #[test]
    fn addresses_give_their_domain_with_a_note() {
        let parsed = ok("alice@example.com");
        assert_eq!(parsed.domain.ascii, "example.com");
        assert!(parsed.note.unwrap().contains("alice@example.com"));
        assert_eq!(
            ok("mailto:bob@Sub.Example.com").domain.ascii,
            "sub.example.com"
        );
        assert_eq!(
            ok("MAILTO:mailto:bob@example.com").domain.ascii,
            "example.com"
        );
    }

    #[test]
    fn a_long_run_of_mail_link_prefixes_is_read_without_recursion() {
        // A million prefixes overflowed the stack when each one was a recursive call.
        let hostile = format!("{}bob@example.com", "mailto:".repeat(1_000_000));
        let parsed = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || parse_domain_input(&hostile).map(|p| p.domain.ascii))
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(parsed.unwrap(), "example.com");
    }

    #[test]
    fn impossible_input_gets_a_sentence() {
        assert_eq!(parse_domain_input("   "), Err(DomainError::Empty));
        assert!(matches!(
            parse_domain_input("192.0.2.7"),
            Err(DomainError::IpAddress(_))
        ));
        assert!(matches!(
            parse_domain_input("https://192.0.2.7/"),
            Err(DomainError::IpAddress(_))
        ));
        assert!(matches!(
            parse_domain_input("localhost"),
            Err(DomainError::SingleLabel(_))
        ));
        assert!(matches!(
            parse_domain_input("exa mple.com"),
            Err(DomainError::Invalid(_))
        ));
        assert!(matches!(
            parse_domain_input("ex_ample.com"),
            Err(DomainError::Invalid(_))
        ));
        assert!(matches!(
            parse_domain_input("a..com"),
            Err(DomainError::Invalid(_))
        ));
        assert!(matches!(
            parse_domain_input("alice@"),
            Err(DomainError::Invalid(_))
        ));
        assert!(matches!(
            parse_domain_input("1.2.3.4.5"),
            Err(DomainError::Invalid(_))
        ));
        let long = format!("{}.com", "a".repeat(64));
        assert!(matches!(
            parse_domain_input(&long),
            Err(DomainError::TooLong(_))
        ));
        for bad in ["", "192.0.2.7", "localhost", "exa mple.com"] {
            let message = parse_domain_input(bad).unwrap_err().to_string();
            assert!(
                message.ends_with('.') && !message.contains("Err"),
                "{message}"
            );
        }
    }

    #[test]
    fn selectors_are_dns_labels() {
        assert_eq!(Selector::parse(" Mw202611 ").unwrap().as_str(), "mw202611");
        for bad in ["", "-a", "a-", "a.b", "a_b", &"x".repeat(64)] {
            assert!(Selector::parse(bad).is_err(), "{bad}");
        }
    }
}
