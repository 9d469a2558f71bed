//! `mailwright message check FILE|-`: a received message's path, what the receiver decided,
//! what Mailwright decides now, and Gmail's, Yahoo's and Microsoft's rules.

use std::fmt::Write;
use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use mailwright_core::EngineError;
use mailwright_core::files::read_capped;
use mailwright_core::message::{MAX_MESSAGE_OCTETS, MessageCheck, check_message};

use crate::dns_args::DnsArgs;
use crate::{progress, render};

/// `mailwright message …`.
#[derive(Subcommand)]
pub enum MessageCommand {
    /// Check a message as it was received: open the original (.eml, or "Show original" saved
    /// as a file) or pipe it in with `-`. Headers alone are enough for most checks.
    ///
    /// Exit status: 0 when no check fails, 1 when any fails, 2 when the check could not run.
    #[command(after_long_help = mailwright_core::message::original_sources_text())]
    Check(CheckArgs),
}

/// Arguments of `mailwright message check`.
#[derive(Args)]
pub struct CheckArgs {
    /// The message file, or `-` for standard input.
    file: String,
    #[command(flatten)]
    dns: DnsArgs,
    /// Print one JSON object: "hops", "receiver", "signatures", "spf", "dmarc", "rules",
    /// "findings".
    #[arg(long)]
    json: bool,
}

/// Runs a `message` subcommand.
pub async fn run(command: MessageCommand) -> ExitCode {
    match command {
        MessageCommand::Check(args) => check(&args)
            .await
            .unwrap_or_else(|e| render::failed(args.json, e)),
    }
}

fn read(file: &str) -> Result<Vec<u8>, EngineError> {
    if file != "-" {
        return read_capped(Path::new(file), MAX_MESSAGE_OCTETS as u64);
    }
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(MAX_MESSAGE_OCTETS as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| EngineError::Import("standard input".into(), e.to_string()))?;
    Ok(bytes)
}

async fn check(args: &CheckArgs) -> Result<ExitCode, EngineError> {
    let bytes = read(&args.file)?;
    let dns = args.dns.config()?;
    let bar = progress::bar(!args.json);
    let checked = check_message(&bytes, &dns, bar.sink()).await;
    bar.finish();
    let checked = checked?;
    if args.json {
        render::print_json(&checked);
    } else {
        out!("{}", text(&checked));
    }
    Ok(render::exit_status(&checked.findings))
}

fn text(c: &MessageCheck) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Message {} from {} ({})\n",
        c.message_id.as_deref().unwrap_or("(no Message-ID)"),
        c.from.join(", "),
        c.date.as_deref().unwrap_or("no date")
    );
    let _ = writeln!(out, "Path, first server first:");
    for hop in &c.hops {
        let _ = writeln!(
            out,
            "  {} [{}] → {}  with {}{}{}",
            hop.from.as_deref().unwrap_or("?"),
            hop.from_ip.as_deref().unwrap_or("?"),
            hop.by.as_deref().unwrap_or("?"),
            hop.with.as_deref().unwrap_or("?"),
            if hop.encrypted {
                ", encrypted"
            } else {
                ", NOT encrypted"
            },
            hop.delay_seconds
                .map(|d| format!(", {d} s later"))
                .unwrap_or_default()
        );
    }
    if let Some(ip) = &c.sending_ip {
        let _ = writeln!(
            out,
            "  Sent from {ip} (HELO {}).",
            c.helo.as_deref().unwrap_or("?")
        );
    }
    match &c.receiver {
        Some(r) => {
            let results: Vec<String> = r
                .results
                .iter()
                .map(|x| format!("{}={}", x.method, x.result))
                .collect();
            let _ = writeln!(
                out,
                "\n{} decided: {}",
                r.provider.as_deref().unwrap_or("The receiver"),
                results.join(", ")
            );
        }
        None => {
            let _ = writeln!(out, "\nNo Authentication-Results from a known receiver.");
        }
    }
    let _ = writeln!(out, "\nMailwright decides now:");
    for s in &c.signatures {
        let _ = writeln!(
            out,
            "  DKIM d={} s={} {} ({}): {}{}",
            s.domain,
            s.selector,
            s.algorithm,
            s.key.as_deref().unwrap_or("key size unknown"),
            s.result,
            s.reason
                .as_deref()
                .map(|r| format!(" — {r}"))
                .unwrap_or_default()
        );
    }
    if let Some(spf) = &c.spf {
        let _ = writeln!(out, "  SPF: {}", spf.sentence);
    }
    if let Some(d) = &c.dmarc {
        let _ = writeln!(out, "  DMARC: {}", d.sentence);
    }
    let _ = writeln!(out, "\nGmail, Yahoo and Microsoft's rules:");
    for rule in &c.rules {
        let mark = match rule.met {
            Some(true) => "met    ",
            Some(false) => "NOT MET",
            None => "unknown",
        };
        let _ = writeln!(
            out,
            "  [{mark}] {} ({}): {}",
            rule.rule, rule.required_by, rule.evidence
        );
    }
    out.push('\n');
    render::write_findings(&mut out, &c.findings);
    out
}
