use std::sync::{Arc, Mutex};

use super::*;
use crate::project::{Settings, SpfSetup};
use crate::spf::AllPolicy;

fn spf_edit() -> ProjectEdit {
    ProjectEdit::Spf(SpfSetup {
        all: Some(AllPolicy::Fail),
        remove: vec!["ip4:192.0.2.1".into()],
        ip: String::new(),
        weaken: false,
    })
}

#[test]
fn an_edit_is_saved_and_a_new_session_reads_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let session = Session::new(dir.path());
    let view = session
        .edit(ProjectEdit::Domain {
            domain: " example.com ".into(),
            selectors: vec!["mw1".into()],
        })
        .unwrap();
    assert_eq!(view.project.domain, "example.com");
    session.edit(spf_edit()).unwrap();
    assert_eq!(view.save_error, None);

    let again = Session::new(dir.path()).open();
    assert_eq!(again.project.domain, "example.com");
    assert_eq!(again.project.selectors, vec!["mw1".to_owned()]);
    assert_eq!(again.project.spf.all, Some(AllPolicy::Fail));
}

#[test]
fn a_refused_edit_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let session = Session::new(dir.path());
    session
        .edit(ProjectEdit::DnsHost("cloudflare".into()))
        .unwrap();
    let refused = session.edit(ProjectEdit::DnsHost("no-such-host".into()));
    assert!(matches!(refused, Err(EngineError::NotInCatalog(..))));
    let bad_server = session.edit(ProjectEdit::Settings(Settings {
        nameserver: "not an address".into(),
    }));
    assert!(bad_server.is_err());
    let project = Session::new(dir.path()).open().project;
    assert_eq!(project.dns_host, "cloudflare");
    assert_eq!(project.settings.nameserver, "");
}

#[test]
fn a_changed_dns_server_is_asked_from_then_on() {
    let dir = tempfile::tempdir().unwrap();
    let session = Session::new(dir.path());
    session
        .edit(ProjectEdit::Settings(Settings {
            nameserver: "127.0.0.1:5353".into(),
        }))
        .unwrap();
    assert_eq!(session.dns().unwrap().describe(), "127.0.0.1:5353");
    session
        .edit(ProjectEdit::Settings(Settings {
            nameserver: " 127.0.0.2 ".into(),
        }))
        .unwrap();
    assert_eq!(session.dns().unwrap().describe(), "127.0.0.2:53");
}

#[test]
fn a_project_from_a_newer_mailwright_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("project.json");
    std::fs::write(&path, r#"{"version": 99, "domain": "future.example"}"#).unwrap();
    let session = Session::new(dir.path());
    let view = session.open();
    assert!(
        view.recovered
            .as_deref()
            .unwrap()
            .contains("newer Mailwright")
    );
    let view = session.edit(spf_edit()).unwrap();
    assert!(
        view.save_error.is_some(),
        "the user is told it was not saved"
    );
    let on_disk = std::fs::read_to_string(&path).unwrap();
    assert!(on_disk.contains("future.example") && on_disk.contains("99"));
}

#[test]
fn every_change_and_every_check_reaches_the_observer_with_the_step_states() {
    let dir = tempfile::tempdir().unwrap();
    let session = Session::new(dir.path());
    let seen: Arc<Mutex<Vec<SessionView>>> = Arc::default();
    let sink = seen.clone();
    session.watch(Arc::new(move |view| sink.lock().unwrap().push(view)));
    session
        .edit(ProjectEdit::DnsHost("cloudflare".into()))
        .unwrap();
    session.record(StepId::Publish, StepState::Done);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    let publish = |view: &SessionView| {
        view.steps
            .iter()
            .find(|s| s.step == StepId::Publish)
            .unwrap()
            .state
    };
    assert_eq!(publish(&seen[0]), StepState::Attention);
    assert_eq!(publish(&seen[1]), StepState::Done);
}

#[test]
fn what_is_saved_or_exported_before_it_exists_says_what_to_do_first() {
    let dir = tempfile::tempdir().unwrap();
    let session = Session::new(dir.path());
    let none = session.checklist_to_save().unwrap_err();
    assert_eq!(none.code(), "nothing_yet");
    assert!(none.to_string().contains("Make the report"));
    let none = session.tested_port(0).unwrap_err();
    assert!(none.to_string().contains("Run the test first"));
    let unknown = session.dkim_provider_records("no-such-provider", &[]);
    assert!(matches!(unknown, Err(EngineError::NotInCatalog(..))));
}

#[test]
fn step_states_survive_a_restart_and_are_cleared_when_the_domain_changes() {
    let dir = tempfile::tempdir().unwrap();
    let session = Session::new(dir.path());
    let domain = |d: &str| ProjectEdit::Domain {
        domain: d.into(),
        selectors: vec![],
    };
    session.edit(domain("example.com")).unwrap();
    session.record(StepId::Domain, StepState::Done);
    session.record(StepId::Dmarc, StepState::Attention);
    session.record(StepId::Smtp, StepState::Done);
    let state = |view: &SessionView, step: StepId| {
        view.steps.iter().find(|s| s.step == step).unwrap().state
    };

    let again = Session::new(dir.path()).open();
    assert_eq!(state(&again, StepId::Domain), StepState::Done);
    assert_eq!(state(&again, StepId::Dmarc), StepState::Attention);
    assert_eq!(state(&again, StepId::Smtp), StepState::Done);

    let restarted = Session::new(dir.path());
    // The same domain typed another way keeps the states; another domain clears them.
    let same = restarted.edit(domain("https://Example.com/")).unwrap();
    assert_eq!(state(&same, StepId::Domain), StepState::Done);
    let other = restarted.edit(domain("example.org")).unwrap();
    assert!(other.steps.iter().all(|s| s.state == StepState::NotStarted));
}

#[test]
fn the_dkim_step_reopens_on_the_path_the_user_chose() {
    use crate::dkim::DkimSigner;
    let dir = tempfile::tempdir().unwrap();
    let session = Session::new(dir.path());
    session
        .edit(ProjectEdit::DkimProvider {
            provider: Some("google".into()),
            selectors: vec!["google".into()],
        })
        .unwrap();
    session
        .edit(ProjectEdit::DkimSigner(DkimSigner::Own))
        .unwrap();
    let again = Session::new(dir.path()).open();
    assert_eq!(again.project.dkim.signer, Some(DkimSigner::Own));
}

/// A session whose DNS server knows no names (every lookup ends at once).
async fn session_asking_an_empty_dns() -> (mailwright_testkit::TestDns, tempfile::TempDir, Session)
{
    let dns = mailwright_testkit::TestDns::start(&[]).await;
    let dir = tempfile::tempdir().unwrap();
    let session = Session::new(dir.path());
    session
        .edit(ProjectEdit::Settings(Settings {
            nameserver: dns.addr().to_string(),
        }))
        .unwrap();
    (dns, dir, session)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dropped_message_reaches_the_window_with_the_next_view() {
    let (_dns, dir, session) = session_asking_an_empty_dns().await;
    let views = Arc::new(Mutex::new(Vec::new()));
    let sink = views.clone();
    session.watch(Arc::new(move |view| sink.lock().unwrap().push(view)));

    // Not a message: the sentence reaches the window; nothing is counted.
    let junk = dir.path().join("junk.txt");
    std::fs::write(&junk, "just some words").unwrap();
    session.check_dropped_message(&junk).await;
    let last = views.lock().unwrap().last().cloned().unwrap();
    assert_eq!(last.messages_checked, 0);
    assert!(
        last.message_error
            .as_deref()
            .unwrap()
            .contains("not an email message")
    );

    // A message: counted, the error cleared, the check kept for the step (in memory only).
    let message = dir.path().join("m.eml");
    std::fs::write(
        &message,
        "From: <a@example.com>\r\nDate: Tue, 01 Dec 2026 10:00:00 +0000\r\nMessage-ID: <1@example.com>\r\n\r\nHi.\r\n",
    )
    .unwrap();
    session.check_dropped_message(&message).await;
    let last = views.lock().unwrap().last().cloned().unwrap();
    assert_eq!(last.messages_checked, 1);
    assert_eq!(last.message_error, None);
    assert_eq!(
        session.last_message_check().unwrap().message_id.as_deref(),
        Some("1@example.com")
    );
    let saved = std::fs::read_to_string(dir.path().join("project.json")).unwrap();
    assert!(
        !saved.contains("1@example.com"),
        "the message is never in the project"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_report_names_the_subject_only_when_allowed() {
    let (_dns, _dir, session) = session_asking_an_empty_dns().await;
    session
        .check_message(
            b"From: <a@example.com>\r\nSubject: Private plans\r\n\r\nHi.\r\n",
            None,
        )
        .await
        .unwrap();
    assert_eq!(session.message_for_report().unwrap().subject, None);
    session.name_message_subject(true);
    assert_eq!(
        session.message_for_report().unwrap().subject.as_deref(),
        Some("Private plans")
    );
    assert_eq!(
        session.last_message_check().unwrap().subject.as_deref(),
        Some("Private plans"),
        "the step still shows it"
    );
}
