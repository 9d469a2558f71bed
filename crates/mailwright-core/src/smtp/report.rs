//! What the probe of one port found: a timeline, capabilities before and after TLS, the TLS
//! details, the sign-in, the relay check, the test message, findings and the transcript.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::message::MessageOutcome;
use super::target::SmtpTarget;
use super::tls::TlsDetails;
use super::transcript::Transcript;
use crate::finding::{Finding, Severity};

/// One moment of the timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProbeStep {
    /// Short label: "Connect", "Banner", "EHLO", "STARTTLS", "TLS", "AUTH", …
    pub label: String,
    /// What happened, in a sentence.
    pub detail: String,
    /// Milliseconds since the probe of this port started.
    pub at_ms: u32,
    /// Whether this step went well.
    pub ok: bool,
}

/// A timeline step as it happens, for the progress display.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProbeProgress {
    /// The port it belongs to.
    pub port: u16,
    /// The step.
    pub step: ProbeStep,
}

/// The sign-in's result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuthOutcome {
    /// The mechanism used.
    pub mechanism: String,
    /// Whether it succeeded.
    pub ok: bool,
    /// The server's final reply.
    pub reply: String,
}

/// The open-relay check's verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RelayOutcome {
    /// Whether the server accepted a recipient outside its domains without a sign-in.
    pub open: bool,
    /// The reply to the outside recipient (or to MAIL FROM when that was refused).
    pub reply: String,
}

/// Everything found on one port.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PortReport {
    /// What was probed.
    pub target: Option<SmtpTarget>,
    /// The address connected to.
    pub address: Option<String>,
    /// The timeline.
    pub steps: Vec<ProbeStep>,
    /// The greeting.
    pub banner: Option<String>,
    /// EHLO capabilities before TLS (STARTTLS ports and plain ports).
    pub capabilities_before_tls: Vec<String>,
    /// EHLO capabilities inside TLS.
    pub capabilities_after_tls: Vec<String>,
    /// AUTH mechanisms offered before TLS.
    pub auth_before_tls: Vec<String>,
    /// AUTH mechanisms offered inside TLS.
    pub auth_after_tls: Vec<String>,
    /// The TLS handshake's details.
    pub tls: Option<TlsDetails>,
    /// The old TLS version the server answered with when it speaks nothing newer.
    pub legacy_tls: Option<String>,
    /// The sign-in.
    pub auth: Option<AuthOutcome>,
    /// The open-relay check.
    pub relay: Option<RelayOutcome>,
    /// The test message.
    pub message: Option<MessageOutcome>,
    /// The verdicts.
    pub findings: Vec<Finding>,
    /// Every line in both directions, secrets redacted.
    pub transcript: Transcript,
    /// The transcript as text with swaks-style direction markers, to copy or export.
    pub transcript_text: String,
    /// How long the probe took.
    pub elapsed_ms: u32,
}

impl PortReport {
    /// Writes the transcript to `path` (a file the user chose).
    pub fn export_transcript(
        &self,
        path: &std::path::Path,
        replace: crate::files::Replace,
    ) -> Result<std::path::PathBuf, crate::EngineError> {
        crate::files::write_text(path, &self.transcript_text, replace)
    }

    /// The worst severity among the findings.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
}

/// The test of every chosen port.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MailServerTest {
    /// One report per port, in the order asked.
    pub ports: Vec<PortReport>,
    /// How long the whole test took (the ports run at the same time).
    pub elapsed_ms: u32,
}

impl MailServerTest {
    /// Every finding of every port.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.ports.iter().flat_map(|p| p.findings.iter())
    }
}
