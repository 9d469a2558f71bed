//! A CSV of replies (what a mail service or a mail program exports): one row per refused
//! address, with the receiver's reply and, when known, the day and the event type. The columns
//! are found by their header names; without a header, the first column is the address, the
//! second the reply and the third the day.

use super::events::{date_day, digest_key, event, plain_event};
use super::explain::explain_reply;
use crate::reports::BounceRow;

/// Header names of the address column (lower case).
const ADDRESS: [&str; 8] = [
    "email",
    "address",
    "email address",
    "email_address",
    "recipient",
    "to",
    "rcpt",
    "e-mail",
];
/// Header names of the reply column.
const REPLY: [&str; 11] = [
    "reply",
    "response",
    "smtp response",
    "diagnostic",
    "diagnostic-code",
    "diagnostic code",
    "reason",
    "bounce reason",
    "error",
    "message",
    "status",
];
/// Header names of the date column.
const DATE: [&str; 7] = [
    "date",
    "timestamp",
    "time",
    "created",
    "created_at",
    "bounced_at",
    "event date",
];
/// Header names of the event-type column (a complaint or unsubscribe export).
const TYPE: [&str; 4] = ["type", "event", "category", "bounce type"];

/// The most rows read from one file.
pub const MAX_CSV_ROWS: usize = 1_000_000;

/// What a CSV gave: its events, and rows that could not be read (row number and why).
#[derive(Debug, Default)]
pub(crate) struct CsvEvents {
    pub rows: Vec<BounceRow>,
    pub skipped: Vec<(usize, &'static str)>,
}

struct Columns {
    address: usize,
    reply: Option<usize>,
    date: Option<usize>,
    kind: Option<usize>,
}

fn find(header: &[String], names: &[&str]) -> Option<usize> {
    header.iter().position(|h| names.contains(&h.as_str()))
}

/// Reads a CSV of replies; `today` (days since 1970-01-01) dates rows without a day.
pub(crate) fn csv_events(bytes: &[u8], origin: &str, today: i64) -> CsvEvents {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut out = CsvEvents::default();
    let mut columns: Option<Columns> = None;
    for (index, record) in reader.byte_records().enumerate().take(MAX_CSV_ROWS) {
        let line = index + 1;
        let Ok(record) = record else {
            out.skipped.push((line, "this row is not valid CSV"));
            continue;
        };
        let cells: Vec<String> = record
            .iter()
            .map(|c| String::from_utf8_lossy(c).trim().to_owned())
            .collect();
        if index == 0 {
            let header: Vec<String> = cells.iter().map(|c| c.to_ascii_lowercase()).collect();
            if let Some(address) = find(&header, &ADDRESS) {
                columns = Some(Columns {
                    address,
                    reply: find(&header, &REPLY),
                    date: find(&header, &DATE),
                    kind: find(&header, &TYPE),
                });
                continue;
            }
        }
        let cols = columns.get_or_insert(Columns {
            address: 0,
            reply: Some(1),
            date: Some(2),
            kind: None,
        });
        let cell = |i: Option<usize>| {
            i.and_then(|i| cells.get(i))
                .map(String::as_str)
                .unwrap_or("")
        };
        let address = cell(Some(cols.address))
            .trim_matches(['<', '>'])
            .to_ascii_lowercase();
        if !looks_like_address(&address) {
            out.skipped
                .push((line, "its address column holds no email address"));
            continue;
        }
        let day = parse_day(cell(cols.date)).unwrap_or(today);
        let key = digest_key("csv", record.as_slice());
        let kind = cell(cols.kind).to_ascii_lowercase();
        let row = if kind.contains("complain") || kind.contains("spam") || kind == "abuse" {
            Some(plain_event(key, address, "complaint", day, origin))
        } else if kind.contains("unsub") {
            Some(plain_event(key, address, "unsubscribed", day, origin))
        } else {
            let mut explained = explain_reply(cell(cols.reply));
            explained.recipient = Some(address);
            event(&explained, &key, day, origin)
        };
        out.rows.extend(row);
    }
    out
}

fn looks_like_address(text: &str) -> bool {
    text.len() <= 320
        && text
            .rsplit_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'))
        && !text.contains(char::is_whitespace)
}

/// A day from the cell: `YYYY-MM-DD` (with a time after it, RFC 3339), Unix seconds or
/// milliseconds, or an RFC 5322 date.
fn parse_day(cell: &str) -> Option<i64> {
    let cell = cell.trim();
    if cell.is_empty() {
        return None;
    }
    if let Some(head) = cell.get(..10)
        && let Ok(date) = head.parse::<jiff::civil::Date>()
    {
        return Some(date_day(date));
    }
    if let Ok(number) = cell.parse::<i64>() {
        let seconds = if number > 100_000_000_000 {
            number / 1000
        } else {
            number
        };
        return Some(seconds.div_euclid(crate::reports::DAY_SECONDS));
    }
    mail_parser::DateTime::parse_rfc822(cell)
        .filter(|d| d.is_valid())
        .map(|d| d.to_timestamp().div_euclid(crate::reports::DAY_SECONDS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_export_with_a_header_is_read_by_column_names() {
        let csv = b"created_at,Email,Type,Reason\n2026-11-30T10:00:00Z,Nobody@Example.org,bounce,\"550 5.1.1 User unknown\"\n2026-11-30,full@example.org,bounce,452 4.2.2 Mailbox full\n2026-11-29,ann@example.org,spamreport,\nx,not an address,bounce,550\n";
        let got = csv_events(csv, "export.csv", 0);
        let rows: Vec<_> = got
            .rows
            .iter()
            .map(|r| {
                (
                    r.address.as_str(),
                    r.kind.as_str(),
                    crate::reports::day_to_date(r.day),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("nobody@example.org", "hard", "2026-11-30".to_owned()),
                ("full@example.org", "soft", "2026-11-30".to_owned()),
                ("ann@example.org", "complaint", "2026-11-29".to_owned()),
            ]
        );
        assert_eq!(
            got.skipped,
            [(5, "its address column holds no email address")]
        );
    }

    #[test]
    fn without_a_header_the_columns_are_address_reply_date() {
        let csv = b"a@example.org,550 5.1.1 no such user,1764583200\nb@example.org,421 4.7.28 rate limited\n";
        let got = csv_events(csv, "r.csv", 7);
        assert_eq!(got.rows.len(), 2);
        assert_eq!(got.rows[0].kind, "hard");
        assert_eq!(crate::reports::day_to_date(got.rows[0].day), "2025-12-01");
        assert_eq!((got.rows[1].kind.as_str(), got.rows[1].day), ("rate", 7));
    }

    #[test]
    fn dates_in_the_usual_forms() {
        assert_eq!(parse_day("1970-01-03"), Some(2));
        assert_eq!(parse_day("172800"), Some(2));
        // Milliseconds, as JavaScript and many exports write them: 2025-12-01.
        assert_eq!(parse_day("1764547200000"), Some(20_423));
        assert_eq!(parse_day("Sat, 3 Jan 1970 10:00:00 +0000"), Some(2));
        assert_eq!(parse_day("soon"), None);
    }
}
