//! The wizard's steps and how far each has got (the project keeps each step's last result, so
//! the sidebar survives a restart).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A step of the wizard, in sidebar order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum StepId {
    /// "Your domain": the audit.
    Domain,
    /// "Who sends as you".
    Senders,
    /// SPF.
    Spf,
    /// DKIM signing.
    Dkim,
    /// DMARC.
    Dmarc,
    /// MTA-STS.
    MtaSts,
    /// The mail server test.
    Smtp,
    /// Publishing the records.
    Publish,
    /// Checking a message as it was received.
    Message,
    /// Reading the DMARC and TLS reports receivers send.
    Reports,
    /// Bounces, the suppression list and the sending address's reputation.
    Bounces,
    /// The warm-up.
    Warmup,
    /// The checklist.
    Report,
}

impl StepId {
    /// What the step is for, in one plain sentence (shown as "Next: …").
    pub fn what_to_do(self) -> &'static str {
        match self {
            StepId::Domain => "See what your domain publishes today.",
            StepId::Senders => "List every service and server that sends mail as your domain.",
            StepId::Spf => "Make one SPF record that lists all of them.",
            StepId::Dkim => "Sign your mail: make a DKIM key, or publish your provider's.",
            StepId::Dmarc => {
                "Tell receivers what to do with mail that fails, and get daily reports."
            }
            StepId::MtaSts => {
                "Ask other servers to deliver to you only over verified encryption (optional)."
            }
            StepId::Smtp => "Test your sending server's encryption and sign-in.",
            StepId::Publish => "Add the records at your DNS host and check they are published.",
            StepId::Message => {
                "Send yourself a message and check what the receiving server saw and decided."
            }
            StepId::Reports => {
                "Read the reports receivers send: who sends as you, and whether it is safe to tighten DMARC."
            }
            StepId::Bounces => {
                "Find out why mail was refused, keep a suppression list, and check your server's reputation."
            }
            StepId::Warmup => "Plan how fast to raise your sending volume, day by day.",
            StepId::Report => "Make the checklist report to keep or share.",
        }
    }

    /// Every step, in sidebar order.
    pub const ALL: [StepId; 13] = [
        StepId::Domain,
        StepId::Senders,
        StepId::Spf,
        StepId::Dkim,
        StepId::Dmarc,
        StepId::MtaSts,
        StepId::Smtp,
        StepId::Publish,
        StepId::Message,
        StepId::Reports,
        StepId::Bounces,
        StepId::Warmup,
        StepId::Report,
    ];
}

/// How far a step has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum StepState {
    /// Nothing checked or chosen yet.
    NotStarted,
    /// Checked or begun, with something to fix or finish.
    Attention,
    /// Checked, and everything passed.
    Done,
}

impl StepState {
    /// A checked step's state: done when everything passed, else something to fix.
    pub fn checked(passed: bool) -> Self {
        if passed {
            StepState::Done
        } else {
            StepState::Attention
        }
    }
}
