//! What the user typed that cannot be right, found as they type it (every fault at once, each
//! tied to its step and field), so a later step never has to be the first to say so.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::dmarc::bad_report_addresses;
use crate::domain::parse_domain_input;
use crate::error::EngineError;
use crate::project::Project;
use crate::senders::InventoryError;
use crate::smtp::{RequestError, SmtpTarget, address};
use crate::warmup::PlanForm;

use super::StepId;

/// One field's fault.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldProblem {
    /// The step the field is in.
    pub step: StepId,
    /// The field, as the window names it (its element id).
    pub field: String,
    /// What is wrong and what to type, in one sentence.
    pub sentence: String,
}

/// Every fault of the warm-up's form as typed (it is kept only once planned), tied to its field.
pub fn warmup_problems(form: &PlanForm) -> Vec<FieldProblem> {
    form.problems()
        .into_iter()
        .map(|(field, fault)| FieldProblem {
            step: StepId::Warmup,
            field,
            sentence: fault.to_string(),
        })
        .collect()
}

/// Every fault in what the project holds, step by step.
pub fn field_problems(project: &Project) -> Vec<FieldProblem> {
    let mut problems = Vec::new();
    for (id, fault) in project.senders.problems() {
        let field = match fault {
            InventoryError::NoHosts | InventoryError::BadHost(_) => "own-server-hosts".to_owned(),
            InventoryError::BadMechanism { .. } => format!("sender-spf-{id}"),
            InventoryError::UnknownSender(_) => format!("sender-{id}"),
        };
        problems.push(FieldProblem {
            step: StepId::Senders,
            field,
            sentence: fault.to_string(),
        });
    }
    for (field, list) in [
        ("dmarc-rua", &project.dmarc.rua),
        ("dmarc-ruf", &project.dmarc.ruf),
    ] {
        problems.extend(
            bad_report_addresses(list)
                .into_iter()
                .map(|fault| FieldProblem {
                    step: StepId::Dmarc,
                    field: field.to_owned(),
                    sentence: fault.to_string(),
                }),
        );
    }
    if !project.domain.trim().is_empty()
        && let Err(fault) = parse_domain_input(&project.domain)
    {
        problems.push(FieldProblem {
            step: StepId::Domain,
            field: "domain".to_owned(),
            sentence: EngineError::from(fault).to_string(),
        });
    }
    let smtp = &project.smtp;
    let mut smtp_fault = |field: &str, sentence: String| {
        problems.push(FieldProblem {
            step: StepId::Smtp,
            field: field.to_owned(),
            sentence,
        });
    };
    if !smtp.host.trim().is_empty()
        && let Err(fault) = SmtpTarget::new(&smtp.host, 587).validate()
    {
        smtp_fault("smtp-host", fault.to_string());
    }
    if smtp.user.trim().contains(char::is_whitespace) {
        smtp_fault("smtp-user", RequestError::User.to_string());
    }
    if !smtp.send_to.trim().is_empty()
        && let Err(fault) = address(&smtp.send_to, "test recipient")
    {
        smtp_fault("smtp-send-to", fault.to_string());
    }
    if !smtp.from.trim().is_empty()
        && let Err(fault) = address(&smtp.from, "From address")
    {
        smtp_fault("smtp-from", fault.to_string());
    }
    problems.extend(
        smtp.ports
            .iter()
            .filter_map(|&port| smtp.tls_for(port).err())
            .map(|fault| FieldProblem {
                step: StepId::Smtp,
                field: "smtp-ports".to_owned(),
                sentence: fault.to_string(),
            }),
    );
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::senders::SenderChoice;

    #[test]
    fn every_fault_is_tied_to_its_step_and_field() {
        let mut project = Project::new();
        project.senders.senders.push(SenderChoice {
            id: "own_server".into(),
            hosts: vec!["bad host!".into(), "also bad!".into()],
            ..SenderChoice::default()
        });
        project.dmarc.rua = vec!["dmarc@example.com".into(), "nobody".into()];
        project.smtp.ports = vec![465, 2526];
        project.smtp.host = "smtp example com".into();
        project.smtp.send_to = "not an address".into();
        project.domain = "not a domain!".into();
        let problems = field_problems(&project);
        let fields: Vec<(StepId, &str)> = problems
            .iter()
            .map(|p| (p.step, p.field.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                (StepId::Senders, "own-server-hosts"),
                (StepId::Senders, "own-server-hosts"),
                (StepId::Dmarc, "dmarc-rua"),
                (StepId::Domain, "domain"),
                (StepId::Smtp, "smtp-host"),
                (StepId::Smtp, "smtp-send-to"),
                (StepId::Smtp, "smtp-ports"),
            ]
        );
        assert!(problems[6].sentence.contains("2526"));
    }
}
