//! The first screen, measured side by side with a bare Tauri 2 app (one command, one page
//! drawn after its first IPC answer): how long each takes from launch to its first complete
//! screen, and how much memory (PSS of the app and its WebKit processes) each holds once idle.
//! Run through `cargo xtask first-screen [RUNS]`, which builds both in release mode and runs
//! this under Xvfb at 1280×800.
//!
//! Usage: `first_screen MAILWRIGHT_APP BARE_APP RUNS`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use mailwright_e2e::Driver;

/// What a run measured.
struct Run {
    first_screen: Duration,
    idle_pss_kib: u64,
}

/// The CSS selector that is on screen only once the app has drawn its first complete screen:
/// Mailwright's domain step (drawn, beside the sidebar, after `session_open` answered); the
/// bare app's heading (drawn after `hello` answered).
fn ready_selector(mailwright: bool) -> &'static str {
    if mailwright { "main #domain" } else { "#ready" }
}

async fn wait_ready(client: &Client, css: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if client.find(Locator::Css(css)).await.is_ok() {
            return;
        }
        assert!(Instant::now() < deadline, "{css} never appeared");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// The processes whose executable is `app`, and all their descendants.
fn process_tree(app: &Path) -> Vec<u32> {
    let app = std::fs::canonicalize(app).unwrap_or_else(|_| app.to_path_buf());
    let mut parents: Vec<(u32, u32)> = Vec::new();
    let mut roots = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if std::fs::read_link(entry.path().join("exe")).ok().as_deref() == Some(app.as_path()) {
            roots.push(pid);
        }
        let status = std::fs::read_to_string(entry.path().join("status")).unwrap_or_default();
        if let Some(ppid) = status
            .lines()
            .find_map(|l| l.strip_prefix("PPid:"))
            .and_then(|v| v.trim().parse().ok())
        {
            parents.push((pid, ppid));
        }
    }
    let mut tree = roots;
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(
            parents
                .iter()
                .filter(|(_, p)| *p == parent)
                .map(|(c, _)| *c),
        );
        i += 1;
    }
    tree
}

/// The proportional set size of `pids`, in KiB.
fn pss_kib(pids: &[u32]) -> u64 {
    pids.iter()
        .filter_map(|pid| std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok())
        .filter_map(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("Pss:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .sum()
}

async fn measure(app: &Path, mailwright: bool) -> Run {
    let home = tempfile_dir();
    let env = [
        ("XDG_DATA_HOME", home.join("data").display().to_string()),
        ("XDG_CONFIG_HOME", home.join("config").display().to_string()),
        ("XDG_CACHE_HOME", home.join("cache").display().to_string()),
    ];
    let driver = Driver::start(&env);
    let started = Instant::now();
    let launched = std::time::SystemTime::now();
    let client = driver.session_with(app).await;
    wait_ready(&client, ready_selector(mailwright)).await;
    let first_screen = started.elapsed();
    if std::env::var_os("FIRST_SCREEN_DETAIL").is_some() {
        detail(&client, launched).await;
    }
    // Idle: nothing more to load or draw.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let idle_pss_kib = pss_kib(&process_tree(app));
    client.close().await.ok();
    drop(driver);
    let _ = std::fs::remove_dir_all(&home);
    Run {
        first_screen,
        idle_pss_kib,
    }
}

/// With `FIRST_SCREEN_DETAIL` set: where the time went, from the page's own clock — when the
/// page's navigation started after the launch (the native start), when its document arrived,
/// its first paint and marks (the app's files come over a custom scheme, which WebKit does not
/// list as resources), and when the ready element was found.
async fn detail(client: &Client, launched: std::time::SystemTime) {
    let script = r#"
        const n = performance.getEntriesByType("navigation")[0] || {};
        const p = performance.getEntriesByType("paint").map((e) => `${e.name} ${e.startTime.toFixed(0)}`);
        const m = performance.getEntriesByType("mark").map((e) => `${e.name} ${e.startTime.toFixed(0)}`);
        return [performance.timeOrigin, performance.now(), n.responseEnd || 0,
                n.domContentLoadedEventEnd || 0, n.loadEventEnd || 0, p.concat(m).join(", ")];
    "#;
    let Ok(value) = client.execute(script, vec![]).await else {
        eprintln!("  (no detail: the script did not run)");
        return;
    };
    let launched_ms = launched
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0);
    let v = value.as_array().cloned().unwrap_or_default();
    let num = |i: usize| v.get(i).and_then(serde_json::Value::as_f64).unwrap_or(0.0);
    eprintln!(
        "  native start {:.0} ms; page: response {:.0}, DOMContentLoaded {:.0}, load {:.0}, found at {:.0} ms; {}",
        num(0) - launched_ms,
        num(2),
        num(3),
        num(4),
        num(1),
        v.get(5).and_then(serde_json::Value::as_str).unwrap_or("")
    );
}

/// A fresh, empty home for one launch.
fn tempfile_dir() -> PathBuf {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!(
        "mailwright-first-screen-{}-{n}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, mailwright, bare, runs] = args.as_slice() else {
        eprintln!("usage: first_screen MAILWRIGHT_APP BARE_APP RUNS");
        std::process::exit(2);
    };
    let runs: usize = runs.parse().unwrap_or(7).max(1);
    let (mailwright, bare) = (PathBuf::from(mailwright), PathBuf::from(bare));
    let mut results: [(Vec<f64>, Vec<f64>); 2] = Default::default();
    // Alternate the two apps, so a slower minute of the machine weighs on both alike; one
    // warm-up launch each first (the first launch reads everything from disk).
    measure(&bare, false).await;
    measure(&mailwright, true).await;
    for round in 0..runs {
        for (slot, (app, is_mailwright)) in [(&bare, false), (&mailwright, true)]
            .into_iter()
            .enumerate()
        {
            let run = measure(app, is_mailwright).await;
            eprintln!(
                "round {}: {} first screen {} ms, idle {} MiB",
                round + 1,
                if is_mailwright {
                    "Mailwright"
                } else {
                    "bare app"
                },
                run.first_screen.as_millis(),
                run.idle_pss_kib / 1024
            );
            results[slot].0.push(run.first_screen.as_secs_f64());
            results[slot].1.push(run.idle_pss_kib as f64 / 1024.0);
        }
    }
    let [(bare_time, bare_mem), (mw_time, mw_mem)] = results;
    let (bt, mt, bm, mm) = (
        median(bare_time),
        median(mw_time),
        median(bare_mem),
        median(mw_mem),
    );
    println!(
        "First screen (median of {runs}): Mailwright {mt:.2} s, bare Tauri app {bt:.2} s: {:.2}×",
        mt / bt
    );
    println!(
        "Idle memory, PSS of the app and its WebKit processes (median of {runs}): Mailwright {mm:.0} MiB, bare Tauri app {bm:.0} MiB: {:.2}×",
        mm / bm
    );
}
