//! `mailwright bounce explain FILE|-`: a bounce message or a pasted SMTP reply explained,
//! recipient by recipient: the code, the class, what happened and the one thing to do.
//! `mailwright bounce import PATH...`: a folder of bounces into the local database, the counts
//! and the suppression list (CSV for the user's mail program).

use std::fmt::Write;
use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

use clap::{Args, Subcommand};
use mailwright_core::EngineError;
use mailwright_core::bounces::{
    BounceClass, BounceExplanation, BounceImportProgress, BounceImportSummary, BouncesView,
    MAX_BOUNCE_OCTETS, explain_any,
};
use mailwright_core::files::read_capped;
use mailwright_core::session::{BounceSink, Session};

use mailwright_core::vocabulary::Vocabulary;

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
    /// Import bounces: mbox files, .eml files, Maildir folders, CSV files of replies (address,
    /// reply, date), or folders of them, into the local database; print the counts and the
    /// suppression list. A bounce already imported is not counted again.
    ///
    /// Hard bounces, complaints and unsubscribe requests suppress an address at once; soft
    /// bounces after --soft-bounces within --soft-days (the project's rule unless given).
    ///
    /// Exit status: 0 when everything was read and nothing was refused for the setup, 1 when
    /// something could not be read or receivers refused for the setup or reputation, 2 when the
    /// import could not run.
    Import(ImportArgs),
    /// Take an address off the suppression list, when you know it may be mailed again (the
    /// person asked to, or a typing mistake in the address was fixed). Its bounces and
    /// complaints so far no longer count; a new one puts it back.
    ///
    /// Exit status: 0 when it was released, 2 when it was not on the list or the database could
    /// not be used.
    Release(ReleaseArgs),
}

/// Arguments of `mailwright bounce import`.
#[derive(Args)]
pub struct ImportArgs {
    /// Files or folders.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Write the suppressed addresses as CSV to this file.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// Replace the --csv file when it exists.
    #[arg(long)]
    force: bool,
    /// Soft bounces that suppress an address (default: the project's rule, 3).
    #[arg(long, value_name = "N")]
    soft_bounces: Option<u32>,
    /// The days those soft bounces must fall within (default: the project's rule, 30).
    #[arg(long, value_name = "DAYS")]
    soft_days: Option<u32>,
    #[command(flatten)]
    store: StoreArgs,
    /// Print JSON (the import, then the view with the whole list) instead of text.
    #[arg(long)]
    json: bool,
}

/// Where the bounces are kept.
#[derive(Args)]
pub struct StoreArgs {
    /// The Mailwright project file (its rule; the database beside it). Without this or
    /// --database, the desktop app's own project and database are used (its data folder's
    /// database before it has a project).
    #[arg(long, value_name = "FILE")]
    project: Option<PathBuf>,
    /// The database (default: reports.db beside --project).
    #[arg(long, value_name = "FILE")]
    database: Option<PathBuf>,
}

/// Arguments of `mailwright bounce release`.
#[derive(Args)]
pub struct ReleaseArgs {
    /// The suppressed address.
    address: String,
    /// Write the list without it as CSV to this file, for your mail program or service.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// Replace the --csv file when it exists.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    store: StoreArgs,
    /// Print the view (with the list) as JSON instead of text.
    #[arg(long)]
    json: bool,
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
pub async fn run(command: BounceCommand) -> ExitCode {
    match command {
        BounceCommand::Explain(args) => {
            explain(&args).unwrap_or_else(|e| render::failed(args.json, e))
        }
        BounceCommand::Import(args) => import(&args)
            .await
            .unwrap_or_else(|e| render::failed(args.json, e)),
        BounceCommand::Release(args) => release(&args)
            .await
            .unwrap_or_else(|e| render::failed(args.json, e)),
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

fn explain(args: &ExplainArgs) -> Result<ExitCode, EngineError> {
    let found = explain_any(&read(&args.file)?);
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

fn text(found: &[BounceExplanation]) -> String {
    let mut out = String::new();
    for e in found {
        let _ = writeln!(
            out,
            "{}: {}{}",
            e.recipient.as_deref().unwrap_or("The reply"),
            e.class.words().to_lowercase(),
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

/// The session whose rule and database are used: `--project`, else a bare session with
/// `--database`, else the desktop app's own project — or, before the app has saved one, its
/// data folder's database with the default rule (bounces need no domain).
fn session(args: &StoreArgs) -> Result<Session, EngineError> {
    // Importing asks no DNS server.
    let dns = mailwright_core::dns::DnsConfig::default();
    let session = match (&args.project, &args.database) {
        (Some(path), _) => Session::from_file(path, dns)?,
        (None, Some(_)) => Session::for_domain("", dns),
        (None, None) => match mailwright_core::project::app_project_file() {
            Some(project) => Session::from_file(&project, dns)?,
            None => {
                let dir = mailwright_core::project::app_data_dir().ok_or(EngineError::NothingYet(
                    "This computer has no folder for Mailwright's data (no home folder): give --database FILE.",
                ))?;
                let session = Session::for_domain("", dns);
                session.use_reports_database(dir.join(mailwright_core::reports::DATABASE_FILE));
                session
            }
        },
    };
    if let Some(path) = &args.database {
        session.use_reports_database(path.clone());
    }
    Ok(session)
}

/// Progress on standard error, on a terminal only.
fn progress(json: bool) -> Option<BounceSink> {
    (!json && std::io::stderr().is_terminal()).then(|| {
        Arc::new(|p: BounceImportProgress| {
            err!("\r{} read, {} bounces found   ", p.read, p.events);
        }) as BounceSink
    })
}

async fn release(args: &ReleaseArgs) -> Result<ExitCode, EngineError> {
    let session = session(&args.store)?;
    let view = session.release_address(&args.address).await?;
    let written = match &args.csv {
        Some(path) => Some(
            session
                .export_suppression_list(path, crate::replace(args.force))
                .await?,
        ),
        None => None,
    };
    if args.json {
        render::print_json(&view);
    } else {
        outln!(
            "{} is no longer suppressed: its bounces and complaints so far no longer count, and a new one puts it back on the list.\nSuppression list: {} suppressed, {} watched.",
            args.address.trim().to_lowercase(),
            view.suppressed,
            view.watched
        );
        match written {
            Some(path) => outln!(
                "Wrote the suppressed addresses to {}: load it into your mail program or service.",
                path.display()
            ),
            None => outln!(
                "Load the list into your mail program or service again (--csv FILE writes it)."
            ),
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn import(args: &ImportArgs) -> Result<ExitCode, EngineError> {
    let session = session(&args.store)?;
    let mut rule = session.project().bounces.rule;
    if let Some(n) = args.soft_bounces {
        rule.soft_bounces = n;
    }
    if let Some(days) = args.soft_days {
        rule.soft_window_days = days;
    }
    rule.validate()?;
    let summary = session
        .import_bounce_files(args.paths.clone(), progress(args.json))
        .await?;
    let view = session.bounces_view_under(rule).await?;
    let written = match &args.csv {
        Some(path) => Some(
            session
                .export_suppression_list_under(rule, path, crate::replace(args.force))
                .await?,
        ),
        None => None,
    };
    if args.json {
        render::print_json(&serde_json::json!({ "import": summary, "bounces": view }));
    } else {
        if std::io::stderr().is_terminal() {
            errln!("");
        }
        out!("{}", import_text(&summary, &view, written.as_deref()));
    }
    Ok(if summary.problem_count > 0 || view.needs_attention {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn import_text(
    summary: &BounceImportSummary,
    view: &BouncesView,
    written: Option<&std::path::Path>,
) -> String {
    let mut out = String::new();
    render::write_import(
        &mut out,
        &summary.sentence,
        &summary.problems,
        summary.problem_count,
    );
    let _ = writeln!(out, "\nIn the database: {} events.", view.events);
    for kind in &view.kinds {
        let _ = writeln!(out, "  {:>7}  {}", kind.count, kind.label);
    }
    if !view.providers.is_empty() {
        let _ = writeln!(out, "By receiver:");
        for p in &view.providers {
            let _ = writeln!(out, "  {:>7}  {}", p.count, p.provider);
        }
    }
    if !view.days.is_empty() {
        let _ = writeln!(
            out,
            "By day (for the warm-up tracker): date, hard, soft, complaints, deferrals"
        );
        for d in view.days.iter().take(14) {
            let _ = writeln!(
                out,
                "  {}  {:>5} {:>5} {:>5} {:>5}",
                d.date, d.hard, d.soft, d.complaints, d.deferrals
            );
        }
    }
    let _ = writeln!(
        out,
        "\nSuppression list: {} suppressed, {} watched. {}",
        view.suppressed, view.watched, view.rule_sentence
    );
    for a in view.addresses.iter().take(50) {
        let _ = writeln!(
            out,
            "  {} {}  {} ({}×, last {})",
            if a.suppressed { "✗" } else { "·" },
            a.address,
            a.state.label(),
            a.times,
            a.last
        );
    }
    if view.addresses.len() > 50 {
        let _ = writeln!(out, "  … the rest with --csv FILE or --json");
    }
    if let Some(path) = written {
        let _ = writeln!(out, "Wrote the suppressed addresses to {}.", path.display());
    }
    let _ = writeln!(out, "Next: {}", view.next_step);
    out
}
