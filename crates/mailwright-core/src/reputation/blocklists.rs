//! Blocklists done honestly (RFC 5782): each list's test points are asked first, and a list
//! that answers them wrong is "cannot check from here"; Spamhaus's and URIBL's refusal answers
//! are refusals, never "listed"; an answer outside 127.0.0.0/8 is a resolver rewriting answers.
//! Every list is asked at once, through the configured DNS server, within [`DEADLINE`].

use std::net::{IpAddr, Ipv4Addr};
use std::sync::LazyLock;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::dns::{DnsClient, DnsConfig, RData, RecordType, reverse_name};
use crate::error::EngineError;

/// How long the whole blocklist check may take.
pub const DEADLINE: Duration = Duration::from_secs(5);

/// What a list is asked about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ListKind {
    /// Sending IP addresses.
    Ip,
    /// Domains.
    Domain,
}

/// One blocklist (catalog `blocklists.toml`, or one the user adds).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Blocklist {
    /// Its DNS zone.
    pub zone: String,
    /// Its name.
    pub name: String,
    /// What it lists.
    pub kind: ListKind,
    /// Where to ask for removal.
    #[serde(default)]
    pub delist: Option<String>,
    /// The name its operator documents as always listed (domain lists; `test` otherwise).
    #[serde(default)]
    pub test_listed: Option<String>,
    /// Answers and what they mean.
    #[serde(default)]
    pub codes: Vec<(String, String)>,
    /// Answers that are refusals, with why.
    #[serde(default)]
    pub refused: Vec<(String, String)>,
    /// The zone shown in verdicts when `zone` holds a secret (a Spamhaus DQS key).
    #[serde(skip)]
    pub shown_zone: Option<String>,
}

impl Blocklist {
    /// A list the user adds (`--blocklist zone[:ip|:domain]`), with the RFC 5782 test points.
    pub fn custom(zone: &str, kind: ListKind) -> Blocklist {
        Blocklist {
            zone: zone.trim().trim_end_matches('.').to_ascii_lowercase(),
            name: zone.trim().to_owned(),
            kind,
            delist: None,
            test_listed: None,
            codes: Vec::new(),
            refused: Vec::new(),
            shown_zone: None,
        }
    }

    /// The zone as verdicts show it (never a DQS key).
    pub fn public_zone(&self) -> String {
        self.shown_zone.clone().unwrap_or_else(|| self.zone.clone())
    }
}

/// Whether `key` looks like a Spamhaus Data Query Service key (26 lower-case letters and
/// digits; a DNS label, so nothing else can ride in the query name).
pub fn is_dqs_key(key: &str) -> bool {
    (20..=63).contains(&key.len())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
}

/// The lists with Spamhaus asked through its free Data Query Service with `key`
/// (`<key>.zen.dq.spamhaus.net`, `<key>.dbl.dq.spamhaus.net`): answered from any resolver,
/// public ones included. Spamhaus answers `127.255.255.250` when the key is not valid.
pub fn with_dqs_key(lists: &[Blocklist], key: &str) -> Vec<Blocklist> {
    lists
        .iter()
        .map(|list| {
            let Some(stem) = list.zone.strip_suffix(".spamhaus.org") else {
                return list.clone();
            };
            let mut dqs = list.clone();
            dqs.zone = format!("{key}.{stem}.dq.spamhaus.net");
            dqs.shown_zone = Some(format!("{stem}.dq.spamhaus.net"));
            dqs.refused.push((
                "127.255.255.250".into(),
                "Spamhaus did not accept your DQS key: check it in your Spamhaus account, then save it again".into(),
            ));
            dqs
        })
        .collect()
}

static LISTS: LazyLock<Vec<Blocklist>> =
    LazyLock::new(|| crate::catalog::table(include_str!("../catalog/blocklists.toml"), "list"));

/// The catalog's blocklists.
pub fn blocklists() -> &'static [Blocklist] {
    &LISTS
}

/// What one list says about one address or domain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
#[ts(export)]
pub enum Listing {
    /// Not listed.
    NotListed,
    /// Listed: what the answers mean, and where to ask for removal.
    Listed {
        /// The meaning of each answer.
        reasons: Vec<String>,
        /// Where to ask for removal.
        delist: Option<String>,
    },
    /// The list cannot be trusted from here: why.
    CannotCheck {
        /// Why, in a sentence.
        why: String,
    },
}

/// One list's verdict on one subject.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListVerdict {
    /// The list's name.
    pub list: String,
    /// Its zone.
    pub zone: String,
    /// The address or domain asked about.
    pub subject: String,
    /// The verdict.
    pub listing: Listing,
}

/// The name asked for `subject` on `list`.
fn query_name(list: &Blocklist, subject: &str) -> Option<String> {
    match (list.kind, subject.parse::<IpAddr>()) {
        (ListKind::Ip, Ok(ip)) => {
            let reversed = reverse_name(ip);
            let stem = reversed
                .trim_end_matches(".in-addr.arpa")
                .trim_end_matches(".ip6.arpa");
            Some(format!("{stem}.{}", list.zone))
        }
        (ListKind::Domain, Err(_)) => Some(format!(
            "{}.{}",
            subject.trim_end_matches('.').to_ascii_lowercase(),
            list.zone
        )),
        _ => None,
    }
}

/// The A answers for `name`: `Ok(answers)` (empty: not listed), `Err(why)` when the lookup
/// failed.
async fn answers(client: &DnsClient, name: &str) -> Result<Vec<Ipv4Addr>, String> {
    let lookup = client.lookup(name, RecordType::A).await;
    if lookup.failed() {
        return Err("its DNS server did not answer in time".into());
    }
    Ok(lookup
        .records()
        .iter()
        .filter_map(|r| match r {
            RData::A(a) => Some(a.0),
            _ => None,
        })
        .collect())
}

/// Reads a list's answers: a refusal, tampering, or the listing.
fn read(list: &Blocklist, found: &[Ipv4Addr]) -> Listing {
    if found.is_empty() {
        return Listing::NotListed;
    }
    if let Some(outside) = found.iter().find(|a| a.octets()[0] != 127) {
        return Listing::CannotCheck {
            why: format!(
                "it answered {outside}, outside 127.0.0.0/8: your DNS resolver rewrites answers, so no listing can be trusted from here"
            ),
        };
    }
    if let Some((_, why)) = list
        .refused
        .iter()
        .find(|(code, _)| found.iter().any(|a| a.to_string() == *code))
    {
        return Listing::CannotCheck { why: why.clone() };
    }
    Listing::Listed {
        reasons: found
            .iter()
            .map(|a| {
                list.codes
                    .iter()
                    .find(|(code, _)| *code == a.to_string())
                    .map_or_else(|| format!("listed (answer {a})"), |(_, m)| m.clone())
            })
            .collect(),
        delist: list.delist.clone(),
    }
}

/// Whether `list` answers its test points right: `None` when it does, else why not.
async fn test_points(client: &DnsClient, list: &Blocklist) -> Option<String> {
    let (listed, unlisted) = match list.kind {
        ListKind::Ip => ("127.0.0.2".to_owned(), "127.0.0.1".to_owned()),
        ListKind::Domain => (
            list.test_listed.clone().unwrap_or_else(|| "test".into()),
            "invalid".to_owned(),
        ),
    };
    let (listed_name, unlisted_name) = (query_name(list, &listed)?, query_name(list, &unlisted)?);
    let (yes, no) = futures::join!(
        answers(client, &listed_name),
        answers(client, &unlisted_name)
    );
    match (yes, no) {
        (Err(why), _) | (_, Err(why)) => Some(why),
        (Ok(yes), Ok(no)) => {
            if let Listing::CannotCheck { why } = read(list, &yes) {
                Some(why)
            } else if yes.is_empty() {
                Some(format!(
                    "its test entry {listed} is not listed, so the list is not answering as documented"
                ))
            } else if !no.is_empty() {
                Some(format!(
                    "it lists {unlisted}, which no list may list: it answers \"listed\" for everything"
                ))
            } else {
                None
            }
        }
    }
}

/// Asks every list in `lists` about every subject of its kind (`ips` and `domains`), all at
/// once, after each list's test points.
pub async fn check_blocklists(
    lists: &[Blocklist],
    ips: &[IpAddr],
    domains: &[String],
    dns: &DnsConfig,
) -> Result<Vec<ListVerdict>, EngineError> {
    let mut config = dns.clone();
    config.deadline = DEADLINE;
    let client = DnsClient::new(&config, None)?;
    let client = &client;
    let per_list = lists.iter().map(|list| async move {
        let subjects: Vec<String> = match list.kind {
            ListKind::Ip => ips.iter().map(IpAddr::to_string).collect(),
            ListKind::Domain => domains.to_vec(),
        };
        if subjects.is_empty() {
            return Vec::new();
        }
        if let Some(why) = test_points(client, list).await {
            return subjects
                .into_iter()
                .map(|subject| ListVerdict {
                    list: list.name.clone(),
                    zone: list.public_zone(),
                    subject,
                    listing: Listing::CannotCheck { why: why.clone() },
                })
                .collect();
        }
        let asked = subjects.into_iter().map(|subject| async move {
            let listing = match query_name(list, &subject) {
                None => Listing::CannotCheck {
                    why: "this list does not take this kind of name".into(),
                },
                Some(name) => match answers(client, &name).await {
                    Ok(found) => read(list, &found),
                    Err(why) => Listing::CannotCheck { why },
                },
            };
            ListVerdict {
                list: list.name.clone(),
                zone: list.public_zone(),
                subject,
                listing,
            }
        });
        futures::future::join_all(asked).await
    });
    Ok(futures::future::join_all(per_list)
        .await
        .into_iter()
        .flatten()
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_answers_and_refusals() {
        let zen = blocklists()
            .iter()
            .find(|l| l.zone == "zen.spamhaus.org")
            .unwrap();
        assert_eq!(
            query_name(zen, "192.0.2.99").as_deref(),
            Some("99.2.0.192.zen.spamhaus.org")
        );
        assert!(query_name(zen, "example.com").is_none());
        let refused = read(zen, &["127.255.255.254".parse().unwrap()]);
        assert!(
            matches!(refused, Listing::CannotCheck { why } if why.contains("public DNS resolvers"))
        );
        let tampered = read(zen, &["10.0.0.1".parse().unwrap()]);
        assert!(matches!(tampered, Listing::CannotCheck { why } if why.contains("rewrites")));
        let listed = read(zen, &["127.0.0.4".parse().unwrap()]);
        assert!(matches!(listed, Listing::Listed { reasons, .. } if reasons[0].contains("XBL")));
        assert!(
            !blocklists()
                .iter()
                .any(|l| l.zone.contains("sorbs") || l.zone.contains("ahbl"))
        );
    }

    #[test]
    fn a_dqs_key_asks_spamhaus_privately_and_is_never_shown() {
        let key = "abcdefghijklmnopqrstuvwxyz";
        assert!(is_dqs_key(key));
        assert!(!is_dqs_key("abc.evil.example"));
        assert!(!is_dqs_key("short"));
        let lists = with_dqs_key(blocklists(), key);
        let zen = lists.iter().find(|l| l.name == "Spamhaus ZEN").unwrap();
        assert_eq!(zen.zone, format!("{key}.zen.dq.spamhaus.net"));
        assert_eq!(zen.public_zone(), "zen.dq.spamhaus.net");
        assert_eq!(
            query_name(zen, "192.0.2.99").as_deref(),
            Some(format!("99.2.0.192.{key}.zen.dq.spamhaus.net").as_str())
        );
        assert!(matches!(
            read(zen, &["127.255.255.250".parse().unwrap()]),
            Listing::CannotCheck { why } if why.contains("DQS key")
        ));
        let others = lists.iter().filter(|l| !l.name.starts_with("Spamhaus"));
        assert!(others.clone().all(|l| l.shown_zone.is_none()));
        assert_eq!(others.count(), blocklists().len() - 2);
    }
}
