//! `mailwright`: the Mailwright engine on the command line.

mod audit_cmd;
mod dkim_cmd;
mod dns_args;
mod progress;
mod render;
mod spf_cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Set up authenticated, encrypted, reputation-safe outbound email.
#[derive(Parser)]
#[command(name = "mailwright", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check what a domain publishes today for sending mail: MX, SPF, DKIM, DMARC, MTA-STS, TLS-RPT.
    ///
    /// Exit status: 0 when no check fails, 1 when any fails, 2 when the audit could not run.
    Audit(audit_cmd::AuditArgs),
    /// DKIM keys: generate one into the OS keychain, or check a selector and prove signatures verify.
    #[command(subcommand)]
    Dkim(dkim_cmd::DkimCommand),
    /// SPF: check a domain's record against the RFC 7208 limits, with its include tree.
    #[command(subcommand)]
    Spf(spf_cmd::SpfCommand),
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Audit(args) => audit_cmd::run(args).await,
        Command::Dkim(command) => dkim_cmd::run(command).await,
        Command::Spf(command) => spf_cmd::run(command).await,
    }
}
