//! Each step's check run for the session's project, through the session's DNS configuration,
//! with its result recorded for the step's state in the sidebar.

use crate::audit::{Audit, AuditRequest, AuditStatus, run_audit};
use crate::dkim::{DkimCheck, check_selector};
use crate::dmarc::{DmarcCheckReport, check_dmarc};
use crate::dns::ProgressSink;
use crate::domain::Selector;
use crate::error::EngineError;
use crate::mta_sts::{MtaStsCheckReport, check_mta_sts};
use crate::report::{Checklist, Tested, make_report, project_keys};
use crate::spf::{
    SpfCheckReport, SpfCrossCheck, SpfQuery, SpfSimulation, check_spf, cross_check_spf,
    parse_ip_address, published_spf, simulate_spf,
};

use super::{Session, StepId, StepState, from_findings};

impl Session {
    /// Runs the audit of the project's domain and DKIM selectors (stopped by
    /// `self.audit.stop()`).
    pub async fn audit(&self, progress: Option<ProgressSink>) -> Result<Audit, EngineError> {
        let project = self.project();
        let (request, _) = AuditRequest::parse(&project.domain, &project.selectors)?;
        let dns = self.dns()?;
        let report = self
            .audit
            .run(async move { run_audit(&request, &dns, progress).await })
            .await?;
        self.record(StepId::Domain, from_findings(&report.findings));
        Ok(report)
    }

    /// Checks the published SPF record of the project's domain.
    pub async fn check_spf(
        &self,
        progress: Option<ProgressSink>,
    ) -> Result<SpfCheckReport, EngineError> {
        check_spf(&self.domain()?, &self.dns()?, progress).await
    }

    /// Merges the project's senders into the published SPF record with the SPF step's choices,
    /// and walks the result, without publishing anything. Kept for the cross-check.
    pub async fn simulate_spf(
        &self,
        progress: Option<ProgressSink>,
    ) -> Result<SpfSimulation, EngineError> {
        let project = self.project();
        let listed = !project.senders.senders.is_empty();
        let (domain, dns) = (self.domain()?, self.dns()?);
        let published = published_spf(&domain, &dns, progress.clone()).await?;
        let request = project.spf_request("", published.clone());
        let simulation = simulate_spf(&domain, &request, &dns, progress).await?;
        self.lock().spf_simulation = Some(simulation.clone());
        // Done only when what the step composed is what is published, and it passes.
        let published_as_composed = simulation.composition.unchanged;
        let passes = from_findings(&simulation.report.findings) == StepState::Done;
        // Without the senders listed, nothing says the record covers them.
        self.record(
            StepId::Spf,
            StepState::checked(passes && published_as_composed && listed),
        );
        Ok(simulation)
    }

    /// The SPF result for mail from the SPF step's IP address under the last composed record:
    /// Mailwright's evaluation, with mail-auth's beside it when they differ.
    pub async fn cross_check_spf(&self) -> Result<SpfCrossCheck, EngineError> {
        let simulation = self
            .lock()
            .spf_simulation
            .clone()
            .ok_or(EngineError::NothingYet(
                "There is no composed record to try yet. Wait for the SPF step to compose it.",
            ))?;
        let domain = self.domain()?;
        let query = SpfQuery {
            ip: parse_ip_address(&self.project().spf.ip)?,
            mail_from: format!("postmaster@{}", domain.as_str()),
            helo: domain.as_str().to_owned(),
        };
        let record = Some(simulation.composition.record.as_str());
        cross_check_spf(&domain, &query, record, &self.dns()?, None).await
    }

    /// Checks the DMARC policy that applies to the project's domain.
    pub async fn check_dmarc(
        &self,
        progress: Option<ProgressSink>,
    ) -> Result<DmarcCheckReport, EngineError> {
        let report = check_dmarc(&self.domain()?, &self.dns()?, progress).await?;
        let passes = from_findings(&report.findings) == StepState::Done;
        let published = self.dmarc_composed_is_published().await?;
        self.record(StepId::Dmarc, StepState::checked(passes && published));
        Ok(report)
    }

    /// Checks the MTA-STS and TLS-RPT records and fetches the policy over HTTPS.
    pub async fn check_mta_sts(
        &self,
        progress: Option<ProgressSink>,
    ) -> Result<MtaStsCheckReport, EngineError> {
        let https = self.https()?;
        let report = check_mta_sts(&self.domain()?, &self.dns()?, &https, progress).await?;
        let passes = from_findings(&report.findings) == StepState::Done;
        // What the step composed, when it did, must be what is served and published.
        let setup = self.project().mta_sts;
        let published = !setup.chosen()
            || (report.policy_text.as_deref() == Some(setup.id_for.as_str())
                && report
                    .record
                    .as_deref()
                    .is_some_and(|r| r.contains(&format!("id={}", setup.id))));
        self.record(StepId::MtaSts, StepState::checked(passes && published));
        Ok(report)
    }

    /// Checks `selector`'s record; with its key (made in this session, else in the keychain)
    /// also proves that mail signed with it verifies. `note` says why the proof did not run.
    pub async fn check_dkim(
        &self,
        selector: &str,
        progress: Option<ProgressSink>,
    ) -> Result<DkimCheck, EngineError> {
        let domain = self.domain()?;
        let selector = Selector::parse(selector)?;
        let dns = self.dns()?;
        let (key, note) = match self.key(&domain, &selector).await {
            Ok(pair) => (Some(pair), None),
            Err(e) => (None, Some(e.to_string())),
        };
        let report = check_selector(&domain, &selector, key.as_ref(), &dns, progress).await?;
        self.record(
            StepId::Dkim,
            StepState::checked(report.proof_passed == Some(true)),
        );
        Ok(DkimCheck { report, note })
    }

    /// Runs the checks afresh and builds the checklist from them, the last mail server test and
    /// message checked, the DKIM proof of the project's keys and the warm-up; kept so it can be
    /// saved. The
    /// status says whether every check could run.
    pub async fn make_checklist(
        &self,
        progress: Option<ProgressSink>,
    ) -> Result<(Checklist, AuditStatus), EngineError> {
        let project = self.project();
        let dns = self.dns()?;
        let smtp = self.last_mail_server_test();
        let message = self.message_for_report();
        let keys = project_keys(&project, |domain, selector| self.held_key(domain, selector)).await;
        let reports = self
            .reports_view()
            .await
            .ok()
            .filter(|v| v.counts.dmarc_reports > 0);
        let bounces = self.bounces_view().await.ok().filter(|v| v.events > 0);
        let reputation = match self.check_reputation(Vec::new()).await {
            Ok(view) => view.check,
            Err(e) => {
                tracing::warn!("reputation check for the checklist: {e}");
                self.last_reputation_check()
            }
        };
        let tested = Tested {
            smtp: smtp.as_ref(),
            message: message.as_ref(),
            reports: reports.as_ref(),
            bounces: bounces.as_ref(),
            reputation: reputation.as_ref(),
        };
        let (report, status) = make_report(
            &project.domain,
            Some(&project),
            tested,
            &keys,
            &dns,
            &self.https()?,
            progress,
        )
        .await?;
        self.record_checklist(&report);
        Ok((report, status))
    }
}
