//! A domain that is already well set up (`strict.test`: SPF `-all`, DMARC `p=quarantine;
//! adkim=s`, MTA-STS enforced), walked through the session as the wizard does: every composer
//! starts from what is published and proposes nothing weaker unless the user chooses it, and
//! Publish lists what the steps composed; the checklist passes nothing that a step flags.

use mailwright_core::Severity;
use mailwright_core::dmarc::{DmarcComposeRequest, DmarcPolicy};
use mailwright_core::mta_sts::{HttpsConfig, StsMode};
use mailwright_core::project::Settings;
use mailwright_core::report::{Checklist, ChecklistItem, ItemStatus};
use mailwright_core::senders::{Inventory, SenderChoice};
use mailwright_core::session::{ProjectEdit, Session, StepId, StepState};
use mailwright_core::spf::AllPolicy;
use mailwright_testkit::fixtures::{
    STRICT, STRICT_DMARC, STRICT_STS_ID, start_demo_dns, start_policy_server,
};
use mailwright_testkit::{PolicyServer, TestDns};

fn state(session: &Session, step: StepId) -> StepState {
    let view = session.open();
    view.steps.iter().find(|s| s.step == step).unwrap().state
}

#[tokio::test(flavor = "multi_thread")]
async fn nothing_weaker_is_proposed_for_an_already_strict_domain() {
    let (session, _dir, _dns, _server) = session_for(STRICT).await;

    // DMARC: the first composition is the published record, and the ramp starts there.
    let first = session
        .compose_dmarc(DmarcComposeRequest::default())
        .await
        .unwrap();
    assert_eq!(first.record, STRICT_DMARC);
    assert_eq!(first.ramp[0].policy, DmarcPolicy::Quarantine);
    assert!(first.weaker.changes.is_empty());
    let all_conditions: Vec<&String> = first.ramp.iter().flat_map(|s| &s.conditions).collect();
    assert!(
        !all_conditions.iter().any(|c| c.contains("changes nothing")),
        "{all_conditions:?}"
    );
    let kept = session.project().dmarc;
    assert_eq!(kept.policy, Some(DmarcPolicy::Quarantine));
    assert_eq!(kept.rua, ["dmarc@strict.test"]);
    assert_eq!(kept.started_from.as_deref(), Some(STRICT_DMARC));
    session.check_dmarc(None).await.unwrap();

    // Asking for p=none and relaxed alignment keeps what is published and says why.
    let lower = DmarcComposeRequest {
        policy: Some(DmarcPolicy::None),
        adkim: Default::default(),
        ..kept.clone()
    };
    let held = session.compose_dmarc(lower.clone()).await.unwrap();
    assert_eq!(held.record, STRICT_DMARC);
    assert!(held.weaker.kept());
    assert_eq!(held.weaker.changes.len(), 2, "{:?}", held.weaker.changes);
    let chosen = session
        .compose_dmarc(DmarcComposeRequest {
            weaken: true,
            ..lower
        })
        .await
        .unwrap();
    assert!(chosen.record.starts_with("v=DMARC1; p=none"));
    assert_eq!(state(&session, StepId::Dmarc), StepState::Attention);
    // Back to the published record; the ramp keeps its first day until started again.
    let start = session.project().dmarc.start;
    session.compose_dmarc(kept.clone()).await.unwrap();
    assert_eq!(session.project().dmarc.start, start);
    session.check_dmarc(None).await.unwrap();
    let restarted = session
        .compose_dmarc(DmarcComposeRequest {
            start: Some("2026-01-05".parse().unwrap()),
            ..kept
        })
        .await
        .unwrap();
    assert_eq!(restarted.ramp[0].from.to_string(), "2026-01-05");

    // MTA-STS: enforce is kept with its id and report address.
    let sts = session.compose_mta_sts(Default::default()).await.unwrap();
    assert_eq!(sts.policy.mode, StsMode::Enforce);
    assert!(sts.unchanged);
    assert_eq!(sts.record, format!("v=STSv1; id={STRICT_STS_ID}"));
    assert_eq!(sts.tls_rpt, "v=TLSRPTv1; rua=mailto:tls@strict.test");
    let mut testing = session.project().mta_sts;
    testing.mode = StsMode::Testing;
    let kept_sts = session.compose_mta_sts(testing.clone()).await.unwrap();
    assert_eq!(kept_sts.policy.mode, StsMode::Enforce);
    assert!(kept_sts.weaker.kept());
    testing.weaken = true;
    let weaker = session.compose_mta_sts(testing).await.unwrap();
    assert_eq!(weaker.policy.mode, StsMode::Testing);
    assert_ne!(weaker.record, sts.record);
    let again = session
        .compose_mta_sts(session.project().mta_sts)
        .await
        .unwrap();
    assert_eq!(again.record, weaker.record, "the new id is kept");

    // SPF: with nobody listed in "Who sends as you", the step is not done, however good the
    // published record is (nothing says it covers the real senders).
    session.simulate_spf(None).await.unwrap();
    assert_eq!(state(&session, StepId::Spf), StepState::Attention);

    // SPF: ~all is not proposed over a published -all unless chosen.
    tick_google(&session);
    let mut spf = session.project().spf;
    spf.all = Some(AllPolicy::SoftFail);
    session.edit(ProjectEdit::Spf(spf)).unwrap();
    let simulation = session.simulate_spf(None).await.unwrap();
    assert!(simulation.composition.record.ends_with(" -all"));
    assert!(simulation.composition.weaker.kept());
    // The composed record adds Google: not published yet, so the step is not done.
    assert_eq!(state(&session, StepId::Spf), StepState::Attention);

    // Publish lists what the DMARC and MTA-STS steps composed.
    let set = session.gather_records().await.unwrap();
    let names: Vec<&str> = set.records.iter().map(|r| r.name.as_str()).collect();
    assert!(names.contains(&"_dmarc.strict.test"), "{names:?}");
    assert!(names.contains(&"_mta-sts.strict.test"), "{names:?}");
    assert!(
        !set.notes.iter().any(|n| n.contains("MTA-STS")),
        "{:?}",
        set.notes
    );
}

/// "Who sends as you": Google Workspace ticked.
fn tick_google(session: &Session) {
    session
        .edit(ProjectEdit::Senders(Inventory {
            senders: vec![SenderChoice {
                id: "google".into(),
                ..SenderChoice::default()
            }],
        }))
        .unwrap();
}

fn item<'a>(checklist: &'a Checklist, id: &str) -> &'a ChecklistItem {
    checklist
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .find(|i| i.id == id)
        .unwrap_or_else(|| panic!("no {id}"))
}

/// A session for `domain` asking the testkit's DNS and web servers.
async fn session_for(domain: &str) -> (Session, tempfile::TempDir, TestDns, PolicyServer) {
    let dns = start_demo_dns().await;
    let server = start_policy_server().await;
    let dir = tempfile::tempdir().unwrap();
    let session = Session::new(dir.path());
    session.use_https(HttpsConfig {
        port: server.addr().port(),
        extra_roots: vec![server.ca()],
        ..HttpsConfig::default()
    });
    session
        .edit(ProjectEdit::Settings(Settings {
            nameserver: dns.addr().to_string(),
        }))
        .unwrap();
    session
        .edit(ProjectEdit::Domain {
            domain: domain.into(),
            selectors: vec![],
        })
        .unwrap();
    (session, dir, dns, server)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_checklist_passes_nothing_the_steps_flag() {
    let (session, _dir, _dns, _server) = session_for(STRICT).await;
    // Google Workspace ticked: the SPF step adds its include, so what is published no longer
    // covers the senders; Google's mail is not DKIM-signed for the domain yet.
    tick_google(&session);
    let (checklist, _) = session.make_checklist(None).await.unwrap();
    let spf = item(&checklist, "before.spf");
    assert_eq!(spf.status, ItemStatus::Warn, "{spf:?}");
    assert!(
        spf.fix
            .as_deref()
            .unwrap()
            .contains("include:_spf.google.com"),
        "{spf:?}"
    );
    let both = item(&checklist, "providers.spf_and_dkim");
    assert_ne!(both.status, ItemStatus::Pass, "{both:?}");
    assert!(
        both.evidence.iter().any(|e| e.contains("Google Workspace")),
        "{both:?}"
    );
    let inventory = item(&checklist, "before.inventory");
    assert_eq!(inventory.status, ItemStatus::Pass, "{inventory:?}");
    // MTA-STS is enforced and its policy served: the step's check passes, and so does the item.
    let transport = item(&checklist, "before.transport_policy");
    assert_eq!(transport.status, ItemStatus::Pass, "{transport:?}");

    // A DMARC record composed and not published keeps the DMARC items from passing.
    session
        .compose_dmarc(DmarcComposeRequest {
            policy: Some(DmarcPolicy::Reject),
            ..session.project().dmarc
        })
        .await
        .unwrap();
    let (checklist, _) = session.make_checklist(None).await.unwrap();
    for id in ["before.dmarc", "providers.dmarc"] {
        let dmarc = item(&checklist, id);
        assert_eq!(dmarc.status, ItemStatus::Warn, "{dmarc:?}");
        assert!(
            dmarc.fix.as_deref().unwrap().contains("p=reject"),
            "{dmarc:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sender_list_the_step_flags_is_not_a_pass_in_the_checklist() {
    let (session, _dir, _dns, _server) = session_for(STRICT).await;
    session
        .edit(ProjectEdit::Senders(Inventory {
            senders: vec![SenderChoice {
                id: "own_server".into(),
                hosts: vec!["not an address!".into()],
                ..SenderChoice::default()
            }],
        }))
        .unwrap();
    assert_eq!(state(&session, StepId::Senders), StepState::Attention);
    let (checklist, _) = session.make_checklist(None).await.unwrap();
    let inventory = item(&checklist, "before.inventory");
    assert_eq!(inventory.status, ItemStatus::Warn, "{inventory:?}");
    assert!(
        inventory
            .fix
            .as_deref()
            .unwrap()
            .contains("not an address!"),
        "{inventory:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_mta_sts_policy_that_cannot_be_fetched_fails_the_checklist_as_it_fails_the_step() {
    let (session, _dir, _dns, _server) =
        session_for(mailwright_testkit::fixtures::mta_sts::NOT_SERVED).await;
    let step = session.check_mta_sts(None).await.unwrap();
    assert!(step.findings.iter().any(|f| f.severity == Severity::Fail));
    let (checklist, _) = session.make_checklist(None).await.unwrap();
    let transport = item(&checklist, "before.transport_policy");
    assert_eq!(transport.status, ItemStatus::Fail, "{transport:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn nothing_is_composed_over_a_record_that_could_not_be_looked_up() {
    let (session, _dir, dns, _server) = session_for(STRICT).await;
    // An enforced policy or a strict DMARC record might be there: composing blind could weaken it.
    dns.servfail("_mta-sts.strict.test");
    dns.servfail("_dmarc.strict.test");
    let sts = session.compose_mta_sts(Default::default()).await;
    assert!(
        matches!(sts, Err(mailwright_core::EngineError::DnsFailed(ref name)) if name.contains("_mta-sts")),
        "{sts:?}"
    );
    let dmarc = session.compose_dmarc(DmarcComposeRequest::default()).await;
    assert!(
        matches!(dmarc, Err(mailwright_core::EngineError::DnsFailed(_))),
        "{dmarc:?}"
    );
    assert_eq!(
        session.project().dmarc.started_from,
        None,
        "nothing was seeded"
    );
}
