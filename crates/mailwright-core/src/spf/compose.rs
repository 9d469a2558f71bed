//! The SPF composer: the published record merged with the inventory's mechanisms into exactly
//! one record. Nothing the user had is dropped unless they asked for it by name.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Mechanism, Qualifier, Term};
use crate::dns_record::DnsRecord;
use crate::senders::{Inventory, InventoryError, ReturnPath, sender_for_term};
use crate::spf_record::parse_term;
use crate::weaker::Weaker;

/// How the record ends: what receivers do with mail from servers not listed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[ts(export)]
pub enum AllPolicy {
    /// `~all` (softfail): the safe default while forwarding and unknown senders are sorted out.
    #[default]
    #[cfg_attr(feature = "clap", value(name = "softfail"))]
    SoftFail,
    /// `-all` (fail): strictest; mail forwarded without SRS then fails SPF at the next hop.
    Fail,
}

impl AllPolicy {
    /// The term as written.
    pub fn term(self) -> &'static str {
        match self {
            AllPolicy::SoftFail => "~all",
            AllPolicy::Fail => "-all",
        }
    }
}

/// What the composer is asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct SpfComposeRequest {
    /// The domain, in ASCII form.
    pub domain: String,
    /// The services that send as the domain.
    pub inventory: Inventory,
    /// The record published now (TXT strings joined), if there is one.
    pub published: Option<String>,
    /// How the record ends; `None` keeps a published `~all`/`-all`, else `~all`.
    pub all: Option<AllPolicy>,
    /// Terms of the published record the user chose to remove, as written.
    pub remove: Vec<String>,
    /// The user chose `~all` although the published record ends `-all`; without it, `-all`
    /// is kept.
    pub weaken: bool,
}

/// Where a term of the composed record comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TermOrigin {
    /// Only the published record had it.
    Published,
    /// Only the inventory asked for it.
    Inventory,
    /// Both.
    Both,
}

/// One term of the composed record and why it is there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ComposedTerm {
    /// The term as written.
    pub term: String,
    /// Where it comes from.
    pub origin: TermOrigin,
    /// The service it belongs to, when the catalog knows.
    pub sender: Option<String>,
    /// Why removing it is worth considering, when it looks redundant.
    pub redundant: Option<String>,
}

/// An SPF record for a Return-Path subdomain of the user's domain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SubdomainSpf {
    /// The subdomain, such as `bounce.example.com`.
    pub name: String,
    /// The record to publish there.
    pub record: String,
    /// The service it is for.
    pub sender: String,
    /// What else to set up in the service.
    pub setup: String,
}

/// The composer's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SpfComposition {
    /// The one record to publish at the domain.
    pub record: String,
    /// Its terms (without `v=spf1`), in order.
    pub terms: Vec<ComposedTerm>,
    /// Published terms left out because the user asked.
    pub removed: Vec<String>,
    /// Published words that are not valid SPF: shown, never carried over.
    pub unreadable: Vec<String>,
    /// Records for Return-Path subdomains of services that use one.
    pub subdomains: Vec<SubdomainSpf>,
    /// Sentences about choices the composer made.
    pub notes: Vec<String>,
    /// Every record to publish: the domain's, then the Return-Path subdomains'.
    pub records: Vec<DnsRecord>,
    /// What the choices would weaken compared with the published record, and whether the user
    /// chose that.
    pub weaker: Weaker,
    /// True when the record is the one published now (case and spacing aside).
    pub unchanged: bool,
}

/// Merges the published record and the inventory into one record.
pub fn compose_spf(request: &SpfComposeRequest) -> Result<SpfComposition, InventoryError> {
    let resolved = request.inventory.resolve()?;
    let mut terms: Vec<ComposedTerm> = Vec::new();
    let mut removed = Vec::new();
    let mut unreadable = Vec::new();
    let mut notes = Vec::new();
    let mut published_all = None;
    let mut redirect = None;
    let mut explanation = None;

    let published = request.published.as_deref().unwrap_or_default();
    for word in published.split(' ').filter(|w| !w.is_empty()).skip(1) {
        if request.remove.iter().any(|r| r.eq_ignore_ascii_case(word)) {
            removed.push(word.to_owned());
            continue;
        }
        match parse_term(word) {
            Ok(Term::Mechanism(qualifier, Mechanism::All, _)) => published_all = Some(qualifier),
            Ok(Term::Redirect(_)) => redirect = Some(word.to_owned()),
            Ok(Term::Explanation(_)) => explanation = Some(word.to_owned()),
            Ok(Term::Unknown(..)) => unreadable.push(word.to_owned()),
            Ok(Term::Mechanism(..)) => {
                if terms.iter().any(|t| t.term.eq_ignore_ascii_case(word)) {
                    notes.push(format!(
                        "“{word}” appeared twice in the published record; it is kept once."
                    ));
                    continue;
                }
                terms.push(published_term(word, &request.inventory));
            }
            Err(_) => unreadable.push(word.to_owned()),
        }
    }
    for (choice, entry) in &resolved {
        for term in choice.root_terms(entry) {
            match terms
                .iter_mut()
                .find(|t| t.term.eq_ignore_ascii_case(&term))
            {
                Some(existing) => {
                    existing.origin = TermOrigin::Both;
                    existing.sender = Some(entry.name.clone());
                    existing.redundant = None;
                }
                None => terms.push(ComposedTerm {
                    term,
                    origin: TermOrigin::Inventory,
                    sender: Some(entry.name.clone()),
                    redundant: None,
                }),
            }
        }
    }
    let mut all = request.all.unwrap_or(match published_all {
        Some(Qualifier::Fail) => AllPolicy::Fail,
        _ => AllPolicy::SoftFail,
    });
    let changes = if published_all == Some(Qualifier::Fail) && all == AllPolicy::SoftFail {
        vec!["It ends the record with ~all instead of the published -all: mail from servers you did not list would be marked suspicious instead of failing SPF.".to_owned()]
    } else {
        Vec::new()
    };
    let weaker = Weaker::new(changes, request.weaken);
    if weaker.kept() {
        all = AllPolicy::Fail;
    }
    match published_all {
        Some(Qualifier::Pass) => notes.push(
            "The published record ended with +all, which lets every server on the internet pass; the new record ends with ~all.".into(),
        ),
        Some(Qualifier::Neutral) => notes.push(
            "The published record ended with ?all, which protects nothing; the new record ends with ~all.".into(),
        ),
        _ => {}
    }
    let mut words: Vec<String> = vec!["v=spf1".into()];
    words.extend(terms.iter().map(|t| t.term.clone()));
    match redirect {
        Some(redirect) => {
            notes.push(format!(
                "The published record delegates to another domain ({redirect}); it is kept and no all term is added, because receivers ignore redirect when the record has one."
            ));
            words.push(redirect);
        }
        None => words.push(all.term().into()),
    }
    words.extend(explanation);
    let subdomains: Vec<SubdomainSpf> = resolved
        .iter()
        .filter(|(_, entry)| entry.return_path == ReturnPath::Subdomain)
        .filter_map(|(choice, entry)| {
            let label = entry.return_path_record.as_deref()?;
            let mechanism = choice.spf.as_deref().or(entry.spf.as_deref())?;
            Some(SubdomainSpf {
                name: format!("{label}.{}", request.domain),
                record: format!("v=spf1 {mechanism} ~all"),
                sender: entry.name.clone(),
                setup: entry
                    .return_path_setup_for(&request.domain)
                    .unwrap_or_default(),
            })
        })
        .collect();
    let record = words.join(" ");
    let records = std::iter::once(DnsRecord::txt(
        &request.domain,
        &record,
        "SPF: the servers allowed to send mail as your domain. Replace the existing v=spf1 record; never add a second one.",
    ))
    .chain(subdomains.iter().map(|s: &SubdomainSpf| {
        DnsRecord::txt(&s.name, &s.record, format!("SPF for the Return-Path subdomain {} uses.", s.sender))
    }))
    .collect();
    let words = |t: &str| {
        t.split_whitespace()
            .map(str::to_ascii_lowercase)
            .collect::<Vec<_>>()
    };
    let unchanged = request
        .published
        .as_deref()
        .is_some_and(|p| words(p) == words(&record));
    Ok(SpfComposition {
        unchanged,
        record,
        records,
        terms,
        removed,
        unreadable,
        subdomains,
        notes,
        weaker,
    })
}

/// A term carried over from the published record, with the catalog's opinion of it.
fn published_term(word: &str, inventory: &Inventory) -> ComposedTerm {
    let bare = word.trim_start_matches(['+', '-', '~', '?']);
    let entry = sender_for_term(bare);
    let redundant = match entry {
        Some(entry)
            if entry.return_path != ReturnPath::Yours
                || entry
                    .unneeded_spf
                    .iter()
                    .any(|t| t.eq_ignore_ascii_case(bare)) =>
        {
            Some(format!(
                "{} puts its own domain (or a subdomain it manages) in the Return-Path, so receivers never check this include for your domain; it only costs lookups.",
                entry.name
            ))
        }
        Some(entry) if !inventory.senders.iter().any(|c| c.id == entry.id) => Some(format!(
            "This include is for {}, which is not in your list of services; remove it if you no longer use them.",
            entry.name
        )),
        _ if bare.eq_ignore_ascii_case("ptr") || bare.starts_with("ptr:") => {
            Some("ptr is slow and unreliable, and the SPF standard says not to use it.".into())
        }
        _ => None,
    };
    ComposedTerm {
        term: word.to_owned(),
        origin: TermOrigin::Published,
        sender: entry.map(|e| e.name.clone()),
        redundant,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::senders::SenderChoice;

    fn choice(id: &str) -> SenderChoice {
        SenderChoice {
            id: id.into(),
            ..SenderChoice::default()
        }
    }

    fn request(published: Option<&str>, ids: &[&str]) -> SpfComposeRequest {
        SpfComposeRequest {
            domain: "example.com".into(),
            inventory: Inventory {
                senders: ids.iter().map(|id| choice(id)).collect(),
            },
            published: published.map(str::to_owned),
            ..SpfComposeRequest::default()
        }
    }

    #[test]
    fn keeps_every_published_term_and_adds_the_inventory() {
        let out = compose_spf(&request(
            Some("v=spf1 ip4:203.0.113.5 include:_spf.google.com -all"),
            &["google", "zendesk"],
        ))
        .unwrap();
        assert_eq!(
            out.record,
            "v=spf1 ip4:203.0.113.5 include:_spf.google.com include:mail.zendesk.com -all"
        );
        assert_eq!(out.terms[0].origin, TermOrigin::Published);
        assert_eq!(out.terms[1].origin, TermOrigin::Both);
        assert_eq!(out.terms[2].origin, TermOrigin::Inventory);
    }

    #[test]
    fn starts_with_softfail_and_removes_only_what_was_named() {
        let out = compose_spf(&request(None, &["microsoft365"])).unwrap();
        assert_eq!(out.record, "v=spf1 include:spf.protection.outlook.com ~all");
        let mut asked = request(Some("v=spf1 include:sendgrid.net a mx +all"), &["sendgrid"]);
        asked.remove = vec!["include:sendgrid.net".into()];
        let out = compose_spf(&asked).unwrap();
        assert_eq!(out.record, "v=spf1 a mx ~all");
        assert_eq!(out.removed, ["include:sendgrid.net"]);
        assert!(out.notes[0].contains("+all"));
    }

    #[test]
    fn flags_redundant_includes_without_dropping_them() {
        let out = compose_spf(&request(
            Some(
                "v=spf1 include:sendgrid.net include:servers.mcsv.net include:_spf.google.com ~all",
            ),
            &["sendgrid"],
        ))
        .unwrap();
        assert!(
            out.terms[0].redundant.is_some(),
            "SendGrid's Return-Path is not yours"
        );
        assert!(
            out.terms[1].redundant.is_some(),
            "Mailchimp is not in the inventory"
        );
        assert!(
            out.terms[2].redundant.is_some(),
            "Google is not in the inventory"
        );
        assert_eq!(out.terms.len(), 3);
    }

    #[test]
    fn return_path_subdomains_get_their_own_record_and_bad_words_are_shown() {
        let out = compose_spf(&request(
            Some("v=spf1 ip4:999.0.0.1 include:_spf.google.com ~all"),
            &["google", "amazon_ses", "mailgun"],
        ))
        .unwrap();
        assert_eq!(out.record, "v=spf1 include:_spf.google.com ~all");
        assert_eq!(out.unreadable, ["ip4:999.0.0.1"]);
        let names: Vec<&str> = out.subdomains.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["bounce.example.com", "mg.example.com"]);
        assert_eq!(out.subdomains[1].record, "v=spf1 include:mailgun.org ~all");
    }

    #[test]
    fn a_published_redirect_is_kept_without_an_all() {
        let out = compose_spf(&request(Some("v=spf1 redirect=_spf.example.net"), &[])).unwrap();
        assert_eq!(out.record, "v=spf1 redirect=_spf.example.net");
    }
}
