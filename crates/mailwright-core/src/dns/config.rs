//! Which DNS server the engine asks, and the time limits it asks under.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::shared::SharedResolver;
use ts_rs::TS;

use crate::error::EngineError;

/// The environment variable that names a DNS server for the CLI and the app: `IP[:PORT]`.
pub const ENV_NAMESERVER: &str = "MAILWRIGHT_NAMESERVER";
/// How long one DNS query may take before it is tried again or given up.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);
/// How many times a query that got no answer is sent again.
pub const DEFAULT_RETRIES: usize = 1;
/// The longest a whole run of lookups (an audit) may take, whatever the server does.
pub const DEFAULT_DEADLINE: Duration = Duration::from_millis(9_500);

/// Where the DNS server in use came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum NameserverSource {
    /// The operating system's resolver settings.
    System,
    /// The `MAILWRIGHT_NAMESERVER` environment variable.
    Environment,
    /// The app's Settings panel.
    Settings,
    /// The CLI's `--nameserver` option.
    CommandLine,
}

/// The DNS server and time limits for a run of lookups.
///
/// Clones share one resolver, built on first use: a session's checks all ask through it
/// instead of building their own (the resolver keeps no cache, so no answer is reused).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DnsConfig {
    /// The server to ask; `None` means the system resolver.
    pub nameserver: Option<SocketAddr>,
    /// Where `nameserver` came from.
    pub source: NameserverSource,
    /// Time limit of one query.
    pub timeout: Duration,
    /// Retries after a query got no answer.
    pub retries: usize,
    /// Time limit of a whole run of lookups.
    pub deadline: Duration,
    /// The resolver for these settings, once built.
    pub(crate) shared: SharedResolver,
}

impl Default for DnsConfig {
    fn default() -> Self {
        DnsConfig {
            nameserver: None,
            source: NameserverSource::System,
            timeout: DEFAULT_TIMEOUT,
            retries: DEFAULT_RETRIES,
            deadline: DEFAULT_DEADLINE,
            shared: SharedResolver::default(),
        }
    }
}

impl DnsConfig {
    /// Asks `nameserver` instead of the system resolver.
    pub fn with_nameserver(nameserver: SocketAddr, source: NameserverSource) -> Self {
        DnsConfig {
            nameserver: Some(nameserver),
            source,
            ..DnsConfig::default()
        }
    }

    /// The same time limits asking `nameserver` (an authoritative server), with its own
    /// resolver.
    pub fn asking(&self, nameserver: SocketAddr) -> Self {
        DnsConfig {
            nameserver: Some(nameserver),
            source: NameserverSource::CommandLine,
            timeout: self.timeout,
            retries: self.retries,
            deadline: self.deadline,
            shared: SharedResolver::default(),
        }
    }

    /// Picks the server: an explicit choice (CLI option or Settings) first, then the
    /// environment variable, then the system resolver. Blank values count as unset.
    pub fn choose(
        explicit: Option<(&str, NameserverSource)>,
        environment: Option<&str>,
    ) -> Result<Self, EngineError> {
        let explicit = explicit.filter(|(value, _)| !value.trim().is_empty());
        let environment = environment.filter(|value| !value.trim().is_empty());
        match (explicit, environment) {
            (Some((value, source)), _) => {
                Ok(Self::with_nameserver(parse_nameserver(value)?, source))
            }
            (None, Some(value)) => Ok(Self::with_nameserver(
                parse_nameserver(value)?,
                NameserverSource::Environment,
            )),
            (None, None) => Ok(DnsConfig::default()),
        }
    }

    /// [`DnsConfig::choose`] with the `MAILWRIGHT_NAMESERVER` environment variable of this
    /// process.
    pub fn choose_with_environment(
        explicit: Option<(&str, NameserverSource)>,
    ) -> Result<Self, EngineError> {
        Self::choose(explicit, environment_nameserver().as_deref())
    }

    /// The resolver for this configuration, shared with its clones (built on first use).
    pub(crate) fn resolver(&self) -> Result<hickory_resolver::TokioResolver, EngineError> {
        let settings = (self.nameserver, self.timeout, self.retries);
        self.shared
            .get_or_build(settings, || super::client::build_resolver(self))
    }

    /// How the server in use is described to a person, e.g. `127.0.0.1:5353`.
    pub fn describe(&self) -> String {
        match self.nameserver {
            Some(addr) => addr.to_string(),
            None => "your system's DNS resolver".to_owned(),
        }
    }
}

/// The value of `MAILWRIGHT_NAMESERVER`, when set.
pub fn environment_nameserver() -> Option<String> {
    std::env::var(ENV_NAMESERVER).ok()
}

/// Parses `IP`, `IP:PORT`, `IPv6` or `[IPv6]:PORT`; the port defaults to 53.
pub fn parse_nameserver(text: &str) -> Result<SocketAddr, EngineError> {
    let text = text.trim();
    let invalid = || EngineError::Nameserver(text.to_owned());
    if let Ok(addr) = text.parse::<SocketAddr>() {
        return if addr.port() == 0 {
            Err(invalid())
        } else {
            Ok(addr)
        };
    }
    let ip = text
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .unwrap_or(text);
    ip.parse::<IpAddr>()
        .map(|ip| SocketAddr::new(ip, 53))
        .map_err(|_| invalid())
}

/// What the Settings panel shows about the DNS server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DnsSettingsView {
    /// The server in use, as a person reads it.
    pub effective: String,
    /// Where it came from.
    pub source: NameserverSource,
    /// The value of `MAILWRIGHT_NAMESERVER`, when set.
    pub environment: Option<String>,
}

impl DnsSettingsView {
    /// Describes `config`, mentioning the environment variable's value when there is one.
    pub fn new(config: &DnsConfig) -> Self {
        DnsSettingsView {
            effective: config.describe(),
            source: config.source,
            environment: environment_nameserver().filter(|v| !v.trim().is_empty()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_address_form() {
        assert_eq!(
            parse_nameserver("192.0.2.1").unwrap(),
            "192.0.2.1:53".parse().unwrap()
        );
        assert_eq!(
            parse_nameserver(" 127.0.0.1:5353 ").unwrap(),
            "127.0.0.1:5353".parse().unwrap()
        );
        assert_eq!(
            parse_nameserver("::1").unwrap(),
            "[::1]:53".parse().unwrap()
        );
        assert_eq!(
            parse_nameserver("[::1]:5300").unwrap(),
            "[::1]:5300".parse().unwrap()
        );
        assert_eq!(
            parse_nameserver("[2001:db8::1]").unwrap(),
            "[2001:db8::1]:53".parse().unwrap()
        );
    }

    #[test]
    fn rejects_names_ports_and_junk() {
        for bad in [
            "dns.google",
            "1.2.3.4:0",
            "1.2.3.4:99999",
            "",
            "1.2.3",
            "::1:53:x",
        ] {
            let err = parse_nameserver(bad).unwrap_err();
            assert!(matches!(err, EngineError::Nameserver(_)), "{bad}");
        }
    }

    #[test]
    fn explicit_beats_environment_beats_system() {
        let cli = DnsConfig::choose(
            Some(("10.0.0.1", NameserverSource::CommandLine)),
            Some("10.0.0.2"),
        )
        .unwrap();
        assert_eq!(cli.nameserver, Some("10.0.0.1:53".parse().unwrap()));
        assert_eq!(cli.source, NameserverSource::CommandLine);
        let env = DnsConfig::choose(
            Some(("  ", NameserverSource::Settings)),
            Some("10.0.0.2:5353"),
        )
        .unwrap();
        assert_eq!(env.nameserver, Some("10.0.0.2:5353".parse().unwrap()));
        assert_eq!(env.source, NameserverSource::Environment);
        let system = DnsConfig::choose(None, Some("")).unwrap();
        assert_eq!(system.nameserver, None);
        assert_eq!(system.source, NameserverSource::System);
    }

    #[test]
    fn a_bad_environment_value_is_an_error_not_ignored() {
        assert!(DnsConfig::choose(None, Some("nonsense")).is_err());
    }
}
