//! The wizard's steps and how far each has got, decided from what the session holds: the
//! project and the last result of each step's check. The sidebar shows these states as they
//! are; the window decides none of them.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::finding::{Finding, Severity};
use crate::project::Project;
use crate::warmup::TrackerState;

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
    /// The warm-up.
    Warmup,
    /// The checklist.
    Report,
}

impl StepId {
    /// Every step, in sidebar order.
    pub const ALL: [StepId; 10] = [
        StepId::Domain,
        StepId::Senders,
        StepId::Spf,
        StepId::Dkim,
        StepId::Dmarc,
        StepId::MtaSts,
        StepId::Smtp,
        StepId::Publish,
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

/// One step's state, as the sidebar shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StepStatus {
    /// The step.
    pub step: StepId,
    /// How far it has got.
    pub state: StepState,
}

/// A step's state from its check's findings: something to fix, or all passing.
pub fn from_findings<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> StepState {
    StepState::checked(
        !findings
            .into_iter()
            .any(|f| matches!(f.severity, Severity::Fail | Severity::Warn)),
    )
}

/// Every step's state: from its last check in `checked` where it has one, else from what the
/// project holds.
pub fn step_states(
    project: &Project,
    checked: &BTreeMap<StepId, StepState>,
    today: Date,
) -> Vec<StepStatus> {
    StepId::ALL
        .iter()
        .map(|&step| StepStatus {
            step,
            state: state_of(step, project, checked.get(&step).copied(), today),
        })
        .collect()
}

fn state_of(step: StepId, project: &Project, checked: Option<StepState>, today: Date) -> StepState {
    let begun = |yes: bool| {
        if yes {
            StepState::Attention
        } else {
            StepState::NotStarted
        }
    };
    match step {
        StepId::Senders if project.senders.senders.is_empty() => StepState::NotStarted,
        StepId::Senders => StepState::Done,
        StepId::Warmup => match &project.warmup {
            None => StepState::NotStarted,
            Some(setup) => match setup.view(today).state {
                TrackerState::Paused | TrackerState::Rewarm => StepState::Attention,
                _ => StepState::Done,
            },
        },
        StepId::Publish if checked == Some(StepState::Done) => StepState::Done,
        StepId::Publish => begun(!project.dns_host.is_empty()),
        StepId::Dkim => checked.unwrap_or(begun(!project.dkim.selector.is_empty())),
        _ => checked.unwrap_or(StepState::NotStarted),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Topic;
    use crate::senders::SenderChoice;

    fn today() -> Date {
        "2026-12-01".parse().unwrap()
    }

    fn state(step: StepId, project: &Project, checked: &BTreeMap<StepId, StepState>) -> StepState {
        step_states(project, checked, today())
            .into_iter()
            .find(|s| s.step == step)
            .unwrap()
            .state
    }

    #[test]
    fn a_new_project_has_every_step_not_started_in_sidebar_order() {
        let states = step_states(&Project::new(), &BTreeMap::new(), today());
        assert_eq!(
            states.iter().map(|s| s.step).collect::<Vec<_>>(),
            StepId::ALL
        );
        assert!(states.iter().all(|s| s.state == StepState::NotStarted));
    }

    #[test]
    fn a_check_with_a_warning_needs_attention_and_one_that_passes_is_done() {
        let warn = Finding::new("spf.x", Severity::Warn, Topic::Spf, "t", "d");
        let pass = Finding::new("spf.y", Severity::Pass, Topic::Spf, "t", "d");
        assert_eq!(from_findings([&pass, &warn]), StepState::Attention);
        assert_eq!(from_findings([&pass]), StepState::Done);
    }

    #[test]
    fn steps_that_depend_on_the_project_follow_it() {
        let mut project = Project::new();
        let none = BTreeMap::new();
        project.senders.senders.push(SenderChoice {
            id: "google".into(),
            hosts: vec![],
            spf: None,
            dkim_set_up: false,
            return_path_set_up: false,
        });
        project.dns_host = "cloudflare".into();
        project.dkim.selector = "mw2026".into();
        assert_eq!(state(StepId::Senders, &project, &none), StepState::Done);
        assert_eq!(
            state(StepId::Publish, &project, &none),
            StepState::Attention
        );
        assert_eq!(state(StepId::Dkim, &project, &none), StepState::Attention);
        let published = BTreeMap::from([(StepId::Publish, StepState::Done)]);
        assert_eq!(
            state(StepId::Publish, &project, &published),
            StepState::Done
        );
    }
}
