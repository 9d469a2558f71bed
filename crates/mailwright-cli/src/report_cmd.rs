//! `mailwright report`: runs the checks afresh (for a saved project's domain, or a domain
//! given), adds a saved mail server test and a received message checked, and writes the
//! checklist report.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use mailwright_core::files::{read_capped, read_json, write_bytes};
use mailwright_core::message::{MAX_MESSAGE_OCTETS, check_message};

use crate::replace;
use mailwright_core::report::{ReportFormat, Tested, make_report};
use mailwright_core::session::Session;
use mailwright_core::smtp::MailServerTest;
use mailwright_core::{AuditStatus, EngineError};

use crate::dns_args::DnsArgs;
use crate::https_args::HttpsArgs;
use crate::progress;

/// Arguments of `mailwright report`.
#[derive(Args)]
pub struct ReportArgs {
    /// A saved project file (the app's project.json): its domain, selectors, senders and warm-up.
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with = "domain",
        required_unless_present = "domain"
    )]
    project: Option<PathBuf>,
    /// A domain to check afresh, without a saved project.
    #[arg(long)]
    domain: Option<String>,
    /// The JSON that `mailwright smtp test --json` printed: its TLS, certificate and sign-in
    /// results fill the report's mail server item.
    #[arg(long, value_name = "FILE")]
    smtp_result: Option<PathBuf>,
    /// A received message (.eml) to check: its evidence fills the DKIM, alignment, reverse DNS,
    /// unsubscribe and format items (the report names it by Message-ID and date only).
    #[arg(long, value_name = "FILE")]
    message: Option<PathBuf>,
    /// With --message: name the message's subject in the report too.
    #[arg(long, requires = "message")]
    message_subject: bool,
    #[command(flatten)]
    dns: DnsArgs,
    #[command(flatten)]
    https: HttpsArgs,
    /// The report's format.
    #[arg(long, value_enum, default_value = "md")]
    format: ReportFormat,
    /// Where to write it (default: standard output).
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Replace the --output file when it exists (without this, an existing file is never
    /// replaced).
    #[arg(long)]
    force: bool,
}

/// Runs `mailwright report`. Exit status: 0 when nothing fails, 1 when an item fails, 2 when
/// the report could not be made.
pub async fn run(args: ReportArgs) -> ExitCode {
    if matches!(args.format, ReportFormat::Pdf) && args.output.is_none() {
        errln!("mailwright: A PDF is written to a file: add --output report.pdf.");
        return ExitCode::from(2);
    }
    match report(&args).await {
        Ok(code) => code,
        Err(error) => {
            errln!("mailwright: {error}");
            ExitCode::from(2)
        }
    }
}

async fn report(args: &ReportArgs) -> Result<ExitCode, EngineError> {
    let smtp = args
        .smtp_result
        .as_deref()
        .map(|path| read_json::<MailServerTest>(path, "what mailwright smtp test --json prints"))
        .transpose()?;
    let dns = args.dns.config()?;
    let bar = progress::bar(true);
    let made = match &args.project {
        // A saved project: the app's own session over it, as the Report step makes it.
        Some(path) => {
            let session = Session::from_file(path, dns)?;
            session.use_https(args.https.config()?);
            if let Some(smtp) = &smtp {
                session.record_mail_server_test(smtp);
            }
            if let Some(message) = &args.message {
                session.check_message_file(message, bar.sink()).await?;
                session.name_message_subject(args.message_subject);
            }
            session.make_checklist(bar.sink()).await
        }
        // clap requires one of the two; an empty domain would be refused with a sentence.
        None => {
            let domain = args.domain.clone().unwrap_or_default();
            let message = match &args.message {
                Some(path) => {
                    let bytes = read_capped(path, MAX_MESSAGE_OCTETS as u64)?;
                    let mut check = check_message(&bytes, &dns, bar.sink()).await?;
                    if !args.message_subject {
                        check.subject = None;
                    }
                    Some(check)
                }
                None => None,
            };
            let tested = Tested {
                smtp: smtp.as_ref(),
                message: message.as_ref(),
                reports: None,
                bounces: None,
                reputation: None,
            };
            make_report(
                &domain,
                None,
                tested,
                &[],
                &dns,
                &args.https.config()?,
                bar.sink(),
            )
            .await
        }
    };
    bar.finish();
    let (report, status) = made?;
    let bytes = args.format.render(&report)?;
    match &args.output {
        Some(path) => {
            write_bytes(path, &bytes, replace(args.force))?;
            errln!("Wrote {}.", path.display());
        }
        None => out!("{}", String::from_utf8_lossy(&bytes)),
    }
    Ok(match status {
        AuditStatus::Unreachable => ExitCode::from(2),
        _ if report.has_failures() => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    })
}
