//! Bounces in the local database: each bounce, deferral, complaint and unsubscribe request
//! once (by message and address), a file's events in one transaction, read back for the
//! suppression list and the counts.

use rusqlite::params;

use super::{ReportStore, ReportsError};

/// One event as stored: what happened to one address, on one day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BounceRow {
    /// The message's `Message-ID`, or a digest of the message or CSV row.
    pub message_key: String,
    /// The recipient, in lower case (empty when the bounce names none).
    pub address: String,
    /// What happened: a bounce class (`hard`, `soft`, `policy`, …), `complaint`, `delayed`
    /// or `unsubscribed`.
    pub kind: String,
    /// Whether the refusal was permanent (a 5xx reply or a `5.x.x` status).
    pub permanent: bool,
    /// The enhanced status code.
    pub status: Option<String>,
    /// Whose words the reply was, when a provider's.
    pub provider: Option<String>,
    /// The receiver's reply, as it came.
    pub reply: Option<String>,
    /// The UTC day, in days since 1970-01-01.
    pub day: i64,
    /// Where it was found.
    pub origin: String,
}

/// How many events of one kind (and permanence) on one day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BounceDayCount {
    /// The UTC day, in days since 1970-01-01.
    pub day: i64,
    /// The event kind.
    pub kind: String,
    /// Whether permanent.
    pub permanent: bool,
    /// How many.
    pub count: u64,
}

impl ReportStore {
    /// Stores `rows` in one transaction; answers how many were new (a row seen before, same
    /// message and address, is not stored twice).
    pub fn insert_bounce_events(
        &mut self,
        rows: &[BounceRow],
        now: i64,
    ) -> Result<usize, ReportsError> {
        let tx = self.conn.transaction()?;
        let mut new = 0;
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO bounce_events
                   (message_key, address, kind, permanent, status, provider, reply, day, origin, imported_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?;
            for row in rows {
                new += insert.execute(params![
                    row.message_key,
                    row.address,
                    row.kind,
                    row.permanent,
                    row.status,
                    row.provider,
                    row.reply,
                    row.day,
                    row.origin,
                    now,
                ])?;
            }
        }
        tx.commit()?;
        Ok(new)
    }

    /// The events that decide the suppression list (`kinds`), for addresses named, ordered
    /// by address then day; an address's events up to its release (see
    /// [`ReportStore::release_address`]) are left out.
    pub fn bounce_events_of(&self, kinds: &[&str]) -> Result<Vec<BounceRow>, ReportsError> {
        let placeholders = vec!["?"; kinds.len()].join(", ");
        let mut query = self.conn.prepare(&format!(
            "SELECT message_key, address, kind, permanent, status, provider, reply, day, origin
               FROM bounce_events e
              WHERE address != '' AND kind IN ({placeholders})
                AND NOT EXISTS (SELECT 1 FROM released_addresses r
                                 WHERE r.address = e.address
                                   AND (e.imported_at <= r.released_at OR e.day < r.day))
              ORDER BY address, day"
        ))?;
        let rows = query.query_map(rusqlite::params_from_iter(kinds), |r| {
            Ok(BounceRow {
                message_key: r.get(0)?,
                address: r.get(1)?,
                kind: r.get(2)?,
                permanent: r.get(3)?,
                status: r.get(4)?,
                provider: r.get(5)?,
                reply: r.get(6)?,
                day: r.get(7)?,
                origin: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Takes `address` off the suppression list at `now` (Unix seconds): the events imported
    /// until then, and any dated before that day, no longer count; a bounce, complaint or
    /// unsubscribe request imported later and dated that day or after puts it back.
    pub fn release_address(&mut self, address: &str, now: i64) -> Result<(), ReportsError> {
        self.conn.execute(
            "INSERT OR REPLACE INTO released_addresses (address, day, released_at)
             VALUES (?1, ?2, ?3)",
            params![address, now.div_euclid(86_400), now],
        )?;
        Ok(())
    }

    /// Events per day, kind and permanence.
    pub fn bounce_days(&self) -> Result<Vec<BounceDayCount>, ReportsError> {
        let mut query = self.conn.prepare(
            "SELECT day, kind, permanent, COUNT(*) FROM bounce_events
              GROUP BY day, kind, permanent ORDER BY day",
        )?;
        let rows = query.query_map([], |r| {
            Ok(BounceDayCount {
                day: r.get(0)?,
                kind: r.get(1)?,
                permanent: r.get(2)?,
                count: r.get::<_, i64>(3)?.max(0) as u64,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Events per provider named by the reply (most first).
    pub fn bounce_providers(&self) -> Result<Vec<(String, u64)>, ReportsError> {
        let mut query = self.conn.prepare(
            "SELECT provider, COUNT(*) AS n FROM bounce_events
              WHERE provider IS NOT NULL GROUP BY provider ORDER BY n DESC, provider",
        )?;
        let rows = query.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)?.max(0) as u64)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(key: &str, address: &str, kind: &str, day: i64) -> BounceRow {
        BounceRow {
            message_key: key.into(),
            address: address.into(),
            kind: kind.into(),
            permanent: kind == "hard",
            status: None,
            provider: (kind == "hard").then(|| "Gmail".to_owned()),
            reply: None,
            day,
            origin: "test".into(),
        }
    }

    #[test]
    fn an_event_is_stored_once_and_read_back_by_kind() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = ReportStore::open(&dir.path().join("r.db"), 0)
            .unwrap()
            .store;
        let rows = [
            row("m1", "a@x.example", "hard", 10),
            row("m2", "b@x.example", "soft", 11),
            row("m3", "", "unknown", 11),
        ];
        assert_eq!(store.insert_bounce_events(&rows, 1).unwrap(), 3);
        assert_eq!(store.insert_bounce_events(&rows[..1], 2).unwrap(), 0);
        let hard = store.bounce_events_of(&["hard", "complaint"]).unwrap();
        assert_eq!(hard, [rows[0].clone()]);
        let days = store.bounce_days().unwrap();
        assert_eq!(days.len(), 3);
        assert_eq!(store.bounce_providers().unwrap(), [("Gmail".to_owned(), 1)]);
    }

    #[test]
    fn a_released_address_counts_only_events_imported_after_and_dated_from_that_day() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = ReportStore::open(&dir.path().join("r.db"), 0)
            .unwrap()
            .store;
        let day = 20_000;
        let release = day * 86_400 + 3_600;
        store
            .insert_bounce_events(
                &[
                    row("m1", "a@x.example", "hard", day - 1),
                    row("m2", "b@x.example", "hard", day - 1),
                ],
                release - 60,
            )
            .unwrap();
        store.release_address("a@x.example", release).unwrap();
        let addresses = |store: &ReportStore| {
            store
                .bounce_events_of(&["hard"])
                .unwrap()
                .into_iter()
                .map(|r| r.message_key)
                .collect::<Vec<_>>()
        };
        assert_eq!(addresses(&store), ["m2"]);
        // An older bounce imported after the release does not bring the address back; one
        // of the release's day does.
        store
            .insert_bounce_events(&[row("m3", "a@x.example", "hard", day - 2)], release + 60)
            .unwrap();
        assert_eq!(addresses(&store), ["m2"]);
        store
            .insert_bounce_events(&[row("m4", "a@x.example", "hard", day)], release + 120)
            .unwrap();
        assert_eq!(addresses(&store), ["m4", "m2"]);
    }

    #[test]
    fn a_version_one_database_is_migrated_and_keeps_its_reports() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        {
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.execute_batch(super::super::schema::MIGRATIONS[0])
                .unwrap();
            conn.execute_batch(
                "INSERT INTO mailbox_marks VALUES ('acct', 7, 42); PRAGMA user_version = 1;",
            )
            .unwrap();
        }
        let opened = ReportStore::open(&path, 0).unwrap();
        assert!(opened.set_aside.is_none());
        let mut store = opened.store;
        let kept: i64 = store
            .conn
            .query_row("SELECT last_uid FROM mailbox_marks", [], |r| r.get(0))
            .unwrap();
        assert_eq!(kept, 42);
        assert_eq!(
            store
                .insert_bounce_events(&[row("m", "a@x.example", "hard", 1)], 0)
                .unwrap(),
            1
        );
    }
}
