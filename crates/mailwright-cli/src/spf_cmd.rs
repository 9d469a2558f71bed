//! `mailwright spf check|compose`: a domain's SPF record with its lookup counts and include
//! tree; a new record composed from the services that send as the domain, simulated first.

use std::fmt::Write;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use mailwright_core::senders::{Inventory, SenderChoice, senders};
use mailwright_core::spf::{
    AllPolicy, MAX_DNS_LOOKUPS, MAX_VOID_LOOKUPS, SpfCheckReport, SpfComposeRequest, SpfCrossCheck,
    SpfNode, SpfQuery, TermOrigin, check_spf, check_spf_for_message, cross_check_spf,
    parse_ip_address, published_spf, simulate_spf,
};
use mailwright_core::{EngineError, parse_domain_input};
use serde_json::json;

use crate::dns_args::DnsArgs;
use crate::{progress, render};

/// `mailwright spf …`.
#[derive(Subcommand)]
pub enum SpfCommand {
    /// Check a domain's SPF record: syntax, the 10-lookup and 2-void limits, loops, +all, ptr, length.
    ///
    /// Exit status: 0 when no check fails, 1 when any fails, 2 when the check could not run.
    Check(CheckArgs),
    /// Compose one SPF record from the published one and the services that send as the domain,
    /// and simulate it against DNS before publishing (lookups, include tree, fixes).
    ///
    /// Exit status: 0 when the composed record passes every check, 1 when not, 2 on an error.
    Compose(ComposeArgs),
}

/// Arguments of `mailwright spf check`.
#[derive(Args)]
pub struct CheckArgs {
    /// The domain to check.
    domain: String,
    /// Also decide SPF for mail from this IP address, as a receiver does (RFC 7208 check_host).
    #[arg(long, value_name = "IP")]
    ip: Option<String>,
    /// With --ip: the MAIL FROM address (default postmaster@DOMAIN; empty for a bounce, then
    /// the HELO name is checked).
    #[arg(long, value_name = "ADDRESS", requires = "ip")]
    mail_from: Option<String>,
    /// With --ip: the HELO/EHLO name the sending server gives (default DOMAIN).
    #[arg(long, value_name = "NAME", requires = "ip")]
    helo: Option<String>,
    #[command(flatten)]
    dns: DnsArgs,
    /// Print one JSON object (with "dns_lookups", "void_lookups" and the include "tree"; with
    /// --ip, the decision: "result", "decided_by", "explanation", "lookups", "void_lookups",
    /// "mail_auth_result" when mail-auth decides otherwise, and the record's check under "check").
    #[arg(long)]
    json: bool,
}

/// Arguments of `mailwright spf compose`.
#[derive(Args)]
pub struct ComposeArgs {
    /// The domain.
    domain: String,
    /// A service that sends as the domain (repeat it); see --list-senders for the ids.
    #[arg(long = "sender", value_name = "ID")]
    senders: Vec<String>,
    /// An IP address, network or host name of your own server (implies --sender own_server).
    #[arg(long = "host", value_name = "ADDRESS")]
    hosts: Vec<String>,
    /// The SPF include a service showed you, for services whose include is per account (ID=TERM).
    #[arg(long = "mechanism", value_name = "ID=TERM")]
    mechanisms: Vec<String>,
    /// How the record ends; default: keep the published ~all/-all, else ~all.
    #[arg(long, value_enum)]
    all: Option<AllPolicy>,
    /// A term of the published record to leave out (repeat it); nothing else is dropped.
    #[arg(long = "remove", value_name = "TERM")]
    remove: Vec<String>,
    /// End with ~all even though the published record ends -all (without it, -all is kept and
    /// the weaker choice is named).
    #[arg(long)]
    weaken: bool,
    /// Also decide SPF for mail from this IP address under the composed record.
    #[arg(long, value_name = "IP")]
    ip: Option<String>,
    /// List the service ids and exit.
    #[arg(long)]
    list_senders: bool,
    #[command(flatten)]
    dns: DnsArgs,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

/// Runs an `spf` subcommand.
pub async fn run(command: SpfCommand) -> ExitCode {
    match command {
        SpfCommand::Check(args) => check(&args)
            .await
            .unwrap_or_else(|e| render::failed(args.json, e)),
        SpfCommand::Compose(args) => compose(&args)
            .await
            .unwrap_or_else(|e| render::failed(args.json, e)),
    }
}

async fn check(args: &CheckArgs) -> Result<ExitCode, EngineError> {
    let domain = parse_domain_input(&args.domain)?.domain;
    let ip = args.ip.as_deref().map(parse_ip_address).transpose()?;
    let dns = args.dns.config()?;
    let bar = progress::bar(!args.json);
    let checked = match ip {
        Some(ip) => {
            let query = SpfQuery {
                ip,
                mail_from: args
                    .mail_from
                    .clone()
                    .unwrap_or_else(|| format!("postmaster@{}", domain.as_str())),
                helo: args
                    .helo
                    .clone()
                    .unwrap_or_else(|| domain.as_str().to_owned()),
            };
            check_spf_for_message(&domain, &query, &dns, bar.sink())
                .await
                .map(|(report, cross)| (report, Some(cross)))
        }
        None => check_spf(&domain, &dns, bar.sink())
            .await
            .map(|report| (report, None)),
    };
    bar.finish();
    let (report, cross) = checked?;
    if args.json {
        let value = match &cross {
            Some(cross) => {
                let mut value = json!(cross);
                value["check"] = json!(report);
                value
            }
            None => serde_json::to_value(&report).expect("a report always serializes"),
        };
        render::print_json(&value);
    } else {
        let mut out = String::new();
        write_report(&mut out, &report);
        if let Some(cross) = &cross {
            write_cross_check(&mut out, cross);
        }
        out!("{out}");
    }
    Ok(render::exit_status(&report.findings))
}

fn inventory(args: &ComposeArgs) -> Result<Inventory, EngineError> {
    let mut ids: Vec<String> = args.senders.clone();
    if !args.hosts.is_empty() && !ids.iter().any(|i| i == "own_server") {
        ids.push("own_server".into());
    }
    let mut choices: Vec<SenderChoice> = ids
        .into_iter()
        .map(|id| SenderChoice {
            hosts: if id == "own_server" {
                args.hosts.clone()
            } else {
                Vec::new()
            },
            id,
            ..SenderChoice::default()
        })
        .collect();
    for pair in &args.mechanisms {
        let (id, term) = pair.split_once('=').unwrap_or((pair.as_str(), ""));
        match choices.iter_mut().find(|c| c.id == id) {
            Some(choice) => choice.spf = Some(term.to_owned()),
            None => choices.push(SenderChoice {
                id: id.to_owned(),
                spf: Some(term.to_owned()),
                ..SenderChoice::default()
            }),
        }
    }
    Ok(Inventory { senders: choices })
}

async fn compose(args: &ComposeArgs) -> Result<ExitCode, EngineError> {
    if args.list_senders {
        for sender in senders() {
            outln!("{:<14} {}", sender.id, sender.name);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let domain = parse_domain_input(&args.domain)?.domain;
    let ip = args.ip.as_deref().map(parse_ip_address).transpose()?;
    let dns = args.dns.config()?;
    let bar = progress::bar(!args.json);
    bar.message("Reading the published record");
    let published = match published_spf(&domain, &dns, bar.sink()).await {
        Ok(published) => published,
        Err(e) => {
            bar.finish();
            return Err(e);
        }
    };
    let request = SpfComposeRequest {
        domain: domain.as_str().to_owned(),
        inventory: inventory(args)?,
        published,
        all: args.all,
        remove: args.remove.clone(),
        weaken: args.weaken,
    };
    bar.message("Simulating the new record");
    let simulation = simulate_spf(&domain, &request, &dns, bar.sink()).await;
    bar.finish();
    let simulation = simulation?;
    let cross = match ip {
        Some(ip) => Some(
            cross_check_spf(
                &domain,
                &SpfQuery {
                    ip,
                    mail_from: format!("postmaster@{}", domain.as_str()),
                    helo: domain.as_str().to_owned(),
                },
                Some(&simulation.composition.record),
                &dns,
                None,
            )
            .await?,
        ),
        None => None,
    };
    if args.json {
        let mut value = serde_json::to_value(&simulation).expect("a simulation always serializes");
        if let Some(cross) = &cross {
            value["cross_check"] = json!(cross);
        }
        render::print_json(&value);
        return Ok(render::exit_status(&simulation.report.findings));
    }
    let c = &simulation.composition;
    let mut out = format!(
        "Publish at {} (TXT):\n\n  {}\n\n",
        domain.as_str(),
        c.record
    );
    for term in &c.terms {
        let origin = match term.origin {
            TermOrigin::Published => "kept from the published record",
            TermOrigin::Inventory => "added",
            TermOrigin::Both => "already published",
        };
        let sender = term
            .sender
            .as_deref()
            .map(|s| format!(" — {s}"))
            .unwrap_or_default();
        let _ = writeln!(out, "  {:<40} {origin}{sender}", term.term);
        if let Some(why) = &term.redundant {
            let _ = writeln!(out, "  {:<40} ↳ consider removing: {why}", "");
        }
    }
    for removed in &c.removed {
        let _ = writeln!(out, "  {removed:<40} removed as you asked");
    }
    for word in &c.unreadable {
        let _ = writeln!(
            out,
            "  {word:<40} not valid SPF in the published record; left out"
        );
    }
    for note in &c.notes {
        let _ = writeln!(out, "\nNote: {note}");
    }
    if !c.weaker.changes.is_empty() {
        out.push('\n');
        render::write_weaker(&mut out, &c.weaker);
    }
    for sub in &c.subdomains {
        let _ = writeln!(
            out,
            "\nFor {} publish at {} (TXT):\n  {}\n  {}",
            sub.sender, sub.name, sub.record, sub.setup
        );
    }
    out.push_str("\nSimulation (nothing is published):\n");
    write_report(&mut out, &simulation.report);
    if !simulation.fixes.is_empty() {
        out.push_str("Fixes, in the order to try them:\n");
        for (n, fix) in simulation.fixes.iter().enumerate() {
            let _ = writeln!(
                out,
                "  {}. {} (saves {} lookups)",
                n + 1,
                fix.explanation,
                fix.saves
            );
            for line in &fix.replacement {
                let _ = writeln!(out, "       {line}");
            }
            if let Some(warning) = &fix.warning {
                let _ = writeln!(out, "     ⚠ {warning}");
            }
        }
    }
    if let Some(cross) = &cross {
        write_cross_check(&mut out, cross);
    }
    out!("{out}");
    Ok(render::exit_status(&simulation.report.findings))
}

fn write_report(out: &mut String, report: &SpfCheckReport) {
    let _ = writeln!(
        out,
        "SPF of {}, asked {}: {} of {MAX_DNS_LOOKUPS} DNS lookups, {} of {MAX_VOID_LOOKUPS} void lookups\n",
        report.domain, report.nameserver, report.dns_lookups, report.void_lookups
    );
    tree(out, &report.tree, 1);
    out.push('\n');
    render::write_findings(out, &report.findings);
}

fn write_cross_check(out: &mut String, cross: &SpfCrossCheck) {
    let e = &cross.evaluation;
    let _ = writeln!(out, "{}", e.sentence);
    let mut details = format!(
        "  Details: result {}, {} DNS-querying terms (limit {MAX_DNS_LOOKUPS}), {} void lookups (limit {MAX_VOID_LOOKUPS})",
        e.result.word(),
        e.lookups,
        e.void_lookups
    );
    if let (Some(term), Some(domain)) = (&e.decided_by, &e.decided_in) {
        details.push_str(&format!(", decided by {term} in {domain}"));
    }
    let _ = writeln!(out, "{details}.");
    if let Some(explanation) = &e.explanation {
        let _ = writeln!(out, "  The domain's explanation: {explanation}");
    }
    if let Some(difference) = &cross.difference {
        let _ = writeln!(out, "  {difference}");
    }
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
