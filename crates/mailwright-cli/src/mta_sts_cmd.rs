//! `mailwright mta-sts check|compose`: the MTA-STS and TLS-RPT records and the policy fetched
//! over HTTPS; new records and a policy file for the domain's MX hosts.

use std::fmt::Write;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use mailwright_core::clock::now;
use mailwright_core::mta_sts::{
    MtaStsSetup, StsMode, check_mta_sts, compose_mta_sts, compose_mta_sts_for,
};
use mailwright_core::{EngineError, parse_domain_input};

use crate::dns_args::DnsArgs;
use crate::https_args::HttpsArgs;
use crate::{progress, render};

/// `mailwright mta-sts …`.
#[derive(Subcommand)]
pub enum MtaStsCommand {
    /// Check the _mta-sts and _smtp._tls records and fetch the policy from https://mta-sts.<domain>.
    ///
    /// Exit status: 0 when no check fails, 1 when any fails, 2 when the check could not run.
    Check(CheckArgs),
    /// Compose the _mta-sts record, the policy file (one mx: line per MX host) and the _smtp._tls record.
    Compose(ComposeArgs),
}

/// Arguments of `mailwright mta-sts check`.
#[derive(Args)]
pub struct CheckArgs {
    /// The domain to check.
    domain: String,
    #[command(flatten)]
    https: HttpsArgs,
    #[command(flatten)]
    dns: DnsArgs,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

/// Arguments of `mailwright mta-sts compose`.
#[derive(Args)]
pub struct ComposeArgs {
    /// The domain.
    domain: String,
    /// The policy mode (default: the published one, else testing).
    #[arg(long, value_enum)]
    mode: Option<StsMode>,
    /// Where TLS reports go, comma-separated (default: the published addresses, else
    /// tls-reports@<domain>).
    #[arg(long, value_name = "ADDRESS")]
    report_to: Option<String>,
    /// Publish these choices even where they are weaker than what is published (without it,
    /// what is published is kept and the weaker choices are named).
    #[arg(long)]
    weaken: bool,
    #[command(flatten)]
    https: HttpsArgs,
    #[command(flatten)]
    dns: DnsArgs,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

/// Runs an `mta-sts` subcommand.
pub async fn run(command: MtaStsCommand) -> ExitCode {
    match command {
        MtaStsCommand::Check(args) => check(&args)
            .await
            .unwrap_or_else(|e| render::failed(args.json, e)),
        MtaStsCommand::Compose(args) => compose(&args)
            .await
            .unwrap_or_else(|e| render::failed(args.json, e)),
    }
}

async fn check(args: &CheckArgs) -> Result<ExitCode, EngineError> {
    let domain = parse_domain_input(&args.domain)?.domain;
    let dns = args.dns.config()?;
    let https = args.https.config()?;
    let bar = progress::bar(!args.json);
    let report = check_mta_sts(&domain, &dns, &https, bar.sink()).await;
    bar.finish();
    let report = report?;
    if args.json {
        render::print_json(&report);
    } else {
        let mut out = format!(
            "MTA-STS and TLS-RPT of {}, asked {}\n",
            report.domain, report.nameserver
        );
        if let Some(policy) = &report.policy_text {
            let _ = writeln!(
                out,
                "Policy:\n{}",
                policy
                    .trim_end()
                    .lines()
                    .map(|l| format!("  {l}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
        out.push('\n');
        render::write_findings(&mut out, &report.findings);
        out!("{out}");
    }
    Ok(render::exit_status(&report.findings))
}

async fn compose(args: &ComposeArgs) -> Result<ExitCode, EngineError> {
    let domain = parse_domain_input(&args.domain)?.domain;
    let dns = args.dns.config()?;
    let https = args.https.config()?;
    let (first, published) =
        compose_mta_sts_for(&domain, &MtaStsSetup::default(), &dns, &https).await?;
    // The published choices, then what was asked on the command line.
    let mut setup = MtaStsSetup::starting_from(&published);
    setup.mode = args.mode.unwrap_or(setup.mode);
    if let Some(report_to) = &args.report_to {
        setup.report_to = report_to.clone();
    }
    setup.weaken = args.weaken;
    let composed = compose_mta_sts(domain.as_str(), &first.policy.mx, &setup, &published, now());
    if args.json {
        render::print_json(&composed);
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    render::write_weaker(&mut out, &composed.weaker);
    let _ = write!(
        out,
        "1. Serve this file at {} (text/plain, HTTPS):\n\n{}\n",
        composed.policy_url,
        composed
            .policy_text
            .lines()
            .map(|l| format!("   {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let _ = writeln!(
        out,
        "\n2. Publish at {} (TXT):\n   {}",
        composed.record_name, composed.record
    );
    let _ = writeln!(
        out,
        "\n3. Publish at {} (TXT):\n   {}",
        composed.tls_rpt_name, composed.tls_rpt
    );
    out.push('\n');
    for step in &composed.steps {
        let _ = writeln!(out, "- {step}");
    }
    out!("{out}");
    Ok(ExitCode::SUCCESS)
}
