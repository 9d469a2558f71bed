//! A DNS client over hickory-resolver that asks the configured server, keeps to a deadline and
//! reports each lookup as it starts and ends.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use hickory_proto::op::ResponseCode;
use hickory_proto::rr::{Name, RData, RecordType};
use hickory_resolver::config::{
    ConnectionConfig, NameServerConfig, ResolveHosts, ResolverConfig, ResolverOpts,
};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError, NetError};
use hickory_resolver::{Resolver, TokioResolver};
use serde::{Deserialize, Serialize};
use tokio::time::Instant;
use ts_rs::TS;

use super::config::DnsConfig;
use super::outcome::{Lookup, Outcome, OutcomeKind, trim_dot};
use crate::error::EngineError;

/// One step of progress: a lookup started (`outcome` absent) or finished.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LookupProgress {
    /// The name being looked up.
    pub name: String,
    /// The record type.
    #[serde(rename = "type")]
    pub rtype: String,
    /// How it ended, once it has.
    pub outcome: Option<OutcomeKind>,
    /// Lookups finished so far.
    pub completed: u32,
    /// Lookups started so far.
    pub started: u32,
}

/// Where progress goes: the app's IPC channel, the CLI's progress bar, or nowhere.
pub type ProgressSink = Arc<dyn Fn(LookupProgress) + Send + Sync>;

/// Asks one DNS server (or the system resolver) under a common deadline.
pub struct DnsClient {
    resolver: TokioResolver,
    deadline: Instant,
    started: AtomicU32,
    completed: AtomicU32,
    answered: AtomicU32,
    progress: Option<ProgressSink>,
    server: String,
}

impl DnsClient {
    /// A client for `config`; its deadline starts now.
    pub fn new(config: &DnsConfig, progress: Option<ProgressSink>) -> Result<Self, EngineError> {
        let resolver = config.resolver()?;
        Ok(DnsClient {
            resolver,
            deadline: Instant::now() + config.deadline,
            started: AtomicU32::new(0),
            completed: AtomicU32::new(0),
            answered: AtomicU32::new(0),
            progress,
            server: config.describe(),
        })
    }

    /// The server asked, as a person reads it.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// How many lookups have finished.
    pub fn completed(&self) -> u32 {
        self.completed.load(Ordering::Relaxed)
    }

    /// How many lookups got an answer of any kind (records, no data, NXDOMAIN or an error code).
    pub fn answered(&self) -> u32 {
        self.answered.load(Ordering::Relaxed)
    }

    /// The IPv4 and IPv6 addresses of `host`, looked up at the same time (empty when it has
    /// none or the lookups failed).
    pub async fn addresses(&self, host: &str) -> Vec<std::net::IpAddr> {
        let (v4, v6) = futures::join!(
            self.lookup(host, RecordType::A),
            self.lookup(host, RecordType::AAAA)
        );
        v4.records()
            .iter()
            .chain(v6.records())
            .filter_map(|r| match r {
                RData::A(a) => Some(std::net::IpAddr::V4(a.0)),
                RData::AAAA(a) => Some(std::net::IpAddr::V6(a.0)),
                _ => None,
            })
            .collect()
    }

    /// Looks up `name` (without trailing dot) for `rtype`, following CNAMEs.
    pub async fn lookup(&self, name: &str, rtype: RecordType) -> Lookup {
        let started = self.started.fetch_add(1, Ordering::Relaxed) + 1;
        self.report(name, rtype, None, self.completed(), started);
        let lookup = match query_name(name) {
            // A name DNS cannot carry (a label over 63 octets, over 255 in all) does not exist.
            None => Lookup::unanswered(name, rtype, Outcome::NxDomain),
            Some(fqdn) => self.ask(name, fqdn, rtype).await,
        };
        if lookup.outcome != Outcome::Timeout {
            self.answered.fetch_add(1, Ordering::Relaxed);
        }
        let completed = self.completed.fetch_add(1, Ordering::Relaxed) + 1;
        self.report(
            name,
            rtype,
            Some(lookup.kind()),
            completed,
            self.started.load(Ordering::Relaxed),
        );
        lookup
    }

    /// One query to the server, under the client's deadline.
    async fn ask(&self, name: &str, fqdn: Name, rtype: RecordType) -> Lookup {
        let answer =
            tokio::time::timeout_at(self.deadline, self.resolver.lookup(fqdn, rtype)).await;
        match answer {
            Err(_elapsed) => Lookup::unanswered(name, rtype, Outcome::Timeout),
            Ok(Err(error)) => Lookup::unanswered(name, rtype, classify(&error)),
            Ok(Ok(found)) => {
                let mut cnames = Vec::new();
                let mut records = Vec::new();
                for record in found.answers() {
                    match &record.data {
                        RData::CNAME(target) if rtype != RecordType::CNAME => cnames.push((
                            trim_dot(&record.name.to_string()).to_owned(),
                            trim_dot(&target.0.to_string()).to_owned(),
                        )),
                        data if data.record_type() == rtype => records.push(data.clone()),
                        _ => {}
                    }
                }
                let outcome = if records.is_empty() {
                    Outcome::NoData
                } else {
                    Outcome::Records(records)
                };
                Lookup {
                    name: name.to_owned(),
                    rtype,
                    cnames,
                    outcome,
                }
            }
        }
    }

    fn report(
        &self,
        name: &str,
        rtype: RecordType,
        outcome: Option<OutcomeKind>,
        completed: u32,
        started: u32,
    ) {
        if let Some(progress) = &self.progress {
            progress(LookupProgress {
                name: name.to_owned(),
                rtype: rtype.to_string(),
                outcome,
                completed,
                started,
            });
        }
    }
}

impl Lookup {
    fn unanswered(name: &str, rtype: RecordType, outcome: Outcome) -> Self {
        Lookup {
            name: name.to_owned(),
            rtype,
            cnames: Vec::new(),
            outcome,
        }
    }
}

/// A resolver for `config` with diagnostic settings (reference/dependencies.md): no cache, no
/// search list, no hosts file; CNAMEs kept so they can be shown as evidence.
pub(crate) fn build_resolver(config: &DnsConfig) -> Result<TokioResolver, EngineError> {
    let (resolver_config, mut options) = match config.nameserver {
        Some(addr) => {
            let mut udp = ConnectionConfig::udp();
            udp.port = addr.port();
            let mut tcp = ConnectionConfig::tcp();
            tcp.port = addr.port();
            let server = NameServerConfig::new(addr.ip(), true, vec![udp, tcp]);
            (
                ResolverConfig::from_name_servers(vec![server]),
                ResolverOpts::default(),
            )
        }
        None => hickory_resolver::system_conf::read_system_conf()
            .map_err(|e| EngineError::SystemResolver(e.to_string()))?,
    };
    options.timeout = config.timeout;
    options.attempts = config.retries;
    options.cache_size = 0;
    options.ndots = 0;
    options.use_hosts_file = ResolveHosts::Never;
    options.try_tcp_on_error = true;
    options.preserve_intermediates = true;
    Resolver::builder_with_config(resolver_config, TokioRuntimeProvider::default())
        .with_options(options)
        .build()
        .map_err(|e| EngineError::SystemResolver(e.to_string()))
}

/// The name to ask for: IDNA rules when the name follows them, else its labels as written. SPF
/// macros build names such as `foo_bar.example.com` or ones with a `%` that are legal in DNS
/// although not host names; they are asked byte for byte, as receivers ask them.
fn query_name(name: &str) -> Option<Name> {
    let name = trim_dot(name);
    let mut fqdn = Name::from_utf8(format!("{name}.")).or_else(|_| {
        // An empty label (`a..b`) cannot be asked: such a name does not exist.
        if name.split('.').any(str::is_empty) {
            return Err(());
        }
        Name::from_labels(name.split('.').map(str::as_bytes)).map_err(|_| ())
    });
    if let Ok(fqdn) = &mut fqdn {
        fqdn.set_fqdn(true);
    }
    fqdn.ok()
}

/// Sorts a resolver error into an outcome: "no records" only when the server said so.
fn classify(error: &NetError) -> Outcome {
    match error {
        NetError::Dns(DnsError::NoRecordsFound(nr))
            if nr.response_code == ResponseCode::NXDomain =>
        {
            Outcome::NxDomain
        }
        NetError::Dns(DnsError::NoRecordsFound(nr))
            if nr.response_code == ResponseCode::NoError =>
        {
            Outcome::NoData
        }
        NetError::Dns(DnsError::NoRecordsFound(nr)) => Outcome::ServFail(nr.response_code),
        NetError::Dns(DnsError::ResponseCode(code)) => Outcome::ServFail(*code),
        // Timeouts, refused connections and anything else: no usable answer arrived.
        _ => Outcome::Timeout,
    }
}
