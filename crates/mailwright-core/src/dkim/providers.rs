//! Hosted providers (Google Workspace, Microsoft 365, ESPs): what each wants published for
//! DKIM (a data file, `catalog/dkim_providers.toml`), and a check that what is published
//! resolves to a valid key.

use std::sync::LazyLock;

use crate::dns::RecordType;
use futures::future::join_all;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::findings::{KeyState, describe, key_state, record_warnings, revoked, syntax, via_cname};
use crate::dns::lookup_failed;
use crate::dns::{DnsClient, DnsConfig, Lookup, ProgressSink};
use crate::domain::{DomainName, Selector};
use crate::error::EngineError;
use crate::finding::{Finding, Severity, Topic};

const TOPIC: Topic = Topic::Dkim;

/// One provider and the DKIM records it wants.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DkimProvider {
    /// Stable id, such as `microsoft365`.
    pub id: String,
    /// The provider's name.
    pub name: String,
    /// Where in the provider's console the key or the CNAME targets are shown.
    pub instructions: String,
    /// When the selectors are the user's own (copied from the provider), what to ask for.
    #[serde(default)]
    pub selector_label: Option<String>,
    /// An example of such a selector.
    #[serde(default)]
    pub selector_example: Option<String>,
    /// The records, with `{selector}` for the user's selectors.
    #[serde(rename = "record")]
    pub records: Vec<ProviderRecordTemplate>,
}

/// A record a provider wants, before the user's domain and selectors are filled in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProviderRecordTemplate {
    /// The selector, or `{selector}` for each selector the user gives.
    pub selector: String,
    /// `TXT` (the key is made in the provider's console) or `CNAME`.
    #[serde(rename = "type")]
    pub rtype: String,
    /// The CNAME target pattern.
    #[serde(default)]
    pub target: Option<String>,
    /// Endings a correct CNAME target has.
    #[serde(default)]
    pub target_suffixes: Vec<String>,
    /// A TXT key published directly is also accepted.
    #[serde(default)]
    pub txt_allowed: bool,
}

/// A provider's record for one domain, ready to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProviderRecord {
    /// The selector.
    pub selector: String,
    /// `<selector>._domainkey.<domain>`.
    pub name: String,
    /// `TXT` or `CNAME`.
    #[serde(rename = "type")]
    pub rtype: String,
    /// The CNAME target with the domain filled in; parts in braces come from the provider.
    /// `None` for a TXT key shown in the provider's console.
    pub value: Option<String>,
}

static PROVIDERS: LazyLock<Vec<DkimProvider>> = LazyLock::new(|| {
    crate::catalog::table(include_str!("../catalog/dkim_providers.toml"), "provider")
});

/// Every provider in the catalog.
pub fn dkim_providers() -> &'static [DkimProvider] {
    &PROVIDERS
}

/// The provider with this id.
pub fn dkim_provider(id: &str) -> Option<&'static DkimProvider> {
    dkim_providers().iter().find(|p| p.id == id)
}

/// The provider with this id, or the sentence saying it is not one Mailwright knows.
pub fn known_dkim_provider(id: &str) -> Result<&'static DkimProvider, EngineError> {
    dkim_provider(id).ok_or_else(|| EngineError::NotInCatalog("a provider", id.to_owned()))
}

impl DkimProvider {
    /// The records for `domain`, with `selectors` (the user's) in place of `{selector}`.
    pub fn records_for(
        &self,
        domain: &DomainName,
        selectors: &[Selector],
    ) -> Vec<(ProviderRecord, &ProviderRecordTemplate)> {
        let dashed = domain.as_str().replace('.', "-");
        let mut records = Vec::new();
        for template in &self.records {
            let chosen: Vec<String> = if template.selector == "{selector}" {
                selectors.iter().map(|s| s.as_str().to_owned()).collect()
            } else {
                vec![template.selector.clone()]
            };
            for selector in chosen {
                let fill = |t: &str| {
                    t.replace("{selector}", &selector)
                        .replace("{domain_dashed}", &dashed)
                        .replace("{domain}", domain.as_str())
                };
                let value = template.target.as_deref().map(fill);
                records.push((
                    ProviderRecord {
                        name: format!("{selector}._domainkey.{domain}"),
                        selector,
                        rtype: template.rtype.clone(),
                        value,
                    },
                    template,
                ));
            }
        }
        records
    }
}

/// What the check of a provider's records found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProviderCheckReport {
    /// The provider's id.
    pub provider: String,
    /// The records expected.
    pub records: Vec<ProviderRecord>,
    /// The findings, worst first.
    pub findings: Vec<Finding>,
}

/// Looks up each record `provider` wants for `domain` and says whether it resolves to a valid
/// key, following CNAMEs to the provider.
pub async fn check_provider(
    provider: &DkimProvider,
    domain: &DomainName,
    selectors: &[Selector],
    dns: &DnsConfig,
    progress: Option<ProgressSink>,
) -> Result<ProviderCheckReport, EngineError> {
    let client = DnsClient::new(dns, progress)?;
    let records = provider.records_for(domain, selectors);
    let lookups = join_all(
        records
            .iter()
            .map(|(r, _)| client.lookup(&r.name, RecordType::TXT)),
    )
    .await;
    let mut findings = Vec::new();
    for ((record, template), lookup) in records.iter().zip(&lookups) {
        findings.extend(check_record(provider, record, template, lookup));
    }
    if records.is_empty() {
        findings.push(Finding::new(
            "dkim.provider.selector_needed",
            Severity::Warn,
            TOPIC,
            format!("Enter the selectors {} gave you.", provider.name),
            provider.selector_label.clone().unwrap_or_default(),
        ));
    }
    let refs: Vec<&Lookup> = lookups.iter().collect();
    findings.extend(lookup_failed(
        TOPIC,
        &format!("the {} DKIM records", provider.name),
        &refs,
    ));
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    Ok(ProviderCheckReport {
        provider: provider.id.clone(),
        records: records.into_iter().map(|(r, _)| r).collect(),
        findings,
    })
}

fn check_record(
    provider: &DkimProvider,
    record: &ProviderRecord,
    template: &ProviderRecordTemplate,
    lookup: &Lookup,
) -> Vec<Finding> {
    if lookup.failed() {
        return Vec::new();
    }
    let selector = Selector::parse(&record.selector).ok();
    let target = lookup.cnames.first().map(|(_, t)| t.clone());
    let mut findings = Vec::new();
    if template.rtype == "CNAME" {
        match &target {
            Some(t) if !template.target_suffixes.iter().any(|s| t.ends_with(s.as_str())) => findings.push(
                Finding::new(
                    "dkim.provider.wrong_target",
                    Severity::Warn,
                    TOPIC,
                    format!("{} points to {t}, which is not a {} address.", record.name, provider.name),
                    format!("{} expects a CNAME to {}.", provider.name, record.value.clone().unwrap_or_default()),
                )
                .fix(format!("Copy the CNAME target again from {} and replace the record.", provider.name))
                .evidence(lookup.evidence()),
            ),
            None if !template.txt_allowed && !matches!(key_state(lookup).0, KeyState::Absent) => findings.push(
                Finding::new(
                    "dkim.provider.not_cname",
                    Severity::Warn,
                    TOPIC,
                    format!("{} is a TXT record, but {} wants a CNAME.", record.name, provider.name),
                    format!("With a copied key, {} cannot rotate it for you; when it does, signatures stop verifying.", provider.name),
                )
                .fix(format!("Replace the TXT record with the CNAME {} shows.", provider.name))
                .evidence(lookup.evidence()),
            ),
            _ => {}
        }
    }
    let Some(selector) = selector else {
        return findings;
    };
    match key_state(lookup).0 {
        KeyState::Absent => findings.push(
            Finding::new(
                "dkim.provider.missing",
                Severity::Fail,
                TOPIC,
                format!("{} has no DKIM key for {}.", record.name, provider.name),
                format!("{} signs your mail with selector {}, but receivers find no key there, so its signatures fail.", provider.name, record.selector),
            )
            .fix(match &record.value {
                Some(value) => format!("Publish a CNAME at {} pointing to {value} (copy the exact target from {}).", record.name, provider.name),
                None => format!("Publish the TXT record {} shows at {}. {}", provider.name, record.name, provider.instructions),
            })
            .evidence(lookup.evidence()),
        ),
        KeyState::Revoked => findings.push(revoked(&selector, lookup, Severity::Warn)),
        KeyState::Unreadable(error) => findings.push(syntax(&selector, lookup, &error)),
        KeyState::Published(key) => {
            findings.push(
                Finding::new(
                    "dkim.provider.ok",
                    Severity::Pass,
                    TOPIC,
                    format!("{} resolves to a valid {} DKIM key.", record.name, provider.name),
                    format!("It holds {}.{}", describe(&key), via_cname(lookup)),
                )
                .evidence(lookup.evidence()),
            );
            findings.extend(record_warnings(&selector, lookup, &key));
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::parse_domain_input;

    #[test]
    fn the_catalog_names_every_provider_the_issue_lists() {
        for id in [
            "google",
            "microsoft365",
            "sendgrid",
            "mailgun",
            "amazon_ses",
            "postmark",
            "mailchimp",
            "mandrill",
            "brevo",
            "zoho",
            "fastmail",
        ] {
            let provider = dkim_provider(id).unwrap_or_else(|| panic!("{id} missing"));
            assert!(!provider.records.is_empty() && !provider.instructions.is_empty());
            let needs_selectors = provider.records.iter().any(|r| r.selector == "{selector}");
            assert_eq!(needs_selectors, provider.selector_label.is_some(), "{id}");
            for record in &provider.records {
                assert!(record.rtype == "TXT" || record.target.is_some(), "{id}");
                if record.selector != "{selector}" {
                    Selector::parse(&record.selector).unwrap();
                }
            }
        }
    }

    #[test]
    fn records_are_filled_in_for_the_domain() {
        let domain = parse_domain_input("shop.example.com").unwrap().domain;
        let ses = dkim_provider("amazon_ses").unwrap();
        let tokens: Vec<Selector> = ["aaa", "bbb", "ccc"]
            .iter()
            .map(|s| Selector::parse(s).unwrap())
            .collect();
        let records = ses.records_for(&domain, &tokens);
        assert_eq!(records.len(), 3);
        assert_eq!(records[1].0.name, "bbb._domainkey.shop.example.com");
        assert_eq!(
            records[1].0.value.as_deref(),
            Some("bbb.dkim.amazonses.com")
        );
        let microsoft = dkim_provider("microsoft365")
            .unwrap()
            .records_for(&domain, &[]);
        assert_eq!(
            microsoft[0].0.value.as_deref(),
            Some("selector1-shop-example-com._domainkey.{tenant}.onmicrosoft.com")
        );
        let google = dkim_provider("google").unwrap().records_for(&domain, &[]);
        assert_eq!(
            (google[0].0.rtype.as_str(), google[0].0.value.clone()),
            ("TXT", None)
        );
    }
}
