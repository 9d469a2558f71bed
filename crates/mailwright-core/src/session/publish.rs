//! The Publish step for the session: the project's records gathered once and kept, written for
//! the chosen DNS host, handed off as a file, and checked round after round until published.

use std::sync::Arc;

use crate::error::EngineError;
use crate::publish::{
    DnsHost, HandoffFormat, PresentedRecord, PublishSet, VerifyRound, VerifySettings,
    collect_records, known_dns_host, verify_until_published,
};

use super::{Session, StepId, StepState};

impl Session {
    /// Gathers every record the project produced (DNS is asked for what SPF and MTA-STS build
    /// on) and keeps them for the presentation, the hand-off and the check.
    pub async fn gather_records(&self) -> Result<PublishSet, EngineError> {
        let set = collect_records(&self.project(), &self.dns()?, &self.https()?).await?;
        self.lock().publish_set = Some(set.clone());
        Ok(set)
    }

    /// The gathered records as the project's DNS host wants them typed (none before a host is
    /// chosen).
    pub fn present_records(&self) -> Result<Vec<PresentedRecord>, EngineError> {
        let set = self.gathered()?;
        Ok(match self.dns_host()? {
            Some(host) => set.present(host),
            None => Vec::new(),
        })
    }

    /// The gathered records as `format` writes them for the project's DNS host.
    pub fn handoff(&self, format: HandoffFormat) -> Result<String, EngineError> {
        let set = self.gathered()?;
        let host = self.dns_host()?.ok_or(EngineError::NothingYet(
            "Choose where your DNS is managed first.",
        ))?;
        Ok(set.handoff(host, format))
    }

    /// Checks the gathered records round after round, as `settings` say, until all are
    /// published (each round to `progress`; stopped by `self.publish_check.stop()`).
    pub async fn verify_published(
        &self,
        settings: VerifySettings,
        progress: Option<Arc<dyn Fn(VerifyRound) + Send + Sync>>,
    ) -> Result<VerifyRound, EngineError> {
        let set = self.gathered()?;
        let dns = self.dns()?;
        let round = self
            .publish_check
            .run(async move {
                verify_until_published(&set.records, &set.zone, &dns, &settings, progress).await
            })
            .await?;
        self.record(StepId::Publish, StepState::checked(round.done));
        Ok(round)
    }

    fn gathered(&self) -> Result<PublishSet, EngineError> {
        self.lock()
            .publish_set
            .clone()
            .ok_or(EngineError::NothingYet(
                "The records are not gathered yet. Press “Gather the records again”.",
            ))
    }

    fn dns_host(&self) -> Result<Option<&'static DnsHost>, EngineError> {
        match self.project().dns_host.as_str() {
            "" => Ok(None),
            id => known_dns_host(id).map(Some),
        }
    }
}
