//! `mailwright spf check`: the SPF record of a domain, its lookup counts and include tree.

use std::fmt::Write;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use mailwright_core::spf::{MAX_DNS_LOOKUPS, MAX_VOID_LOOKUPS, SpfNode, check_spf};
use mailwright_core::{EngineError, UserError, parse_domain_input};

use crate::dns_args::DnsArgs;
use crate::{progress, render};

/// `mailwright spf …`.
#[derive(Subcommand)]
pub enum SpfCommand {
    /// Check a domain's SPF record: syntax, the 10-lookup and 2-void limits, loops, +all, ptr, length.
    ///
    /// Exit status: 0 when no check fails, 1 when any fails, 2 when the check could not run.
    Check(CheckArgs),
}

/// Arguments of `mailwright spf check`.
#[derive(Args)]
pub struct CheckArgs {
    /// The domain to check.
    domain: String,
    #[command(flatten)]
    dns: DnsArgs,
    /// Print one JSON object (with "dns_lookups", "void_lookups" and the include "tree").
    #[arg(long)]
    json: bool,
}

/// Runs an `spf` subcommand.
pub async fn run(command: SpfCommand) -> ExitCode {
    let SpfCommand::Check(args) = command;
    match check(&args).await {
        Ok(code) => code,
        Err(error) => {
            if args.json {
                println!("{}", serde_json::json!({ "error": UserError::from(error) }));
            } else {
                eprintln!("mailwright: {error}");
            }
            ExitCode::from(2)
        }
    }
}

async fn check(args: &CheckArgs) -> Result<ExitCode, EngineError> {
    let domain = parse_domain_input(&args.domain)?.domain;
    let dns = args.dns.config()?;
    let bar = progress::bar(!args.json);
    let report = check_spf(&domain, &dns, bar.sink()).await;
    bar.finish();
    let report = report?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("a report always serializes")
        );
    } else {
        let mut out = format!(
            "SPF of {}, asked {}: {} of {MAX_DNS_LOOKUPS} DNS lookups, {} of {MAX_VOID_LOOKUPS} void lookups\n\n",
            report.domain, report.nameserver, report.dns_lookups, report.void_lookups
        );
        tree(&mut out, &report.tree, 1);
        out.push('\n');
        for finding in &report.findings {
            render::write_finding(&mut out, finding);
        }
        print!("{out}");
    }
    Ok(render::exit_status(&report.findings))
}

/// The include tree, one line per record with its own cost.
fn tree(out: &mut String, node: &SpfNode, level: usize) {
    let via = if node.via.is_empty() {
        String::new()
    } else {
        format!("{} → ", node.via)
    };
    let problem = node
        .problem
        .as_ref()
        .map(|p| format!("  [{}]", p.label()))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{}{via}{}  (cost {}, void {}){problem}",
        "  ".repeat(level),
        node.domain,
        node.cost,
        node.voids
    );
    for child in &node.children {
        tree(out, child, level + 1);
    }
}
