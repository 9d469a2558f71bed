//! `mailwright warmup plan|advise`: the day-by-day warm-up plan (text, JSON, CSV or ICS), and
//! the verdict on one day's results with the next day's volume.

use std::fmt::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use mailwright_core::warmup::{
    Action, DayResult, ListQuality, PlanDay, ProviderMix, SendingDay, Stream, WarmupDefaults,
    WarmupInputs, WhatIsNew, advise, count_recipients, next_volume, plan, plan_csv, plan_ics,
    plan_notes, postfix_snippet, segment_name,
};

/// `mailwright warmup …`.
#[derive(Subcommand)]
pub enum WarmupCommand {
    /// Plan the warm-up day by day: totals, per-provider caps, audience and hourly pace.
    Plan(PlanArgs),
    /// Say whether to advance, hold, step back or pause after a day's results.
    ///
    /// Exit status: 0 to advance, 1 for any other verdict, 2 when the numbers are impossible.
    Advise(AdviseArgs),
}

/// Arguments of `mailwright warmup plan`.
#[derive(Args)]
pub struct PlanArgs {
    /// Messages a day to reach.
    #[arg(long)]
    target: u32,
    /// The first sending day, YYYY-MM-DD.
    #[arg(long)]
    start: String,
    /// What is new.
    #[arg(long, value_enum, default_value = "both")]
    new: WhatIsNew,
    /// What kind of mail.
    #[arg(long, value_enum, default_value = "marketing")]
    stream: Stream,
    /// The ESP warms up on its own: plan the audience order and watch the thresholds only.
    #[arg(long)]
    esp_auto: bool,
    /// How engaged the list is.
    #[arg(long, value_enum, default_value = "unknown")]
    quality: ListQuality,
    /// The provider mix in percent, e.g. gmail=40,microsoft=30,yahoo=10,other=20.
    #[arg(
        long,
        default_value = "gmail=40,microsoft=30,yahoo=10,other=20",
        conflicts_with = "recipients"
    )]
    mix: String,
    /// Count the mix from a file of recipient addresses or domains (only per-domain counts
    /// are used).
    #[arg(long, value_name = "FILE")]
    recipients: Option<PathBuf>,
    /// Sending weekdays, e.g. mon,tue,wed,thu,fri (default: every day).
    #[arg(long, value_delimiter = ',', value_parser = parse_day)]
    days: Vec<SendingDay>,
    /// Print the Postfix rate-limit settings for the first day instead of the plan.
    #[arg(long, group = "format")]
    postfix: bool,
    /// Print JSON.
    #[arg(long, group = "format")]
    json: bool,
    /// Print CSV.
    #[arg(long, group = "format")]
    csv: bool,
    /// Print an ICS calendar.
    #[arg(long, group = "format")]
    ics: bool,
}

/// A weekday as the engine names it (mon … sun).
fn parse_day(text: &str) -> Result<SendingDay, String> {
    serde_json::from_value(serde_json::Value::String(text.trim().to_ascii_lowercase()))
        .map_err(|_| format!("“{text}” is not a weekday; use mon, tue, wed, thu, fri, sat, sun."))
}

/// Arguments of `mailwright warmup advise`.
#[derive(Args)]
pub struct AdviseArgs {
    /// A plan from `mailwright warmup plan --json`, for the next day's volume.
    #[arg(long, value_name = "FILE")]
    plan: Option<PathBuf>,
    /// The plan's sending day the results are for.
    #[arg(long, default_value_t = 1)]
    day: u32,
    /// Messages sent.
    #[arg(long)]
    sent: u32,
    /// Messages delivered (default: sent minus hard bounces).
    #[arg(long)]
    delivered: Option<u32>,
    /// Hard bounces.
    #[arg(long, default_value_t = 0)]
    hard_bounces: u32,
    /// Spam complaints.
    #[arg(long, default_value_t = 0)]
    complaints: u32,
    /// Deferrals (4xx).
    #[arg(long, default_value_t = 0)]
    deferrals: u32,
    /// The sending address or domain is on a blocklist.
    #[arg(long)]
    blocklisted: bool,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Runs a `warmup` subcommand.
pub fn run(command: WarmupCommand) -> ExitCode {
    match command {
        WarmupCommand::Plan(args) => plan_cmd(&args),
        WarmupCommand::Advise(args) => advise_cmd(&args),
    }
}

fn fail(message: String) -> ExitCode {
    errln!("mailwright: {message}");
    ExitCode::from(2)
}

fn parse_mix(text: &str) -> Result<ProviderMix, String> {
    let mut mix = ProviderMix {
        gmail: 0,
        microsoft: 0,
        yahoo: 0,
        other: 0,
    };
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (name, value) = part
            .split_once('=')
            .ok_or_else(|| format!("“{part}” in --mix is not name=percent, such as gmail=40."))?;
        let value: u32 = value
            .trim()
            .parse()
            .map_err(|_| format!("“{value}” for {name} in --mix is not a whole percentage."))?;
        match name.trim() {
            "gmail" => mix.gmail = value,
            "microsoft" => mix.microsoft = value,
            "yahoo" => mix.yahoo = value,
            "other" => mix.other = value,
            other => {
                return Err(format!(
                    "“{other}” in --mix is not a provider; use gmail, microsoft, yahoo and other."
                ));
            }
        }
    }
    Ok(mix)
}

fn plan_cmd(args: &PlanArgs) -> ExitCode {
    let start: jiff::civil::Date = match args.start.parse() {
        Ok(d) => d,
        Err(_) => return fail(format!("“{}” is not a date; use YYYY-MM-DD.", args.start)),
    };
    let mix = match &args.recipients {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => match count_recipients(&text) {
                Ok(counts) => {
                    errln!(
                        "Counted {} recipients ({} entries skipped): Gmail {} %, Microsoft {} %, Yahoo/AOL {} %, others {} %.",
                        counts.total,
                        counts.skipped,
                        counts.mix.gmail,
                        counts.mix.microsoft,
                        counts.mix.yahoo,
                        counts.mix.other
                    );
                    counts.mix
                }
                Err(e) => return fail(e.to_string()),
            },
            Err(e) => return fail(format!("Could not read {}: {e}.", path.display())),
        },
        None => match parse_mix(&args.mix) {
            Ok(m) => m,
            Err(e) => return fail(e),
        },
    };
    let inputs = WarmupInputs {
        new: args.new,
        stream: args.stream,
        esp_automatic: args.esp_auto,
        target: args.target,
        start,
        quality: args.quality,
        mix,
        sending_days: args.days.clone(),
    };
    let defaults = WarmupDefaults::default();
    if let Err(e) = inputs.validate(&defaults) {
        return fail(e.to_string());
    }
    let days = plan(&inputs, &defaults);
    if args.postfix {
        match postfix_snippet(&days[0], &defaults) {
            Some(snippet) => out!("{snippet}"),
            None => return fail("With --esp-auto your email service sets the pace; there is nothing for Postfix to limit.".into()),
        }
    } else if args.json {
        crate::render::print_json(&days);
    } else if args.csv {
        out!("{}", plan_csv(&days));
    } else if args.ics {
        out!("{}", plan_ics(&days, "your domain"));
    } else {
        let mut out = String::new();
        for note in plan_notes(&inputs) {
            let _ = writeln!(out, "{note}");
        }
        out.push_str(
            "\nDay  Date        Total     Gmail  Microsoft  Yahoo/AOL   Others  Per hour  Audience\n",
        );
        let cell = |v: Option<u32>| v.map_or("ESP".to_owned(), |v| v.to_string());
        for d in &days {
            let _ = writeln!(
                out,
                "{:>3}  {}  {:>8}  {:>8}  {:>9}  {:>9}  {:>7}  {:>8}  {}",
                d.day,
                d.date,
                d.total,
                cell(d.caps.map(|c| c.gmail)),
                cell(d.caps.map(|c| c.microsoft)),
                cell(d.caps.map(|c| c.yahoo)),
                cell(d.caps.map(|c| c.other)),
                cell(d.per_hour),
                segment_name(d.segment)
            );
        }
        out!("{out}");
    }
    ExitCode::SUCCESS
}

fn advise_cmd(args: &AdviseArgs) -> ExitCode {
    let result = DayResult {
        sent: args.sent,
        delivered: args
            .delivered
            .unwrap_or(args.sent.saturating_sub(args.hard_bounces)),
        hard_bounces: args.hard_bounces,
        soft_bounces: 0,
        complaints: args.complaints,
        deferrals: args.deferrals,
        blocklisted: args.blocklisted,
    };
    let advice = match advise(&result, &WarmupDefaults::default()) {
        Ok(a) => a,
        Err(e) => return fail(e.to_string()),
    };
    let next = match &args.plan {
        Some(path) => {
            let days: Vec<PlanDay> = match std::fs::read_to_string(path)
                .ok()
                .and_then(|t| serde_json::from_str(&t).ok())
            {
                Some(d) => d,
                None => {
                    return fail(format!(
                        "{} is not a plan from `mailwright warmup plan --json`.",
                        path.display()
                    ));
                }
            };
            Some(next_volume(&days, args.day, advice.action))
        }
        None => None,
    };
    if args.json {
        crate::render::print_json(&serde_json::json!({ "advice": advice, "next_volume": next }));
    } else {
        outln!("{:?}: {}", advice.action, advice.reason);
        if let Some(n) = next {
            outln!("Next sending day: at most {n} messages.");
        }
    }
    if advice.action == Action::Advance {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
