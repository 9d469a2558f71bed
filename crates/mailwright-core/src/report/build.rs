//! The checklist built from what Mailwright checked: the audit's findings, the mail server
//! test, the sender inventory and the warm-up, each item decided by the rule the checklist's
//! catalog names (`catalog/checklist.toml`). What it cannot check is "to do by hand".

use crate::audit::{Audit, AuditStatus};
use crate::finding::{Evidence, EvidenceKind, Finding, Severity, Topic};
use crate::message::MessageCheck;
use crate::project::Project;
use crate::smtp::MailServerTest;
use crate::warmup::{Action, WarmupView};

use super::checklist::{ItemEntry, Rule, checklist};
use super::dkim_proof::DkimProof;
use super::message_items::{cite_message, from_message};
use super::model::{
    Checklist, ChecklistItem, ChecklistSection, ItemStatus, REPORT_SCHEMA_VERSION, Threshold,
    WarmupSummary,
};
use super::steps_seen::{Composed, StepsSeen};

/// What the report is built from.
pub struct ReportInputs<'a> {
    /// The audit, run just before.
    pub audit: &'a Audit,
    /// The saved project, when there is one.
    pub project: Option<&'a Project>,
    /// The last mail server test, when one ran.
    pub smtp: Option<&'a MailServerTest>,
    /// The last received message checked, when one was.
    pub message: Option<&'a MessageCheck>,
    /// The imported DMARC reports of the last 30 days, when there are any.
    pub reports: Option<&'a crate::reports::ReportsView>,
    /// The imported bounces, when there are any.
    pub bounces: Option<&'a crate::bounces::BouncesView>,
    /// The last reputation check, when one ran.
    pub reputation: Option<&'a crate::reputation::ReputationCheck>,
    /// The warm-up as of today, when one is planned.
    pub warmup: Option<&'a WarmupView>,
    /// The DKIM proof for each of the project's own keys (empty when there are none).
    pub dkim_proofs: &'a [DkimProof],
    /// What the project's steps show (composed records, the MTA-STS check, alignment); `None`
    /// for a report of a domain without a project.
    pub steps: Option<&'a StepsSeen>,
    /// When the checks ran (RFC 3339).
    pub generated_at: String,
}

/// The item as the catalog writes it, not decided yet (to do by hand, with its fix if any).
fn item(entry: &ItemEntry) -> ChecklistItem {
    ChecklistItem {
        id: entry.id.clone(),
        title: entry.title.clone(),
        status: ItemStatus::Manual,
        evidence: Vec::new(),
        fix: entry.fix.clone(),
        source: entry.source.clone(),
    }
}

fn status_of(severity: Severity) -> ItemStatus {
    match severity {
        Severity::Pass | Severity::Info => ItemStatus::Pass,
        Severity::Warn => ItemStatus::Warn,
        Severity::Fail => ItemStatus::Fail,
    }
}

fn evidence_line(e: &Evidence) -> String {
    format!("{} {} {}", e.name, e.rtype, e.value)
}

/// An item from one audit topic: its worst finding decides, every finding is evidence, the
/// worst one's fix is the fix.
fn from_topic(audit: &Audit, topic: Topic, base: ChecklistItem) -> ChecklistItem {
    let findings: Vec<&Finding> = audit.findings.iter().filter(|f| f.topic == topic).collect();
    from_findings(&findings, topic, base)
}

/// An item from a check's findings, as [`from_topic`] decides it.
fn from_findings(findings: &[&Finding], topic: Topic, mut base: ChecklistItem) -> ChecklistItem {
    let Some(worst) = findings.iter().max_by_key(|f| f.severity) else {
        base.status = ItemStatus::Manual;
        base.evidence.push(format!(
            "The audit found nothing to judge for {}.",
            topic.title()
        ));
        return base;
    };
    base.status = status_of(worst.severity);
    base.fix = worst.fix.clone();
    for f in findings {
        base.evidence.push(format!("{} ({})", f.title, f.id));
        base.evidence.extend(f.evidence.iter().map(evidence_line));
    }
    base
}

/// The DKIM item with the sign-and-verify proof of each own key: a failed proof fails the item
/// (the published key does not verify mail signed with the private key).
fn with_dkim_proofs(mut it: ChecklistItem, proofs: &[DkimProof]) -> ChecklistItem {
    if proofs.is_empty() {
        it.evidence.push(
            "DKIM proof: not run — Mailwright holds no private key for this domain (a key made or imported in the DKIM step is proven here).".into(),
        );
    }
    for proof in proofs {
        it.evidence.push(format!("DKIM proof {}", proof.result));
        if proof.passed == Some(false) {
            it.status = ItemStatus::Fail;
            if let Some(fix) = &proof.fix {
                it.fix = Some(fix.clone());
            }
        }
    }
    it
}

/// The transport item from the mail server test.
fn tls_item(mut it: ChecklistItem, smtp: Option<&MailServerTest>) -> ChecklistItem {
    let Some(smtp) = smtp.filter(|s| !s.ports.is_empty()) else {
        it.fix = Some("Test your sending server in the Mail server step, then make this report again (on the command line: mailwright smtp test --json > smtp.json, then mailwright report --smtp-result smtp.json).".into());
        return it;
    };
    let worst = smtp
        .findings()
        .map(|f| f.severity)
        .max()
        .unwrap_or(Severity::Pass);
    it.status = status_of(worst);
    it.fix = smtp
        .findings()
        .filter(|f| f.severity == worst)
        .find_map(|f| f.fix.clone());
    for port in &smtp.ports {
        let name = port
            .target
            .as_ref()
            .map(crate::smtp::SmtpTarget::address)
            .unwrap_or_default();
        let tls = match &port.tls {
            Some(t) => {
                let expiry = t
                    .certificate
                    .as_ref()
                    .map(|c| match c.days_left {
                        left if left < 0 => format!(
                            ", certificate expired on {} ({} days ago)",
                            c.expiry_day(),
                            -left
                        ),
                        left => format!(
                            ", certificate valid until {} ({left} days left)",
                            c.expiry_day()
                        ),
                    })
                    .unwrap_or_default();
                format!("{}{expiry}", t.version)
            }
            None => "no TLS".into(),
        };
        let auth = match &port.auth {
            Some(a) if a.ok => format!("; sign-in with {} accepted", a.mechanism),
            Some(a) => format!("; sign-in with {} refused ({})", a.mechanism, a.reply),
            None => String::new(),
        };
        it.evidence.push(format!("{name}: {tls}{auth}"));
    }
    it
}

/// How bad a status is, for keeping the worse of two.
fn rank(status: ItemStatus) -> u8 {
    match status {
        ItemStatus::Manual => 0,
        ItemStatus::Pass => 1,
        ItemStatus::Warn => 2,
        ItemStatus::Fail => 3,
    }
}

/// The item made at least `status`, with `fix` when that made it worse.
fn at_least(it: &mut ChecklistItem, status: ItemStatus, fix: String) {
    if rank(status) > rank(it.status) {
        it.status = status;
        it.fix = Some(fix);
    }
}

/// A step's composed record not yet published keeps the item from passing: the step itself
/// says "to publish".
fn with_composed(mut it: ChecklistItem, what: &str, composed: Option<&Composed>) -> ChecklistItem {
    let Some(c) = composed.filter(|c| !c.same) else {
        return it;
    };
    it.evidence.push(format!(
        "The {what} step composed “{}”; published: {}.",
        c.composed,
        c.published
            .as_deref()
            .map_or("nothing".to_owned(), |p| format!("“{p}”"))
    ));
    at_least(
        &mut it,
        ItemStatus::Warn,
        format!(
            "Publish the {what} record the {what} step composed (the Publish step lists it): {}",
            c.composed
        ),
    );
    it
}

/// The transport item from the MTA-STS step's check (policy fetched), else the audit's.
fn transport_item(it: ChecklistItem, audit: &Audit, steps: Option<&StepsSeen>) -> ChecklistItem {
    match steps.and_then(|s| s.mta_sts.as_ref()) {
        Some(check) => {
            let findings: Vec<&Finding> = check.findings.iter().collect();
            from_findings(&findings, Topic::TransportSecurity, it)
        }
        None => from_topic(audit, Topic::TransportSecurity, it),
    }
}

fn has(audit: &Audit, id: &str) -> bool {
    audit.findings.iter().any(|f| f.id == id)
}

fn worst_of(audit: &Audit, topic: Topic) -> Option<Severity> {
    audit
        .findings
        .iter()
        .filter(|f| f.topic == topic)
        .map(|f| f.severity)
        .max()
}

/// SPF and DKIM both pass (bulk senders at Gmail and Yahoo; Microsoft above 5,000 a day), for
/// the domain's records and for every listed sender's mail as the DMARC step aligns it.
fn spf_and_dkim(it: ChecklistItem, audit: &Audit, steps: Option<&StepsSeen>) -> ChecklistItem {
    let mut it = records_pass_spf_and_dkim(it, audit);
    let senders = steps.map(|s| &s.alignment[..]).unwrap_or_default();
    let short: Vec<String> = senders
        .iter()
        .filter(|a| !(a.spf && a.dkim))
        .map(|a| {
            let has = match (a.spf, a.dkim) {
                (true, false) => "SPF only",
                (false, true) => "DKIM only",
                _ => "neither",
            };
            format!("{}: {has}", a.name)
        })
        .collect();
    if !short.is_empty() {
        it.evidence
            .push(format!("Senders not passing both: {}.", short.join("; ")));
        let fix = senders
            .iter()
            .find(|a| !(a.spf && a.dkim))
            .and_then(|a| a.fix.clone())
            .unwrap_or_else(|| "Set up DKIM and the Return-Path for each sender named above (DMARC step, “Who passes”).".into());
        at_least(&mut it, ItemStatus::Warn, fix);
    }
    it
}

/// Whether the domain's SPF and DKIM records pass the audit.
fn records_pass_spf_and_dkim(mut it: ChecklistItem, audit: &Audit) -> ChecklistItem {
    let ok = |t| matches!(worst_of(audit, t), Some(Severity::Pass | Severity::Info));
    let (spf, dkim) = (ok(Topic::Spf), ok(Topic::Dkim));
    it.evidence.push(format!(
        "SPF: {}; DKIM: {}.",
        if spf { "passes" } else { "has problems" },
        if dkim { "passes" } else { "has problems" }
    ));
    it.status = match (spf, dkim) {
        (true, true) => ItemStatus::Pass,
        (true, false) | (false, true) => ItemStatus::Warn,
        (false, false) => ItemStatus::Fail,
    };
    if it.status != ItemStatus::Pass {
        it.fix = Some("Fix the SPF and DKIM items above: Gmail and Yahoo bulk senders and Microsoft above 5,000 a day need both.".into());
    }
    it
}

/// The latest complaint rate against Gmail's 0.1 % and 0.3 %.
fn spam_rate(mut it: ChecklistItem, warmup: Option<&WarmupView>) -> ChecklistItem {
    let Some(last) = warmup.and_then(|w| w.entries.last()) else {
        it.fix = Some("Watch the spam rate in Google Postmaster Tools and Yahoo Sender Hub; enter daily results in the Warm-up step.".into());
        return it;
    };
    let rate = last.advice.complaint_pct;
    it.evidence.push(format!(
        "{}: {:.2} % complaints of {} delivered.",
        last.date, rate, last.total.delivered
    ));
    it.status = if rate >= 0.3 {
        ItemStatus::Fail
    } else if rate >= 0.1 {
        ItemStatus::Warn
    } else {
        ItemStatus::Pass
    };
    if it.status != ItemStatus::Pass {
        it.fix = Some("Mail only people who engaged recently, make unsubscribing easy, and hold the volume until complaints fall below 0.1 %.".into());
    }
    it
}

fn warmup_item(mut it: ChecklistItem, warmup: Option<&WarmupView>) -> ChecklistItem {
    match warmup {
        None => it.fix = Some(
            "Plan the warm-up in the Warm-up step (or mailwright warmup plan on the command line)."
                .into(),
        ),
        Some(w) => {
            it.status = if matches!(
                w.state,
                crate::warmup::TrackerState::Paused | crate::warmup::TrackerState::Rewarm
            ) {
                ItemStatus::Warn
            } else {
                ItemStatus::Pass
            };
            it.evidence.push(format!(
                "Target {} a day; {} days entered; {}",
                w.setup.inputs.target,
                w.entries.len(),
                w.next_step
            ));
            if it.status == ItemStatus::Warn {
                it.fix = Some(w.next_step.clone());
            }
        }
    }
    it
}

fn monitoring_item(mut it: ChecklistItem, warmup: Option<&WarmupView>) -> ChecklistItem {
    let Some(last) = warmup.and_then(|w| w.entries.last()) else {
        it.fix = Some("Enter each day's results in the Warm-up step, or set alerts at the thresholds below in your email service.".into());
        return it;
    };
    it.status = match last.advice.action {
        Action::Advance => ItemStatus::Pass,
        Action::Hold => ItemStatus::Warn,
        Action::StepBack | Action::Pause => ItemStatus::Fail,
    };
    it.evidence
        .push(format!("{}: {}", last.date, last.advice.reason));
    if it.status != ItemStatus::Pass {
        it.fix = Some(last.advice.reason.clone());
    }
    it
}

fn senders_item(mut it: ChecklistItem, project: Option<&Project>) -> ChecklistItem {
    let senders = project.map(|p| &p.senders.senders[..]).unwrap_or_default();
    if senders.is_empty() {
        it.fix = Some(
            "List every service and server that sends as you in the “Who sends as you” step."
                .into(),
        );
    } else {
        // A list the “Who sends as you” step flags is not a pass here either.
        let problems = project.map(|p| p.senders.problems()).unwrap_or_default();
        it.status = if problems.is_empty() {
            ItemStatus::Pass
        } else {
            ItemStatus::Warn
        };
        if let Some((_, fault)) = problems.first() {
            it.fix = Some(fault.to_string());
        }
        it.evidence.push(format!(
            "{} listed: {}.",
            senders.len(),
            senders
                .iter()
                .map(|s| crate::senders::sender(&s.id).map_or(s.id.as_str(), |c| c.name.as_str()))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    it
}

/// The sources of the reports nobody has decided yet ("this is mine" or "not mine").
fn undecided(view: &crate::reports::ReportsView) -> Vec<&crate::reports::SourceView> {
    use crate::reports::SourceKind;
    view.sources
        .iter()
        .filter(|s| matches!(s.kind, SourceKind::Unknown | SourceKind::NotListed))
        .collect()
}

/// The inventory item, with what the imported reports show: a source nobody knows is a sender
/// the list misses (or someone spoofing the domain).
fn reports_cite_senders(
    mut it: ChecklistItem,
    reports: Option<&crate::reports::ReportsView>,
) -> ChecklistItem {
    let Some(view) = reports.filter(|v| v.counts.dmarc_reports > 0) else {
        return it;
    };
    let open = undecided(view);
    it.evidence.push(format!(
        "DMARC reports {} to {}: {} sources, {} not decided.",
        view.from,
        view.to,
        view.sources.len(),
        open.len()
    ));
    if !open.is_empty() && it.status == ItemStatus::Pass {
        it.status = ItemStatus::Warn;
        it.fix = Some(format!(
            "The reports show senders your list does not have ({}): decide each in the DMARC reports step.",
            open.iter()
                .take(5)
                .map(|s| s.totals.ip.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    it
}

/// The reports item: collected (some in the database) and read (every source decided).
fn reports_item(
    mut it: ChecklistItem,
    reports: Option<&crate::reports::ReportsView>,
) -> ChecklistItem {
    let Some(view) = reports.filter(|v| v.counts.dmarc_reports > 0) else {
        it.fix = Some(
            "Add an rua= address to your DMARC record (DMARC step), then import the reports it receives in the DMARC reports step."
                .into(),
        );
        return it;
    };
    let open = undecided(view);
    let messages: u64 = view.sources.iter().map(|s| s.totals.messages).sum();
    it.evidence.push(format!(
        "{} DMARC reports imported ({} to {}); {} messages from {} sources in the last period, reported by {}.",
        view.counts.dmarc_reports,
        view.counts.first_day.as_deref().unwrap_or("?"),
        view.counts.last_day.as_deref().unwrap_or("?"),
        messages,
        view.sources.len(),
        view.reporters
            .iter()
            .map(|r| r.reporter.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    it.evidence.push(view.ramp.sentence.clone());
    if open.is_empty() {
        it.status = ItemStatus::Pass;
    } else {
        it.status = ItemStatus::Warn;
        it.fix = Some(format!(
            "{} sources are not decided yet: mark each “This is mine” or “Not mine” in the DMARC reports step.",
            open.len()
        ));
    }
    it
}

/// The DKIM key size item: a weak key warns; without a passing DKIM key it waits for one.
fn dkim_key_size(mut it: ChecklistItem, audit: &Audit) -> ChecklistItem {
    it.status = ItemStatus::Pass;
    if has(audit, "dkim.weak_key") {
        it.status = ItemStatus::Warn;
        it.fix = Some("Make a 2,048-bit key in the DKIM step and rotate to it.".into());
    } else if !matches!(
        worst_of(audit, Topic::Dkim),
        Some(Severity::Pass | Severity::Info)
    ) {
        it.status = ItemStatus::Manual;
        it.fix = Some("Publish a DKIM key first (DKIM step).".into());
    }
    it
}

/// The streams item: a warning when the warm-up sends both kinds through one route.
fn streams_item(mut it: ChecklistItem, warmup: Option<&WarmupView>) -> ChecklistItem {
    if warmup.map(|w| w.setup.inputs.stream) == Some(crate::warmup::Stream::Both) {
        it.status = ItemStatus::Warn;
        it.evidence
            .push("The warm-up plan sends both kinds through the same route.".into());
    }
    it
}

/// One catalog item decided by its rule.
fn decide(entry: &ItemEntry, inputs: &ReportInputs<'_>) -> ChecklistItem {
    let (audit, warmup, steps) = (inputs.audit, inputs.warmup, inputs.steps);
    let it = item(entry);
    match entry.decided_by {
        Rule::MailServerTest => tls_item(it, inputs.smtp),
        Rule::Dkim => cite_message(
            with_dkim_proofs(from_topic(audit, Topic::Dkim, it), inputs.dkim_proofs),
            inputs.message,
            &["dkim_pass"],
        ),
        Rule::Spf => with_composed(
            from_topic(audit, Topic::Spf, it),
            "SPF",
            steps.and_then(|s| s.spf.as_ref()),
        ),
        Rule::Dmarc => cite_message(
            with_composed(
                from_topic(audit, Topic::Dmarc, it),
                "DMARC",
                steps.and_then(|s| s.dmarc.as_ref()),
            ),
            inputs.message,
            &["dmarc_aligned"],
        ),
        Rule::MailServers => from_topic(audit, Topic::MailServers, it),
        Rule::TransportSecurity => transport_item(it, audit, steps),
        Rule::Senders => reports_cite_senders(senders_item(it, inputs.project), inputs.reports),
        Rule::Reports => reports_item(it, inputs.reports),
        Rule::Warmup => warmup_item(it, warmup),
        Rule::Streams => streams_item(it, warmup),
        Rule::Monitoring => monitoring_item(it, warmup),
        Rule::SpfAndDkim => cite_message(
            spf_and_dkim(it, audit, steps),
            inputs.message,
            &["spf_pass", "dkim_pass"],
        ),
        Rule::Ptr => super::reputation_items::ptr_item(
            from_message(it, inputs.message, &["reverse_dns"]),
            inputs.reputation,
        ),
        Rule::Blocklists => super::reputation_items::blocklists_item(it, inputs.reputation),
        Rule::Bounces => super::reputation_items::bounces_item(it, inputs.bounces),
        Rule::Complaints => super::reputation_items::complaints_item(it, inputs.bounces),
        Rule::MessageUnsubscribe => from_message(it, inputs.message, &["one_click_unsubscribe"]),
        Rule::MessageFormat => {
            from_message(it, inputs.message, &["message_id_and_date", "single_from"])
        }
        Rule::SpamRate => spam_rate(it, warmup),
        Rule::DkimKeySize => dkim_key_size(it, audit),
        Rule::ByHand => it,
    }
}

/// Builds the report.
pub fn build_report(inputs: &ReportInputs<'_>) -> Checklist {
    let audit = inputs.audit;
    let unreachable = audit.status == AuditStatus::Unreachable;
    let sections: Vec<ChecklistSection> = checklist()
        .iter()
        .map(|section| ChecklistSection {
            id: section.id.clone(),
            title: section.title.clone(),
            items: section
                .items
                .iter()
                .map(|entry| decide(entry, inputs))
                .collect(),
        })
        .collect();
    let mut sections = sections;
    if unreachable {
        for s in &mut sections {
            for it in &mut s.items {
                if it.status == ItemStatus::Pass && it.evidence.is_empty() {
                    it.status = ItemStatus::Manual;
                }
            }
        }
    }
    let mut totals = [0u32; 4];
    for it in sections.iter().flat_map(|s| &s.items) {
        totals[it.status as usize] += 1;
    }
    let mut records: Vec<Evidence> = audit
        .findings
        .iter()
        .flat_map(|f| f.evidence.iter().cloned())
        .filter(|e| e.kind == EvidenceKind::Record)
        .collect();
    records.sort_by(|a, b| (&a.name, &a.rtype, &a.value).cmp(&(&b.name, &b.rtype, &b.value)));
    records.dedup();
    let defaults = inputs
        .warmup
        .map(|w| w.setup.defaults.clone())
        .unwrap_or_default();
    Checklist {
        schema_version: REPORT_SCHEMA_VERSION,
        generated_at: inputs.generated_at.clone(),
        domain: audit.domain_unicode.clone(),
        nameserver: audit.nameserver.clone(),
        totals,
        sections,
        records,
        warmup: inputs.warmup.map(|w| WarmupSummary {
            target: w.setup.inputs.target,
            next_step: w.next_step.clone(),
            notes: w.notes.clone(),
            history: w.entries.clone(),
            plan: w.plan.clone(),
        }),
        thresholds: vec![
            Threshold { metric: "Hard bounces".into(), at_pct: defaults.hold_bounce_pct, action: "Hold the volume; clean the list.".into() },
            Threshold { metric: "Hard bounces".into(), at_pct: defaults.step_back_bounce_pct, action: "Step back to the previous day's volume.".into() },
            Threshold { metric: "Spam complaints".into(), at_pct: defaults.hold_complaint_pct, action: "Hold the volume; mail only engaged readers.".into() },
            Threshold { metric: "Spam complaints".into(), at_pct: defaults.step_back_complaint_pct, action: "Step back; Gmail and Yahoo refuse mail at this rate.".into() },
            Threshold { metric: "Deferrals (4xx)".into(), at_pct: defaults.hold_deferral_pct, action: "Hold the volume; receivers are slowing you down.".into() },
        ],
        playbook: vec![
            "Stop the highest-risk traffic first: the campaign or stream whose numbers crossed a threshold.".into(),
            "Check authentication first (make this report again), then the volume's shape, then list quality, then content, then each provider.".into(),
            "Look at sending logs, authentication results and recent content or list changes.".into(),
            "If a new application or integration caused it, isolate it and restore the core stream before resuming the rest.".into(),
            "Resume at the last good day's volume and follow the warm-up rules again.".into(),
        ],
    }
}
