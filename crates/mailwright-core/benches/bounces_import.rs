//! Benchmark: 10,000 bounce messages (Postfix DSNs from 20 receivers' replies, with complaints
//! mixed in, over 60 days) in one mbox file, imported and classified into a fresh database,
//! then the Bounces step's view with the suppression list. Bound (issue 21): under 10 s with
//! bounded memory (the peak resident size is printed: the mbox is read one message at a time).
//!
//! Run: `cargo bench -p mailwright-core --bench bounces_import`

use std::io::Write;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use mailwright_core::bounces::{BounceImporter, SuppressionRule, bounces_view};
use mailwright_core::reports::ReportStore;
use mailwright_testkit::bounces::{arf_complaint, mbox, postfix_bounce};
use mailwright_testkit::peak_resident_mib;

const MESSAGES: usize = 10_000;
const ADDRESSES: usize = 3_000;
const LAST_DAY: i64 = 20_788; // 2026-12-01

/// Replies as receivers write them, each with its status.
const REPLIES: [(&str, &str); 6] = [
    (
        "5.1.1",
        "550-5.1.1 The email account that you tried to reach does not exist.",
    ),
    (
        "5.2.2",
        "552-5.2.2 The recipient's inbox is out of storage space.",
    ),
    (
        "4.7.28",
        "421-4.7.28 Our system has detected an unusual rate of unsolicited mail.",
    ),
    (
        "5.7.26",
        "550-5.7.26 This mail has been blocked because the sender is unauthenticated.",
    ),
    (
        "5.7.1",
        "550 5.7.1 Service unavailable; client host blocked using zen.spamhaus.org",
    ),
    (
        "5.1.10",
        "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
    ),
];

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bounces.mbox");
    // Written one message at a time, so nothing but the import holds much memory.
    let mut out = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
    for n in 0..MESSAGES {
        let address = format!("user{}@receiver{}.example", n % ADDRESSES, n % 20);
        let day = LAST_DAY - (n % 60) as i64;
        let message = if n % 50 == 0 {
            arf_complaint(&format!("c{n}"), &address, day)
        } else {
            let (status, reply) = REPLIES[n % REPLIES.len()];
            postfix_bounce(&format!("b{n}"), &address, status, reply, day)
        };
        out.write_all(&mbox(&[message])).unwrap();
    }
    out.flush().unwrap();
    drop(out);
    let size = std::fs::metadata(&file)
        .map(|m| m.len() / 1_048_576)
        .unwrap_or(0);
    let before_import = peak_resident_mib();

    let mut store = ReportStore::open(&dir.path().join("mail.db"), 0)
        .unwrap()
        .store;
    let stop = AtomicBool::new(false);
    let progress = |_: &_| {};
    let started = Instant::now();
    let mut importer = BounceImporter::new(&mut store, (LAST_DAY + 1) * 86_400, &progress, &stop);
    importer.paths(&[file]);
    let summary = importer.finish().unwrap();
    let import = started.elapsed();
    assert_eq!(summary.read, MESSAGES as u64, "{:?}", summary.problems);
    assert_eq!(summary.problem_count, 0);
    println!(
        "import: {MESSAGES} bounce messages ({size} MiB mbox), {} events in {:.2} s ({}); peak resident {} MiB (before the import: {} MiB)",
        summary.new_events,
        import.as_secs_f64(),
        if import < Duration::from_secs(10) {
            "under 10 s: met"
        } else {
            "OVER 10 s"
        },
        peak_resident_mib().unwrap_or(0),
        before_import.unwrap_or(0),
    );
    let started = Instant::now();
    let (view, list) = bounces_view(&store, &SuppressionRule::default()).unwrap();
    println!(
        "view: {} events, {} kinds, {} addresses listed ({} suppressed) in {:.1} ms",
        view.events,
        view.kinds.len(),
        list.len(),
        view.suppressed,
        started.elapsed().as_secs_f64() * 1000.0
    );
}
