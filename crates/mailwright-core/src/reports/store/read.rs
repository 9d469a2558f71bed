//! Reading the database for the views: totals per source, reporter and day over a period of
//! UTC days (inclusive), TLS results, and what was set aside.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::super::period::day_to_date;
use super::{ReportStore, ReportsError};

/// What one source IP sent as the domain over a period.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SourceTotals {
    /// The IP address.
    pub ip: String,
    /// Its reverse DNS name, when it has one.
    pub ptr: Option<String>,
    /// The catalog sender it was matched to.
    pub sender_id: Option<String>,
    /// How it was matched, in words.
    pub matched_by: Option<String>,
    /// What the user said: mine, not mine, or not yet.
    pub mine: Option<bool>,
    /// Messages.
    #[ts(type = "number")]
    pub messages: u64,
    /// Messages that passed DMARC.
    #[ts(type = "number")]
    pub dmarc_pass: u64,
    /// Messages whose SPF passed (for any domain).
    #[ts(type = "number")]
    pub spf_pass: u64,
    /// Messages whose SPF passed aligned.
    #[ts(type = "number")]
    pub spf_aligned: u64,
    /// Messages with a passing DKIM signature.
    #[ts(type = "number")]
    pub dkim_pass: u64,
    /// Messages with a passing aligned DKIM signature.
    #[ts(type = "number")]
    pub dkim_aligned: u64,
    /// Messages that look forwarded.
    #[ts(type = "number")]
    pub forwarded: u64,
    /// Messages receivers sent to spam.
    #[ts(type = "number")]
    pub quarantined: u64,
    /// Messages receivers refused.
    #[ts(type = "number")]
    pub rejected: u64,
    /// The DKIM domains whose signatures passed for it.
    pub dkim_domains: Vec<String>,
    /// Whether its reverse DNS name and sender were looked up (a lookup the DNS server did not
    /// answer is made again after the next import).
    pub looked_up: bool,
}

/// What one reporter saw over a period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReporterTotals {
    /// The reporting organisation.
    pub reporter: String,
    /// Messages.
    #[ts(type = "number")]
    pub messages: u64,
    /// Messages that passed DMARC.
    #[ts(type = "number")]
    pub dmarc_pass: u64,
    /// Messages it sent to spam.
    #[ts(type = "number")]
    pub quarantined: u64,
    /// Messages it refused.
    #[ts(type = "number")]
    pub rejected: u64,
}

/// One day's DMARC totals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DayTotals {
    /// The day (UTC), YYYY-MM-DD.
    pub day: String,
    /// Messages.
    #[ts(type = "number")]
    pub messages: u64,
    /// Messages that passed DMARC.
    #[ts(type = "number")]
    pub dmarc_pass: u64,
    /// TLS sessions that failed that day.
    #[ts(type = "number")]
    pub tls_failed: u64,
}

/// The DMARC policy a report says receivers found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportedPolicy {
    /// `p=`: `none`, `quarantine` or `reject`.
    pub p: String,
    /// `pct=` when below 100: the share of failing mail the policy applies to (RFC 7489 §6.3).
    pub pct: Option<u8>,
    /// `t=y`: testing mode (RFC 9990).
    pub testing: bool,
}

/// TLS sessions under one policy, from one reporter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TlsTotals {
    /// The domain the policy is for.
    pub policy_domain: String,
    /// `sts`, `tlsa` or `no-policy-found`.
    pub policy_type: String,
    /// The reporting organisation.
    pub reporter: String,
    /// Sessions that succeeded.
    #[ts(type = "number")]
    pub successful: u64,
    /// Sessions that failed.
    #[ts(type = "number")]
    pub failed: u64,
}

/// Failed TLS sessions of one type over a period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsFailureTotals {
    /// The RFC 8460 result type.
    pub result_type: String,
    /// The MX hosts named.
    pub receiving_mx: Vec<String>,
    /// Sessions.
    pub sessions: u64,
    /// One of the reporters' own words, if any.
    pub detail: Option<String>,
}

/// Reports about other domains, by domain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetAside {
    /// The domain they are about.
    pub domain: String,
    /// How many reports.
    #[ts(type = "number")]
    pub reports: u64,
    /// Where one of them was found.
    pub example: String,
}

/// What the database holds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StoreCounts {
    /// Reports stored.
    #[ts(type = "number")]
    pub reports: u64,
    /// Of which DMARC aggregate reports.
    #[ts(type = "number")]
    pub dmarc_reports: u64,
    /// Of which TLS reports.
    #[ts(type = "number")]
    pub tls_reports: u64,
    /// The first day a report covers.
    pub first_day: Option<String>,
    /// The last day a report covers.
    pub last_day: Option<String>,
}

fn count(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// Adds one group's counts to a source's totals.
fn add(total: &mut SourceTotals, part: &SourceTotals) {
    total.messages += part.messages;
    total.dmarc_pass += part.dmarc_pass;
    total.spf_pass += part.spf_pass;
    total.spf_aligned += part.spf_aligned;
    total.dkim_pass += part.dkim_pass;
    total.dkim_aligned += part.dkim_aligned;
    total.forwarded += part.forwarded;
    total.quarantined += part.quarantined;
    total.rejected += part.rejected;
}

impl ReportStore {
    /// Totals per source over days `from..=to`, most messages first.
    pub fn sources(&self, from: i64, to: i64) -> Result<Vec<SourceTotals>, ReportsError> {
        Ok(self.sources_and_recent(from, to, from)?.0)
    }

    /// Totals per source over days `from..=to`, and over its last days `recent..=to` (the
    /// ramp's window), read in one pass; most messages first.
    pub fn sources_and_recent(
        &self,
        from: i64,
        to: i64,
        recent: i64,
    ) -> Result<(Vec<SourceTotals>, Vec<SourceTotals>), ReportsError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.source_ip, d.day >= ?3,
                    SUM(messages), SUM(dmarc_pass), SUM(spf_pass), SUM(spf_aligned), SUM(dkim_pass),
                    SUM(dkim_aligned), SUM(forwarded), SUM(quarantined), SUM(rejected)
             FROM dmarc_source_daily d
             WHERE d.day BETWEEN ?1 AND ?2
             GROUP BY d.source_ip, d.day >= ?3",
        )?;
        let mut all: std::collections::BTreeMap<String, SourceTotals> = Default::default();
        let mut last: std::collections::BTreeMap<String, SourceTotals> = Default::default();
        let mut rows = stmt.query(params![from, to, recent])?;
        while let Some(r) = rows.next()? {
            let ip: String = r.get(0)?;
            let is_recent: bool = r.get(1)?;
            let part = SourceTotals {
                ip: ip.clone(),
                messages: count(r.get(2)?),
                dmarc_pass: count(r.get(3)?),
                spf_pass: count(r.get(4)?),
                spf_aligned: count(r.get(5)?),
                dkim_pass: count(r.get(6)?),
                dkim_aligned: count(r.get(7)?),
                forwarded: count(r.get(8)?),
                quarantined: count(r.get(9)?),
                rejected: count(r.get(10)?),
                ..SourceTotals::default()
            };
            if is_recent {
                add(last.entry(ip.clone()).or_default(), &part);
            }
            add(all.entry(ip).or_default(), &part);
        }
        for (ip, t) in all.iter_mut().chain(last.iter_mut()) {
            t.ip.clone_from(ip);
        }
        let mut names = self.conn.prepare_cached(
            "SELECT n.ptr, n.sender_id, n.matched_by, n.source_ip IS NOT NULL,
                    (SELECT mine FROM source_marks m WHERE m.source_ip = ?1),
                    (SELECT group_concat(DISTINCT k.domain) FROM source_dkim k WHERE k.source_ip = ?1)
             FROM (SELECT ?1 AS ip) LEFT JOIN source_names n ON n.source_ip = ip",
        )?;
        // Names, marks and DKIM domains, once per source (the window's are among the period's).
        for t in all.values_mut() {
            let ip = t.ip.clone();
            names.query_row([&ip], |r| {
                t.ptr = r.get(0)?;
                t.sender_id = r.get(1)?;
                t.matched_by = r.get(2)?;
                t.looked_up = r.get(3)?;
                t.mine = r.get(4)?;
                let domains: Option<String> = r.get(5)?;
                t.dkim_domains = domains
                    .map(|d| d.split(',').map(str::to_owned).collect())
                    .unwrap_or_default();
                Ok(())
            })?;
        }
        for (ip, t) in last.iter_mut() {
            if let Some(named) = all.get(ip) {
                t.ptr.clone_from(&named.ptr);
                t.sender_id.clone_from(&named.sender_id);
                t.matched_by.clone_from(&named.matched_by);
                t.mine = named.mine;
                t.looked_up = named.looked_up;
                t.dkim_domains.clone_from(&named.dkim_domains);
            }
        }
        let sorted = |map: std::collections::BTreeMap<String, SourceTotals>| {
            let mut list: Vec<SourceTotals> = map.into_values().collect();
            list.sort_by(|a, b| b.messages.cmp(&a.messages).then(a.ip.cmp(&b.ip)));
            list
        };
        let (all, last) = (sorted(all), sorted(last));
        Ok((all, last))
    }

    /// Totals per reporter over days `from..=to`, most messages first.
    pub fn reporters(&self, from: i64, to: i64) -> Result<Vec<ReporterTotals>, ReportsError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT reporter, SUM(messages), SUM(dmarc_pass), SUM(quarantined), SUM(rejected)
             FROM dmarc_reporter_daily WHERE day BETWEEN ?1 AND ?2
             GROUP BY reporter ORDER BY SUM(messages) DESC, reporter",
        )?;
        let rows = stmt.query_map(params![from, to], |r| {
            Ok(ReporterTotals {
                reporter: r.get(0)?,
                messages: count(r.get(1)?),
                dmarc_pass: count(r.get(2)?),
                quarantined: count(r.get(3)?),
                rejected: count(r.get(4)?),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Totals per day over days `from..=to` (days without reports left out), oldest first.
    pub fn days(&self, from: i64, to: i64) -> Result<Vec<DayTotals>, ReportsError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT day, SUM(m), SUM(p), SUM(f) FROM (
               SELECT day, SUM(messages) AS m, SUM(dmarc_pass) AS p, 0 AS f
                 FROM dmarc_reporter_daily WHERE day BETWEEN ?1 AND ?2 GROUP BY day
               UNION ALL
               SELECT day, 0, 0, SUM(failed) FROM tls_policies WHERE day BETWEEN ?1 AND ?2 GROUP BY day)
             GROUP BY day ORDER BY day",
        )?;
        let rows = stmt.query_map(params![from, to], |r| {
            Ok(DayTotals {
                day: day_to_date(r.get(0)?),
                messages: count(r.get(1)?),
                dmarc_pass: count(r.get(2)?),
                tls_failed: count(r.get(3)?),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Messages per day from the sources `ips` over days `from..=to`: (day, ip, messages).
    pub fn source_days(
        &self,
        from: i64,
        to: i64,
        ips: &[String],
    ) -> Result<Vec<(i64, String, u64)>, ReportsError> {
        // One pass over the period (one row per day and source) rather than one per source.
        let mut out = Vec::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT day, source_ip, messages FROM dmarc_source_daily WHERE day BETWEEN ?1 AND ?2",
        )?;
        let mut rows = stmt.query(params![from, to])?;
        while let Some(r) = rows.next()? {
            let ip = r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
            if let Some(ip) = ips.iter().find(|wanted| *wanted == ip) {
                out.push((r.get(0)?, ip.clone(), count(r.get(2)?)));
            }
        }
        Ok(out)
    }

    /// Days `from..=to` that have at least one DMARC report.
    pub fn days_with_reports(&self, from: i64, to: i64) -> Result<u32, ReportsError> {
        Ok(self.conn.query_row(
            "SELECT COUNT(DISTINCT day) FROM reports WHERE kind = 'dmarc' AND day BETWEEN ?1 AND ?2",
            params![from, to],
            |r| r.get(0),
        )?)
    }

    /// TLS sessions per policy domain, type and reporter over days `from..=to`.
    pub fn tls(&self, from: i64, to: i64) -> Result<Vec<TlsTotals>, ReportsError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT policy_domain, policy_type, reporter, SUM(successful), SUM(failed)
             FROM tls_policies WHERE day BETWEEN ?1 AND ?2
             GROUP BY policy_domain, policy_type, reporter
             ORDER BY SUM(failed) DESC, policy_domain, reporter",
        )?;
        let rows = stmt.query_map(params![from, to], |r| {
            Ok(TlsTotals {
                policy_domain: r.get(0)?,
                policy_type: r.get(1)?,
                reporter: r.get(2)?,
                successful: count(r.get(3)?),
                failed: count(r.get(4)?),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Failed TLS sessions per result type over days `from..=to`, most first.
    pub fn tls_failures(&self, from: i64, to: i64) -> Result<Vec<TlsFailureTotals>, ReportsError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT result_type, group_concat(DISTINCT receiving_mx), SUM(sessions), MAX(detail)
             FROM tls_failures WHERE day BETWEEN ?1 AND ?2
             GROUP BY result_type ORDER BY SUM(sessions) DESC, result_type",
        )?;
        let rows = stmt.query_map(params![from, to], |r| {
            let mx: Option<String> = r.get(1)?;
            Ok(TlsFailureTotals {
                result_type: r.get(0)?,
                receiving_mx: mx
                    .map(|m| m.split(',').map(str::to_owned).collect())
                    .unwrap_or_default(),
                sessions: count(r.get(2)?),
                detail: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Reports set aside because they are about other domains.
    pub fn set_aside(&self) -> Result<Vec<SetAside>, ReportsError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT domain, COUNT(*), MIN(origin) FROM set_aside GROUP BY domain ORDER BY COUNT(*) DESC, domain",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(SetAside {
                domain: r.get(0)?,
                reports: count(r.get(1)?),
                example: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// What the database holds.
    pub fn counts(&self) -> Result<StoreCounts, ReportsError> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*), SUM(kind = 'dmarc'), SUM(kind = 'tls'), MIN(day), MAX(day) FROM reports",
            [],
            |r| {
                Ok(StoreCounts {
                    reports: count(r.get(0)?),
                    dmarc_reports: count(r.get::<_, Option<i64>>(1)?.unwrap_or(0)),
                    tls_reports: count(r.get::<_, Option<i64>>(2)?.unwrap_or(0)),
                    first_day: r.get::<_, Option<i64>>(3)?.map(day_to_date),
                    last_day: r.get::<_, Option<i64>>(4)?.map(day_to_date),
                })
            },
        )?)
    }

    /// The policy receivers found in the latest DMARC report, if any says.
    pub fn latest_policy(&self) -> Result<Option<ReportedPolicy>, ReportsError> {
        Ok(self
            .conn
            .query_row(
                "SELECT policy, policy_pct, policy_testing FROM reports
                 WHERE kind = 'dmarc' AND policy IS NOT NULL
                 ORDER BY begin_at DESC LIMIT 1",
                [],
                |r| {
                    Ok(ReportedPolicy {
                        p: r.get(0)?,
                        pct: r.get(1)?,
                        testing: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// Sources seen in reports that have not been named yet (at most `limit`).
    pub fn unnamed_sources(&self, limit: u32) -> Result<Vec<String>, ReportsError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT d.source_ip FROM dmarc_source_daily d
             LEFT JOIN source_names n ON n.source_ip = d.source_ip
             WHERE n.source_ip IS NULL LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The DKIM domains and selectors whose signatures passed for `ip`.
    pub fn source_dkim(&self, ip: &str) -> Result<Vec<(String, String)>, ReportsError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT domain, selector FROM source_dkim WHERE source_ip = ?1")?;
        let rows = stmt.query_map([ip], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
