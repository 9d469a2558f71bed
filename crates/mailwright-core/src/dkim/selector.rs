//! Choosing a selector: a dated suggestion (`mw202611`), and the guard against replacing a
//! record that is already published.

use crate::dns::RecordType;
use jiff::civil::Date;

use super::DkimError;
use super::findings::{KeyState, key_state};
use crate::dns::{DnsClient, DnsConfig};
use crate::domain::{DomainName, Selector};
use crate::error::EngineError;

/// A dated selector for a key made on `today` — `mw` + year + month — with a letter added when
/// that one is `taken` (`mw202611b`, `mw202611c`, …).
pub fn suggest_selector(today: Date, taken: &[String]) -> Selector {
    let base = format!("mw{:04}{:02}", today.year(), today.month());
    let candidate = std::iter::once(base.clone())
        .chain(('b'..='z').map(|c| format!("{base}{c}")))
        .find(|s| !taken.iter().any(|t| t.eq_ignore_ascii_case(s)))
        .unwrap_or_else(|| format!("{base}{:02}", today.day()));
    Selector::parse(&candidate).expect("letters and digits make a valid selector")
}

/// What is at a selector before a key is made for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SelectorUse {
    /// Nothing is published there: safe to use.
    Free,
    /// A DKIM record (or a CNAME to one) is published there.
    Published {
        /// The record name.
        name: String,
        /// The record as published.
        record: String,
    },
    /// The lookup failed, so it is not known.
    Unknown,
}

/// Looks up what is published at `<selector>._domainkey.<domain>`.
pub async fn selector_use(
    domain: &DomainName,
    selector: &Selector,
    dns: &DnsConfig,
) -> Result<SelectorUse, EngineError> {
    let client = DnsClient::new(dns, None)?;
    let name = format!("{}._domainkey.{domain}", selector.as_str());
    let lookup = client.lookup(&name, RecordType::TXT).await;
    if lookup.failed() {
        return Ok(SelectorUse::Unknown);
    }
    Ok(match key_state(&lookup) {
        (KeyState::Absent, _) if lookup.cnames.is_empty() => SelectorUse::Free,
        (_, record) => SelectorUse::Published {
            name,
            record: record.unwrap_or_else(|| "a CNAME to another name".into()),
        },
    })
}

/// Refuses to make a key for a selector that is in use, or whose use could not be looked up,
/// unless the user said to replace it.
pub fn guard_selector(status: &SelectorUse, replace: bool) -> Result<(), DkimError> {
    match status {
        SelectorUse::Published { name, .. } if !replace => {
            Err(DkimError::SelectorInUse(name.clone()))
        }
        // Not known is not free: what is published there may be in use.
        SelectorUse::Unknown if !replace => Err(DkimError::SelectorUnknown),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_month_then_a_letter() {
        let today = jiff::civil::date(2026, 11, 22);
        assert_eq!(suggest_selector(today, &[]).as_str(), "mw202611");
        let taken = vec!["MW202611".to_owned(), "mw202611b".to_owned()];
        assert_eq!(suggest_selector(today, &taken).as_str(), "mw202611c");
        assert_eq!(
            suggest_selector(jiff::civil::date(2027, 3, 1), &taken).as_str(),
            "mw202703"
        );
    }

    #[test]
    fn a_published_selector_needs_consent() {
        let published = SelectorUse::Published {
            name: "mw._domainkey.example.com".into(),
            record: "v=DKIM1; p=MII".into(),
        };
        let error = guard_selector(&published, false).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("already published at mw._domainkey.example.com")
        );
        assert!(guard_selector(&published, true).is_ok());
        assert!(guard_selector(&SelectorUse::Free, false).is_ok());
        assert!(matches!(
            guard_selector(&SelectorUse::Unknown, false),
            Err(DkimError::SelectorUnknown)
        ));
        assert!(guard_selector(&SelectorUse::Unknown, true).is_ok());
    }
}
