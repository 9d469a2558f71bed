//! The audit as text for people: grouped by topic, a word for each severity, evidence and fix.

use std::fmt::Write;

use mailwright_core::{Audit, Finding, Severity};

fn badge(severity: Severity) -> &'static str {
    match severity {
        Severity::Pass => "[PASS]",
        Severity::Info => "[INFO]",
        Severity::Warn => "[WARN]",
        Severity::Fail => "[FAIL]",
    }
}

/// Renders the whole report.
pub fn report(report: &Audit, note: Option<&str>) -> String {
    let mut out = String::new();
    let shown = if report.domain_unicode != report.domain {
        format!("{} ({})", report.domain_unicode, report.domain)
    } else {
        report.domain.clone()
    };
    let _ = writeln!(out, "Mail audit of {shown}, asked {}", report.nameserver);
    if let Some(note) = note {
        let _ = writeln!(out, "Note: {note}");
    }
    for topic in &report.topics {
        let _ = writeln!(out, "\n{}", topic.title);
        for finding in report.findings.iter().filter(|f| f.topic == topic.topic) {
            write_finding(&mut out, finding);
        }
    }
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    let _ = writeln!(
        out,
        "\n{} failed, {} warnings, {} passed, {} for information ({} lookups in {} ms).",
        count(Severity::Fail),
        count(Severity::Warn),
        count(Severity::Pass),
        count(Severity::Info),
        report.lookups,
        report.elapsed_ms
    );
    out
}

/// Renders one finding: badge, title, why, fix and evidence.
pub fn write_finding(out: &mut String, finding: &Finding) {
    let _ = writeln!(
        out,
        "  {} {}  ({})",
        badge(finding.severity),
        finding.title,
        finding.id
    );
    if finding.severity != Severity::Pass {
        let _ = writeln!(out, "         Why: {}", finding.detail);
    }
    if let Some(fix) = &finding.fix {
        let _ = writeln!(out, "         Fix: {fix}");
    }
    for evidence in &finding.evidence {
        let _ = writeln!(
            out,
            "         {} {} {}",
            evidence.name, evidence.rtype, evidence.value
        );
    }
}

/// The exit status for a check's findings: 2 when nothing could be looked up, 1 when any
/// finding fails, else 0.
pub fn exit_status(findings: &[Finding]) -> std::process::ExitCode {
    let unreachable = !findings.is_empty()
        && findings
            .iter()
            .all(|f| f.id == mailwright_core::dns::LOOKUP_FAILED);
    if unreachable {
        std::process::ExitCode::from(2)
    } else if findings.iter().any(|f| f.severity == Severity::Fail) {
        std::process::ExitCode::from(1)
    } else {
        std::process::ExitCode::SUCCESS
    }
}

/// Reports an error that stopped a command: JSON `{"error": …}` or one sentence on stderr; exit 2.
pub fn failed(json: bool, error: mailwright_core::EngineError) -> std::process::ExitCode {
    if json {
        outln!(
            "{}",
            serde_json::json!({ "error": mailwright_core::UserError::from(error) })
        );
    } else {
        errln!("mailwright: {error}");
    }
    std::process::ExitCode::from(2)
}

/// Prints a value as pretty JSON.
pub fn print_json(value: &impl serde::Serialize) {
    outln!(
        "{}",
        serde_json::to_string_pretty(value).expect("engine types always serialize")
    );
}

/// Writes the findings, one block each.
pub fn write_findings(out: &mut String, findings: &[Finding]) {
    for finding in findings {
        write_finding(out, finding);
    }
}

/// What a composition would weaken compared with what is published: kept as published (and how
/// to publish it anyway), or chosen with `--weaken`. Nothing when nothing is weaker.
pub fn write_weaker(out: &mut String, weaker: &mailwright_core::weaker::Weaker) {
    if weaker.changes.is_empty() {
        return;
    }
    out.push_str(if weaker.chosen {
        "This is weaker than what your domain publishes now (--weaken):\n"
    } else {
        "Kept what your domain publishes now, because your choices would weaken it (add --weaken to publish them anyway):\n"
    });
    for change in &weaker.changes {
        let _ = writeln!(out, "  - {change}");
    }
    out.push('\n');
}

/// An import's sentence and what could not be read (the listed ones, then how many more).
pub fn write_import(
    out: &mut String,
    sentence: &str,
    problems: &[mailwright_core::reports::ImportProblem],
    count: u64,
) {
    use std::fmt::Write;
    let _ = writeln!(out, "{sentence}");
    for problem in problems {
        let _ = writeln!(out, "  ✗ {}: {}", problem.origin, problem.sentence);
    }
    if count > problems.len() as u64 {
        let _ = writeln!(out, "  … and {} more", count - problems.len() as u64);
    }
}
