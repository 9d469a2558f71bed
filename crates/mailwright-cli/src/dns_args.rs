//! The `--nameserver` option every networked subcommand takes.

use clap::Args;
use mailwright_core::EngineError;
use mailwright_core::dns::{DnsConfig, NameserverSource};

/// Which DNS server to ask.
#[derive(Args)]
pub struct DnsArgs {
    /// The DNS server to ask, IP[:PORT]; default: $MAILWRIGHT_NAMESERVER, else the system resolver.
    #[arg(long, value_name = "IP[:PORT]")]
    nameserver: Option<String>,
}

impl DnsArgs {
    /// The DNS configuration: this option, else the environment variable, else the system.
    pub fn config(&self) -> Result<DnsConfig, EngineError> {
        DnsConfig::choose_with_environment(
            self.nameserver
                .as_deref()
                .map(|n| (n, NameserverSource::CommandLine)),
        )
    }
}
