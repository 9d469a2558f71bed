//! The composers of the DMARC and MTA-STS steps for the session's domain: the user's choices
//! are kept, then the records composed from them.

use crate::alignment::{SenderAlignment, alignment};
use crate::clock::today;
use crate::dmarc::{AlignmentMode, DmarcComposeRequest, DmarcComposition, compose_dmarc};
use crate::error::EngineError;
use crate::mta_sts::{MtaStsComposition, compose_mta_sts_for};
use crate::project::MtaStsSetup;

use super::Session;

impl Session {
    /// Keeps the DMARC choices and composes the record, the report authorizations and the
    /// ramp. The ramp starts on the request's `start`; without one (the first composition, or
    /// "start again from today") it starts today and that day is kept, so the dates do not move
    /// every day.
    pub fn compose_dmarc(
        &self,
        request: DmarcComposeRequest,
    ) -> Result<DmarcComposition, EngineError> {
        let domain = self.domain()?;
        // What the user typed is kept even when it cannot be composed yet.
        let request = self.change(|project| {
            project.dmarc = DmarcComposeRequest {
                domain: domain.as_str().to_owned(),
                ..request
            };
            Ok(project.dmarc.clone())
        })?;
        let composition = compose_dmarc(&request, today())?;
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

    /// Whether each sender of the project passes DMARC through DKIM, SPF, both or neither.
    pub fn sender_alignment(
        &self,
        aspf: AlignmentMode,
        own_dkim: bool,
    ) -> Result<Vec<SenderAlignment>, EngineError> {
        Ok(alignment(&self.project().senders, aspf, own_dkim)?)
    }

    /// Keeps the MTA-STS choices, looks up the MX hosts and composes the records and policy.
    pub async fn compose_mta_sts(
        &self,
        setup: MtaStsSetup,
    ) -> Result<MtaStsComposition, EngineError> {
        let domain = self.domain()?;
        let (mode, report_to) = (setup.mode, setup.report_to.clone());
        self.change(|project| {
            project.mta_sts = setup;
            Ok(())
        })?;
        compose_mta_sts_for(&domain, mode, &report_to, &self.dns()?).await
    }
}
