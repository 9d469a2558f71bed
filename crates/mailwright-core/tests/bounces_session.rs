//! The Bounces step through the session, as the window drives it: bounces imported into the
//! database beside the project, the step's state, the rule saved in the project, and a day's
//! numbers put into the warm-up tracker — replacing that day in one change, never a day entered
//! per provider.

use mailwright_core::bounces::SuppressionRule;
use mailwright_core::session::{ProjectEdit, Session, StepId, StepState};
use mailwright_core::warmup::{DayEntryForm, Provider, WarmupSetup};
use mailwright_testkit::bounces::sample_mailbox;

#[tokio::test(flavor = "multi_thread")]
async fn bounces_decide_the_step_the_rule_and_the_warm_up_days() {
    let dir = tempfile::tempdir().unwrap();
    let session = Session::new(dir.path());
    session
        .edit(ProjectEdit::Domain {
            domain: "shop.test".into(),
            selectors: Vec::new(),
        })
        .unwrap();
    let today = jiff::Zoned::now().date();
    let start = today - jiff::ToSpan::days(10);
    session
        .change(|project| {
            project.warmup = Some(WarmupSetup::starter(start));
            Ok(())
        })
        .unwrap();
    // The bounces are dated on today's local date (at 10:00 UTC), as the tracker counts days.
    let day = today
        .to_zoned(jiff::tz::TimeZone::UTC)
        .unwrap()
        .timestamp()
        .as_second()
        .div_euclid(86_400);
    let mailbox = dir.path().join("bounces.mbox");
    std::fs::write(&mailbox, sample_mailbox(day)).unwrap();

    let summary = session
        .import_bounce_files(vec![mailbox], None)
        .await
        .unwrap();
    assert_eq!(summary.new_events, 8, "{summary:?}");
    assert!(
        dir.path().join("reports.db").is_file(),
        "the database beside the project"
    );
    // A refusal for the setup (5.7.26) is among them: the step needs attention.
    assert_eq!(
        session.project().checked.get(&StepId::Bounces),
        Some(&StepState::Attention)
    );

    // The rule: nonsense refused, a stricter one kept in the project and applied.
    assert!(
        session
            .set_suppression_rule(SuppressionRule {
                soft_bounces: 0,
                soft_window_days: 30
            })
            .await
            .is_err()
    );
    let view = session
        .set_suppression_rule(SuppressionRule {
            soft_bounces: 1,
            soft_window_days: 30,
        })
        .await
        .unwrap();
    assert_eq!((view.suppressed, view.watched), (5, 0));
    assert_eq!(session.project().bounces.rule.soft_bounces, 1);

    // Today's numbers into the tracker, then again (the day is replaced, the sent kept).
    let date = today.to_string();
    let warmup = session.record_warmup_bounces(&date, "400").await.unwrap();
    let entry = warmup.entries.iter().find(|e| e.date == today).unwrap();
    assert_eq!(
        (
            entry.total.sent,
            entry.total.hard_bounces,
            entry.total.soft_bounces,
            entry.total.complaints
        ),
        (400, 2, 2, 1),
        "{entry:?}"
    );
    let again = session.record_warmup_bounces(&date, "").await.unwrap();
    let entry = again.entries.iter().find(|e| e.date == today).unwrap();
    assert_eq!(entry.total.sent, 400);
    assert_eq!(again.entries.len(), warmup.entries.len());

    // A day entered per provider is left alone, with a sentence.
    let earlier = (today - jiff::ToSpan::days(3)).to_string();
    session
        .record_warmup_day(&DayEntryForm {
            date: earlier.clone(),
            provider: Some(Provider::Gmail),
            sent: "100".into(),
            delivered: String::new(),
            hard_bounces: "0".into(),
            soft_bounces: "0".into(),
            complaints: "0".into(),
            deferrals: "0".into(),
            blocklisted: false,
        })
        .unwrap();
    let refused = session
        .record_warmup_bounces(&earlier, "200")
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("per provider"), "{refused}");
    // A day without bounces is named.
    assert!(
        session
            .record_warmup_bounces("2020-01-01", "1")
            .await
            .is_err()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_own_server_name_that_could_not_be_looked_up_is_said_so_not_called_missing() {
    use mailwright_core::dns::{DnsConfig, NameserverSource};
    let (_socket, addr) = mailwright_testkit::silent_dns_server();
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project.json");
    std::fs::write(
        &project,
        r#"{"version": 1, "domain": "shop.test", "senders": {"senders": [{"id": "own_server", "hosts": ["mail.shop.test"]}]}}"#,
    )
    .unwrap();
    let mut dns = DnsConfig::with_nameserver(addr, NameserverSource::CommandLine);
    dns.timeout = std::time::Duration::from_millis(300);
    dns.deadline = std::time::Duration::from_secs(2);
    let session = Session::from_file(&project, dns).unwrap();
    let view = session.reputation_view().await.unwrap();
    assert!(view.targets.is_empty());
    assert!(
        view.notes
            .iter()
            .any(|n| n.contains("mail.shop.test could not be looked up")),
        "{:?}",
        view.notes
    );
}
