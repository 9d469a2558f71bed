//! A folder of bounces into the local database: an mbox of Postfix bounces, a complaint and an
//! unsubscribe request; a Maildir; a service's CSV; the suppression list under the rule, each
//! day's counts, re-runs counting nothing twice, stopping, and bad input.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use mailwright_core::bounces::{
    AddressState, BounceImportSummary, BounceImporter, BouncesView, ListedAddress, SuppressionRule,
    bounces_view, suppression_csv,
};
use mailwright_core::reports::ReportStore;
use mailwright_testkit::bounces::{mbox, postfix_bounce, sample_mailbox};

/// 2026-12-01, in days since 1970-01-01.
const DAY: i64 = 20_423 + 365;
const NOW: i64 = (DAY + 1) * 86_400;

fn store(dir: &Path) -> ReportStore {
    ReportStore::open(&dir.join("reports.db"), NOW)
        .unwrap()
        .store
}

fn import(store: &mut ReportStore, paths: &[PathBuf]) -> BounceImportSummary {
    let stop = AtomicBool::new(false);
    let progress = |_: &_| {};
    let mut importer = BounceImporter::new(store, NOW, &progress, &stop);
    importer.paths(paths);
    importer.finish().unwrap()
}

fn view(store: &ReportStore, rule: SuppressionRule) -> (BouncesView, Vec<ListedAddress>) {
    bounces_view(store, &rule).unwrap()
}

fn state_of<'a>(list: &'a [ListedAddress], address: &str) -> Option<&'a ListedAddress> {
    list.iter().find(|l| l.address == address)
}

#[test]
fn a_mailbox_of_bounces_becomes_counts_days_and_the_suppression_list() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bounces.mbox");
    std::fs::write(&file, sample_mailbox(DAY)).unwrap();
    let mut store = store(dir.path());
    let summary = import(&mut store, std::slice::from_ref(&file));
    assert_eq!(
        (summary.read, summary.new_events, summary.problem_count),
        (8, 8, 0),
        "{summary:?}"
    );

    let (view, list) = view(&store, SuppressionRule::default());
    let count = |kind: &str| {
        view.kinds
            .iter()
            .find(|k| k.kind == kind)
            .map_or(0, |k| k.count)
    };
    assert_eq!(
        [
            count("hard"),
            count("soft"),
            count("complaint"),
            count("unsubscribed"),
            count("policy")
        ],
        [1, 4, 1, 1, 1],
        "{:?}",
        view.kinds
    );
    // The receiving provider is the recipient's: two Gmail addresses, one Yahoo.
    let gmail = view
        .providers
        .iter()
        .find(|p| p.provider == "Gmail")
        .unwrap();
    assert_eq!(gmail.count, 2);

    // Hard, complaint and unsubscribe at once; three soft bounces in a week by the rule; one
    // soft bounce watched; a refusal for the setup is not the address's fault.
    let state = |a: &str| state_of(&list, a).map(|l| (l.state, l.suppressed));
    assert_eq!(
        state("gone@gmail.com"),
        Some((AddressState::HardBounced, true))
    );
    assert_eq!(
        state("full@example.org"),
        Some((AddressState::SoftBounced, true))
    );
    assert_eq!(
        state("once@example.org"),
        Some((AddressState::SoftBounced, false))
    );
    assert_eq!(
        state("angry@yahoo.com"),
        Some((AddressState::Complaint, true))
    );
    assert_eq!(
        state("leaving@example.net"),
        Some((AddressState::Unsubscribed, true))
    );
    assert_eq!(state("boss@gmail.com"), None);
    assert_eq!((view.suppressed, view.watched), (4, 1));
    assert!(view.next_step.contains("your setup"), "{}", view.next_step);

    // Each day in the warm-up's terms: a full mailbox is a soft bounce even in a 552 reply; the
    // refusal for the setup (550 5.7.26) is a failure for good.
    let today = view.days.iter().find(|d| d.date == "2026-12-01").unwrap();
    assert_eq!(
        (today.hard, today.soft, today.complaints, today.unsubscribed),
        (2, 2, 1, 1),
        "{today:?}"
    );
    assert!(view.days.iter().any(|d| d.date == "2026-11-25"));

    // The CSV has the suppressed ones only.
    let csv = suppression_csv(&list);
    assert!(
        csv.contains("full@example.org,soft-bounced,3,2026-11-25,2026-12-01,"),
        "{csv}"
    );
    assert!(!csv.contains("once@example.org"), "{csv}");
    assert_eq!(csv.lines().count(), 5);

    // A stricter window: the three soft bounces over six days no longer meet "3 within 5".
    let (_, strict) = view_under(&store, 3, 5);
    assert_eq!(
        state_of(&strict, "full@example.org").map(|l| l.suppressed),
        Some(false)
    );
}

fn view_under(
    store: &ReportStore,
    soft_bounces: u32,
    soft_window_days: u32,
) -> (BouncesView, Vec<ListedAddress>) {
    view(
        store,
        SuppressionRule {
            soft_bounces,
            soft_window_days,
        },
    )
}

#[test]
fn a_rerun_counts_nothing_twice_and_new_bounces_add_up_across_imports() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.mbox");
    std::fs::write(&first, sample_mailbox(DAY)).unwrap();
    let mut store = store(dir.path());
    import(&mut store, std::slice::from_ref(&first));
    let again = import(&mut store, std::slice::from_ref(&first));
    assert_eq!((again.new_events, again.duplicates), (0, 8), "{again:?}");
    assert!(
        again.sentence.contains("8 seen before"),
        "{}",
        again.sentence
    );

    // The once-bounced address bounces twice more in later files: now suppressed.
    let later = dir.path().join("later");
    std::fs::create_dir(&later).unwrap();
    for (i, day) in [DAY + 1, DAY + 2].iter().enumerate() {
        std::fs::write(
            later.join(format!("{i}.eml")),
            postfix_bounce(
                &format!("L{i}"),
                "once@example.org",
                "4.2.2",
                "452 4.2.2 Mailbox full",
                *day,
            ),
        )
        .unwrap();
    }
    // Delayed notices (4.x.x, Action: delayed) are deferrals, not bounces.
    let (before, _) = view(&store, SuppressionRule::default());
    import(&mut store, &[later]);
    let (after, list) = view(&store, SuppressionRule::default());
    assert_eq!(after.events, before.events + 2);
    assert_eq!(
        after
            .kinds
            .iter()
            .find(|k| k.kind == "delayed")
            .map(|k| k.count),
        Some(2)
    );
    assert_eq!(
        state_of(&list, "once@example.org").map(|l| l.suppressed),
        Some(false)
    );
}

#[test]
fn a_maildir_and_a_service_csv_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let maildir = dir.path().join("Bounces");
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(maildir.join(sub)).unwrap();
    }
    std::fs::write(
        maildir.join("cur/1764583200.M1P2.host:2,S"),
        postfix_bounce(
            "M1",
            "nobody@outlook.com",
            "5.1.10",
            "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
            DAY,
        ),
    )
    .unwrap();
    std::fs::write(maildir.join("dovecot-uidlist"), "3 V1 N2\n").unwrap();
    let csv = dir.path().join("export.csv");
    std::fs::write(
        &csv,
        "email,event,reason,timestamp\nA@Example.com,bounce,\"550 5.1.1 user unknown\",1764583200\nb@example.com,spamreport,,1764583200\nc@example.com,unsubscribe,,1764583200\n",
    )
    .unwrap();
    let mut store = store(dir.path());
    let summary = import(&mut store, &[maildir, csv]);
    assert_eq!(summary.problem_count, 0, "{summary:?}");
    let (_, list) = view(&store, SuppressionRule::default());
    let states: Vec<_> = list.iter().map(|l| (l.address.as_str(), l.state)).collect();
    assert!(
        states.contains(&("nobody@outlook.com", AddressState::HardBounced)),
        "{states:?}"
    );
    assert!(
        states.contains(&("a@example.com", AddressState::HardBounced)),
        "{states:?}"
    );
    assert!(
        states.contains(&("b@example.com", AddressState::Complaint)),
        "{states:?}"
    );
    assert!(
        states.contains(&("c@example.com", AddressState::Unsubscribed)),
        "{states:?}"
    );
}

#[test]
fn bad_input_gets_a_sentence_or_a_best_effort_and_the_rest_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("mixed");
    std::fs::create_dir(&folder).unwrap();
    // Not a message at all.
    std::fs::write(folder.join("notes.txt"), b"\x00\x01 binary junk \xff\xfe").unwrap();
    // A message that is not a bounce: one unknown event, no address suppressed.
    std::fs::write(
        folder.join("hello.eml"),
        b"From: friend@example.org\r\nSubject: Hello\r\n\r\nSee you soon.\r\n",
    )
    .unwrap();
    // Non-UTF-8 text in a bounce.
    let mut latin1 = postfix_bounce(
        "X1",
        "jose@example.org",
        "5.1.1",
        "550 5.1.1 Usuario desconocido",
        DAY,
    );
    latin1.extend_from_slice(b"\xe9\xe8\r\n");
    std::fs::write(folder.join("latin1.eml"), latin1).unwrap();
    // A DSN naming a thousand and one recipients: capped at a thousand.
    let mut many = String::from(
        "From: MAILER-DAEMON@mail.shop.test\r\nSubject: Undelivered\r\nMessage-ID: <many@shop.test>\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mail.shop.test\r\n",
    );
    for i in 0..1001 {
        many.push_str(&format!("\r\nFinal-Recipient: rfc822; user{i}@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n"));
    }
    many.push_str("\r\n--B--\r\n");
    std::fs::write(folder.join("many.eml"), many).unwrap();
    let mut store = store(dir.path());
    let summary = import(&mut store, &[folder]);
    assert_eq!(summary.problem_count, 1, "{summary:?}");
    assert!(
        summary.problems[0].origin.ends_with("notes.txt"),
        "{summary:?}"
    );
    let (view, list) = view(&store, SuppressionRule::default());
    assert_eq!(
        view.kinds
            .iter()
            .find(|k| k.kind == "unknown")
            .map(|k| k.count),
        Some(1)
    );
    assert!(state_of(&list, "jose@example.org").is_some());
    assert_eq!(
        list.iter()
            .filter(|l| l.address.starts_with("user"))
            .count(),
        1000
    );
    assert_eq!(view.addresses.len(), 500, "the view lists the first 500");
}

#[test]
fn a_stopped_import_keeps_what_was_read() {
    let dir = tempfile::tempdir().unwrap();
    let messages: Vec<Vec<u8>> = (0..300)
        .map(|i| {
            postfix_bounce(
                &format!("Q{i}"),
                &format!("u{i}@example.org"),
                "5.1.1",
                "550 5.1.1 unknown",
                DAY,
            )
        })
        .collect();
    let file = dir.path().join("big.mbox");
    std::fs::write(&file, mbox(&messages)).unwrap();
    let mut store = store(dir.path());
    let stop = AtomicBool::new(false);
    let progress = |p: &mailwright_core::bounces::BounceImportProgress| {
        if p.read >= 100 {
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    };
    let mut importer = BounceImporter::new(&mut store, NOW, &progress, &stop);
    importer.paths(std::slice::from_ref(&file));
    let summary = importer.finish().unwrap();
    assert!(summary.stopped, "{summary:?}");
    assert!((100..300).contains(&summary.new_events), "{summary:?}");
    // Run again: the rest, none twice.
    let rest = import(&mut store, &[file]);
    assert_eq!(rest.new_events + summary.new_events, 300, "{rest:?}");
}

#[test]
fn a_message_over_50_mib_in_a_mailbox_is_skipped_and_the_rest_read() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("huge.mbox");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
    out.write_all(
        b"From MAILER-DAEMON Tue Dec  1 10:00:00 2026\nFrom: x@shop.test\nSubject: huge\n\n",
    )
    .unwrap();
    let line = [b'x'; 1023];
    for _ in 0..(51 * 1024) {
        out.write_all(&line).unwrap();
        out.write_all(b"\n").unwrap();
    }
    out.write_all(&mbox(&[postfix_bounce(
        "after",
        "after@example.org",
        "5.1.1",
        "550 5.1.1 unknown",
        DAY,
    )]))
    .unwrap();
    drop(out);
    let mut store = store(dir.path());
    let summary = import(&mut store, &[file]);
    assert_eq!(summary.problem_count, 1, "{summary:?}");
    assert!(
        summary.problems[0]
            .sentence
            .contains("larger than the 50 MB"),
        "{summary:?}"
    );
    assert_eq!(summary.new_events, 1);
}
