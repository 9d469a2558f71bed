//! The checklist built from what Mailwright checked: the audit's findings, the mail server
//! test, the sender inventory and the warm-up. What it cannot check is "to do by hand".
//! Items: deliverability playbook §8 (before, during, after sending) and the Gmail, Yahoo and
//! Microsoft sender requirements (shared/reference/email-facts.md, section e).

use crate::audit::{AuditReport, AuditStatus};
use crate::finding::{Evidence, EvidenceKind, Finding, Severity, Topic};
use crate::project::Project;
use crate::smtp::SmtpTestReport;
use crate::warmup::{Action, WarmupView};

use super::dkim_proof::DkimProof;
use super::model::{
    ChecklistItem, ChecklistSection, ItemStatus, REPORT_SCHEMA_VERSION, Report, Threshold,
    WarmupSummary,
};

/// What the report is built from.
pub struct ReportInputs<'a> {
    /// The audit, run just before.
    pub audit: &'a AuditReport,
    /// The saved project, when there is one.
    pub project: Option<&'a Project>,
    /// The last mail server test, when one ran.
    pub smtp: Option<&'a SmtpTestReport>,
    /// The warm-up as of today, when one is planned.
    pub warmup: Option<&'a WarmupView>,
    /// The DKIM proof for each of the project's own keys (empty when there are none).
    pub dkim_proofs: &'a [DkimProof],
    /// When the checks ran (RFC 3339).
    pub generated_at: String,
}

const PLAYBOOK: &str = "deliverability playbook §8";
const GMAIL: &str = "Gmail sender guidelines (Feb 2024)";
const YAHOO: &str = "Yahoo Sender Hub";
const MICROSOFT: &str = "Microsoft Outlook.com requirements (May 2025)";

fn item(id: &str, title: &str, status: ItemStatus, source: &str) -> ChecklistItem {
    ChecklistItem {
        id: id.into(),
        title: title.into(),
        status,
        evidence: Vec::new(),
        fix: None,
        source: source.into(),
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
fn from_topic(audit: &AuditReport, topic: Topic, mut base: ChecklistItem) -> ChecklistItem {
    let findings: Vec<&Finding> = audit.findings.iter().filter(|f| f.topic == topic).collect();
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
    for f in &findings {
        base.evidence.push(format!("{} ({})", f.title, f.id));
        base.evidence.extend(f.evidence.iter().map(evidence_line));
    }
    base
}

fn manual(id: &str, title: &str, fix: &str, source: &str) -> ChecklistItem {
    ChecklistItem {
        fix: Some(fix.into()),
        ..item(id, title, ItemStatus::Manual, source)
    }
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
fn tls_item(smtp: Option<&SmtpTestReport>) -> ChecklistItem {
    let mut it = item(
        "before.tls",
        "TLS works on every outbound relay, its certificate is valid, old protocols are off, and sign-in happens only inside it.",
        ItemStatus::Manual,
        PLAYBOOK,
    );
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
                    .map(|c| {
                        format!(
                            ", certificate valid until {} ({} days left)",
                            c.not_after, c.days_left
                        )
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

fn has(audit: &AuditReport, id: &str) -> bool {
    audit.findings.iter().any(|f| f.id == id)
}

fn worst_of(audit: &AuditReport, topic: Topic) -> Option<Severity> {
    audit
        .findings
        .iter()
        .filter(|f| f.topic == topic)
        .map(|f| f.severity)
        .max()
}

/// SPF and DKIM both pass (bulk senders at Gmail and Yahoo; Microsoft above 5,000 a day).
fn spf_and_dkim(audit: &AuditReport) -> ChecklistItem {
    let mut it = item(
        "providers.spf_and_dkim",
        "Mail passes both SPF and DKIM.",
        ItemStatus::Pass,
        &format!("{GMAIL} (bulk); {YAHOO} (bulk); {MICROSOFT}"),
    );
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
fn spam_rate(warmup: Option<&WarmupView>) -> ChecklistItem {
    let mut it = item(
        "providers.spam_rate",
        "Spam complaints stay below 0.1 % and never reach 0.3 %.",
        ItemStatus::Manual,
        &format!("{GMAIL}; {YAHOO}"),
    );
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

fn warmup_item(warmup: Option<&WarmupView>) -> ChecklistItem {
    let mut it = item(
        "during.warmup",
        "New IPs and domains are warmed up gradually, with per-provider caps and rollback rules.",
        ItemStatus::Manual,
        PLAYBOOK,
    );
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

fn monitoring_item(warmup: Option<&WarmupView>) -> ChecklistItem {
    let mut it = item(
        "during.monitoring",
        "Bounces, complaints and deferrals are watched every sending day, against set thresholds.",
        ItemStatus::Manual,
        PLAYBOOK,
    );
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

fn senders_item(project: Option<&Project>) -> ChecklistItem {
    let mut it = item(
        "before.inventory",
        "Every system that sends as the domain is known, and third-party relays are documented.",
        ItemStatus::Manual,
        PLAYBOOK,
    );
    let senders = project.map(|p| &p.senders.senders[..]).unwrap_or_default();
    if senders.is_empty() {
        it.fix = Some(
            "List every service and server that sends as you in the “Who sends as you” step."
                .into(),
        );
    } else {
        it.status = ItemStatus::Pass;
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

/// Builds the report.
pub fn build_report(inputs: &ReportInputs<'_>) -> Report {
    let audit = inputs.audit;
    let unreachable = audit.status == AuditStatus::Unreachable;
    let topic = |id: &str, title: &str, t: Topic, source: &str| {
        from_topic(audit, t, item(id, title, ItemStatus::Manual, source))
    };
    let mut dkim_size = item(
        "providers.dkim_key",
        "DKIM keys are at least 1,024 bits, 2,048 recommended.",
        ItemStatus::Pass,
        &format!("{YAHOO}; RFC 8301"),
    );
    if has(audit, "dkim.weak_key") {
        dkim_size.status = ItemStatus::Warn;
        dkim_size.fix = Some("Make a 2,048-bit key in the DKIM step and rotate to it.".into());
    } else if !matches!(
        worst_of(audit, Topic::Dkim),
        Some(Severity::Pass | Severity::Info)
    ) {
        dkim_size.status = ItemStatus::Manual;
        dkim_size.fix = Some("Publish a DKIM key first (DKIM step).".into());
    }
    let stream = inputs.warmup.map(|w| w.setup.inputs.stream);
    let mut streams = manual(
        "during.streams",
        "Transactional and marketing mail go through separate streams (a subdomain or IP each).",
        "Send receipts and password resets from one subdomain (such as mail.) and newsletters from another (such as news.).",
        PLAYBOOK,
    );
    if stream == Some(crate::warmup::Stream::Both) {
        streams.status = ItemStatus::Warn;
        streams
            .evidence
            .push("The warm-up plan sends both kinds through the same route.".into());
    }
    let sections = vec![
        ChecklistSection {
            id: "before".into(),
            title: "Before sending: identity and transport".into(),
            items: vec![
                tls_item(inputs.smtp),
                with_dkim_proofs(
                    topic(
                        "before.dkim",
                        "DKIM signing is active and its public key is published correctly.",
                        Topic::Dkim,
                        PLAYBOOK,
                    ),
                    inputs.dkim_proofs,
                ),
                topic(
                    "before.spf",
                    "The SPF record is accurate, within 10 lookups, and covers the real senders.",
                    Topic::Spf,
                    PLAYBOOK,
                ),
                topic(
                    "before.dmarc",
                    "A DMARC policy is published (p=none at least) and reports are collected.",
                    Topic::Dmarc,
                    &format!("{GMAIL}; {YAHOO}; {MICROSOFT}"),
                ),
                topic(
                    "before.mx",
                    "The domain can receive bounces and replies.",
                    Topic::MailServers,
                    MICROSOFT,
                ),
                topic(
                    "before.transport_policy",
                    "Receiving servers are asked to use TLS (MTA-STS) and to report failures (TLS-RPT).",
                    Topic::TransportSecurity,
                    "RFC 8461, RFC 8460",
                ),
                senders_item(inputs.project),
            ],
        },
        ChecklistSection {
            id: "during".into(),
            title: "During sending: pacing, segmentation and monitoring".into(),
            items: vec![
                warmup_item(inputs.warmup),
                streams,
                monitoring_item(inputs.warmup),
                manual(
                    "during.backoff",
                    "Temporary errors (4xx) are retried with backoff, never in a tight loop.",
                    "Check your mail server's or service's retry settings: retries should slow down, over hours.",
                    PLAYBOOK,
                ),
            ],
        },
        ChecklistSection {
            id: "after".into(),
            title: "After sending: cleanup and review".into(),
            items: vec![
                manual(
                    "after.cleanup",
                    "Hard bounces and complainers are suppressed at once; inactive readers are mailed less.",
                    "Turn on automatic suppression of hard bounces and complaints in your email service.",
                    PLAYBOOK,
                ),
                manual(
                    "after.review",
                    "Authentication is checked again after every DNS or infrastructure change.",
                    "Make this report again after any change to DNS, mail servers or sending services.",
                    PLAYBOOK,
                ),
            ],
        },
        ChecklistSection {
            id: "providers".into(),
            title: "Gmail, Yahoo and Microsoft sender requirements".into(),
            items: vec![
                spf_and_dkim(audit),
                topic(
                    "providers.dmarc",
                    "DMARC of at least p=none, aligned with SPF or DKIM.",
                    Topic::Dmarc,
                    &format!("{GMAIL}; {YAHOO}; {MICROSOFT}"),
                ),
                spam_rate(inputs.warmup),
                dkim_size,
                manual(
                    "providers.ptr",
                    "The sending IP has a valid reverse DNS name (PTR) that resolves back to it.",
                    "Ask your hosting or email provider to set the PTR of your sending IP to a name in your domain.",
                    &format!("{GMAIL}; {YAHOO}"),
                ),
                manual(
                    "providers.unsubscribe",
                    "Marketing mail has one-click unsubscribe (RFC 8058) and a visible link, honoured within 2 days.",
                    "Turn on List-Unsubscribe and List-Unsubscribe-Post headers in your email service.",
                    &format!("{GMAIL} (bulk); {YAHOO} (bulk)"),
                ),
                manual(
                    "providers.format",
                    "Messages follow RFC 5322, with a From and Reply-To that can receive replies.",
                    "Send yourself a message and check its headers; reply to it.",
                    &format!("{GMAIL}; {MICROSOFT}"),
                ),
            ],
        },
    ];
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
    Report {
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
