//! The provider mix counted from a pasted or imported list of recipient addresses or domains.
//! Only per-domain counts are kept: the addresses themselves are dropped as they are read.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

use super::inputs::ProviderMix;
use super::provider::Provider;
use crate::domain::parse_domain_input;

/// How many recipients one domain has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DomainCount {
    /// The domain, such as gmail.com.
    pub domain: String,
    /// Recipients at it.
    pub count: u32,
    /// The mailbox provider it belongs to.
    pub provider: Provider,
}

/// The list, counted: per domain, biggest first, and the mix in percent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecipientCounts {
    /// The biggest domains (at most [`KEPT_DOMAINS`]); the rest are in `others`.
    pub domains: Vec<DomainCount>,
    /// Recipients at domains not listed in `domains`.
    pub others: u32,
    /// Addresses or domains read.
    pub total: u32,
    /// Entries that were neither an address nor a domain (a header, a name, junk).
    pub skipped: u32,
    /// The mix in percent, adding up to 100.
    pub mix: ProviderMix,
}

/// Domains kept by name in [`RecipientCounts`].
pub const KEPT_DOMAINS: usize = 50;

/// A list with nothing to count.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error(
    "No email address or domain was found in the list ({skipped} entries were neither). Paste one address or domain per line, or choose a CSV file with an email column."
)]
pub struct EmptyList {
    /// Entries that were neither an address nor a domain.
    pub skipped: u32,
}

impl crate::error::FeatureError for EmptyList {
    fn code(&self) -> &'static str {
        "empty_recipient_list"
    }
}

/// Counts the domains in `text`: addresses or domains separated by lines, commas, semicolons,
/// tabs or spaces (a CSV export works; names and headers are skipped).
pub fn count_recipients(text: &str) -> Result<RecipientCounts, EmptyList> {
    let mut counts: BTreeMap<String, u32> = BTreeMap::new();
    let mut skipped = 0u32;
    let tokens = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '\t'))
        .map(|t| t.trim_matches(|c: char| matches!(c, '"' | '\'' | '<' | '>' | '(' | ')')))
        .filter(|t| !t.is_empty());
    for token in tokens {
        let domain = match token.rsplit_once('@') {
            Some((local, domain)) if !local.is_empty() => domain,
            Some(_) => "",
            None if token.contains('.') => token,
            None => "",
        };
        match parse_domain_input(domain) {
            Ok(input) if domain.contains('.') => {
                *counts.entry(input.domain.as_str().to_owned()).or_default() += 1;
            }
            _ => skipped = skipped.saturating_add(1),
        }
    }
    let total: u32 = counts.values().sum();
    if total == 0 {
        return Err(EmptyList { skipped });
    }
    let mut by_provider = [0u64; 4];
    for (domain, count) in &counts {
        by_provider[Provider::of_domain(domain) as usize] += u64::from(*count);
    }
    let mut domains: Vec<DomainCount> = counts
        .into_iter()
        .map(|(domain, count)| DomainCount {
            provider: Provider::of_domain(&domain),
            domain,
            count,
        })
        .collect();
    domains.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.domain.cmp(&b.domain)));
    let others = domains.iter().skip(KEPT_DOMAINS).map(|d| d.count).sum();
    domains.truncate(KEPT_DOMAINS);
    Ok(RecipientCounts {
        domains,
        others,
        total,
        skipped,
        mix: percentages(by_provider),
    })
}

/// Shares in percent that add up to exactly 100 (largest remainder).
fn percentages(counts: [u64; 4]) -> ProviderMix {
    let total: u64 = counts.iter().sum::<u64>().max(1);
    let mut pct: Vec<(usize, u64, u64)> = counts
        .iter()
        .enumerate()
        .map(|(i, c)| (i, c * 100 / total, c * 100 % total))
        .collect();
    let missing = 100 - pct.iter().map(|p| p.1).sum::<u64>();
    let mut order: Vec<usize> = (0..4).collect();
    order.sort_by(|a, b| pct[*b].2.cmp(&pct[*a].2).then(a.cmp(b)));
    for i in order
        .into_iter()
        .take(usize::try_from(missing).unwrap_or(0))
    {
        pct[i].1 += 1;
    }
    let value = |i: usize| u32::try_from(pct[i].1).unwrap_or(100);
    ProviderMix {
        gmail: value(Provider::Gmail as usize),
        microsoft: value(Provider::Microsoft as usize),
        yahoo: value(Provider::Yahoo as usize),
        other: value(Provider::Other as usize),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_domains_and_drops_addresses() {
        let list = "email,name\nann@gmail.com,Ann\n\"Bob\" <bob@Hotmail.co.uk>\ncarol@yahoo.com; dan@example.org\nexample.org\nnot an address\n";
        let counts = count_recipients(list).unwrap();
        assert_eq!(counts.total, 5);
        assert_eq!(counts.domains[0].domain, "example.org");
        assert_eq!(counts.domains[0].count, 2);
        assert_eq!(
            counts.mix,
            ProviderMix {
                gmail: 20,
                microsoft: 20,
                yahoo: 20,
                other: 40
            }
        );
        assert!(counts.skipped >= 5, "{counts:?}");
        let json = serde_json::to_string(&counts).unwrap();
        assert!(!json.contains("ann") && !json.contains('@'), "{json}");
    }

    #[test]
    fn shares_always_add_up_to_100() {
        let list = "a@gmail.com\nb@gmail.com\nc@outlook.com\n";
        let mix = count_recipients(list).unwrap().mix;
        assert_eq!(mix.gmail + mix.microsoft + mix.yahoo + mix.other, 100);
        assert_eq!((mix.gmail, mix.microsoft), (67, 33));
    }

    #[test]
    fn a_list_without_addresses_is_refused() {
        let error = count_recipients("name\nAnn\n\n").unwrap_err();
        assert_eq!(error.skipped, 2);
        assert!(error.to_string().contains("No email address"));
    }
}
