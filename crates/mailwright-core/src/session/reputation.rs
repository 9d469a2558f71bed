//! The reputation check for the session: the addresses to check come from the project (the
//! user's own servers in Senders) and from the last mail server test (the address it reached
//! and the name the server gave), the domain from the project; Spamhaus is asked with the DQS
//! key in the keychain when one is saved. Hosted senders are their provider's job.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Session;
use crate::dns::{DnsClient, RData, RecordType};
use crate::error::EngineError;
use crate::reputation::{
    ReputationCheck, ReputationRequest, blocklists, check_reputation, greeting_name, load_dqs_key,
    save_dqs_key, with_dqs_key,
};
use crate::secrets::Sensitive;
use crate::senders::sender;
use crate::smtp::smtp_providers;

/// One address checked, and why it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReputationTarget {
    /// The address.
    pub ip: String,
    /// Where it comes from, in words.
    pub from: String,
}

/// The reputation part of the Bounces step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReputationView {
    /// The addresses that will be checked.
    pub targets: Vec<ReputationTarget>,
    /// The domain checked on the domain lists.
    pub domain: Option<String>,
    /// What is not checked here and why (hosted senders, networks, names that do not resolve).
    pub notes: Vec<String>,
    /// Whether a Spamhaus DQS key is saved in the keychain.
    pub dqs_key_saved: bool,
    /// The last check, when one ran in this session.
    pub check: Option<ReputationCheck>,
}

impl Session {
    /// What the reputation check will look at, and the last result.
    pub async fn reputation_view(&self) -> Result<ReputationView, EngineError> {
        let (targets, _, notes) = self.reputation_targets().await?;
        let dqs_key_saved = load_dqs_key().await.is_some();
        Ok(ReputationView {
            targets,
            domain: self.domain().ok().map(|d| d.as_str().to_owned()),
            notes,
            dqs_key_saved,
            check: self.lock().reputation.clone(),
        })
    }

    /// Checks the reverse DNS, the server's own name and the blocklists for the project's
    /// addresses and domain, plus `extra` addresses typed in the step.
    pub async fn check_reputation(
        &self,
        extra: Vec<String>,
    ) -> Result<ReputationView, EngineError> {
        let (mut targets, ehlo, _) = self.reputation_targets().await?;
        for typed in extra.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
            let ip: IpAddr = typed
                .parse()
                .map_err(|_| EngineError::IpAddress(typed.to_owned()))?;
            if !targets.iter().any(|t| t.ip == ip.to_string()) {
                targets.push(ReputationTarget {
                    ip: ip.to_string(),
                    from: "Typed here".into(),
                });
            }
        }
        let lists = match load_dqs_key().await {
            Some(key) => with_dqs_key(blocklists(), key.expose()),
            None => blocklists().to_vec(),
        };
        let request = ReputationRequest {
            ips: targets.iter().filter_map(|t| t.ip.parse().ok()).collect(),
            domains: self
                .domain()
                .ok()
                .map(|d| vec![d.as_str().to_owned()])
                .unwrap_or_default(),
            lists,
            ehlo,
        };
        let check = check_reputation(&request, &self.dns()?).await?;
        self.lock().reputation = Some(check.clone());
        self.record_bounces_state().await;
        self.reputation_view().await
    }

    /// The last reputation check of this session.
    pub fn last_reputation_check(&self) -> Option<ReputationCheck> {
        self.lock().reputation.clone()
    }

    /// Saves the Spamhaus DQS key in the keychain (an empty key forgets it).
    pub async fn save_dqs_key(
        &self,
        key: Sensitive<String>,
    ) -> Result<ReputationView, EngineError> {
        save_dqs_key(key).await?;
        self.reputation_view().await
    }

    /// The addresses to check with where each comes from, the server's own name with its
    /// address, and notes on what is not checked.
    async fn reputation_targets(
        &self,
    ) -> Result<(Vec<ReputationTarget>, Option<(String, IpAddr)>, Vec<String>), EngineError> {
        let project = self.project();
        let client = DnsClient::new(&self.dns()?, None)?;
        let mut targets: Vec<ReputationTarget> = Vec::new();
        let mut notes = Vec::new();
        let add = |ip: IpAddr, from: String, targets: &mut Vec<ReputationTarget>| {
            if !targets.iter().any(|t| t.ip == ip.to_string()) {
                targets.push(ReputationTarget {
                    ip: ip.to_string(),
                    from,
                });
            }
        };
        let mut hosted = Vec::new();
        for choice in &project.senders.senders {
            if choice.id != "own_server" {
                hosted.push(sender(&choice.id).map_or(choice.id.clone(), |s| s.name.clone()));
                continue;
            }
            for host in choice.hosts.iter().map(|h| h.trim()) {
                if let Ok(ip) = host.parse::<IpAddr>() {
                    add(ip, "Your own server (Senders)".into(), &mut targets);
                } else if host.contains('/') {
                    notes.push(format!(
                        "{host} is a network: type the address your server sends from to check it."
                    ));
                } else {
                    let Some(ips) = addresses(&client, host).await else {
                        notes.push(format!(
                            "{host} could not be looked up, so it was not checked: check the DNS server in Settings and try again."
                        ));
                        continue;
                    };
                    if ips.is_empty() {
                        notes.push(format!(
                            "{host} has no address in DNS, so it was not checked."
                        ));
                    }
                    for ip in ips {
                        add(
                            ip,
                            format!("Your own server {host} (Senders)"),
                            &mut targets,
                        );
                    }
                }
            }
        }
        let mut ehlo = None;
        if let Some(test) = self.last_mail_server_test() {
            for port in &test.ports {
                let Some(target) = &port.target else { continue };
                let host = target
                    .host
                    .trim()
                    .trim_end_matches('.')
                    .to_ascii_lowercase();
                if let Some(provider) = smtp_providers().iter().find(|p| p.host == host) {
                    hosted.push(provider.name.clone());
                    continue;
                }
                let Some(ip) = port.address.as_deref().and_then(|a| {
                    a.parse::<std::net::SocketAddr>()
                        .map(|s| s.ip())
                        .ok()
                        .or_else(|| a.parse().ok())
                }) else {
                    continue;
                };
                add(
                    ip,
                    format!("Your mail server {host} (mail server test)"),
                    &mut targets,
                );
                if ehlo.is_none() {
                    ehlo = port
                        .banner
                        .as_deref()
                        .and_then(greeting_name)
                        .map(|name| (name, ip));
                }
            }
        }
        hosted.sort();
        hosted.dedup();
        if !hosted.is_empty() {
            notes.push(format!(
                "{} send{} from {} own addresses: their reputation is the provider's job, and they watch it.",
                hosted.join(", "),
                if hosted.len() == 1 { "s" } else { "" },
                if hosted.len() == 1 { "its" } else { "their" }
            ));
        }
        Ok((targets, ehlo, notes))
    }
}

/// The A and AAAA addresses of `host`; `None` when neither lookup was answered.
async fn addresses(client: &DnsClient, host: &str) -> Option<Vec<IpAddr>> {
    let (v4, v6) = futures::join!(
        client.lookup(host, RecordType::A),
        client.lookup(host, RecordType::AAAA)
    );
    if v4.failed() && v6.failed() {
        return None;
    }
    Some(
        v4.records()
            .iter()
            .chain(v6.records())
            .filter_map(|r| match r {
                RData::A(a) => Some(IpAddr::V4(a.0)),
                RData::AAAA(a) => Some(IpAddr::V6(a.0)),
                _ => None,
            })
            .collect(),
    )
}
