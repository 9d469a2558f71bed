//! Benchmark: importing 10,000 generated DMARC aggregate reports of 100 rows each (a million
//! rows, gzipped files in one folder, as a year of reports from 20 receivers would be) into a
//! fresh database, then answering the Reports step's view of 30 days. Bounds (issue 20): the
//! import under a minute with bounded memory (the peak resident size is printed: the import
//! streams one document at a time), each view under 100 ms.
//!
//! Run: `cargo bench -p mailwright-core --bench reports_import`

use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use mailwright_core::reports::{Importer, Period, RampThresholds, ReportStore, reports_view};
use mailwright_core::senders::Inventory;
use mailwright_testkit::peak_resident_mib;
use mailwright_testkit::reports::{Row, aggregate_xml, gzip};

const REPORTS: usize = 10_000;
const ROWS: usize = 100;
const REPORTERS: usize = 20;
const POOL: u32 = 400;
const LAST_DAY: i64 = 20_423; // 2025-12-01
const VIEWS: usize = 20;

/// A small deterministic generator (xorshift), so every run imports the same reports.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("reports");
    std::fs::create_dir(&folder).unwrap();
    let mut random = Random(0x9E37_79B9_7F4A_7C15);
    let mut messages = 0u64;
    for n in 0..REPORTS {
        let reporter = format!("receiver{}.example", n % REPORTERS);
        let day = LAST_DAY - (n / REPORTERS) as i64;
        let first = random.next() % u64::from(POOL);
        let rows: Vec<Row> = (0..ROWS as u64)
            .map(|i| {
                let ip = (first + i) % u64::from(POOL);
                let address = format!("10.{}.{}.{}", ip / 65_536, (ip / 256) % 256, ip % 256);
                let count = 1 + random.next() % 50;
                messages += count;
                match ip % 10 {
                    0 => Row::spoofed(&address, count, "none"),
                    1 => Row::forwarded(&address, count, "bench.example"),
                    _ => Row::passing(&address, count, "bench.example"),
                }
            })
            .collect();
        let xml = aggregate_xml(
            &reporter,
            &format!("r{n}"),
            "bench.example",
            day * 86_400,
            "none",
            &rows,
        );
        std::fs::write(
            folder.join(format!("{reporter}!{n}.xml.gz")),
            gzip(xml.as_bytes()),
        )
        .unwrap();
    }
    let before_import = peak_resident_mib();

    let path = dir.path().join("reports.db");
    let mut store = ReportStore::open(&path, 0).unwrap().store;
    let stop = AtomicBool::new(false);
    let progress = |_: &_| {};
    let started = Instant::now();
    let mut importer = Importer::new(
        &mut store,
        "bench.example",
        LAST_DAY * 86_400 + 86_400,
        &progress,
        &stop,
    );
    importer.paths(&[folder]);
    let summary = importer.finish().unwrap();
    let import = started.elapsed();
    assert_eq!(summary.imported, REPORTS as u64, "{:?}", summary.problems);
    assert_eq!(summary.messages, messages);
    println!(
        "import: {REPORTS} reports, {} rows, {} messages in {:.1} s ({}); peak resident {} MiB (before the import: {} MiB); database {} MiB",
        REPORTS * ROWS,
        messages,
        import.as_secs_f64(),
        if import < Duration::from_secs(60) {
            "under a minute: met"
        } else {
            "OVER a minute"
        },
        peak_resident_mib().unwrap_or(0),
        before_import.unwrap_or(0),
        std::fs::metadata(&path)
            .map(|m| m.len() / 1_048_576)
            .unwrap_or(0),
    );

    let period = Period {
        from: LAST_DAY - 29,
        to: LAST_DAY,
    };
    let mut times: Vec<Duration> = (0..VIEWS)
        .map(|_| {
            let started = Instant::now();
            let view = reports_view(
                &store,
                period,
                &Inventory::default(),
                RampThresholds::default(),
            )
            .unwrap();
            assert!(view.sources.len() as u32 <= POOL && !view.sources.is_empty());
            started.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "view of 30 days: min {:.1} ms, median {:.1} ms, max {:.1} ms ({})",
        times[0].as_secs_f64() * 1000.0,
        times[VIEWS / 2].as_secs_f64() * 1000.0,
        times[VIEWS - 1].as_secs_f64() * 1000.0,
        if times[VIEWS / 2] < Duration::from_millis(100) {
            "under 100 ms: met"
        } else {
            "OVER 100 ms"
        }
    );
    let reopened = Instant::now();
    drop(ReportStore::open(&path, 0).unwrap());
    println!(
        "opening the database again (with its integrity check): {:.0} ms",
        reopened.elapsed().as_secs_f64() * 1000.0
    );
}
