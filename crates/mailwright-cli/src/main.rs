//! `mailwright`: the Mailwright engine on the command line.

/// `print!` through [`terminal::safe`]: nothing printed can drive the terminal. Output to a
/// reader that went away (`| head`) is dropped rather than a panic.
macro_rules! out {
    ($($arg:tt)*) => {{
        use ::std::io::Write as _;
        let _ = ::std::write!(::std::io::stdout(), "{}", $crate::terminal::safe(&::std::format!($($arg)*)));
    }};
}
/// `println!` through [`terminal::safe`] (see `out!`).
macro_rules! outln {
    ($($arg:tt)*) => {{
        use ::std::io::Write as _;
        let _ = ::std::writeln!(::std::io::stdout(), "{}", $crate::terminal::safe(&::std::format!($($arg)*)));
    }};
}
/// `eprint!` through [`terminal::safe`].
macro_rules! err {
    ($($arg:tt)*) => { ::std::eprint!("{}", $crate::terminal::safe(&::std::format!($($arg)*))) };
}
/// `eprintln!` through [`terminal::safe`].
macro_rules! errln {
    ($($arg:tt)*) => { ::std::eprintln!("{}", $crate::terminal::safe(&::std::format!($($arg)*))) };
}

mod audit_cmd;
mod bounce_cmd;
mod dkim_cmd;
mod dmarc_cmd;
mod dns_args;
mod https_args;
mod message_cmd;
mod mta_sts_cmd;
mod progress;
mod publish_cmd;
mod render;
mod report_cmd;
mod reports_cmd;
mod reputation_cmd;
mod smtp_cmd;
mod spf_cmd;
mod terminal;
mod warmup_cmd;

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
    /// SPF: check a domain's record against the RFC 7208 limits, or compose and simulate a new one.
    #[command(subcommand)]
    Spf(spf_cmd::SpfCommand),
    /// DMARC: check the policy that applies to a domain, or compose a record and its ramp.
    #[command(subcommand)]
    Dmarc(dmarc_cmd::DmarcCommand),
    /// MTA-STS and TLS-RPT: check the records and the HTTPS policy, or compose them.
    #[command(subcommand, name = "mta-sts")]
    MtaSts(mta_sts_cmd::MtaStsCommand),
    /// The mail server you send through: TLS, certificate, sign-in, relay check, test message.
    #[command(subcommand)]
    Smtp(smtp_cmd::SmtpCommand),
    /// The warm-up: a day-by-day plan, and what to do after each day's results.
    #[command(subcommand)]
    Warmup(warmup_cmd::WarmupCommand),
    /// Publishing: the records written for your DNS host, and the check that they are live.
    #[command(subcommand)]
    Publish(publish_cmd::PublishCommand),
    /// A message as it was received: its path, what the receiver decided, and what Mailwright
    /// decides now against Gmail's, Yahoo's and Microsoft's rules.
    #[command(subcommand)]
    Message(message_cmd::MessageCommand),
    /// The checklist report: every check afresh, with evidence and fixes, as Markdown or JSON.
    ///
    /// Exit status: 0 when no item fails, 1 when any fails, 2 when the report could not be made.
    Report(report_cmd::ReportArgs),
    /// Bounces: explain a bounce message or an SMTP reply — its class and the one thing to do.
    #[command(subcommand)]
    Bounce(bounce_cmd::BounceCommand),
    /// The sending IP's reputation basics: reverse DNS and the blocklists, asked honestly.
    #[command(subcommand)]
    Reputation(reputation_cmd::ReputationCommand),
    /// DMARC aggregate and TLS reports: import files, fetch from the report mailbox (IMAP),
    /// and see who sends as you and whether the next DMARC policy is safe.
    #[command(subcommand)]
    Reports(reports_cmd::ReportsCommand),
}

/// What `--force` means for a file the command writes.
fn replace(force: bool) -> mailwright_core::files::Replace {
    if force {
        mailwright_core::files::Replace::Confirmed
    } else {
        mailwright_core::files::Replace::Never
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Audit(args) => audit_cmd::run(args).await,
        Command::Dkim(command) => dkim_cmd::run(command).await,
        Command::Spf(command) => spf_cmd::run(command).await,
        Command::Dmarc(command) => dmarc_cmd::run(command).await,
        Command::MtaSts(command) => mta_sts_cmd::run(command).await,
        Command::Smtp(command) => smtp_cmd::run(command).await,
        Command::Warmup(command) => warmup_cmd::run(command),
        Command::Report(args) => report_cmd::run(args).await,
        Command::Message(command) => message_cmd::run(command).await,
        Command::Publish(command) => publish_cmd::run(command).await,
        Command::Reports(command) => reports_cmd::run(command).await,
        Command::Bounce(command) => bounce_cmd::run(command).await,
        Command::Reputation(command) => reputation_cmd::run(command).await,
    }
}
