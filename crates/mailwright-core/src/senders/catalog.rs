//! The sender catalog (`catalog/senders.toml`): each service's SPF mechanism, Return-Path, DKIM
//! set-up and subdomain advice.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::domain::DomainName;

/// What kind of mail a service sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SenderKind {
    /// Staff mailboxes.
    Mailbox,
    /// Receipts, password resets and other one-to-one mail.
    Transactional,
    /// Newsletters and campaigns.
    Marketing,
    /// A CRM sending on behalf of staff.
    Crm,
    /// A help desk.
    Support,
    /// A shop's order notifications.
    Commerce,
    /// The user's own server.
    Own,
}

/// Whose domain a service puts in the Return-Path (the envelope sender SPF checks).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReturnPath {
    /// An address at the user's own domain: SPF there applies and aligns.
    Yours,
    /// A Return-Path subdomain of the user's domain: aligns in relaxed mode.
    Subdomain,
    /// The service's own domain: SPF never aligns with the user's domain.
    Provider,
}

/// How a service's DKIM signature is set up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DkimMethod {
    /// A key made in the service's console, published as a TXT record.
    Txt,
    /// CNAME records pointing at keys the service rotates.
    Cname,
    /// The user's own key, from Mailwright's DKIM step.
    Own,
}

/// Whether a service should send from its own subdomain (seed 000 §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SubdomainAdvice {
    /// Send from the main domain.
    None,
    /// A subdomain is possible but not needed.
    Optional,
    /// Use a subdomain to keep this stream's reputation apart.
    Recommended,
}

/// One service in the catalog.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Sender {
    /// Stable id, such as `google`.
    pub id: String,
    /// The service's name.
    pub name: String,
    /// What kind of mail it sends.
    pub kind: SenderKind,
    /// The SPF mechanism for the Return-Path domain, when the service needs one.
    #[serde(default)]
    pub spf: Option<String>,
    /// The SPF include differs per account: the user pastes it.
    #[serde(default)]
    pub spf_account_specific: bool,
    /// Includes for this service that are not needed in the user's record (they cost lookups).
    #[serde(default)]
    pub unneeded_spf: Vec<String>,
    /// Whose domain is in the Return-Path.
    pub return_path: ReturnPath,
    /// The label of the Return-Path subdomain whose SPF record the user publishes, if any.
    #[serde(default)]
    pub return_path_record: Option<String>,
    /// How to set up the Return-Path subdomain, with `{domain}` for the user's domain.
    #[serde(default)]
    pub return_path_setup: Option<String>,
    /// How its DKIM is set up.
    pub dkim: DkimMethod,
    /// The DKIM provider catalog entry with its records, if there is one.
    #[serde(default)]
    pub dkim_provider: Option<String>,
    /// Whether it should send from a subdomain.
    pub subdomain: SubdomainAdvice,
    /// The subdomain label to suggest, such as `news`.
    #[serde(default)]
    pub suggested_subdomain: Option<String>,
    /// One or two sentences for the user.
    pub note: String,
    /// Domains its DKIM signatures use when they are not the user's (`d=sendgrid.net`): a
    /// report source whose signature passed for one of them is this service. A domain matches
    /// itself and its subdomains.
    #[serde(default)]
    pub dkim_domains: Vec<String>,
    /// Suffixes of its servers' reverse DNS names (matched only when forward-confirmed).
    #[serde(default)]
    pub ptr_suffixes: Vec<String>,
}

static SENDERS: LazyLock<Vec<Sender>> =
    LazyLock::new(|| crate::catalog::table(include_str!("../catalog/senders.toml"), "sender"));

/// Every service in the catalog, in catalog order.
pub fn senders() -> &'static [Sender] {
    &SENDERS
}

impl Sender {
    /// How to set up the Return-Path subdomain, with the user's domain filled in.
    pub fn return_path_setup_for(&self, domain: &str) -> Option<String> {
        self.return_path_setup
            .as_ref()
            .map(|text| text.replace("{domain}", domain))
    }
}

/// The catalog as the user sees it: every entry with the domain filled in (`example.com` until
/// the user has given one).
pub fn senders_for(domain: Option<&DomainName>) -> Vec<Sender> {
    let domain = domain.map_or("example.com", DomainName::as_str);
    senders()
        .iter()
        .map(|s| Sender {
            return_path_setup: s.return_path_setup_for(domain),
            ..s.clone()
        })
        .collect()
}

/// The catalog entry whose SPF mechanism is `term` (compared without case).
pub fn sender_for_term(term: &str) -> Option<&'static Sender> {
    senders().iter().find(|s| {
        s.spf
            .iter()
            .chain(&s.unneeded_spf)
            .any(|t| t.eq_ignore_ascii_case(term))
    })
}

/// The catalog entry with this id.
pub fn sender(id: &str) -> Option<&'static Sender> {
    senders().iter().find(|s| s.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dkim::dkim_provider;
    use crate::spf_record::SpfRecord;

    #[test]
    fn the_catalog_names_the_services_the_issue_lists_with_valid_data() {
        for id in [
            "google",
            "microsoft365",
            "zoho",
            "fastmail",
            "amazon_ses",
            "sendgrid",
            "mailgun",
            "postmark",
            "mailchimp",
            "mandrill",
            "brevo",
            "hubspot",
            "salesforce",
            "zendesk",
            "freshdesk",
            "shopify",
            "own_server",
        ] {
            let entry = sender(id).unwrap_or_else(|| panic!("{id} is missing"));
            if let Some(term) = &entry.spf {
                SpfRecord::parse(&format!("v=spf1 {term} ~all"))
                    .unwrap_or_else(|e| panic!("{id}: {e}"));
            }
            if let Some(provider) = &entry.dkim_provider {
                assert!(dkim_provider(provider).is_some(), "{id}: {provider}");
            }
            if entry.return_path == ReturnPath::Subdomain {
                assert!(entry.return_path_setup.is_some(), "{id} says how");
            }
        }
        let domain = crate::parse_domain_input("shop.example").unwrap().domain;
        let filled = senders_for(Some(&domain));
        let ses = filled.iter().find(|s| s.id == "amazon_ses").unwrap();
        assert!(
            ses.return_path_setup
                .as_deref()
                .unwrap()
                .contains("bounce.shop.example")
        );
        assert!(filled.iter().all(|s| {
            !s.return_path_setup
                .as_deref()
                .unwrap_or_default()
                .contains('{')
        }));
        let mut ids: Vec<&str> = senders().iter().map(|s| s.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), senders().len(), "ids are unique");
    }
}
