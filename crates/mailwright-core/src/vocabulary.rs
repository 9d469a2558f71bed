//! The words people read for the values they see (a checklist status, a severity, a record's
//! state, a key's stage, a DMARC policy), written once here. The command line uses them
//! through [`Vocabulary::words`]; the window gets the same table as
//! `ui/src/lib/bindings/vocabulary.ts`, written by `cargo test` beside the ts-rs types (and
//! checked for staleness with them), so no step keeps a copy.

use std::fmt::Write;

use serde::Serialize;

use crate::dkim::KeygenStage;
use crate::dmarc::DmarcPolicy;
use crate::finding::Severity;
use crate::publish::RecordState;
use crate::report::ItemStatus;
use crate::session::{StepId, StepState};

/// A type whose values are shown by name.
pub trait Vocabulary: Sized + Serialize + 'static {
    /// Every value, in the order people meet them.
    fn all() -> &'static [Self];
    /// The words for this value.
    fn words(&self) -> &'static str;
}

impl Vocabulary for ItemStatus {
    fn all() -> &'static [Self] {
        &[
            ItemStatus::Pass,
            ItemStatus::Warn,
            ItemStatus::Fail,
            ItemStatus::Manual,
        ]
    }
    fn words(&self) -> &'static str {
        self.label()
    }
}

impl Vocabulary for Severity {
    fn all() -> &'static [Self] {
        &[
            Severity::Pass,
            Severity::Info,
            Severity::Warn,
            Severity::Fail,
        ]
    }
    fn words(&self) -> &'static str {
        match self {
            Severity::Pass => "Pass",
            Severity::Info => "Info",
            Severity::Warn => "Warning",
            Severity::Fail => "Fail",
        }
    }
}

impl Vocabulary for RecordState {
    fn all() -> &'static [Self] {
        &[
            RecordState::Checking,
            RecordState::CouldNotCheck,
            RecordState::NotFound,
            RecordState::Different,
            RecordState::Published,
            RecordState::Visible,
        ]
    }
    fn words(&self) -> &'static str {
        match self {
            RecordState::Checking => "Checking…",
            RecordState::CouldNotCheck => "Could not check",
            RecordState::NotFound => "Not found yet",
            RecordState::Different => "Different",
            RecordState::Published => "Published (your resolver still shows the old answer)",
            RecordState::Visible => "Published",
        }
    }
}

impl Vocabulary for KeygenStage {
    fn all() -> &'static [Self] {
        &[
            KeygenStage::CheckingSelector,
            KeygenStage::Generating,
            KeygenStage::StoringInKeychain,
        ]
    }
    fn words(&self) -> &'static str {
        match self {
            KeygenStage::CheckingSelector => {
                "Checking that nothing is published at this selector yet…"
            }
            KeygenStage::Generating => {
                "Generating the key on this computer (RSA takes a few seconds)…"
            }
            KeygenStage::StoringInKeychain => "Saving the private key in your system keychain…",
        }
    }
}

impl Vocabulary for DmarcPolicy {
    fn all() -> &'static [Self] {
        &[
            DmarcPolicy::None,
            DmarcPolicy::Quarantine,
            DmarcPolicy::Reject,
        ]
    }
    fn words(&self) -> &'static str {
        match self {
            DmarcPolicy::None => "Monitor only (p=none)",
            DmarcPolicy::Quarantine => "Spam folder (p=quarantine)",
            DmarcPolicy::Reject => "Refuse (p=reject)",
        }
    }
}

/// How a value is written in JSON (its serde name), the key of the window's tables.
fn key<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// One type's table as a TypeScript object literal: serialized value → words.
fn table<T: Vocabulary>(name: &str) -> String {
    let mut out = format!("  {name}: {{\n");
    for value in T::all() {
        let key = key(value);
        let words = serde_json::to_string(value.words()).unwrap_or_default();
        let _ = writeln!(out, "    {key}: {words},");
    }
    out.push_str("  },\n");
    out
}

impl Vocabulary for StepId {
    fn all() -> &'static [Self] {
        &StepId::ALL
    }
    fn words(&self) -> &'static str {
        match self {
            StepId::Domain => "Your domain",
            StepId::Senders => "Who sends as you",
            StepId::Spf => "SPF",
            StepId::Dkim => "DKIM signing",
            StepId::Dmarc => "DMARC",
            StepId::MtaSts => "MTA-STS",
            StepId::Smtp => "Mail server",
            StepId::Publish => "Publish",
            StepId::Message => "Check a sent message",
            StepId::Reports => "DMARC reports",
            StepId::Bounces => "Bounces",
            StepId::Warmup => "Warm-up",
            StepId::Report => "Report",
        }
    }
}

impl Vocabulary for StepState {
    fn all() -> &'static [Self] {
        &[StepState::NotStarted, StepState::Attention, StepState::Done]
    }
    fn words(&self) -> &'static str {
        match self {
            StepState::NotStarted => "Not started",
            StepState::Attention => "Needs attention",
            StepState::Done => "Done",
        }
    }
}

impl Vocabulary for crate::spf::TermOrigin {
    fn all() -> &'static [Self] {
        &[
            crate::spf::TermOrigin::Published,
            crate::spf::TermOrigin::Inventory,
            crate::spf::TermOrigin::Both,
        ]
    }
    fn words(&self) -> &'static str {
        match self {
            crate::spf::TermOrigin::Published => "already in your record",
            crate::spf::TermOrigin::Inventory => "added for",
            crate::spf::TermOrigin::Both => "already in your record, for",
        }
    }
}

impl Vocabulary for crate::spf::SpfFixKind {
    fn all() -> &'static [Self] {
        &[
            crate::spf::SpfFixKind::RemoveRedundant,
            crate::spf::SpfFixKind::MoveToSubdomain,
            crate::spf::SpfFixKind::Flatten,
        ]
    }
    fn words(&self) -> &'static str {
        match self {
            crate::spf::SpfFixKind::RemoveRedundant => "Remove a term that does nothing for you",
            crate::spf::SpfFixKind::MoveToSubdomain => "Move a service to its own subdomain",
            crate::spf::SpfFixKind::Flatten => "Last resort: flatten an include",
        }
    }
}

impl Vocabulary for crate::alignment::AlignedVia {
    fn all() -> &'static [Self] {
        &[
            crate::alignment::AlignedVia::Both,
            crate::alignment::AlignedVia::Dkim,
            crate::alignment::AlignedVia::Spf,
            crate::alignment::AlignedVia::Neither,
        ]
    }
    fn words(&self) -> &'static str {
        match self {
            crate::alignment::AlignedVia::Both => "DKIM and SPF",
            crate::alignment::AlignedVia::Dkim => "DKIM",
            crate::alignment::AlignedVia::Spf => "SPF only (breaks when forwarded)",
            crate::alignment::AlignedVia::Neither => "Neither — fails DMARC",
        }
    }
}

impl Vocabulary for crate::senders::SenderKind {
    fn all() -> &'static [Self] {
        &[
            crate::senders::SenderKind::Mailbox,
            crate::senders::SenderKind::Transactional,
            crate::senders::SenderKind::Marketing,
            crate::senders::SenderKind::Crm,
            crate::senders::SenderKind::Support,
            crate::senders::SenderKind::Commerce,
            crate::senders::SenderKind::Own,
        ]
    }
    fn words(&self) -> &'static str {
        match self {
            crate::senders::SenderKind::Mailbox => "Staff mailboxes",
            crate::senders::SenderKind::Transactional => {
                "Receipts, password resets and other automatic mail"
            }
            crate::senders::SenderKind::Marketing => "Newsletters and campaigns",
            crate::senders::SenderKind::Crm => "CRM",
            crate::senders::SenderKind::Support => "Help desk",
            crate::senders::SenderKind::Commerce => "Online shop",
            crate::senders::SenderKind::Own => "Your own server",
        }
    }
}

impl Vocabulary for crate::senders::ReturnPath {
    fn all() -> &'static [Self] {
        &[
            crate::senders::ReturnPath::Yours,
            crate::senders::ReturnPath::Subdomain,
            crate::senders::ReturnPath::Provider,
        ]
    }
    fn words(&self) -> &'static str {
        match self {
            crate::senders::ReturnPath::Yours => {
                "Uses your domain as Return-Path: your SPF record lists it."
            }
            crate::senders::ReturnPath::Subdomain => {
                "Can use a Return-Path subdomain of yours, so SPF aligns."
            }
            crate::senders::ReturnPath::Provider => {
                "Uses its own Return-Path: DMARC passes through its DKIM only."
            }
        }
    }
}

impl Vocabulary for crate::warmup::Action {
    fn all() -> &'static [Self] {
        &[
            crate::warmup::Action::Advance,
            crate::warmup::Action::Hold,
            crate::warmup::Action::StepBack,
            crate::warmup::Action::Pause,
        ]
    }
    fn words(&self) -> &'static str {
        match self {
            crate::warmup::Action::Advance => "Advance",
            crate::warmup::Action::Hold => "Hold",
            crate::warmup::Action::StepBack => "Step back",
            crate::warmup::Action::Pause => "Pause",
        }
    }
}

impl Vocabulary for crate::dns::NameserverSource {
    fn all() -> &'static [Self] {
        &[
            crate::dns::NameserverSource::System,
            crate::dns::NameserverSource::Environment,
            crate::dns::NameserverSource::Settings,
            crate::dns::NameserverSource::CommandLine,
        ]
    }
    fn words(&self) -> &'static str {
        match self {
            crate::dns::NameserverSource::System => "your computer's own DNS settings",
            crate::dns::NameserverSource::Environment => {
                "the MAILWRIGHT_NAMESERVER environment variable"
            }
            crate::dns::NameserverSource::Settings => "this setting",
            crate::dns::NameserverSource::CommandLine => "the command line",
        }
    }
}

impl Vocabulary for crate::reports::SourceKind {
    fn all() -> &'static [Self] {
        use crate::reports::SourceKind;
        &[
            SourceKind::Unknown,
            SourceKind::Forwarding,
            SourceKind::NotListed,
            SourceKind::Yours,
            SourceKind::NotYours,
        ]
    }
    fn words(&self) -> &'static str {
        use crate::reports::SourceKind;
        match self {
            SourceKind::Unknown => "Unknown",
            SourceKind::Forwarding => "Forwarding",
            SourceKind::NotListed => "Not in Senders",
            SourceKind::Yours => "Yours",
            SourceKind::NotYours => "Not yours",
        }
    }
}

impl Vocabulary for crate::bounces::BounceClass {
    fn all() -> &'static [Self] {
        use crate::bounces::BounceClass;
        &[
            BounceClass::Hard,
            BounceClass::Soft,
            BounceClass::Policy,
            BounceClass::Reputation,
            BounceClass::Rate,
            BounceClass::Complaint,
            BounceClass::Unknown,
        ]
    }
    fn words(&self) -> &'static str {
        use crate::bounces::BounceClass;
        match self {
            BounceClass::Hard => "Hard bounce — suppress the address",
            BounceClass::Soft => "Soft bounce — try again later",
            BounceClass::Policy => "Refused for a policy",
            BounceClass::Reputation => "Refused for reputation",
            BounceClass::Rate => "Slowed down — too fast",
            BounceClass::Complaint => "Complaint — suppress the address",
            BounceClass::Unknown => "Not recognised",
        }
    }
}

impl Vocabulary for crate::bounces::AddressState {
    fn all() -> &'static [Self] {
        use crate::bounces::AddressState;
        &[
            AddressState::Complaint,
            AddressState::Unsubscribed,
            AddressState::HardBounced,
            AddressState::SoftBounced,
        ]
    }
    fn words(&self) -> &'static str {
        use crate::bounces::AddressState;
        match self {
            AddressState::Complaint => "Complained",
            AddressState::Unsubscribed => "Unsubscribed",
            AddressState::HardBounced => "Hard-bounced",
            AddressState::SoftBounced => "Soft-bounced",
        }
    }
}

impl Vocabulary for crate::reports::RampReadiness {
    fn all() -> &'static [Self] {
        use crate::reports::RampReadiness;
        &[
            RampReadiness::NoReports,
            RampReadiness::NotYet,
            RampReadiness::Ready,
            RampReadiness::Done,
        ]
    }
    fn words(&self) -> &'static str {
        use crate::reports::RampReadiness;
        match self {
            RampReadiness::NoReports => "No reports yet",
            RampReadiness::NotYet => "Not yet",
            RampReadiness::Ready => "Safe to tighten",
            RampReadiness::Done => "At reject",
        }
    }
}

/// The window's copy of every table: `ui/src/lib/bindings/vocabulary.ts`.
pub fn vocabulary_typescript() -> String {
    let mut out = String::from(
        "// Generated by `cargo test` from mailwright-core's vocabulary.rs: do not edit.\nimport type { Project } from \"./Project\";\n\n/** The words for each value the window shows, as the engine writes them. */\nexport const VOCABULARY = {\n",
    );
    out.push_str(&table::<ItemStatus>("ItemStatus"));
    out.push_str(&table::<Severity>("Severity"));
    out.push_str(&table::<RecordState>("RecordState"));
    out.push_str(&table::<KeygenStage>("KeygenStage"));
    out.push_str(&table::<DmarcPolicy>("DmarcPolicy"));
    out.push_str(&table::<StepId>("StepId"));
    out.push_str(&table::<StepState>("StepState"));
    out.push_str(&table::<crate::spf::TermOrigin>("TermOrigin"));
    out.push_str(&table::<crate::spf::SpfFixKind>("SpfFixKind"));
    out.push_str(&table::<crate::alignment::AlignedVia>("AlignedVia"));
    out.push_str(&table::<crate::senders::SenderKind>("SenderKind"));
    out.push_str(&table::<crate::senders::ReturnPath>("ReturnPath"));
    out.push_str(&table::<crate::warmup::Action>("Action"));
    out.push_str(&table::<crate::dns::NameserverSource>("NameserverSource"));
    out.push_str(&table::<crate::reports::SourceKind>("SourceKind"));
    out.push_str(&table::<crate::reports::RampReadiness>("RampReadiness"));
    out.push_str(&table::<crate::bounces::BounceClass>("BounceClass"));
    out.push_str(&table::<crate::bounces::AddressState>("AddressState"));
    out.push_str("} as const;\n");
    let release_notes: serde_json::Map<String, serde_json::Value> =
        <crate::bounces::AddressState as Vocabulary>::all()
            .iter()
            .map(|state| (key(state), state.release_note().into()))
            .collect();
    out.push_str(&format!(
        "\n/** What to be sure of before releasing a suppressed address, by its state. */\nexport const RELEASE_NOTES = {} as const;\n",
        serde_json::Value::Object(release_notes)
    ));
    out.push_str(&format!(
        "\n/** Where each mail program shows a received message's original. */\nexport const ORIGINAL_SOURCES = {} as const;\n",
        serde_json::to_string(crate::message::ORIGINAL_SOURCES).unwrap_or_default()
    ));
    out.push_str(&format!(
        "\n/** A new project as the engine makes it (before the saved one is read). */\nexport const NEW_PROJECT: Project = {};\n",
        serde_json::to_string(&crate::project::Project::new()).unwrap_or_default()
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes the window's table where ts-rs writes the types (`TS_RS_EXPORT_DIR`); the test run
    /// of `cargo xtask test` fails when the committed copy differs.
    #[test]
    fn the_windows_vocabulary_is_written_beside_the_types() {
        let text = vocabulary_typescript();
        assert!(text.contains("manual: \"To do by hand\""));
        assert!(text.contains("not_found: \"Not found yet\""));
        if let Ok(dir) = std::env::var("TS_RS_EXPORT_DIR") {
            let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
            let path = root.join(dir).join("vocabulary.ts");
            if std::fs::read_to_string(&path).ok().as_deref() != Some(&text) {
                std::fs::write(&path, &text).unwrap();
            }
        }
    }
}
