//! The reports database's schema, one migration per version. `PRAGMA user_version` holds the
//! version a database is at; a database at a higher version than [`SCHEMA_VERSION`] was made by a
//! newer Mailwright and is never written to.

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = 5;

/// The migrations: entry `n` takes a database from version `n` to `n + 1`.
pub const MIGRATIONS: [&str; SCHEMA_VERSION as usize] = [
    r#"
-- Every report imported, DMARC aggregate or TLS; deduplicated by kind, reporter and id.
CREATE TABLE reports (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('dmarc', 'tls')),
    reporter    TEXT    NOT NULL,
    report_id   TEXT    NOT NULL,
    domain      TEXT    NOT NULL,
    begin_at    INTEGER NOT NULL,
    end_at      INTEGER NOT NULL,
    day         INTEGER NOT NULL,
    policy      TEXT,
    messages    INTEGER NOT NULL,
    origin      TEXT    NOT NULL,
    imported_at INTEGER NOT NULL,
    UNIQUE (kind, reporter, report_id)
);
CREATE INDEX reports_day ON reports (day);

-- DMARC results per UTC day (of the report's start), source IP and reporter.
CREATE TABLE dmarc_daily (
    day          INTEGER NOT NULL,
    source_ip    TEXT    NOT NULL,
    reporter     TEXT    NOT NULL,
    messages     INTEGER NOT NULL,
    dmarc_pass   INTEGER NOT NULL,
    spf_pass     INTEGER NOT NULL,
    spf_aligned  INTEGER NOT NULL,
    dkim_pass    INTEGER NOT NULL,
    dkim_aligned INTEGER NOT NULL,
    forwarded    INTEGER NOT NULL,
    quarantined  INTEGER NOT NULL,
    rejected     INTEGER NOT NULL,
    PRIMARY KEY (day, source_ip, reporter)
) WITHOUT ROWID;

-- The same per UTC day and reporter (the per-receiver table and the charts read this).
CREATE TABLE dmarc_reporter_daily (
    day         INTEGER NOT NULL,
    reporter    TEXT    NOT NULL,
    messages    INTEGER NOT NULL,
    dmarc_pass  INTEGER NOT NULL,
    quarantined INTEGER NOT NULL,
    rejected    INTEGER NOT NULL,
    PRIMARY KEY (day, reporter)
) WITHOUT ROWID;

-- The DKIM domains and selectors whose signatures passed, per source (to name the sender).
CREATE TABLE source_dkim (
    source_ip TEXT NOT NULL,
    domain    TEXT NOT NULL,
    selector  TEXT NOT NULL,
    PRIMARY KEY (source_ip, domain, selector)
) WITHOUT ROWID;

-- Who a source is, as found after import (reverse DNS, the sender catalog).
CREATE TABLE source_names (
    source_ip  TEXT PRIMARY KEY,
    ptr        TEXT,
    sender_id  TEXT,
    matched_by TEXT,
    checked_at INTEGER NOT NULL
) WITHOUT ROWID;

-- What the user said about a source: 1 "this is mine", 0 "not mine".
CREATE TABLE source_marks (
    source_ip TEXT PRIMARY KEY,
    mine      INTEGER NOT NULL,
    marked_at INTEGER NOT NULL
) WITHOUT ROWID;

-- TLS report results per policy.
CREATE TABLE tls_policies (
    report        INTEGER NOT NULL REFERENCES reports (id),
    day           INTEGER NOT NULL,
    reporter      TEXT    NOT NULL,
    policy_type   TEXT    NOT NULL,
    policy_domain TEXT    NOT NULL,
    successful    INTEGER NOT NULL,
    failed        INTEGER NOT NULL
);
CREATE INDEX tls_policies_day ON tls_policies (day);

-- TLS failures by type.
CREATE TABLE tls_failures (
    report        INTEGER NOT NULL REFERENCES reports (id),
    day           INTEGER NOT NULL,
    reporter      TEXT    NOT NULL,
    policy_domain TEXT    NOT NULL,
    result_type   TEXT    NOT NULL,
    receiving_mx  TEXT,
    sending_ip    TEXT,
    sessions      INTEGER NOT NULL,
    detail        TEXT
);
CREATE INDEX tls_failures_day ON tls_failures (day);

-- Reports about another domain: not counted, kept named.
CREATE TABLE set_aside (
    kind      TEXT    NOT NULL,
    reporter  TEXT    NOT NULL,
    report_id TEXT    NOT NULL,
    domain    TEXT    NOT NULL,
    origin    TEXT    NOT NULL,
    at        INTEGER NOT NULL,
    PRIMARY KEY (kind, reporter, report_id)
) WITHOUT ROWID;

-- How far each mailbox folder has been read: its UIDVALIDITY and the last UID imported.
CREATE TABLE mailbox_marks (
    account     TEXT PRIMARY KEY,
    uidvalidity INTEGER NOT NULL,
    last_uid    INTEGER NOT NULL
) WITHOUT ROWID;
"#,
    r#"
-- Every bounce, deferral, complaint and unsubscribe request imported, one row per message and
-- address (the message's Message-ID, or a digest of it, tells one from another).
CREATE TABLE bounce_events (
    message_key TEXT    NOT NULL,
    address     TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    permanent   INTEGER NOT NULL,
    status      TEXT,
    provider    TEXT,
    reply       TEXT,
    day         INTEGER NOT NULL,
    origin      TEXT    NOT NULL,
    imported_at INTEGER NOT NULL,
    PRIMARY KEY (message_key, address)
) WITHOUT ROWID;
CREATE INDEX bounce_events_address ON bounce_events (address, day);
CREATE INDEX bounce_events_day ON bounce_events (day);
"#,
    r#"
-- Addresses the user took off the suppression list: their events up to then no longer count
-- (a bounce imported later, of that day or after, suppresses the address again).
CREATE TABLE released_addresses (
    address     TEXT    PRIMARY KEY,
    day         INTEGER NOT NULL,
    released_at INTEGER NOT NULL
) WITHOUT ROWID;
"#,
    r#"
-- How much of the failing mail the reported policy applied to: pct= below 100 (RFC 7489), and
-- testing mode (t=y, RFC 9990). Reports imported before say neither.
ALTER TABLE reports ADD COLUMN policy_pct INTEGER;
ALTER TABLE reports ADD COLUMN policy_testing INTEGER NOT NULL DEFAULT 0;
"#,
    r#"
-- DMARC results per UTC day and source IP: what the views read (per receiver, the figures are
-- kept per day in dmarc_reporter_daily). Keyed without the reporter, a month is a few thousand
-- rows however many receivers report.
CREATE TABLE dmarc_source_daily (
    day          INTEGER NOT NULL,
    source_ip    TEXT    NOT NULL,
    messages     INTEGER NOT NULL,
    dmarc_pass   INTEGER NOT NULL,
    spf_pass     INTEGER NOT NULL,
    spf_aligned  INTEGER NOT NULL,
    dkim_pass    INTEGER NOT NULL,
    dkim_aligned INTEGER NOT NULL,
    forwarded    INTEGER NOT NULL,
    quarantined  INTEGER NOT NULL,
    rejected     INTEGER NOT NULL,
    PRIMARY KEY (day, source_ip)
) WITHOUT ROWID;
INSERT INTO dmarc_source_daily
    SELECT day, source_ip, SUM(messages), SUM(dmarc_pass), SUM(spf_pass), SUM(spf_aligned),
           SUM(dkim_pass), SUM(dkim_aligned), SUM(forwarded), SUM(quarantined), SUM(rejected)
    FROM dmarc_daily GROUP BY day, source_ip;
DROP TABLE dmarc_daily;
"#,
];
