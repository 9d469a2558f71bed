//! The composers of the DMARC and MTA-STS steps for the session's domain: the user's choices
//! are kept, then the records composed from them.

use crate::alignment::{SenderAlignment, alignment};
use crate::clock::now;
use crate::clock::today;
use crate::dmarc::{DmarcComposeRequest, DmarcComposition, compose_dmarc, published_dmarc};
use crate::error::EngineError;
use crate::mta_sts::{MtaStsComposition, compose_mta_sts, compose_mta_sts_for};
use crate::project::MtaStsSetup;

use super::{Session, StepId, StepState};

impl Session {
    /// Keeps the DMARC choices and composes the record, the report authorizations and the
    /// ramp over the record in force. The first time (no `started_from`), the choices are
    /// those of the published record. The ramp starts on the request's `start`; without one
    /// (the first composition, or "start again from today") it starts today and that day is
    /// kept, so the dates do not move every day.
    pub async fn compose_dmarc(
        &self,
        request: DmarcComposeRequest,
    ) -> Result<DmarcComposition, EngineError> {
        let domain = self.domain()?;
        let published = published_dmarc(&domain, &self.dns()?).await?;
        // What the user typed is kept even when it cannot be composed yet.
        let request = self.change(|project| {
            let seeded = DmarcComposeRequest::starting_from(domain.as_str(), published.as_ref());
            project.dmarc = if request.chosen() {
                DmarcComposeRequest {
                    domain: domain.as_str().to_owned(),
                    started_from: request.started_from.or(seeded.started_from),
                    ..request
                }
            } else {
                DmarcComposeRequest {
                    start: request.start,
                    ..seeded
                }
            };
            Ok(project.dmarc.clone())
        })?;
        let composition = compose_dmarc(&request, published.as_ref(), today())?;
        if !composition.unchanged {
            self.record(StepId::Dmarc, StepState::Attention);
        }
        if request.start.is_none()
            && let Some(first) = composition.ramp.first()
        {
            let from = first.from;
            self.change(|project| {
                project.dmarc.start = Some(from);
                Ok(())
            })?;
        }
        Ok(composition)
    }

    /// Whether the DMARC record the step composed is the one published (true when the step
    /// has not composed one).
    pub(super) async fn dmarc_composed_is_published(&self) -> Result<bool, EngineError> {
        let request = self.project().dmarc;
        if !request.chosen() {
            return Ok(true);
        }
        let published = published_dmarc(&self.domain()?, &self.dns()?).await?;
        let composition = compose_dmarc(&request, published.as_ref(), today())?;
        Ok(composition.unchanged)
    }

    /// Whether each sender of the project passes DMARC through DKIM, SPF, both or neither,
    /// under the DMARC step's `adkim` and `aspf` (the project's own, as the step keeps them).
    pub fn sender_alignment(&self) -> Result<Vec<SenderAlignment>, EngineError> {
        let project = self.project();
        Ok(alignment(
            &project.senders,
            self.domain()?.as_str(),
            project.dmarc.adkim,
            project.dmarc.aspf,
            !project.dkim.keys.is_empty(),
        )?)
    }

    /// Keeps the MTA-STS choices and composes the records and policy over what the domain
    /// publishes. The first time (no `started_from`), the choices are the published ones; the
    /// composed id is kept so the record stays the same while the policy does.
    pub async fn compose_mta_sts(
        &self,
        setup: MtaStsSetup,
    ) -> Result<MtaStsComposition, EngineError> {
        let domain = self.domain()?;
        let https = self.https()?;
        let (mut composition, published) =
            compose_mta_sts_for(&domain, &setup, &self.dns()?, &https).await?;
        let setup = match setup.started_from {
            Some(_) => setup,
            None if setup.chosen() => MtaStsSetup {
                started_from: Some(published.policy_text.clone().unwrap_or_default()),
                ..setup
            },
            None => {
                let seeded = MtaStsSetup::starting_from(&published);
                let mx = composition.policy.mx.clone();
                composition = compose_mta_sts(domain.as_str(), &mx, &seeded, &published, now());
                seeded
            }
        };
        let id = composition
            .record
            .rsplit_once("id=")
            .map(|(_, id)| id.trim().to_owned())
            .unwrap_or_default();
        if !composition.unchanged {
            self.record(StepId::MtaSts, StepState::Attention);
        }
        self.change(|project| {
            project.mta_sts = MtaStsSetup {
                id,
                id_for: composition.policy_text.clone(),
                ..setup
            };
            Ok(())
        })?;
        Ok(composition)
    }
}
