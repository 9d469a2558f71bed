//! `mailwright reputation check`: the sending IP's reverse DNS and the blocklists, asked
//! honestly (each list's test points first).

use std::fmt::Write;
use std::net::IpAddr;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use mailwright_core::EngineError;
use mailwright_core::reputation::{
    Blocklist, ListKind, Listing, ReputationCheck, ReputationRequest, blocklists, check_reputation,
    load_dqs_key, with_dqs_key,
};

use crate::dns_args::DnsArgs;
use crate::render;

/// `mailwright reputation …`.
#[derive(Subcommand)]
pub enum ReputationCommand {
    /// Check sending IP addresses (reverse DNS, forward-confirmed, not a dynamic pool's name;
    /// IP blocklists) and domains (domain blocklists). For your own servers and dedicated IPs;
    /// a hosted service's shared IPs are its own business.
    ///
    /// Exit status: 0 when nothing fails, 1 when an address is listed or its reverse DNS fails,
    /// 2 when the check could not run.
    Check(CheckArgs),
}

/// Arguments of `mailwright reputation check`.
#[derive(Args)]
pub struct CheckArgs {
    /// A sending IP address (repeat for more).
    #[arg(long = "ip", value_name = "IP")]
    ips: Vec<IpAddr>,
    /// A domain to look up in the domain lists (repeat for more).
    #[arg(long = "domain", value_name = "DOMAIN")]
    domains: Vec<String>,
    /// The name the server says in EHLO (its greeting's name): checked to resolve to the first
    /// --ip and to be that address's reverse DNS name.
    #[arg(long, value_name = "NAME")]
    ehlo: Option<String>,
    /// Add a list, such as a paid or private zone: ZONE, ZONE:ip or ZONE:domain (repeat for
    /// more). Its test points are asked like the others'.
    #[arg(long = "blocklist", value_name = "ZONE[:ip|:domain]")]
    blocklists: Vec<String>,
    #[command(flatten)]
    dns: DnsArgs,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Runs a `reputation` subcommand.
pub async fn run(command: ReputationCommand) -> ExitCode {
    match command {
        ReputationCommand::Check(args) => check(&args)
            .await
            .unwrap_or_else(|e| render::failed(args.json, e)),
    }
}

fn added(text: &str) -> Blocklist {
    match text.rsplit_once(':') {
        Some((zone, "domain")) => Blocklist::custom(zone, ListKind::Domain),
        Some((zone, "ip")) => Blocklist::custom(zone, ListKind::Ip),
        _ => Blocklist::custom(text, ListKind::Ip),
    }
}

async fn check(args: &CheckArgs) -> Result<ExitCode, EngineError> {
    if args.ips.is_empty() && args.domains.is_empty() {
        return Err(EngineError::NothingYet(
            "Give at least one --ip (your sending server's address) or --domain.",
        ));
    }
    let dns = args.dns.config()?;
    // Spamhaus through the DQS key the app saved in the keychain, when there is one.
    let mut lists: Vec<Blocklist> = match load_dqs_key().await {
        Some(key) => with_dqs_key(blocklists(), key.expose()),
        None => blocklists().to_vec(),
    };
    lists.extend(args.blocklists.iter().map(|b| added(b)));
    let ehlo = match (&args.ehlo, args.ips.first()) {
        (Some(name), Some(ip)) => {
            Some((name.trim().trim_end_matches('.').to_ascii_lowercase(), *ip))
        }
        (Some(_), None) => {
            return Err(EngineError::NothingYet(
                "--ehlo needs the --ip the server sends from.",
            ));
        }
        (None, _) => None,
    };
    let request = ReputationRequest {
        ips: args.ips.clone(),
        domains: args.domains.clone(),
        lists,
        ehlo,
    };
    let result = check_reputation(&request, &dns).await?;
    let failed = !result.passed;
    if args.json {
        render::print_json(&result);
    } else {
        out!("{}", text(&result));
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn text(result: &ReputationCheck) -> String {
    let mut out = String::new();
    for p in &result.ptr {
        let _ = writeln!(
            out,
            "{} Reverse DNS: {}",
            if p.passes { "✓" } else { "✗" },
            p.sentence
        );
    }
    if let Some(e) = &result.ehlo {
        let _ = writeln!(
            out,
            "{} Server name: {}",
            if e.passes { "✓" } else { "✗" },
            e.sentence
        );
    }
    for v in &result.blocklists {
        let line = match &v.listing {
            Listing::NotListed => {
                format!("✓ {} ({}): {} is not listed.", v.list, v.zone, v.subject)
            }
            Listing::Listed { reasons, delist } => format!(
                "✗ {} ({}): {} is LISTED — {}.{}",
                v.list,
                v.zone,
                v.subject,
                reasons.join("; "),
                delist
                    .as_deref()
                    .map(|d| format!(" Ask for removal at {d}."))
                    .unwrap_or_default()
            ),
            Listing::CannotCheck { why } => {
                format!(
                    "? {} ({}): {} — cannot check from here: {why}.",
                    v.list, v.zone, v.subject
                )
            }
        };
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out, "Next: {}", result.next_step);
    out
}
