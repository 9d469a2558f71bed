//! `mailwright audit`: runs the domain audit and prints it for people or as JSON.

use std::process::ExitCode;

use clap::Args;
use mailwright_core::{AuditRequest, AuditStatus, EngineError, UserError, run_audit};

use crate::dns_args::DnsArgs;
use crate::{progress, render};

/// Arguments of `mailwright audit`.
#[derive(Args)]
pub struct AuditArgs {
    /// The domain to check; a URL or e-mail address is accepted and its domain used.
    domain: String,
    /// A DKIM selector your mail is signed with (repeatable); common selectors are always tried.
    #[arg(long = "selector", value_name = "S")]
    selectors: Vec<String>,
    #[command(flatten)]
    dns: DnsArgs,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

/// Runs the audit; exit status 0 (no failures), 1 (failures) or 2 (could not run).
pub async fn run(args: AuditArgs) -> ExitCode {
    match audit(&args).await {
        Ok(code) => code,
        Err(error) => {
            if args.json {
                let error = UserError::from(error);
                outln!("{}", serde_json::json!({ "error": error }));
            } else {
                errln!("mailwright: {error}");
            }
            ExitCode::from(2)
        }
    }
}

async fn audit(args: &AuditArgs) -> Result<ExitCode, EngineError> {
    let (request, input) = AuditRequest::parse(&args.domain, &args.selectors)?;
    let dns = args.dns.config()?;
    let bar = progress::bar(!args.json);
    let report = run_audit(&request, &dns, bar.sink()).await;
    bar.finish();
    let report = report?;
    if args.json {
        let mut value = serde_json::to_value(&report).expect("a report always serializes");
        value["note"] = serde_json::json!(input.note);
        outln!(
            "{}",
            serde_json::to_string_pretty(&value).expect("JSON values serialize")
        );
    } else {
        out!("{}", render::report(&report, input.note.as_deref()));
    }
    Ok(match report.status {
        AuditStatus::Unreachable => ExitCode::from(2),
        _ if report.has_failures() => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    })
}
