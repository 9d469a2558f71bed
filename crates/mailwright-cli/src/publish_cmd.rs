//! `mailwright publish show|verify|hosts`: the project's records written for a DNS host (a
//! hand-off page or a zone snippet), and the check that they are published.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Subcommand};
use mailwright_core::EngineError;
use mailwright_core::files::write_text;

use crate::replace;
use mailwright_core::publish::{
    HandoffFormat, RecordState, VerifyRound, VerifySettings, dns_host, dns_hosts,
};
use mailwright_core::session::Session;

use crate::dns_args::DnsArgs;
use crate::https_args::HttpsArgs;

/// `mailwright publish …`.
#[derive(Subcommand)]
pub enum PublishCommand {
    /// Every record the project needs, written the way your DNS host wants it typed.
    Show(ShowArgs),
    /// Check, round after round, that the records are published (exit 0 when all are).
    Verify(VerifyArgs),
    /// The DNS hosts Mailwright knows.
    Hosts,
}

/// Arguments of `mailwright publish show`.
#[derive(Args)]
pub struct ShowArgs {
    /// The saved project (the app's project.json).
    #[arg(long, value_name = "FILE")]
    project: PathBuf,
    /// Your DNS host (see `mailwright publish hosts`).
    #[arg(long, default_value = "bind")]
    host: String,
    /// What to write.
    #[arg(long, value_enum, default_value = "md")]
    format: HandoffFormat,
    /// Where to write it (default: standard output).
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Replace the --output file when it exists (without this, an existing file is never
    /// replaced).
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    dns: DnsArgs,
    #[command(flatten)]
    https: HttpsArgs,
}

/// Arguments of `mailwright publish verify`.
#[derive(Args)]
pub struct VerifyArgs {
    /// The saved project (the app's project.json).
    #[arg(long, value_name = "FILE")]
    project: PathBuf,
    /// The port the domain's name servers answer on.
    #[arg(long, default_value_t = 53)]
    port: u16,
    /// Rounds before giving up (the wait doubles from 10 s to 2 min between rounds).
    #[arg(long, default_value_t = 30)]
    rounds: u32,
    /// Seconds before the second round.
    #[arg(long, default_value_t = 10)]
    first_wait: u64,
    #[command(flatten)]
    dns: DnsArgs,
    #[command(flatten)]
    https: HttpsArgs,
}

/// Runs a `publish` subcommand.
pub async fn run(command: PublishCommand) -> ExitCode {
    let result = match command {
        PublishCommand::Show(args) => show(&args).await,
        PublishCommand::Verify(args) => verify(&args).await,
        PublishCommand::Hosts => {
            for h in dns_hosts() {
                outln!("{:<14} {}", h.id, h.name);
            }
            Ok(ExitCode::SUCCESS)
        }
    };
    result.unwrap_or_else(|error| {
        errln!("mailwright: {error}");
        ExitCode::from(2)
    })
}

async fn show(args: &ShowArgs) -> Result<ExitCode, EngineError> {
    let Some(host) = dns_host(&args.host) else {
        errln!(
            "mailwright: “{}” is not a DNS host Mailwright knows; see `mailwright publish hosts`.",
            args.host
        );
        return Ok(ExitCode::from(2));
    };
    let session = Session::from_file(&args.project, args.dns.config()?)?;
    session.use_https(args.https.config()?);
    let set = session.gather_records().await?;
    let text = set.handoff(host, args.format);
    for note in &set.notes {
        errln!("Note: {note}");
    }
    match &args.output {
        Some(path) => {
            write_text(path, &text, replace(args.force))?;
            errln!("Wrote {}.", path.display());
        }
        None => out!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

fn print_round(round: &VerifyRound) {
    // The messages within a round show answers as they arrive; the terminal gets each round once.
    if !round.complete {
        return;
    }
    outln!(
        "Round {} (name servers: {}):",
        round.round,
        round.servers.join(", ")
    );
    for c in &round.checks {
        let state = match c.state {
            RecordState::Checking => "checking",
            RecordState::CouldNotCheck => "COULD NOT CHECK",
            RecordState::NotFound => "not found",
            RecordState::Different => "DIFFERENT",
            RecordState::Published => "published (not yet through your resolver)",
            RecordState::Visible => "published and visible",
        };
        outln!("  {} {}: {state}", c.record.rtype, c.record.name);
        if let Some(d) = &c.difference {
            outln!("    {d}");
        }
        if let Some(why) = &c.why {
            outln!("    {why}");
        }
    }
    match (round.done, round.next_in_ms) {
        (true, _) => outln!("Every record is published."),
        (false, Some(ms)) => outln!("Checking again in {} s.", ms / 1000),
        (false, None) => outln!("Not all records are published yet; run this again later."),
    }
}

async fn verify(args: &VerifyArgs) -> Result<ExitCode, EngineError> {
    let session = Session::from_file(&args.project, args.dns.config()?)?;
    session.use_https(args.https.config()?);
    session.gather_records().await?;
    let settings = VerifySettings {
        port: args.port,
        first_wait: Duration::from_secs(args.first_wait),
        max_rounds: args.rounds.max(1),
        ..VerifySettings::default()
    };
    let print = std::sync::Arc::new(|r: VerifyRound| print_round(&r));
    let last = session.verify_published(settings, Some(print)).await?;
    Ok(if last.done {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
