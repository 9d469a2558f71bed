//! The app's log: one file a day in the OS log folder, a week kept. Our own crates log at
//! `info` (`MAILWRIGHT_LOG=debug` for more), other crates only warnings. No secret is ever
//! logged: secrets are [`crate::secrets::Sensitive`], whose `Debug` is redacted.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use thiserror::Error;
use tracing::Level;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Log files are named `mailwright.<date>.log`.
pub const LOG_FILE_PREFIX: &str = "mailwright";
/// Days of log kept.
const KEEP_FILES: usize = 7;
/// At most this much of the newest file is read for its last lines.
const TAIL_BYTES: u64 = 64 * 1024;
/// The crates whose `info` lines are kept.
const OUR_CRATES: [&str; 3] = ["mailwright_core", "mailwright_app", "mailwright"];

/// Why the log could not be started (the app works on without it).
#[derive(Debug, Error)]
#[error("Mailwright could not keep a log in {dir}: {reason}. It works on without one.")]
pub struct LogError {
    dir: String,
    reason: String,
}

/// Keeps the log's writer thread; dropping it writes out what is pending.
pub struct LogGuard {
    _worker: WorkerGuard,
    dir: PathBuf,
}

impl LogGuard {
    /// The folder the log files are in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// Starts logging to daily files in `dir` for the rest of the process.
pub fn start_logging(dir: &Path) -> Result<LogGuard, LogError> {
    let failed = |reason: String| LogError {
        dir: dir.display().to_string(),
        reason,
    };
    std::fs::create_dir_all(dir).map_err(|e| failed(e.kind().to_string()))?;
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix(LOG_FILE_PREFIX)
        .filename_suffix("log")
        .max_log_files(KEEP_FILES)
        .build(dir)
        .map_err(|e| failed(e.to_string()))?;
    let (writer, worker) = tracing_appender::non_blocking(appender);
    let level = std::env::var("MAILWRIGHT_LOG")
        .ok()
        .and_then(|v| v.trim().parse::<Level>().ok())
        .unwrap_or(Level::INFO);
    let filter = Targets::new()
        .with_targets(OUR_CRATES.map(|name| (name, level)))
        .with_default(Level::WARN);
    tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(writer)
                .with_ansi(false),
        )
        .with(filter)
        .try_init()
        .map_err(|e| failed(e.to_string()))?;
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "log started");
    Ok(LogGuard {
        _worker: worker,
        dir: dir.to_path_buf(),
    })
}

/// The last `lines` lines of the newest log file in `dir` (none when there is no log).
pub fn log_tail(dir: &Path, lines: usize) -> Vec<String> {
    let Some(newest) = newest_log(dir) else {
        return Vec::new();
    };
    let Ok(mut file) = std::fs::File::open(&newest) else {
        return Vec::new();
    };
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let start = size.saturating_sub(TAIL_BYTES);
    let mut bytes = Vec::new();
    if file.seek(SeekFrom::Start(start)).is_err() || file.read_to_end(&mut bytes).is_err() {
        return Vec::new();
    }
    let text = String::from_utf8_lossy(&bytes);
    let mut all: Vec<&str> = text.lines().collect();
    if start > 0 && !all.is_empty() {
        // The first line read may be cut.
        all.remove(0);
    }
    all[all.len().saturating_sub(lines)..]
        .iter()
        .map(|l| l.to_string())
        .collect()
}

fn newest_log(dir: &Path) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(LOG_FILE_PREFIX))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .max()
        .map(|(_, path)| path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tail_is_the_newest_files_last_lines_whole() {
        let dir = tempfile::tempdir().unwrap();
        assert!(log_tail(dir.path(), 5).is_empty(), "no log yet");
        let old = dir.path().join("mailwright.2026-11-01.log");
        std::fs::write(&old, "old line\n").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let long: String = (0..5000).map(|i| format!("line {i}\n")).collect();
        std::fs::write(dir.path().join("mailwright.2026-11-02.log"), &long).unwrap();
        std::fs::write(dir.path().join("other.txt"), "not a log\n").unwrap();
        let tail = log_tail(dir.path(), 3);
        assert_eq!(tail, ["line 4997", "line 4998", "line 4999"]);
        let big: String = (0..20000).map(|i| format!("entry {i:05}\n")).collect();
        std::fs::write(dir.path().join("mailwright.2026-11-03.log"), &big).unwrap();
        let tail = log_tail(dir.path(), 100_000);
        assert!(tail.iter().all(|l| l.len() == 11), "no cut line");
        assert_eq!(tail.last().unwrap(), "entry 19999");
    }
}
