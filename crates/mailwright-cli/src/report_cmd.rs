//! `mailwright report`: runs the checks afresh (for a saved project's domain, or a domain
//! given), adds a saved mail server test, and writes the checklist report.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use mailwright_core::files::{read_json, write_bytes};

use crate::replace;
use mailwright_core::project::Project;
use mailwright_core::report::{ReportFormat, make_report, project_keys};
use mailwright_core::smtp::SmtpTestReport;
use mailwright_core::{AuditStatus, EngineError};

use crate::dns_args::DnsArgs;
use crate::progress;

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Markdown.
    Md,
    /// One self-contained HTML file.
    Html,
    /// PDF (needs --output).
    Pdf,
    /// JSON with a versioned schema (`schema_version`).
    Json,
}

impl From<Format> for ReportFormat {
    fn from(format: Format) -> Self {
        match format {
            Format::Md => ReportFormat::Md,
            Format::Html => ReportFormat::Html,
            Format::Pdf => ReportFormat::Pdf,
            Format::Json => ReportFormat::Json,
        }
    }
}

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
    #[command(flatten)]
    dns: DnsArgs,
    /// The report's format.
    #[arg(long, value_enum, default_value = "md")]
    format: Format,
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
    if matches!(args.format, Format::Pdf) && args.output.is_none() {
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

/// Reads a saved project file (the app's project.json).
pub fn read_project(path: &std::path::Path) -> Result<Project, EngineError> {
    read_json(path, "a Mailwright project file")
}

async fn report(args: &ReportArgs) -> Result<ExitCode, EngineError> {
    let project = args.project.as_deref().map(read_project).transpose()?;
    let smtp = args
        .smtp_result
        .as_deref()
        .map(|path| read_json::<SmtpTestReport>(path, "what mailwright smtp test --json prints"))
        .transpose()?;
    // clap requires one of the two; an empty domain would be refused with a sentence.
    let domain = project
        .as_ref()
        .map(|p| p.domain.clone())
        .or_else(|| args.domain.clone())
        .unwrap_or_default();
    let dns = args.dns.config()?;
    let bar = progress::bar(true);
    let keys = match &project {
        Some(project) => project_keys(project, |_, _| None).await,
        None => Vec::new(),
    };
    let made = make_report(
        &domain,
        project.as_ref(),
        smtp.as_ref(),
        &keys,
        &dns,
        bar.sink(),
    )
    .await;
    bar.finish();
    let (report, status) = made?;
    let bytes = ReportFormat::from(args.format).render(&report)?;
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
