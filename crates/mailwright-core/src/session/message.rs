//! The "Check a sent message" step: a message the user opened or pasted, checked through the
//! session's DNS configuration. The message itself is kept nowhere; the step's state and the
//! last check (in memory) are.

use std::path::Path;

use crate::dns::ProgressSink;
use crate::error::EngineError;
use crate::files::read_capped;
use crate::message::{MAX_MESSAGE_OCTETS, MessageCheck, check_message};

use super::{Session, StepId, StepState, from_findings};

impl Session {
    /// Checks the message in the file at `path` (a `.eml`, or a saved "Show original").
    pub async fn check_message_file(
        &self,
        path: &Path,
        progress: Option<ProgressSink>,
    ) -> Result<MessageCheck, EngineError> {
        let raw = read_capped(path, MAX_MESSAGE_OCTETS as u64)?;
        self.check_message(&raw, progress).await
    }

    /// Checks a message pasted as text (its source, or its headers alone).
    pub async fn check_message(
        &self,
        raw: &[u8],
        progress: Option<ProgressSink>,
    ) -> Result<MessageCheck, EngineError> {
        let check = check_message(raw, &self.dns()?, progress).await?;
        {
            let mut held = self.lock();
            held.message_check = Some(check.clone());
            held.messages_checked += 1;
            held.message_error = None;
        }
        // Recording the step's state sends the new view (with the count) to the window.
        self.record(StepId::Message, from_findings(&check.findings));
        Ok(check)
    }

    /// Checks a message file dropped on the window: the result, or why it could not be
    /// checked, reaches the window with the next view.
    pub async fn check_dropped_message(&self, path: &Path) {
        if let Err(error) = self.check_message_file(path, None).await {
            tracing::warn!(code = error.code(), "a dropped message: {error}");
            self.lock().message_error = Some(error.to_string());
            self.record(StepId::Message, StepState::Attention);
        }
    }

    /// The last message checked in this session, if any.
    pub fn last_message_check(&self) -> Option<MessageCheck> {
        self.lock().message_check.clone()
    }

    /// Whether the report may name the checked message's subject (off unless the user ticks it).
    pub fn name_message_subject(&self, allow: bool) {
        self.lock().message_subject_in_report = allow;
    }

    /// The last message checked, as the report may show it: without its subject unless the
    /// user allowed it.
    pub(crate) fn message_for_report(&self) -> Option<MessageCheck> {
        let held = self.lock();
        let mut message = held.message_check.clone()?;
        if !held.message_subject_in_report {
            message.subject = None;
        }
        Some(message)
    }
}
