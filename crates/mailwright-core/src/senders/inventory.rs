//! The user's inventory: which catalog services send as their domain, and how each is set up.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

use super::catalog::{ReturnPath, Sender, sender};
use crate::domain::parse_domain_input;
use crate::spf_record::SpfRecord;

/// One service the user ticked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct SenderChoice {
    /// The catalog id.
    pub id: String,
    /// For "my own server": its public IP addresses, networks (CIDR) or host names.
    pub hosts: Vec<String>,
    /// An SPF mechanism the user pasted, for services whose include differs per account.
    pub spf: Option<String>,
    /// The service's DKIM signs with the user's domain (its records are published).
    pub dkim_set_up: bool,
    /// The service's Return-Path subdomain is set up (for services that offer one).
    pub return_path_set_up: bool,
}

/// Every service that sends as the domain.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct Inventory {
    /// The services, in the order the user ticked them.
    pub senders: Vec<SenderChoice>,
}

/// What is wrong with an inventory, naming the service and the field.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum InventoryError {
    /// The id is not in the catalog.
    #[error("“{0}” is not a service Mailwright knows; pick one from the list.")]
    UnknownSender(String),
    /// A host of the own server is not an IP address, a network or a host name.
    #[error(
        "“{0}” is not an IP address (203.0.113.5), a network (203.0.113.0/24) or a host name (mail.example.com); correct it in “My own mail server”."
    )]
    BadHost(String),
    /// "My own mail server" was ticked without any address.
    #[error("Enter at least one IP address or host name for “My own mail server”.")]
    NoHosts,
    /// A pasted mechanism is not valid SPF.
    #[error(
        "The SPF mechanism for {name} is not valid ({reason}); copy it exactly as the service shows it."
    )]
    BadMechanism {
        /// The service's name.
        name: String,
        /// What the SPF reader said.
        reason: String,
    },
}

impl crate::error::FeatureError for InventoryError {
    fn code(&self) -> &'static str {
        "invalid_inventory"
    }
}

impl Inventory {
    /// Each choice with its catalog entry; fails on the first unknown id or bad field.
    pub fn resolve(&self) -> Result<Vec<(&SenderChoice, &'static Sender)>, InventoryError> {
        self.senders
            .iter()
            .map(|choice| {
                let entry = sender(&choice.id)
                    .ok_or_else(|| InventoryError::UnknownSender(choice.id.clone()))?;
                choice.validate(entry)?;
                Ok((choice, entry))
            })
            .collect()
    }
}

impl Inventory {
    /// Every fault of every choice at once (not only the first), each with the id of the
    /// service it belongs to.
    pub fn problems(&self) -> Vec<(String, InventoryError)> {
        let mut problems = Vec::new();
        for choice in &self.senders {
            let Some(entry) = sender(&choice.id) else {
                problems.push((
                    choice.id.clone(),
                    InventoryError::UnknownSender(choice.id.clone()),
                ));
                continue;
            };
            problems.extend(
                choice
                    .faults(entry)
                    .into_iter()
                    .map(|fault| (choice.id.clone(), fault)),
            );
        }
        problems
    }
}

impl SenderChoice {
    /// Every fault of this choice.
    fn faults(&self, entry: &Sender) -> Vec<InventoryError> {
        let mut faults = Vec::new();
        if entry.id == "own_server" {
            if self.hosts.iter().all(|h| h.trim().is_empty()) {
                faults.push(InventoryError::NoHosts);
            }
            faults.extend(
                self.hosts
                    .iter()
                    .filter(|h| !h.trim().is_empty())
                    .filter_map(|host| own_server_term(host).err()),
            );
        }
        if let Some(term) = self.spf.as_deref().filter(|t| !t.trim().is_empty())
            && let Err(e) = SpfRecord::parse(&format!("v=spf1 {}", term.trim()))
        {
            faults.push(InventoryError::BadMechanism {
                name: entry.name.clone(),
                reason: e.to_string(),
            });
        }
        faults
    }

    /// The first fault of this choice.
    fn validate(&self, entry: &Sender) -> Result<(), InventoryError> {
        self.faults(entry).into_iter().next().map_or(Ok(()), Err)
    }

    /// The SPF terms this service adds to the record at the user's own domain.
    pub fn root_terms(&self, entry: &Sender) -> Vec<String> {
        if entry.id == "own_server" {
            return self
                .hosts
                .iter()
                .filter(|h| !h.trim().is_empty())
                .filter_map(|h| own_server_term(h).ok())
                .collect();
        }
        if !self.spf_applies_at_root(entry) {
            return Vec::new();
        }
        self.spf
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .or(entry.spf.as_deref())
            .map(|t| vec![t.to_owned()])
            .unwrap_or_default()
    }

    /// True when SPF for this service is evaluated at the user's own domain.
    pub fn spf_applies_at_root(&self, entry: &Sender) -> bool {
        entry.return_path == ReturnPath::Yours || (entry.spf_account_specific && self.spf.is_some())
    }
}

/// The SPF term for one address, network or host name of the user's own server.
pub fn own_server_term(host: &str) -> Result<String, InventoryError> {
    let host = host.trim();
    let bad = || InventoryError::BadHost(host.to_owned());
    let (address, prefix) = match host.split_once('/') {
        Some((address, prefix)) => (address, Some(prefix)),
        None => (host, None),
    };
    if let Ok(ip) = address.parse::<IpAddr>() {
        let (mechanism, max) = match ip {
            IpAddr::V4(_) => ("ip4", 32),
            IpAddr::V6(_) => ("ip6", 128),
        };
        return match prefix {
            None => Ok(format!("{mechanism}:{ip}")),
            Some(p) => match p.parse::<u8>() {
                Ok(bits) if bits <= max => Ok(format!("{mechanism}:{ip}/{bits}")),
                _ => Err(bad()),
            },
        };
    }
    if prefix.is_some() || !host.contains('.') {
        return Err(bad());
    }
    match parse_domain_input(host) {
        Ok(input) if input.note.is_none() => Ok(format!("a:{}", input.domain.as_str())),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fault_is_named_at_once() {
        let inventory = Inventory {
            senders: vec![
                SenderChoice {
                    id: "own_server".into(),
                    hosts: vec![
                        "203.0.113.5".into(),
                        "not an address!".into(),
                        "10.0.0.0/99".into(),
                    ],
                    ..SenderChoice::default()
                },
                SenderChoice {
                    id: "no-such-service".into(),
                    ..SenderChoice::default()
                },
            ],
        };
        let problems = inventory.problems();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].1.to_string().contains("not an address!"));
        assert!(problems[1].1.to_string().contains("10.0.0.0/99"));
        assert_eq!(problems[2].0, "no-such-service");
    }

    #[test]
    fn own_server_hosts_become_ip4_ip6_or_a_terms() {
        assert_eq!(own_server_term("203.0.113.5").unwrap(), "ip4:203.0.113.5");
        assert_eq!(
            own_server_term(" 203.0.113.0/24 ").unwrap(),
            "ip4:203.0.113.0/24"
        );
        assert_eq!(own_server_term("2001:db8::1").unwrap(), "ip6:2001:db8::1");
        assert_eq!(
            own_server_term("2001:db8::/48").unwrap(),
            "ip6:2001:db8::/48"
        );
        assert_eq!(
            own_server_term("Mail.Example.com").unwrap(),
            "a:mail.example.com"
        );
        for bad in [
            "203.0.113.0/33",
            "999.1.1.1",
            "localhost",
            "mail.example.com/24",
            "a b.com",
        ] {
            assert!(own_server_term(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_services_whose_return_path_is_yours_go_in_the_root_record() {
        let choice = |id: &str| SenderChoice {
            id: id.into(),
            ..SenderChoice::default()
        };
        let google = choice("google");
        assert_eq!(
            google.root_terms(sender("google").unwrap()),
            ["include:_spf.google.com"]
        );
        assert!(
            choice("mailgun")
                .root_terms(sender("mailgun").unwrap())
                .is_empty()
        );
        let hubspot = SenderChoice {
            spf: Some("include:123.spf01.hubspotemail.net".into()),
            ..choice("hubspot")
        };
        assert_eq!(
            hubspot.root_terms(sender("hubspot").unwrap()),
            ["include:123.spf01.hubspotemail.net"]
        );
    }

    #[test]
    fn bad_entries_name_the_field() {
        let inventory = Inventory {
            senders: vec![SenderChoice {
                id: "own_server".into(),
                hosts: vec!["mail.example.com".into(), "10.0.0.300".into()],
                ..SenderChoice::default()
            }],
        };
        assert_eq!(
            inventory.resolve().unwrap_err(),
            InventoryError::BadHost("10.0.0.300".into())
        );
        let unknown = Inventory {
            senders: vec![SenderChoice {
                id: "pigeon".into(),
                ..SenderChoice::default()
            }],
        };
        assert!(
            unknown
                .resolve()
                .unwrap_err()
                .to_string()
                .contains("pigeon")
        );
    }
}
