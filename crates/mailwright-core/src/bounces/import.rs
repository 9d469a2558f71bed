//! A folder of bounces into the local database: an mbox file, a folder of `.eml` files or a
//! Maildir, or a CSV of replies. Each message is read on its own (an mbox one at a time), its
//! events stored in batches of one transaction, so a stop or a crash loses nothing stored and
//! a re-run counts nothing twice.

use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::dsn::{MAX_BOUNCE_OCTETS, read_bounce};
use super::events::message_events;
use super::replies_csv::csv_events;
use crate::files::MAX_TEXT_FILE;
use crate::mbox::{MboxItem, split_mbox};
use crate::reports::{
    BounceRow, ImportProblem, MAX_LISTED_PROBLEMS, ReportStore, ReportsError, plural,
};

/// How many events are stored in one transaction.
const BATCH: usize = 2_000;

/// How deep a folder is searched.
const MAX_FOLDER_DEPTH: u8 = 8;

/// How far an import has gone.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BounceImportProgress {
    /// Messages and CSV rows read.
    #[ts(type = "number")]
    pub read: u64,
    /// Events found (one per refused address).
    #[ts(type = "number")]
    pub events: u64,
    /// Files or messages that could not be read.
    #[ts(type = "number")]
    pub problems: u64,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BounceImportSummary {
    /// Messages and CSV rows read.
    #[ts(type = "number")]
    pub read: u64,
    /// Events newly stored.
    #[ts(type = "number")]
    pub new_events: u64,
    /// Events stored before (not counted again).
    #[ts(type = "number")]
    pub duplicates: u64,
    /// What could not be read (the first 200).
    pub problems: Vec<ImportProblem>,
    /// How many problems in all.
    #[ts(type = "number")]
    pub problem_count: u64,
    /// True when the user stopped the import before it finished.
    pub stopped: bool,
    /// What the import did, in one sentence.
    pub sentence: String,
}

/// Reads bounces and stores their events, counting as it goes.
pub struct BounceImporter<'a> {
    store: &'a mut ReportStore,
    today: i64,
    now: i64,
    progress: &'a (dyn Fn(&BounceImportProgress) + Send + Sync),
    stop: &'a AtomicBool,
    pending: Vec<BounceRow>,
    seen: BounceImportProgress,
    summary: BounceImportSummary,
    failed: Option<ReportsError>,
}

impl<'a> BounceImporter<'a> {
    /// An importer into `store`; `now` is Unix seconds (the import's time and, for what has
    /// no date, its day).
    pub fn new(
        store: &'a mut ReportStore,
        now: i64,
        progress: &'a (dyn Fn(&BounceImportProgress) + Send + Sync),
        stop: &'a AtomicBool,
    ) -> Self {
        BounceImporter {
            store,
            today: now.div_euclid(crate::reports::DAY_SECONDS),
            now,
            progress,
            stop,
            pending: Vec::new(),
            seen: BounceImportProgress::default(),
            summary: BounceImportSummary::default(),
            failed: None,
        }
    }

    /// Imports the files and folders at `paths`.
    pub fn paths(&mut self, paths: &[PathBuf]) {
        for path in paths {
            if !self.path(path, 0, true) {
                return;
            }
        }
    }

    /// Imports one bounce message or CSV text given whole (what was pasted or dropped).
    pub fn bytes(&mut self, origin: &str, bytes: &[u8]) {
        self.file_bytes(origin, bytes, false);
    }

    /// Stores what is pending and says what was done; an error when the database failed.
    pub fn finish(mut self) -> Result<BounceImportSummary, ReportsError> {
        self.flush();
        if let Some(e) = self.failed {
            return Err(e);
        }
        let mut summary = self.summary;
        summary.read = self.seen.read;
        summary.stopped = self.stop.load(Ordering::Relaxed);
        summary.sentence = sentence(&summary);
        Ok(summary)
    }

    fn going_on(&self) -> bool {
        self.failed.is_none() && !self.stop.load(Ordering::Relaxed)
    }

    fn problem(&mut self, origin: &str, sentence: impl Into<String>) -> bool {
        self.seen.problems += 1;
        self.summary.problem_count += 1;
        if self.summary.problems.len() < MAX_LISTED_PROBLEMS {
            self.summary.problems.push(ImportProblem {
                origin: origin.to_owned(),
                sentence: sentence.into(),
            });
        }
        (self.progress)(&self.seen);
        self.going_on()
    }

    fn add(&mut self, rows: Vec<BounceRow>, read: u64) -> bool {
        self.seen.read += read;
        self.seen.events += rows.len() as u64;
        self.pending.extend(rows);
        if self.pending.len() >= BATCH {
            self.flush();
        }
        if self.seen.read.is_multiple_of(100) || read > 1 {
            (self.progress)(&self.seen);
        }
        self.going_on()
    }

    fn flush(&mut self) {
        if self.pending.is_empty() || self.failed.is_some() {
            return;
        }
        let rows = std::mem::take(&mut self.pending);
        match self.store.insert_bounce_events(&rows, self.now) {
            Ok(new) => {
                self.summary.new_events += new as u64;
                self.summary.duplicates += (rows.len() - new) as u64;
            }
            Err(e) => self.failed = Some(e),
        }
        (self.progress)(&self.seen);
    }

    fn path(&mut self, path: &Path, depth: u8, chosen: bool) -> bool {
        let origin = path.display().to_string();
        let meta = match std::fs::symlink_metadata(path) {
            Ok(meta) => meta,
            Err(e) => return self.problem(&origin, format!("It could not be opened ({e}).")),
        };
        if meta.is_dir() {
            if depth >= MAX_FOLDER_DEPTH {
                return self.problem(
                    &origin,
                    "This folder is nested too deep; open it on its own.",
                );
            }
            let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
                Ok(entries) => entries.filter_map(Result::ok).map(|e| e.path()).collect(),
                Err(e) => {
                    return self.problem(&origin, format!("This folder could not be read ({e})."));
                }
            };
            entries.sort();
            let maildir = is_maildir_part(path);
            for entry in entries {
                let wanted = entry.is_dir() || maildir || looks_like_bounce_file(&entry);
                if wanted && !self.path(&entry, depth + 1, false) {
                    return false;
                }
            }
            return true;
        }
        if !meta.is_file() {
            return !chosen
                || self.problem(
                    &origin,
                    "This is not a regular file (a link or a device), so Mailwright does not read it.",
                );
        }
        let file = match std::fs::File::open(path) {
            Ok(file) => file,
            Err(e) => return self.problem(&origin, format!("It could not be opened ({e}).")),
        };
        let mut reader = std::io::BufReader::new(file);
        if reader
            .fill_buf()
            .is_ok_and(|head| head.starts_with(b"From "))
        {
            return self.mbox(&origin, reader);
        }
        let is_csv = origin.to_ascii_lowercase().ends_with(".csv");
        let cap = if is_csv {
            MAX_TEXT_FILE
        } else {
            MAX_BOUNCE_OCTETS as u64
        };
        if meta.len() > cap {
            return self.problem(
                &origin,
                format!(
                    "It is {} MB, more than the {} MB Mailwright reads at once. If it is a mailbox, save it as an mbox file.",
                    meta.len() / 1_048_576,
                    cap / 1_048_576
                ),
            );
        }
        let mut bytes = Vec::new();
        if let Err(e) = reader.take(cap).read_to_end(&mut bytes) {
            return self.problem(&origin, format!("It could not be read ({e})."));
        }
        self.file_bytes(&origin, &bytes, is_csv)
    }

    fn file_bytes(&mut self, origin: &str, bytes: &[u8], is_csv: bool) -> bool {
        let text = bytes.trim_ascii_start();
        if text.starts_with(b"From ") {
            return self.mbox(origin, std::io::Cursor::new(text));
        }
        if is_csv || (!text.is_empty() && !looks_like_message(text)) {
            let found = csv_events(bytes, origin, self.today);
            if found.rows.is_empty() && !is_csv {
                return self.problem(
                    origin,
                    "This is neither a bounce message nor a CSV of replies (address, reply, date).",
                );
            }
            for (line, why) in found.skipped.iter().take(MAX_LISTED_PROBLEMS) {
                if !self.problem(
                    &format!("{origin} → row {line}"),
                    format!("Skipped: {why}."),
                ) {
                    return false;
                }
            }
            let rows = found.rows.len() as u64;
            return self.add(found.rows, rows.max(1));
        }
        self.message(origin, bytes)
    }

    fn message(&mut self, origin: &str, bytes: &[u8]) -> bool {
        match read_bounce(bytes) {
            Ok(read) => {
                let rows = message_events(&read, bytes, origin, self.today);
                self.add(rows, 1)
            }
            Err(e) => self.problem(origin, e.to_string()),
        }
    }

    fn mbox(&mut self, origin: &str, reader: impl BufRead) -> bool {
        let split = split_mbox(reader, MAX_BOUNCE_OCTETS as u64, &mut |item| match item {
            MboxItem::Message { number, bytes } => {
                self.message(&format!("{origin} → message {number}"), bytes)
            }
            MboxItem::TooBig { number } => self.problem(
                &format!("{origin} → message {number}"),
                "This message is larger than the 50 MB Mailwright reads; it was skipped.",
            ),
        });
        match split {
            Ok(end) if end.stopped => false,
            Ok(end) if end.messages == 0 => {
                self.problem(origin, "This mailbox file holds no messages.")
            }
            Ok(_) => true,
            Err(e) => self.problem(
                origin,
                format!(
                    "The mailbox file could not be read past message {} ({}).",
                    e.after, e.error
                ),
            ),
        }
    }
}

/// Whether the text starts like a message's header (`Name: value` on its first line).
fn looks_like_message(text: &[u8]) -> bool {
    let first = text.split(|&b| b == b'\n').next().unwrap_or(b"");
    first
        .iter()
        .position(|&b| b == b':')
        .is_some_and(|colon| colon > 0 && first[..colon].iter().all(|b| b.is_ascii_graphic()))
}

/// A Maildir's `cur` or `new` folder: every file in it is a message.
fn is_maildir_part(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "cur" || n == "new")
        && path
            .parent()
            .is_some_and(|p| p.join("tmp").is_dir() || p.join("cur").is_dir())
}

/// Whether a file in a folder is worth opening: messages, mailboxes and CSV by their names.
fn looks_like_bounce_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    !name.starts_with('.')
        && ([".eml", ".mbox", ".msg", ".txt", ".csv"]
            .iter()
            .any(|ext| name.ends_with(ext))
            || name == "mbox")
}

fn sentence(s: &BounceImportSummary) -> String {
    let mut out = format!(
        "Read {} message{} or row{}: {} new event{}",
        s.read,
        plural(s.read),
        plural(s.read),
        s.new_events,
        plural(s.new_events)
    );
    if s.duplicates > 0 {
        out.push_str(&format!(
            " ({} seen before, not counted again)",
            s.duplicates
        ));
    }
    out.push('.');
    if s.problem_count > 0 {
        out.push_str(&format!(
            " {} could not be read; the list below says why.",
            s.problem_count
        ));
    }
    if s.stopped {
        out.push_str(" You stopped the import: what was read is kept; run it again to go on.");
    }
    out
}
