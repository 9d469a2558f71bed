//! The options of subcommands that fetch an MTA-STS policy over HTTPS.

use std::path::PathBuf;

use clap::Args;
use mailwright_core::EngineError;
use mailwright_core::mta_sts::{HttpsConfig, read_ca_file};

/// Where the policy file is fetched from.
#[derive(Args)]
pub struct HttpsArgs {
    /// Trust this CA certificate (PEM) for the policy's web server, besides the public roots.
    #[arg(long, value_name = "FILE")]
    ca: Option<PathBuf>,
    /// Fetch the policy from this port instead of 443 (for a private test server).
    #[arg(long, value_name = "PORT", default_value_t = 443)]
    policy_port: u16,
}

impl HttpsArgs {
    /// The HTTPS configuration these options describe.
    pub fn config(&self) -> Result<HttpsConfig, EngineError> {
        let mut https = HttpsConfig {
            port: self.policy_port,
            ..HttpsConfig::default()
        };
        if let Some(path) = &self.ca {
            https.extra_roots.push(read_ca_file(path)?);
        }
        Ok(https)
    }
}
