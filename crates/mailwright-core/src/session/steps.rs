//! The wizard's steps and how far each has got, decided from what the session holds: the
//! project and the last result of each step's check. The sidebar shows these states as they
//! are; the window decides none of them.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::finding::{Finding, Severity};
use crate::project::Project;
pub use crate::step::{StepId, StepState};
use crate::warmup::TrackerState;

/// One step's state, as the sidebar shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StepStatus {
    /// The step.
    pub step: StepId,
    /// How far it has got.
    pub state: StepState,
    /// What the step is for, in one sentence.
    pub what_to_do: String,
}

/// The step to do next: the first one, in sidebar order, that is not done (none when all are).
pub fn next_step(steps: &[StepStatus]) -> Option<StepId> {
    steps
        .iter()
        .find(|s| s.state != StepState::Done)
        .map(|s| s.step)
}

/// A step's state from its check's findings: something to fix, or all passing.
pub fn from_findings<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> StepState {
    StepState::checked(
        !findings
            .into_iter()
            .any(|f| matches!(f.severity, Severity::Fail | Severity::Warn)),
    )
}

/// Every step's state: from its last check (kept in the project) where it has one, else from
/// what the project holds.
pub fn step_states(project: &Project, today: Date) -> Vec<StepStatus> {
    StepId::ALL
        .iter()
        .map(|&step| StepStatus {
            step,
            state: state_of(step, project, project.checked.get(&step).copied(), today),
            what_to_do: step.what_to_do().to_owned(),
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
        // A sender with an address or host that cannot be right is not done.
        StepId::Senders => StepState::checked(project.senders.resolve().is_ok()),
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

    fn state(step: StepId, project: &Project) -> StepState {
        step_states(project, today())
            .into_iter()
            .find(|s| s.step == step)
            .unwrap()
            .state
    }

    #[test]
    fn a_new_project_has_every_step_not_started_in_sidebar_order() {
        let states = step_states(&Project::new(), today());
        assert_eq!(
            states.iter().map(|s| s.step).collect::<Vec<_>>(),
            StepId::ALL
        );
        assert!(states.iter().all(|s| s.state == StepState::NotStarted));
        assert_eq!(next_step(&states), Some(StepId::Domain));
    }

    #[test]
    fn the_next_step_is_the_first_not_done() {
        let mut project = Project::new();
        project.checked.insert(StepId::Domain, StepState::Done);
        project.checked.insert(StepId::Spf, StepState::Done);
        let states = step_states(&project, today());
        assert_eq!(next_step(&states), Some(StepId::Senders));
        assert!(states.iter().all(|s| !s.what_to_do.is_empty()));
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
        project.senders.senders.push(SenderChoice {
            id: "google".into(),
            hosts: vec![],
            spf: None,
            dkim_set_up: false,
            return_path_set_up: false,
        });
        project.dns_host = "cloudflare".into();
        project.dkim.selector = "mw2026".into();
        assert_eq!(state(StepId::Senders, &project), StepState::Done);
        assert_eq!(state(StepId::Publish, &project), StepState::Attention);
        assert_eq!(state(StepId::Dkim, &project), StepState::Attention);
        project.checked.insert(StepId::Publish, StepState::Done);
        assert_eq!(state(StepId::Publish, &project), StepState::Done);
    }

    #[test]
    fn a_sender_list_with_an_address_that_cannot_be_right_is_not_done() {
        let mut project = Project::new();
        project.senders.senders.push(SenderChoice {
            id: "own_server".into(),
            hosts: vec!["not an address!".into()],
            ..SenderChoice::default()
        });
        assert_eq!(state(StepId::Senders, &project), StepState::Attention);
    }
}
