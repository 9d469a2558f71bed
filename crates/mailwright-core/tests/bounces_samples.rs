//! Real bounces: sisimai's set of 629 bounce messages from some sixty mail systems (BSD
//! licence, `mailwright-testkit/data/bounces/`) are all read, none refused, most recipients
//! named and classified, and a few well-known ones decided as their senders meant.

use std::sync::atomic::AtomicBool;

use mailwright_core::bounces::{
    BounceClass, BounceImporter, SuppressionRule, bounces_view, explain_bounce,
};
use mailwright_core::reports::ReportStore;
use mailwright_testkit::bounce_samples;

#[test]
fn every_sample_is_read_and_most_are_named_and_classified() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = ReportStore::open(&dir.path().join("mail.db"), 0)
        .unwrap()
        .store;
    let stop = AtomicBool::new(false);
    let progress = |_: &_| {};
    let mut importer = BounceImporter::new(&mut store, 1_800_000_000, &progress, &stop);
    importer.paths(&[bounce_samples().join("sisimai/maildir")]);
    let summary = importer.finish().unwrap();
    assert_eq!(summary.problem_count, 0, "{:?}", summary.problems);
    assert!(summary.read >= 629, "{summary:?}");
    let (view, _) = bounces_view(&store, &SuppressionRule::default()).unwrap();
    let unknown = view
        .kinds
        .iter()
        .find(|k| k.kind == "unknown")
        .map_or(0, |k| k.count);
    // Measured: 195 of 594 events not recognised (auto-replies, group notices, bounces in
    // Japanese and the like); a reader that gets worse fails here.
    assert!(
        unknown * 100 / view.events <= 35,
        "{unknown} of {} not recognised",
        view.events
    );
}

#[test]
fn well_known_bounces_are_decided_as_meant() {
    let folder = bounce_samples().join("sisimai/maildir");
    let explain = |name: &str| explain_bounce(&std::fs::read(folder.join(name)).unwrap()).unwrap();
    for (name, class) in [
        ("lhost-postfix-01.eml", BounceClass::Hard),
        ("lhost-sendmail-41.eml", BounceClass::Hard),
        ("lhost-exchange2007-01.eml", BounceClass::Hard),
        ("lhost-exim-01.eml", BounceClass::Policy),
    ] {
        let found = explain(name);
        assert!(
            found
                .iter()
                .any(|e| e.class == class && e.recipient.is_some()),
            "{name}: {found:?}"
        );
    }
    // A complaint whose reported message's recipient is redacted: a complaint about no one.
    let arf = explain("arf-01.eml");
    assert_eq!(
        (arf[0].class, arf[0].recipient.as_deref()),
        (BounceClass::Complaint, None)
    );
}
