//! The local reports database: SQLite (rusqlite, bundled) in the app's data folder, in WAL
//! mode, its schema versioned with migrations. Each import batch is one transaction, so a crash
//! or a kill loses nothing already imported and never counts a report twice. A file that is
//! damaged, or from a newer Mailwright, is moved aside and never written to.

mod bounce_events;
mod read;
mod schema;
mod write;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode};

pub use bounce_events::{BounceDayCount, BounceRow};
pub use read::{
    DayTotals, ReportedPolicy, ReporterTotals, SetAside, SourceTotals, StoreCounts,
    TlsFailureTotals, TlsTotals,
};
pub use schema::SCHEMA_VERSION;
pub use write::{Incoming, MailboxMark, Outcome};

use super::ReportsError;

/// The database file's name in the app's data folder.
pub const DATABASE_FILE: &str = "reports.db";

/// An open reports database.
pub struct ReportStore {
    conn: Connection,
    path: PathBuf,
}

/// A database opened, and what was done with an unusable one found there.
pub struct Opened {
    /// The database, ready.
    pub store: ReportStore,
    /// Set when a damaged or newer file was moved aside: a sentence saying so and where.
    pub set_aside: Option<String>,
}

impl std::fmt::Debug for ReportStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReportStore")
            .field("path", &self.path)
            .finish()
    }
}

/// Why a file found at the database's path cannot be used.
enum Unusable {
    Damaged(String),
    Newer(u32),
}

impl ReportStore {
    /// Opens (or creates) the database at `path`, moving aside a file that is damaged or was
    /// written by a newer Mailwright (`now`, Unix seconds, names the copy).
    pub fn open(path: &Path, now: i64) -> Result<Opened, ReportsError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| ReportsError::Folder(parent.display().to_string(), e.to_string()))?;
        }
        match Self::open_at(path) {
            Ok(store) => Ok(Opened {
                store,
                set_aside: None,
            }),
            Err(Ok(unusable)) => {
                let (label, why) = match unusable {
                    Unusable::Damaged(e) => ("damaged", format!("it is damaged ({e})")),
                    Unusable::Newer(v) => (
                        "newer",
                        format!(
                            "it was written by a newer Mailwright (database version {v}; this one reads {SCHEMA_VERSION})"
                        ),
                    ),
                };
                let aside = move_aside(path, label, now)?;
                let store = Self::open_at(path).map_err(|e| match e {
                    Ok(_) => ReportsError::Database("a new database could not be made".into()),
                    Err(e) => e,
                })?;
                Ok(Opened {
                    store,
                    set_aside: Some(format!(
                        "The reports database could not be used because {why}. It was kept as {} and a new one was started; import your reports again, or open that copy with the Mailwright that made it.",
                        aside.display()
                    )),
                })
            }
            Err(Err(e)) => Err(e),
        }
    }

    /// Opens and migrates; `Err(Ok(_))` when the file is there but unusable.
    fn open_at(path: &Path) -> Result<Self, Result<Unusable, ReportsError>> {
        let damaged = |e: rusqlite::Error| match e.sqlite_error_code() {
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
                Ok(Unusable::Damaged(e.to_string()))
            }
            _ => Err(ReportsError::from(e)),
        };
        let conn = Connection::open(path).map_err(damaged)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(damaged)?;
        let version: u32 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(damaged)?;
        if version > SCHEMA_VERSION {
            return Err(Ok(Unusable::Newer(version)));
        }
        let check: String = conn
            .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
            .map_err(damaged)?;
        if check != "ok" {
            return Err(Ok(Unusable::Damaged(check)));
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(damaged)?;
        // WAL with synchronous NORMAL: a commit survives a crash of the app; only a power cut
        // may lose the last commits, never corrupt the file.
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(damaged)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(damaged)?;
        let mut store = ReportStore {
            conn,
            path: path.to_path_buf(),
        };
        store.migrate(version).map_err(Err)?;
        Ok(store)
    }

    /// Applies the migrations after `version`, all in one transaction.
    fn migrate(&mut self, version: u32) -> Result<(), ReportsError> {
        if version == SCHEMA_VERSION {
            return Ok(());
        }
        let tx = self.conn.transaction()?;
        for migration in &schema::MIGRATIONS[version as usize..] {
            tx.execute_batch(migration)?;
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.commit()?;
        Ok(())
    }

    /// Where the database is.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Moves the database file (and its WAL files) to `reports-<label>-<now>.db` beside it.
fn move_aside(path: &Path, label: &str, now: i64) -> Result<PathBuf, ReportsError> {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "reports".into());
    let mut aside = path.with_file_name(format!("{stem}-{label}-{now}.db"));
    let mut n = 1;
    while aside.exists() {
        n += 1;
        aside = path.with_file_name(format!("{stem}-{label}-{now}-{n}.db"));
    }
    std::fs::rename(path, &aside)
        .map_err(|e| ReportsError::Database(format!("it could not be moved aside ({e})")))?;
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", path.display()));
        if side.exists() {
            let _ = std::fs::rename(&side, format!("{}{suffix}", aside.display()));
        }
    }
    Ok(aside)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_damaged_file_is_kept_aside_and_a_new_database_started() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DATABASE_FILE);
        std::fs::write(&path, vec![b'x'; 8192]).unwrap();
        let opened = ReportStore::open(&path, 1_800_000_000).unwrap();
        let sentence = opened.set_aside.unwrap();
        assert!(sentence.contains("damaged"), "{sentence}");
        let aside = dir.path().join("reports-damaged-1800000000.db");
        assert_eq!(std::fs::read(&aside).unwrap(), vec![b'x'; 8192]);
        assert_eq!(opened.store.counts().unwrap().reports, 0);
    }

    #[test]
    fn a_newer_database_is_never_written_to() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DATABASE_FILE);
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
                .unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let opened = ReportStore::open(&path, 7).unwrap();
        assert!(opened.set_aside.unwrap().contains("newer Mailwright"));
        assert_eq!(
            std::fs::read(dir.path().join("reports-newer-7.db")).unwrap(),
            before
        );
    }

    #[test]
    fn a_version_four_database_keeps_its_sources_summed_over_receivers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DATABASE_FILE);
        {
            let conn = Connection::open(&path).unwrap();
            for migration in &schema::MIGRATIONS[..4] {
                conn.execute_batch(migration).unwrap();
            }
            // Two receivers' rows for one source and day, and another day.
            conn.execute_batch(
                "INSERT INTO dmarc_daily VALUES (100, '192.0.2.1', 'google.com', 10, 9, 9, 8, 9, 9, 1, 0, 1);
                 INSERT INTO dmarc_daily VALUES (100, '192.0.2.1', 'yahoo.com', 5, 5, 5, 5, 5, 5, 0, 0, 0);
                 INSERT INTO dmarc_daily VALUES (101, '192.0.2.1', 'google.com', 2, 0, 0, 0, 0, 0, 0, 2, 0);
                 PRAGMA user_version = 4;",
            )
            .unwrap();
        }
        let opened = ReportStore::open(&path, 0).unwrap();
        assert!(opened.set_aside.is_none());
        let sources = opened.store.sources(100, 101).unwrap();
        assert_eq!(sources.len(), 1);
        let t = &sources[0];
        assert_eq!(
            (
                t.messages,
                t.dmarc_pass,
                t.spf_aligned,
                t.forwarded,
                t.quarantined,
                t.rejected
            ),
            (17, 14, 13, 1, 2, 1)
        );
        assert_eq!(
            opened
                .store
                .source_days(100, 101, &["192.0.2.1".into()])
                .unwrap(),
            [
                (100, "192.0.2.1".to_owned(), 15),
                (101, "192.0.2.1".to_owned(), 2)
            ]
        );
    }

    #[test]
    fn reopening_keeps_the_schema_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/reports.db");
        drop(ReportStore::open(&path, 1).unwrap());
        let opened = ReportStore::open(&path, 2).unwrap();
        assert!(opened.set_aside.is_none());
        let version: u32 = opened
            .store
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
    }
}
