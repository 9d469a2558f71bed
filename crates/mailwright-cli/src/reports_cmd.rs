//! `mailwright reports import|fetch|summary`: DMARC aggregate and TLS reports into the local
//! database (the app's own, beside the project file), and who sends as the domain.

use std::fmt::Write;
use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Subcommand};
use mailwright_core::EngineError;
use mailwright_core::reports::{
    ImportProgress, ImportSummary, MailboxSetup, MailboxTls, Period, ReportsError, ReportsView,
    SourceKind, sources_csv,
};
use mailwright_core::secrets::Sensitive;
use mailwright_core::session::Session;
use mailwright_core::vocabulary::Vocabulary;

use crate::dns_args::DnsArgs;
use crate::render;

/// `mailwright reports …`.
#[derive(Subcommand)]
pub enum ReportsCommand {
    /// Import report files: .xml, .xml.gz, .zip, .json (TLS), .eml messages holding them, mbox
    /// files, or folders of them. Reports already imported are not counted again.
    ///
    /// Exit status: 0 when everything was read, 1 when something could not be, 2 when the
    /// import could not run.
    Import(ImportArgs),
    /// Fetch new reports from the mailbox the rua= address delivers to, over IMAP with TLS only
    /// (the certificate is verified before the password is sent). Mail is read, never changed,
    /// unless --move-to is given.
    ///
    /// The password comes from --password-stdin, else the OS keychain (account
    /// imap:<user>@<host>) when it was saved for this same host, --server-name, --ca and DNS
    /// server, else a prompt that offers to save it.
    Fetch(FetchArgs),
    /// Who sends as the domain over a period, per reporter, TLS failures, and whether the next
    /// DMARC policy is safe, from the imported reports.
    ///
    /// Exit status: 0 when every source is known and nothing fails, 1 otherwise.
    Summary(SummaryArgs),
}

/// Which database and domain (neither: the desktop app's own project and database).
#[derive(Args)]
#[group(required = false, multiple = false, id = "whose")]
pub struct Whose {
    /// The Mailwright project file: its domain and senders; the database beside it. Without
    /// this or --domain, the desktop app's own project and database are used.
    #[arg(long, value_name = "FILE", group = "whose")]
    project: Option<PathBuf>,
    /// The domain the reports are about (reports about others are set aside). Needs
    /// --database.
    #[arg(long, value_name = "DOMAIN", group = "whose")]
    domain: Option<String>,
}

/// Arguments every reports subcommand takes.
#[derive(Args)]
pub struct Common {
    #[command(flatten)]
    whose: Whose,
    /// The reports database (default: reports.db beside --project).
    #[arg(long, value_name = "FILE")]
    database: Option<PathBuf>,
    #[command(flatten)]
    dns: DnsArgs,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Arguments of `mailwright reports import`.
#[derive(Args)]
pub struct ImportArgs {
    /// Files or folders.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    common: Common,
}

/// Arguments of `mailwright reports fetch`.
#[derive(Args)]
pub struct FetchArgs {
    /// The IMAP server.
    #[arg(long, value_name = "HOST")]
    imap_host: String,
    /// The port (993 with --tls implicit, 143 with --tls starttls).
    #[arg(long)]
    port: Option<u16>,
    /// TLS from the first byte (implicit) or STARTTLS; never without TLS.
    #[arg(long, value_enum, default_value = "implicit")]
    tls: MailboxTls,
    /// The user name (often the whole address); default: the one saved in the project.
    #[arg(long)]
    user: Option<String>,
    /// The folder the reports arrive in.
    #[arg(long, default_value = "INBOX")]
    folder: String,
    /// Move imported report messages to this folder (default: leave them).
    #[arg(long, value_name = "FOLDER")]
    move_to: Option<String>,
    /// Read the password from standard input.
    #[arg(long)]
    password_stdin: bool,
    /// A PEM file with a CA (or the server's certificate) to trust besides the public roots.
    #[arg(long, value_name = "FILE")]
    ca: Option<PathBuf>,
    /// The name the server's certificate must carry, when it is not --imap-host.
    #[arg(long, value_name = "NAME")]
    server_name: Option<String>,
    #[command(flatten)]
    common: Common,
}

/// Arguments of `mailwright reports summary`.
#[derive(Args)]
pub struct SummaryArgs {
    /// The first day, YYYY-MM-DD (default: the last 30 days).
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Print the source table as CSV.
    #[arg(long, conflicts_with = "json")]
    csv: bool,
    #[command(flatten)]
    common: Common,
}

/// Runs a `reports` subcommand.
pub async fn run(command: ReportsCommand) -> ExitCode {
    let (json, result) = match command {
        ReportsCommand::Import(args) => (args.common.json, import(&args).await),
        ReportsCommand::Fetch(args) => (args.common.json, fetch(&args).await),
        ReportsCommand::Summary(args) => (args.common.json, summary(&args).await),
    };
    result.unwrap_or_else(|e| render::failed(json, e))
}

fn session(common: &Common, trust_file: Option<&PathBuf>) -> Result<Session, EngineError> {
    let dns = common.dns.config()?;
    let session = match (&common.whose.project, &common.whose.domain) {
        (Some(path), _) => Session::from_file(path, dns)?,
        (None, Some(domain)) => {
            if common.database.is_none() {
                return Err(EngineError::NothingYet(
                    "With --domain, say where the reports database is: add --database reports.db.",
                ));
            }
            Session::for_domain(domain, dns)
        }
        (None, None) => {
            let project = mailwright_core::project::app_project_file().ok_or(EngineError::NothingYet(
                    "There is no Mailwright project on this computer yet: give --project FILE, or --domain D with --database FILE.",
                ))?;
            Session::from_file(&project, dns)?
        }
    };
    session.domain()?;
    if let Some(path) = &common.database {
        session.use_reports_database(path.clone());
    }
    if let Some(path) = trust_file {
        let path = path.display().to_string();
        session.change(move |project| {
            project.reports.trust_file = path;
            Ok(())
        })?;
    }
    Ok(session)
}

/// Progress on standard error, on a terminal only.
fn progress(json: bool) -> Option<mailwright_core::session::ImportSink> {
    (!json && std::io::stderr().is_terminal()).then(|| {
        Arc::new(|p: ImportProgress| {
            if p.to_fetch > 0 {
                err!(
                    "\r{} of {} messages fetched, {} reports imported   ",
                    p.fetched,
                    p.to_fetch,
                    p.imported
                );
            } else {
                err!(
                    "\r{} documents read, {} reports imported   ",
                    p.documents,
                    p.imported
                );
            }
        }) as mailwright_core::session::ImportSink
    })
}

fn print_summary(json: bool, summary: &ImportSummary) -> ExitCode {
    if json {
        render::print_json(summary);
    } else {
        if std::io::stderr().is_terminal() {
            errln!("");
        }
        let mut out = String::new();
        render::write_import(
            &mut out,
            &summary.sentence,
            &summary.problems,
            summary.problem_count,
        );
        out!("{out}");
    }
    if summary.problem_count > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

async fn import(args: &ImportArgs) -> Result<ExitCode, EngineError> {
    let session = session(&args.common, None)?;
    let summary = session
        .import_report_files(args.paths.clone(), progress(args.common.json))
        .await?;
    Ok(print_summary(args.common.json, &summary))
}

async fn fetch(args: &FetchArgs) -> Result<ExitCode, EngineError> {
    let session = session(&args.common, args.ca.as_ref())?;
    let user = match &args.user {
        Some(user) => user.clone(),
        None => session
            .project()
            .reports
            .mailbox
            .map(|m| m.user)
            .filter(|u| !u.trim().is_empty())
            .ok_or(EngineError::NothingYet(
                "Give the mailbox's user name with --user.",
            ))?,
    };
    let setup = MailboxSetup {
        host: args.imap_host.clone(),
        port: args.port.unwrap_or(match args.tls {
            MailboxTls::Implicit => 993,
            MailboxTls::Starttls => 143,
        }),
        tls: args.tls,
        user,
        folder: args.folder.clone(),
        server_name: args.server_name.clone(),
        move_to: args.move_to.clone(),
    };
    let typed = if args.password_stdin {
        let mut text = zeroize::Zeroizing::new(String::new());
        let _ = std::io::stdin().read_to_string(&mut text);
        Sensitive::new(text.trim_end_matches(['\r', '\n']).to_owned())
    } else {
        Sensitive::new(String::new())
    };
    let first = session
        .fetch_report_mailbox(setup.clone(), typed, progress(args.common.json))
        .await;
    let summary = match first {
        Err(e) if e.code() == "reports_no_password" && std::io::stdin().is_terminal() => {
            let typed = rpassword::prompt_password(format!(
                "Password for {} at {}: ",
                setup.user, setup.host
            ))
            .map_err(|_| EngineError::from(ReportsError::NoPassword(setup.user.clone())))?;
            let typed = Sensitive::new(typed);
            err!(
                "Save it in your system keychain for this server so you are not asked again? [Y/n] "
            );
            let mut answer = String::new();
            let _ = std::io::stdin().read_line(&mut answer);
            let summary = session
                .fetch_report_mailbox(setup.clone(), typed.clone(), progress(args.common.json))
                .await?;
            if !answer.trim().eq_ignore_ascii_case("n") {
                session.save_mailbox_password(&setup, typed).await?;
                errln!("Saved in the keychain as {}.", setup.password_account());
            }
            summary
        }
        other => other?,
    };
    Ok(print_summary(args.common.json, &summary))
}

async fn summary(args: &SummaryArgs) -> Result<ExitCode, EngineError> {
    let session = session(&args.common, None)?;
    let view = match &args.since {
        Some(since) => {
            let period = Period::since(since, jiff::Timestamp::now().as_second())?;
            session.reports_view_of(period).await?
        }
        None => session.reports_view().await?,
    };
    if args.csv {
        out!("{}", sources_csv(&view.sources));
    } else if args.common.json {
        render::print_json(&view);
    } else {
        out!("{}", text(&view));
    }
    let unsettled = view
        .sources
        .iter()
        .any(|s| matches!(s.kind, SourceKind::Unknown | SourceKind::NotListed))
        || view.tls_failures.iter().any(|f| f.sessions > 0);
    Ok(if unsettled {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        "—".into()
    } else {
        format!("{:.1}%", part as f64 * 100.0 / whole as f64)
    }
}

fn text(view: &ReportsView) -> String {
    let mut out = String::new();
    if let Some(note) = &view.note {
        let _ = writeln!(out, "! {note}\n");
    }
    let _ = writeln!(
        out,
        "Reports from {} to {} ({} DMARC and {} TLS reports in the database)\n",
        view.from, view.to, view.counts.dmarc_reports, view.counts.tls_reports
    );
    let _ = writeln!(out, "Who sends as you:");
    if view.sources.is_empty() {
        let _ = writeln!(out, "  No DMARC reports in this period.");
    }
    for s in &view.sources {
        let t = &s.totals;
        let name = s
            .sender_name
            .clone()
            .or_else(|| t.ptr.clone())
            .unwrap_or_else(|| "unknown".into());
        let _ = writeln!(
            out,
            "  {:<14} {:<39} {:<30} {:>8} msgs  DMARC {:>6}  SPF aligned {:>6}  DKIM aligned {:>6}",
            s.kind.words(),
            t.ip,
            name.chars().take(30).collect::<String>(),
            t.messages,
            percent(t.dmarc_pass, t.messages),
            percent(t.spf_aligned, t.messages),
            percent(t.dkim_aligned, t.messages),
        );
        let _ = writeln!(out, "             {}", s.sentence);
    }
    if !view.reporters.is_empty() {
        let _ = writeln!(out, "\nPer reporter:");
        for r in &view.reporters {
            let _ = writeln!(
                out,
                "  {:<40} {:>8} msgs  DMARC {:>6}  quarantined {}  rejected {}",
                r.reporter,
                r.messages,
                percent(r.dmarc_pass, r.messages),
                r.quarantined,
                r.rejected
            );
        }
    }
    if !view.tls.is_empty() {
        let _ = writeln!(out, "\nTLS (SMTP TLS reports):");
        for t in &view.tls {
            let _ = writeln!(
                out,
                "  {} ({}) from {}: {} sessions succeeded, {} failed",
                t.policy_domain, t.policy_type, t.reporter, t.successful, t.failed
            );
        }
        for f in &view.tls_failures {
            let _ = writeln!(
                out,
                "  ✗ {} × {}: {} Fix: {}",
                f.sessions, f.advice.result_type, f.advice.meaning, f.advice.fix
            );
        }
    }
    if !view.set_aside.is_empty() {
        let _ = writeln!(out, "\nSet aside (about other domains, not counted):");
        for aside in &view.set_aside {
            let _ = writeln!(
                out,
                "  {}: {} report{} (for example {})",
                aside.domain,
                aside.reports,
                if aside.reports == 1 { "" } else { "s" },
                aside.example
            );
        }
    }
    let _ = writeln!(out, "\nDMARC policy: {}", view.ramp.sentence);
    if let Some(partial) = &view.ramp.partial {
        let _ = writeln!(out, "  · {partial}");
    }
    for reason in view.ramp.reasons.iter().skip(1) {
        let _ = writeln!(out, "  · {reason}");
    }
    let hurt = view.ramp.consequence.as_deref().unwrap_or_default();
    for refused in &view.ramp.refused {
        let _ = writeln!(
            out,
            "  {hurt}: {} ({}) — {} failing messages",
            refused.ip,
            refused.name.as_deref().unwrap_or("unknown"),
            refused.failing
        );
    }
    out
}
