//! Making the report: the audit run afresh for the domain (with a project's selectors), the
//! DKIM proof of the project's own keys, the warm-up as of today, then the checklist — what the app's Report step and `mailwright report`
//! both do.

use crate::EngineError;
use crate::audit::{AuditRequest, AuditStatus, run_audit};
use crate::dns::{DnsConfig, ProgressSink};
use crate::message::MessageCheck;
use crate::project::Project;
use crate::reports::ReportsView;
use crate::smtp::MailServerTest;

use super::build::{ReportInputs, build_report};
use super::dkim_proof::{ProofKey, prove_keys};
use super::model::Checklist;
use super::steps_seen::steps_seen;
use crate::mta_sts::HttpsConfig;

/// What was tested in this session and is not checked again for the report: the mail server
/// test and the last message checked.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tested<'a> {
    /// The last mail server test.
    pub smtp: Option<&'a MailServerTest>,
    /// The last received message checked.
    pub message: Option<&'a MessageCheck>,
    /// The imported DMARC reports of the last 30 days, when there are any.
    pub reports: Option<&'a ReportsView>,
    /// The imported bounces, when there are any.
    pub bounces: Option<&'a crate::bounces::BouncesView>,
    /// The last reputation check (reverse DNS, the server's name, blocklists).
    pub reputation: Option<&'a crate::reputation::ReputationCheck>,
}

/// Checks `domain` again and builds the report with what `project` (and what its steps show,
/// the MTA-STS policy fetched with `https`), what was `tested` and the private `keys` (for the
/// DKIM proof) add; the audit's status says whether every lookup was answered.
pub async fn make_report(
    domain: &str,
    project: Option<&Project>,
    tested: Tested<'_>,
    keys: &[ProofKey],
    dns: &DnsConfig,
    https: &HttpsConfig,
    progress: Option<ProgressSink>,
) -> Result<(Checklist, AuditStatus), EngineError> {
    let selectors = project.map(|p| p.selectors.clone()).unwrap_or_default();
    let (request, _) = AuditRequest::parse(domain, &selectors)?;
    let audit = run_audit(&request, dns, progress).await?;
    let steps = match project {
        Some(project) => Some(steps_seen(project, &request.domain, dns, https).await?),
        None => None,
    };
    let dkim_proofs = prove_keys(&request.domain, keys, dns).await?;
    let today = crate::clock::today();
    let warmup = project
        .and_then(|p| p.warmup.as_ref())
        .map(|w| w.view(today));
    let report = build_report(&ReportInputs {
        audit: &audit,
        project,
        smtp: tested.smtp,
        message: tested.message,
        reports: tested.reports,
        bounces: tested.bounces,
        reputation: tested.reputation,
        warmup: warmup.as_ref(),
        dkim_proofs: &dkim_proofs,
        steps: steps.as_ref(),
        generated_at: super::now_rfc3339(),
    });
    tracing::info!(
        domain,
        failures = report.has_failures(),
        proofs = dkim_proofs.len(),
        "report made"
    );
    Ok((report, audit.status))
}

impl Checklist {
    /// True when any checklist item fails (the CLI's exit code 1).
    pub fn has_failures(&self) -> bool {
        self.sections
            .iter()
            .flat_map(|s| &s.items)
            .any(|i| i.status == super::model::ItemStatus::Fail)
    }
}
