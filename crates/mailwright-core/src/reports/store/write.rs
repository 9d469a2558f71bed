//! Writing reports: each batch (a file's reports, a message's reports and the mailbox mark
//! after it) in one transaction.

use rusqlite::{OptionalExtension, params};

use super::super::aggregate::{AggregateReport, Disposition};
use super::super::tls_report::TlsReportDoc;
use super::{ReportStore, ReportsError};

/// A report read and ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Incoming {
    /// A DMARC aggregate report.
    Aggregate(AggregateReport),
    /// An SMTP TLS report.
    Tls(TlsReportDoc),
}

impl Incoming {
    fn kind(&self) -> &'static str {
        match self {
            Incoming::Aggregate(_) => "dmarc",
            Incoming::Tls(_) => "tls",
        }
    }

    fn reporter(&self) -> &str {
        match self {
            Incoming::Aggregate(r) => &r.reporter,
            Incoming::Tls(r) => &r.reporter,
        }
    }

    fn report_id(&self) -> &str {
        match self {
            Incoming::Aggregate(r) => &r.report_id,
            Incoming::Tls(r) => &r.report_id,
        }
    }

    fn begin(&self) -> i64 {
        match self {
            Incoming::Aggregate(r) => r.begin,
            Incoming::Tls(r) => r.begin,
        }
    }

    /// The domain the report is about, when it is `domain` or one of its subdomains; otherwise
    /// `Err` with the domain it is about.
    fn domain_for(&self, domain: &str) -> Result<String, String> {
        let ours = |d: &str| d == domain || d.ends_with(&format!(".{domain}"));
        match self {
            Incoming::Aggregate(r) if ours(&r.domain) => Ok(r.domain.clone()),
            Incoming::Aggregate(r) => Err(r.domain.clone()),
            Incoming::Tls(r) => r
                .policies
                .iter()
                .map(|p| p.policy_domain.as_str())
                .find(|d| ours(d))
                .map(str::to_owned)
                .ok_or_else(|| {
                    r.policies
                        .iter()
                        .map(|p| p.policy_domain.clone())
                        .find(|d| !d.is_empty())
                        .unwrap_or_else(|| NO_DOMAIN.to_owned())
                }),
        }
    }
}

/// How a report that names no domain is set aside.
const NO_DOMAIN: &str = "(no domain named)";

/// How far a mailbox folder has been read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailboxMark {
    /// `user@host:port/folder`.
    pub account: String,
    /// The folder's UIDVALIDITY.
    pub uidvalidity: u32,
    /// The last UID imported.
    pub uid: u32,
}

/// What became of one report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Stored; how many messages (a DMARC report) or TLS sessions (a TLS report) it counts.
    Imported {
        /// Messages, for a DMARC aggregate report.
        messages: u64,
        /// Sessions, for a TLS report.
        sessions: u64,
    },
    /// Stored already (same reporter and id).
    Duplicate,
    /// About another domain: kept aside, named.
    OtherDomain(String),
    /// Its period starts in the future: not stored.
    Future,
}

/// How far in the future a report may start before it is refused (clocks differ a little).
const FUTURE_SLACK_SECONDS: i64 = 86_400;

impl ReportStore {
    /// Stores `reports` (found at `origin`) and `mark` in one transaction. Reports about a
    /// domain other than `domain` and its subdomains are set aside; reports already stored
    /// are not counted again.
    pub fn import(
        &mut self,
        origin: &str,
        reports: &[Incoming],
        mark: Option<&MailboxMark>,
        domain: &str,
        now: i64,
    ) -> Result<Vec<Outcome>, ReportsError> {
        let tx = self.conn.transaction()?;
        let mut outcomes = Vec::with_capacity(reports.len());
        for report in reports {
            let outcome = if report.begin() > now + FUTURE_SLACK_SECONDS {
                Outcome::Future
            } else {
                match report.domain_for(domain) {
                    Err(other) => {
                        tx.execute(
                            "INSERT OR IGNORE INTO set_aside (kind, reporter, report_id, domain, origin, at)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                            params![report.kind(), report.reporter(), report.report_id(), other, origin, now],
                        )?;
                        Outcome::OtherDomain(other)
                    }
                    Ok(about) => insert(&tx, report, &about, origin, now)?,
                }
            };
            outcomes.push(outcome);
        }
        if let Some(mark) = mark {
            tx.execute(
                "INSERT INTO mailbox_marks (account, uidvalidity, last_uid) VALUES (?1, ?2, ?3)
                 ON CONFLICT (account) DO UPDATE SET uidvalidity = ?2, last_uid = ?3",
                params![mark.account, mark.uidvalidity, mark.uid],
            )?;
        }
        tx.commit()?;
        Ok(outcomes)
    }

    /// How far the folder `account` has been read: its UIDVALIDITY and last UID.
    pub fn mailbox_mark(&self, account: &str) -> Result<Option<(u32, u32)>, ReportsError> {
        Ok(self
            .conn
            .query_row(
                "SELECT uidvalidity, last_uid FROM mailbox_marks WHERE account = ?1",
                [account],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// Records who a source is (reverse DNS name, matched sender and how it was matched).
    pub fn name_source(
        &mut self,
        ip: &str,
        ptr: Option<&str>,
        sender_id: Option<&str>,
        matched_by: Option<&str>,
        now: i64,
    ) -> Result<(), ReportsError> {
        self.conn.execute(
            "INSERT INTO source_names (source_ip, ptr, sender_id, matched_by, checked_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (source_ip) DO UPDATE SET ptr = ?2, sender_id = ?3, matched_by = ?4, checked_at = ?5",
            params![ip, ptr, sender_id, matched_by, now],
        )?;
        Ok(())
    }

    /// Records what the user said about a source: `Some(true)` "this is mine",
    /// `Some(false)` "not mine", `None` undecided again.
    pub fn mark_source(
        &mut self,
        ip: &str,
        mine: Option<bool>,
        now: i64,
    ) -> Result<(), ReportsError> {
        match mine {
            Some(mine) => self.conn.execute(
                "INSERT INTO source_marks (source_ip, mine, marked_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (source_ip) DO UPDATE SET mine = ?2, marked_at = ?3",
                params![ip, mine, now],
            )?,
            None => self
                .conn
                .execute("DELETE FROM source_marks WHERE source_ip = ?1", [ip])?,
        };
        Ok(())
    }
}

/// Inserts one report about `about` unless it is stored already.
fn insert(
    tx: &rusqlite::Transaction<'_>,
    report: &Incoming,
    about: &str,
    origin: &str,
    now: i64,
) -> Result<Outcome, ReportsError> {
    let day = report.begin().div_euclid(86_400);
    let (end, policy, pct, testing, messages) = match report {
        Incoming::Aggregate(r) => (
            r.end,
            r.policy.clone(),
            r.policy_pct,
            r.policy_testing,
            r.rows.iter().map(|row| row.count).sum::<u64>(),
        ),
        Incoming::Tls(r) => (
            r.end,
            None,
            None,
            false,
            r.policies.iter().map(|p| p.successful + p.failed).sum(),
        ),
    };
    let inserted = tx.execute(
        "INSERT OR IGNORE INTO reports
           (kind, reporter, report_id, domain, begin_at, end_at, day, policy, messages, origin,
            imported_at, policy_pct, policy_testing)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            report.kind(),
            report.reporter(),
            report.report_id(),
            about,
            report.begin(),
            end,
            day,
            policy,
            messages as i64,
            origin,
            now,
            pct,
            testing
        ],
    )?;
    if inserted == 0 {
        return Ok(Outcome::Duplicate);
    }
    let id = tx.last_insert_rowid();
    match report {
        Incoming::Aggregate(r) => insert_rows(tx, r, day)?,
        Incoming::Tls(r) => insert_tls(tx, r, id, day)?,
    }
    Ok(match report {
        Incoming::Aggregate(_) => Outcome::Imported {
            messages,
            sessions: 0,
        },
        Incoming::Tls(_) => Outcome::Imported {
            messages: 0,
            sessions: messages,
        },
    })
}

fn insert_rows(
    tx: &rusqlite::Transaction<'_>,
    report: &AggregateReport,
    day: i64,
) -> Result<(), ReportsError> {
    let mut daily = tx.prepare_cached(
        "INSERT INTO dmarc_source_daily (day, source_ip, messages, dmarc_pass, spf_pass, spf_aligned,
                                         dkim_pass, dkim_aligned, forwarded, quarantined, rejected)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (day, source_ip) DO UPDATE SET
           messages = messages + ?3, dmarc_pass = dmarc_pass + ?4, spf_pass = spf_pass + ?5,
           spf_aligned = spf_aligned + ?6, dkim_pass = dkim_pass + ?7, dkim_aligned = dkim_aligned + ?8,
           forwarded = forwarded + ?9, quarantined = quarantined + ?10, rejected = rejected + ?11",
    )?;
    let mut per_reporter = tx.prepare_cached(
        "INSERT INTO dmarc_reporter_daily (day, reporter, messages, dmarc_pass, quarantined, rejected)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (day, reporter) DO UPDATE SET
           messages = messages + ?3, dmarc_pass = dmarc_pass + ?4,
           quarantined = quarantined + ?5, rejected = rejected + ?6",
    )?;
    let (mut messages, mut passed, mut quarantined, mut rejected) = (0i64, 0i64, 0i64, 0i64);
    let mut dkim = tx.prepare_cached(
        "INSERT OR IGNORE INTO source_dkim (source_ip, domain, selector) VALUES (?1, ?2, ?3)",
    )?;
    for row in &report.rows {
        let n = row.count as i64;
        let of = |yes: bool| if yes { n } else { 0 };
        let ip = row.source_ip.to_string();
        daily.execute(params![
            day,
            ip,
            n,
            of(row.dmarc_pass),
            of(row.spf_pass),
            of(row.spf_aligned),
            of(row.dkim_pass),
            of(row.dkim_aligned),
            of(row.forwarded),
            of(row.disposition == Disposition::Quarantine),
            of(row.disposition == Disposition::Reject),
        ])?;
        for (domain, selector) in &row.dkim_domains {
            dkim.execute(params![ip, domain, selector])?;
        }
        messages += n;
        passed += of(row.dmarc_pass);
        quarantined += of(row.disposition == Disposition::Quarantine);
        rejected += of(row.disposition == Disposition::Reject);
    }
    per_reporter.execute(params![
        day,
        report.reporter,
        messages,
        passed,
        quarantined,
        rejected
    ])?;
    Ok(())
}

fn insert_tls(
    tx: &rusqlite::Transaction<'_>,
    report: &TlsReportDoc,
    id: i64,
    day: i64,
) -> Result<(), ReportsError> {
    for policy in &report.policies {
        tx.execute(
            "INSERT INTO tls_policies (report, day, reporter, policy_type, policy_domain, successful, failed)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                id,
                day,
                report.reporter,
                policy.policy_type,
                policy.policy_domain,
                policy.successful as i64,
                policy.failed as i64
            ],
        )?;
        for failure in &policy.failures {
            tx.execute(
                "INSERT INTO tls_failures (report, day, reporter, policy_domain, result_type, receiving_mx,
                                           sending_ip, sessions, detail)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    id,
                    day,
                    report.reporter,
                    policy.policy_domain,
                    failure.result_type,
                    failure.receiving_mx,
                    failure.sending_ip.map(|ip| ip.to_string()),
                    failure.count as i64,
                    failure.detail
                ],
            )?;
        }
    }
    Ok(())
}
