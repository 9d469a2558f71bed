//! DMARC alignment per sender: whether each service's mail will pass DMARC through DKIM, SPF,
//! both or neither, and so whether `p=reject` would refuse it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::dmarc::{
    AlignmentMode, DkimIdentity, DmarcFacts, DmarcMessage, DmarcPolicy, DmarcRecord, PolicyFound,
    SpfIdentity, decide,
};
use crate::senders::{DkimMethod, Inventory, InventoryError, ReturnPath};
use crate::spf::SpfVerdict;

/// The domain a service signs with or bounces to when it is not the user's.
const PROVIDER: &str = "provider.invalid";

/// What a receiver would know: a record at the domain with these modes, the domain its own
/// organization, and its subdomains part of it.
fn facts(domain: &str, adkim: AlignmentMode, aspf: AlignmentMode) -> DmarcFacts {
    let record = DmarcRecord {
        p: Some(DmarcPolicy::Reject),
        adkim,
        aspf,
        ..DmarcRecord::default()
    };
    let domain = domain.to_ascii_lowercase();
    DmarcFacts {
        policy: Some(PolicyFound {
            domain: domain.clone(),
            text: record.to_text(),
            record,
        }),
        from_exists: true,
        organizational: [
            (domain.clone(), domain.clone()),
            (format!("bounces.{domain}"), domain),
        ]
        .into_iter()
        .collect(),
    }
}

/// How a sender's mail passes DMARC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AlignedVia {
    /// Aligned DKIM and aligned SPF: survives forwarding and key mistakes.
    Both,
    /// Aligned DKIM only: fine, and survives forwarding.
    Dkim,
    /// Aligned SPF only: breaks when mail is forwarded.
    Spf,
    /// Neither: fails DMARC.
    Neither,
}

/// One sender's alignment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SenderAlignment {
    /// The catalog id.
    pub id: String,
    /// The service's name.
    pub name: String,
    /// Aligned DKIM.
    pub dkim: bool,
    /// Aligned SPF.
    pub spf: bool,
    /// The summary.
    pub via: AlignedVia,
    /// Its mail would be refused at `p=reject` (and sent to spam at quarantine).
    pub rejected_at_reject: bool,
    /// Why, in one sentence.
    pub explanation: String,
    /// The one thing to do, when something is missing.
    pub fix: Option<String>,
}

/// The alignment of every sender in the inventory of `domain` under a DMARC record's `adkim`
/// and `aspf`, decided by [`crate::dmarc::decide`] as a receiver decides for one of the
/// sender's messages: each catalog service signs with `d=` the user's domain once its DKIM is
/// set up (else with its own), and its Return-Path is the user's domain, a subdomain of it, or
/// the provider's. `own_dkim` says whether the user's own server signs with a key from the DKIM
/// step.
pub fn alignment(
    inventory: &Inventory,
    domain: &str,
    adkim: AlignmentMode,
    aspf: AlignmentMode,
    own_dkim: bool,
) -> Result<Vec<SenderAlignment>, InventoryError> {
    let facts = facts(domain, adkim, aspf);
    Ok(inventory
        .resolve()?
        .into_iter()
        .map(|(choice, entry)| {
            let signs_as_you = match entry.dkim {
                DkimMethod::Own => own_dkim,
                DkimMethod::Txt | DkimMethod::Cname => choice.dkim_set_up,
            };
            let return_path = match entry.return_path {
                ReturnPath::Yours => domain.to_owned(),
                ReturnPath::Subdomain if choice.return_path_set_up => format!("bounces.{domain}"),
                ReturnPath::Subdomain | ReturnPath::Provider => PROVIDER.to_owned(),
            };
            let message = DmarcMessage {
                from_domain: domain.to_owned(),
                spf: Some(SpfIdentity {
                    result: SpfVerdict::Pass,
                    domain: return_path,
                }),
                dkim: vec![DkimIdentity {
                    passed: true,
                    domain: if signs_as_you { domain } else { PROVIDER }.to_owned(),
                }],
            };
            let decision = decide(&message, &facts);
            let dkim = decision.dkim_aligned.is_some();
            let spf = decision.spf_aligned;
            let via = match (dkim, spf) {
                (true, true) => AlignedVia::Both,
                (true, false) => AlignedVia::Dkim,
                (false, true) => AlignedVia::Spf,
                (false, false) => AlignedVia::Neither,
            };
            let spf_reason = match entry.return_path {
                ReturnPath::Yours => "its Return-Path is your domain, which your SPF record lists",
                ReturnPath::Subdomain if spf => "its Return-Path is a subdomain of yours",
                ReturnPath::Subdomain if choice.return_path_set_up => {
                    "its Return-Path subdomain does not match exactly, and aspf=s asks for an exact match"
                }
                ReturnPath::Subdomain => "its Return-Path subdomain is not set up yet",
                ReturnPath::Provider => "it uses its own domain as Return-Path",
            };
            let dkim_reason = if dkim {
                "it signs with your domain"
            } else if entry.dkim == DkimMethod::Own {
                "your server has no DKIM key yet"
            } else {
                "its DKIM records for your domain are not set up"
            };
            let explanation = format!(
                "DKIM: {dkim_reason}. SPF: {spf_reason}.",
            );
            let fix = match via {
                AlignedVia::Both => None,
                AlignedVia::Dkim if entry.return_path == ReturnPath::Subdomain => Some(
                    "Optional: set up its Return-Path subdomain so SPF aligns too.".to_owned(),
                ),
                AlignedVia::Dkim => None,
                AlignedVia::Spf | AlignedVia::Neither => Some(match entry.dkim {
                    DkimMethod::Own => "Make a DKIM key in the DKIM step and sign with it on your server.".to_owned(),
                    _ => format!("Set up DKIM for your domain in {} and publish its records.", entry.name),
                }),
            };
            SenderAlignment {
                id: entry.id.clone(),
                name: entry.name.clone(),
                dkim,
                spf,
                via,
                rejected_at_reject: via == AlignedVia::Neither,
                explanation,
                fix,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::senders::SenderChoice;

    fn choice(id: &str, dkim: bool, return_path: bool) -> SenderChoice {
        SenderChoice {
            id: id.into(),
            hosts: vec!["203.0.113.5".into()],
            dkim_set_up: dkim,
            return_path_set_up: return_path,
            ..SenderChoice::default()
        }
    }

    #[test]
    fn each_sender_passes_through_what_it_has_set_up() {
        let inventory = Inventory {
            senders: vec![
                choice("google", true, false),
                choice("mailchimp", false, false),
                choice("amazon_ses", true, true),
                choice("own_server", false, false),
                choice("brevo", true, false),
            ],
        };
        let rows = alignment(
            &inventory,
            "example.com",
            AlignmentMode::Relaxed,
            AlignmentMode::Relaxed,
            false,
        )
        .unwrap();
        let via: Vec<AlignedVia> = rows.iter().map(|r| r.via).collect();
        assert_eq!(
            via,
            [
                AlignedVia::Both,
                AlignedVia::Neither,
                AlignedVia::Both,
                AlignedVia::Spf,
                AlignedVia::Dkim
            ]
        );
        assert!(rows[1].rejected_at_reject);
        assert!(rows[1].fix.as_deref().unwrap().contains("Mailchimp"));
        assert!(!rows[3].rejected_at_reject);
        let strict = alignment(
            &inventory,
            "example.com",
            AlignmentMode::Strict,
            AlignmentMode::Strict,
            true,
        )
        .unwrap();
        assert_eq!(
            strict[2].via,
            AlignedVia::Dkim,
            "a Return-Path subdomain fails aspf=s"
        );
        assert_eq!(strict[3].via, AlignedVia::Both);
    }
}
