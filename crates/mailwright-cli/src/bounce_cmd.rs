//! `mailwright bounce explain FILE|-`: a bounce message or a pasted SMTP reply explained,
//! recipient by recipient: the code, the class, what happened and the one thing to do.

use std::fmt::Write;
use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use mailwright_core::EngineError;
use mailwright_core::bounces::{
    BounceClass, BounceExplanation, MAX_BOUNCE_OCTETS, explain_bounce, explain_reply,
};
use mailwright_core::files::read_capped;

use crate::render;

/// `mailwright bounce …`.
#[derive(Subcommand)]
pub enum BounceCommand {
    /// Explain a bounce message (.eml) or one SMTP reply ("550 5.7.26 …"), from a file or `-`
    /// for standard input.
    ///
    /// A feedback-loop report (ARF) is a complaint about its recipient.
    ///
    /// Exit status: 0 when nothing was refused for good, 1 when a recipient was (hard, policy,
    /// reputation) or complained, 2 when the input could not be read.
    Explain(ExplainArgs),
}

/// Arguments of `mailwright bounce explain`.
#[derive(Args)]
pub struct ExplainArgs {
    /// The bounce message or reply, or `-` for standard input.
    file: String,
    /// Print one JSON array, one object per recipient.
    #[arg(long)]
    json: bool,
}

/// Runs a `bounce` subcommand.
pub fn run(command: BounceCommand) -> ExitCode {
    match command {
        BounceCommand::Explain(args) => {
            explain(&args).unwrap_or_else(|e| render::failed(args.json, e))
        }
    }
}

fn read(file: &str) -> Result<Vec<u8>, EngineError> {
    if file != "-" {
        return read_capped(Path::new(file), MAX_BOUNCE_OCTETS as u64);
    }
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(MAX_BOUNCE_OCTETS as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| EngineError::Import("standard input".into(), e.to_string()))?;
    Ok(bytes)
}

/// A message when it has header lines; otherwise one reply.
fn explanations(bytes: &[u8]) -> Result<Vec<BounceExplanation>, EngineError> {
    match explain_bounce(bytes) {
        Ok(found) => Ok(found),
        Err(_) => Ok(vec![explain_reply(&String::from_utf8_lossy(bytes))]),
    }
}

fn explain(args: &ExplainArgs) -> Result<ExitCode, EngineError> {
    let found = explanations(&read(&args.file)?)?;
    if args.json {
        render::print_json(&found);
    } else {
        out!("{}", text(&found));
    }
    let refused = found.iter().any(|e| {
        matches!(
            e.class,
            BounceClass::Hard | BounceClass::Policy | BounceClass::Reputation
        )
    });
    Ok(if refused {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn class_words(class: BounceClass) -> &'static str {
    match class {
        BounceClass::Hard => "hard bounce — suppress the address",
        BounceClass::Soft => "soft bounce — try again later",
        BounceClass::Policy => "refused for a policy",
        BounceClass::Reputation => "refused for reputation",
        BounceClass::Rate => "slowed down — too fast",
        BounceClass::Complaint => "complaint — suppress the address",
        BounceClass::Unknown => "not recognised",
    }
}

fn text(found: &[BounceExplanation]) -> String {
    let mut out = String::new();
    for e in found {
        let _ = writeln!(
            out,
            "{}: {}{}",
            e.recipient.as_deref().unwrap_or("The reply"),
            class_words(e.class),
            match (&e.status, e.code) {
                (Some(s), Some(c)) => format!(" ({c} {s})"),
                (Some(s), None) => format!(" ({s})"),
                (None, Some(c)) => format!(" ({c})"),
                (None, None) => String::new(),
            }
        );
        if let Some(provider) = &e.provider {
            let _ = writeln!(out, "  Recognised: {provider}'s own words.");
        }
        let _ = writeln!(out, "  What happened: {}", e.meaning);
        let _ = writeln!(out, "  What to do: {}", e.fix);
        if let Some(reply) = &e.reply {
            let _ = writeln!(out, "  The server said: {reply}");
        }
        if let Some(mta) = &e.remote_mta {
            let _ = writeln!(out, "  Refused by: {mta}");
        }
    }
    out
}
