//! `mailwright dmarc check|compose`: the policy that applies to a domain; a new record with
//! its report authorizations and the ramp none → quarantine → reject.

use std::fmt::Write;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use mailwright_core::clock::today;
use mailwright_core::dmarc::{
    AlignmentMode, DmarcComposeRequest, DmarcPolicy, check_dmarc, compose_dmarc, published_dmarc,
};
use mailwright_core::{EngineError, parse_domain_input};

use crate::dns_args::DnsArgs;
use crate::{progress, render};

/// `mailwright dmarc …`.
#[derive(Subcommand)]
pub enum DmarcCommand {
    /// Check the DMARC policy that applies to a domain: syntax, policy, subdomain tree walk,
    /// external report authorization.
    ///
    /// Exit status: 0 when no check fails, 1 when any fails, 2 when the check could not run.
    Check(CheckArgs),
    /// Compose a DMARC record, the authorization records for external report addresses, and
    /// the ramp to reject with suggested dates.
    Compose(ComposeArgs),
}

/// Arguments of `mailwright dmarc check`.
#[derive(Args)]
pub struct CheckArgs {
    /// The domain to check.
    domain: String,
    #[command(flatten)]
    dns: DnsArgs,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

/// Arguments of `mailwright dmarc compose`.
#[derive(Args)]
pub struct ComposeArgs {
    /// The domain.
    domain: String,
    /// The policy to publish now; the ramp goes on from it (default: the published one, else
    /// none).
    #[arg(long, value_enum)]
    policy: Option<DmarcPolicy>,
    /// An address for aggregate reports (repeat it).
    #[arg(long = "rua", value_name = "ADDRESS")]
    rua: Vec<String>,
    /// An address for failure reports (repeat it).
    #[arg(long = "ruf", value_name = "ADDRESS")]
    ruf: Vec<String>,
    /// DKIM alignment (default: the published one, else relaxed).
    #[arg(long, value_enum)]
    adkim: Option<AlignmentMode>,
    /// SPF alignment (default: the published one, else relaxed).
    #[arg(long, value_enum)]
    aspf: Option<AlignmentMode>,
    /// Policy for subdomains.
    #[arg(long, value_enum)]
    sp: Option<DmarcPolicy>,
    /// Policy for subdomains that do not exist.
    #[arg(long, value_enum)]
    np: Option<DmarcPolicy>,
    /// Failure-report options (0, 1, d, s; repeat it).
    #[arg(long = "fo", value_name = "OPTION")]
    fo: Vec<String>,
    /// Publish these choices even where they are weaker than the record in force (without it,
    /// what is published is kept and the weaker choices are named).
    #[arg(long)]
    weaken: bool,
    #[command(flatten)]
    dns: DnsArgs,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

/// Runs a `dmarc` subcommand.
pub async fn run(command: DmarcCommand) -> ExitCode {
    match command {
        DmarcCommand::Check(args) => check(&args)
            .await
            .unwrap_or_else(|e| render::failed(args.json, e)),
        DmarcCommand::Compose(args) => compose(&args)
            .await
            .unwrap_or_else(|e| render::failed(args.json, e)),
    }
}

async fn check(args: &CheckArgs) -> Result<ExitCode, EngineError> {
    let domain = parse_domain_input(&args.domain)?.domain;
    let dns = args.dns.config()?;
    let bar = progress::bar(!args.json);
    let report = check_dmarc(&domain, &dns, bar.sink()).await;
    bar.finish();
    let report = report?;
    if args.json {
        render::print_json(&report);
    } else {
        let mut out = format!("DMARC of {}, asked {}\n", report.domain, report.nameserver);
        match (&report.found_at, &report.record) {
            (Some(at), Some(record)) => {
                let _ = writeln!(out, "  _dmarc.{at}: {record}");
            }
            _ => out.push_str("  no record found\n"),
        }
        if let Some(policy) = report.policy {
            let _ = writeln!(out, "  policy in effect: {}", policy.as_str());
        }
        out.push('\n');
        render::write_findings(&mut out, &report.findings);
        out!("{out}");
    }
    Ok(render::exit_status(&report.findings))
}

async fn compose(args: &ComposeArgs) -> Result<ExitCode, EngineError> {
    let domain = parse_domain_input(&args.domain)?.domain;
    let published = published_dmarc(&domain, &args.dns.config()?).await?;
    // The published record's choices, then what was asked on the command line.
    let mut request = DmarcComposeRequest::starting_from(domain.as_str(), published.as_ref());
    request.policy = args.policy.or(request.policy);
    if !args.rua.is_empty() {
        request.rua = args.rua.clone();
    }
    if !args.ruf.is_empty() {
        request.ruf = args.ruf.clone();
    }
    request.adkim = args.adkim.unwrap_or(request.adkim);
    request.aspf = args.aspf.unwrap_or(request.aspf);
    request.sp = args.sp.or(request.sp);
    request.np = args.np.or(request.np);
    if !args.fo.is_empty() {
        request.fo = args.fo.clone();
    }
    request.weaken = args.weaken;
    let composed = compose_dmarc(&request, published.as_ref(), today())?;
    if args.json {
        render::print_json(&composed);
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    if let Some(published) = &composed.published {
        let _ = writeln!(out, "In force now: {published}\n");
    }
    render::write_weaker(&mut out, &composed.weaker);
    let _ = writeln!(
        out,
        "Publish at {} (TXT):\n\n  {}",
        composed.name, composed.record
    );
    for auth in &composed.authorizations {
        let _ = writeln!(
            out,
            "\nReports go to {}: whoever runs it must publish at {} (TXT):\n  {}",
            auth.destination, auth.name, auth.value
        );
    }
    out.push_str("\nRamp:\n");
    for stage in &composed.ramp {
        let _ = writeln!(
            out,
            "  from {}  p={}\n    {}",
            stage.from,
            stage.policy.as_str(),
            stage.record
        );
        for condition in &stage.conditions {
            let _ = writeln!(out, "    - {condition}");
        }
    }
    out!("{out}");
    Ok(ExitCode::SUCCESS)
}
