//! Importing report files: each document found is read and stored in its own transaction,
//! with progress and a way to stop; a bad document gets a sentence and the rest goes on.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::ReportsError;
use super::document::read_document;
use super::store::{Incoming, MailboxMark, Outcome, ReportStore};
use super::unpack::{Found, unpack_bytes, unpack_paths};

/// The most problems an import lists one by one (the rest are counted).
pub const MAX_LISTED_PROBLEMS: usize = 200;

/// Something that could not be imported, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportProblem {
    /// Where it was (a file, a file in a zip, a message).
    pub origin: String,
    /// What was wrong and what to do.
    pub sentence: String,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportSummary {
    /// Report documents found.
    #[ts(type = "number")]
    pub documents: u64,
    /// Reports newly stored.
    #[ts(type = "number")]
    pub imported: u64,
    /// Messages the new DMARC reports count.
    #[ts(type = "number")]
    pub messages: u64,
    /// TLS sessions the new TLS reports count.
    #[ts(type = "number")]
    pub tls_sessions: u64,
    /// Reports stored before (not counted again).
    #[ts(type = "number")]
    pub duplicates: u64,
    /// Reports about other domains, set aside, by domain.
    pub other_domains: BTreeMap<String, u64>,
    /// Reports whose period starts in the future (not stored).
    #[ts(type = "number")]
    pub future: u64,
    /// What could not be read (the first [`MAX_LISTED_PROBLEMS`]).
    pub problems: Vec<ImportProblem>,
    /// How many problems in all.
    #[ts(type = "number")]
    pub problem_count: u64,
    /// True when the user stopped the import before it finished.
    pub stopped: bool,
    /// What the import did, in one sentence.
    pub sentence: String,
}

impl ImportSummary {
    /// One sentence saying what the import did (kept in `sentence` when it ends).
    pub fn describe(&self) -> String {
        let mut counted = Vec::new();
        if self.messages > 0 || self.tls_sessions == 0 {
            counted.push(format!(
                "{} message{}",
                self.messages,
                plural(self.messages)
            ));
        }
        if self.tls_sessions > 0 {
            counted.push(format!(
                "{} TLS session{}",
                self.tls_sessions,
                plural(self.tls_sessions)
            ));
        }
        let counted = counted.join(", ");
        let mut parts = vec![match self.imported {
            0 => "No new reports were imported".to_owned(),
            1 => format!("1 new report ({counted}) was imported"),
            n => format!("{n} new reports ({counted}) were imported"),
        }];
        if self.duplicates > 0 {
            parts.push(format!("{} had been imported before", self.duplicates));
        }
        let other: u64 = self.other_domains.values().sum();
        if other > 0 {
            let names: Vec<&str> = self.other_domains.keys().map(String::as_str).collect();
            parts.push(format!(
                "{other} about other domains ({}) were kept aside",
                names.join(", ")
            ));
        }
        if self.future > 0 {
            parts.push(format!(
                "{} dated in the future were not imported",
                self.future
            ));
        }
        if self.problem_count > 0 {
            parts.push(format!(
                "{} could not be read (listed below)",
                self.problem_count
            ));
        }
        let mut sentence = parts.join("; ");
        sentence.push('.');
        if self.stopped {
            sentence.push_str(" The import was stopped; what was imported is kept, and importing again picks up the rest.");
        }
        sentence
    }

    /// Adds a problem found outside the documents (a message too large, a lost connection).
    pub fn problem(&mut self, origin: &str, sentence: String) {
        self.problem_count += 1;
        if self.problems.len() < MAX_LISTED_PROBLEMS {
            self.problems.push(ImportProblem {
                origin: origin.to_owned(),
                sentence,
            });
        }
    }

    fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Imported { messages, sessions } => {
                self.imported += 1;
                self.messages += messages;
                self.tls_sessions += sessions;
            }
            Outcome::Duplicate => self.duplicates += 1,
            Outcome::OtherDomain(domain) => *self.other_domains.entry(domain).or_default() += 1,
            Outcome::Future => self.future += 1,
        }
    }
}

/// The plural ending for `n` things in an import's sentence: "" for one, "s" otherwise.
pub(crate) fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Where an import is, for the progress line.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportProgress {
    /// Documents read so far.
    #[ts(type = "number")]
    pub documents: u64,
    /// Reports newly stored so far.
    #[ts(type = "number")]
    pub imported: u64,
    /// Problems so far.
    #[ts(type = "number")]
    pub problems: u64,
    /// Messages fetched from the mailbox so far (0 for files).
    #[ts(type = "number")]
    pub fetched: u64,
    /// Messages to fetch from the mailbox (0 for files).
    #[ts(type = "number")]
    pub to_fetch: u64,
}

/// Reads and stores what an import finds, counting as it goes.
pub struct Importer<'a> {
    store: &'a mut ReportStore,
    domain: String,
    now: i64,
    progress: &'a (dyn Fn(&ImportProgress) + Send + Sync),
    stop: &'a AtomicBool,
    /// What has been done so far.
    pub summary: ImportSummary,
    failed: Option<ReportsError>,
}

impl<'a> Importer<'a> {
    /// An importer into `store` for `domain` (reports about others are set aside).
    pub fn new(
        store: &'a mut ReportStore,
        domain: &str,
        now: i64,
        progress: &'a (dyn Fn(&ImportProgress) + Send + Sync),
        stop: &'a AtomicBool,
    ) -> Self {
        Importer {
            store,
            domain: domain.to_ascii_lowercase(),
            now,
            progress,
            stop,
            summary: ImportSummary::default(),
            failed: None,
        }
    }

    /// Imports the files and folders at `paths`.
    pub fn paths(&mut self, paths: &[PathBuf]) {
        unpack_paths(paths, &mut |found| self.found(found, None));
    }

    /// Imports the reports in one message (or file) `bytes`, and records `mark` in the same
    /// transaction as its reports (so a re-run resumes after it). Returns false when the
    /// import should stop (the user stopped it, or the database failed).
    pub fn message(&mut self, origin: &str, bytes: &[u8], mark: MailboxMark) -> bool {
        let mut incoming = Vec::new();
        unpack_bytes(origin, bytes, 0, &mut |found| {
            match found {
                Found::Document(document) => {
                    self.summary.documents += 1;
                    match read_document(&document) {
                        Ok(report) => incoming.push((document.origin, report)),
                        Err(sentence) => self.summary.problem(&document.origin, sentence),
                    }
                }
                Found::Unreadable(u) => self.summary.problem(&u.origin, u.sentence),
            }
            true
        });
        let reports: Vec<Incoming> = incoming.into_iter().map(|(_, r)| r).collect();
        self.store_batch(origin, &reports, Some(&mark))
    }

    fn found(&mut self, found: Found, mark: Option<&MailboxMark>) -> bool {
        match found {
            Found::Document(document) => {
                self.summary.documents += 1;
                match read_document(&document) {
                    Ok(report) => {
                        if !self.store_batch(&document.origin, &[report], mark) {
                            return false;
                        }
                    }
                    Err(sentence) => self.summary.problem(&document.origin, sentence),
                }
            }
            Found::Unreadable(u) => self.summary.problem(&u.origin, u.sentence),
        }
        self.report_progress();
        !self.stop.load(Ordering::Relaxed)
    }

    fn store_batch(
        &mut self,
        origin: &str,
        reports: &[Incoming],
        mark: Option<&MailboxMark>,
    ) -> bool {
        match self
            .store
            .import(origin, reports, mark, &self.domain, self.now)
        {
            Ok(outcomes) => {
                for outcome in outcomes {
                    self.summary.count(outcome);
                }
                self.report_progress();
                !self.stop.load(Ordering::Relaxed)
            }
            Err(e) => {
                self.failed = Some(e);
                false
            }
        }
    }

    fn report_progress(&self) {
        (self.progress)(&ImportProgress {
            documents: self.summary.documents,
            imported: self.summary.imported,
            problems: self.summary.problem_count,
            ..ImportProgress::default()
        });
    }

    /// The summary, or the database error that ended the import (what was stored before it
    /// is kept).
    pub fn finish(mut self) -> Result<ImportSummary, ReportsError> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        self.summary.stopped = self.stop.load(Ordering::Relaxed);
        self.summary.sentence = self.summary.describe();
        Ok(self.summary)
    }
}
