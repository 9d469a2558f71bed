//! The report as Markdown: the checklist with evidence and fixes, the records as published,
//! the warm-up plan, the thresholds and the playbook.

use std::fmt::Write;

use super::model::{Checklist, ItemStatus};
use crate::html_page::{code_span as code, plain_text as text};

/// Renders the report as Markdown.
pub fn to_markdown(report: &Checklist) -> String {
    let mut out = String::new();
    let [pass, warn, fail, manual] = report.totals;
    let _ = writeln!(
        out,
        "# Email sending checklist for {}\n",
        text(&report.domain)
    );
    let _ = writeln!(
        out,
        "Checked {} through the DNS server {}. **{pass} pass, {warn} warn, {fail} fail, {manual} to do by hand.**\n",
        text(&report.generated_at),
        text(&report.nameserver)
    );
    for section in &report.sections {
        let _ = writeln!(out, "## {}\n", text(&section.title));
        for item in &section.items {
            let mark = match item.status {
                ItemStatus::Pass => "[x]",
                _ => "[ ]",
            };
            let _ = writeln!(
                out,
                "- {mark} **{}** — {}",
                item.status.label(),
                text(&item.title)
            );
            for e in &item.evidence {
                let _ = writeln!(out, "  - {}", text(e));
            }
            if let Some(fix) = &item.fix {
                let _ = writeln!(out, "  - **Do this:** {}", text(fix));
            }
            let _ = writeln!(out, "  - *Source: {}*", text(&item.source));
        }
        out.push('\n');
    }
    if !report.records.is_empty() {
        out.push_str("## DNS records as published\n\n| Name | Type | Value |\n|---|---|---|\n");
        for r in &report.records {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                text(&r.name),
                text(&r.rtype),
                code(&r.value)
            );
        }
        out.push('\n');
    }
    if let Some(w) = &report.warmup {
        let _ = writeln!(
            out,
            "## Warm-up plan (target {} a day)\n\n{}\n",
            w.target,
            text(&w.next_step)
        );
        for note in &w.notes {
            let _ = writeln!(out, "- {}", text(note));
        }
        if !w.history.is_empty() {
            out.push_str("\n| Date | Planned | Sent | Bounces | Complaints | Verdict |\n|---|---|---|---|---|---|\n");
            for e in &w.history {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {:.2} % | {:.2} % | {} |",
                    e.date,
                    e.planned,
                    e.total.sent,
                    e.advice.bounce_pct,
                    e.advice.complaint_pct,
                    text(&e.advice.reason)
                );
            }
        }
        out.push_str("\n| Day | Date | At most | Gmail | Microsoft | Yahoo/AOL | Others | Per hour | Send to |\n|---|---|---|---|---|---|---|---|---|\n");
        for d in &w.plan {
            let caps = |f: fn(&crate::warmup::ProviderCaps) -> u32| {
                d.caps
                    .as_ref()
                    .map_or("ESP".to_owned(), |c| f(c).to_string())
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                d.day,
                d.date,
                d.total,
                caps(|c| c.gmail),
                caps(|c| c.microsoft),
                caps(|c| c.yahoo),
                caps(|c| c.other),
                d.per_hour.map_or("ESP".to_owned(), |p| p.to_string()),
                text(&d.audience)
            );
        }
        out.push('\n');
    }
    out.push_str("## Alert thresholds\n\n| Metric | At | Do |\n|---|---|---|\n");
    for t in &report.thresholds {
        let _ = writeln!(
            out,
            "| {} | {} % | {} |",
            text(&t.metric),
            t.at_pct,
            text(&t.action)
        );
    }
    out.push_str("\n## When a threshold is crossed\n\n");
    for (i, step) in report.playbook.iter().enumerate() {
        let _ = writeln!(out, "{}. {}", i + 1, text(step));
    }
    out
}
