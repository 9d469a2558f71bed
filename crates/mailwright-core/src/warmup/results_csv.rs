//! Results imported from a CSV file (an ESP's daily statistics export, or a sheet the user
//! keeps): a header row naming the columns, then one row per day or per day and provider.

use super::entry::{DayEntry, DayEntryForm};
use super::provider::Provider;
use super::tracker::TrackerError;

/// Columns a results file must have.
const REQUIRED: [&str; 2] = ["date", "sent"];

/// Every column the importer reads; others are ignored.
pub const RESULT_COLUMNS: [&str; 9] = [
    "date",
    "provider",
    "sent",
    "delivered",
    "hard_bounces",
    "soft_bounces",
    "complaints",
    "deferrals",
    "blocklisted",
];

/// A header as written ("Hard bounces", "hard-bounces") in our spelling.
fn column_name(header: &str) -> String {
    header
        .trim()
        .trim_start_matches('\u{feff}')
        .to_ascii_lowercase()
        .replace([' ', '-'], "_")
}

/// Reads every row of a results file; the first bad one is named with its row number.
pub fn parse_results_csv(text: &str) -> Result<Vec<(usize, DayEntry)>, TrackerError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|_| {
            TrackerError::Csv("The file is not a CSV file (comma-separated text).".into())
        })?
        .iter()
        .map(column_name)
        .collect();
    for column in REQUIRED {
        if !headers.iter().any(|h| h == column) {
            return Err(TrackerError::Csv(format!(
                "The file has no “{column}” column. Its first line must name the columns, for example: {}.",
                RESULT_COLUMNS.join(",")
            )));
        }
    }
    let mut entries = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|e| TrackerError::Row {
            row: e
                .position()
                .map_or(index + 2, |p| usize::try_from(p.line()).unwrap_or(0)),
            error: Box::new(TrackerError::Csv(
                "the line cannot be read as CSV (check its quotes).".into(),
            )),
        })?;
        // The line in the file, blank lines included (the header is line 1).
        let row = record
            .position()
            .map_or(index + 2, |p| usize::try_from(p.line()).unwrap_or(0));
        if record.iter().all(str::is_empty) {
            continue;
        }
        let cell = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .and_then(|i| record.get(i))
                .unwrap_or("")
                .to_owned()
        };
        let at_row = |error: TrackerError| TrackerError::Row {
            row,
            error: Box::new(error),
        };
        let provider = match cell("provider").as_str() {
            "" | "all" | "total" => None,
            text => Some(Provider::parse(text).ok_or_else(|| {
                at_row(TrackerError::Csv(format!(
                    "“{text}” under “provider” is not gmail, microsoft, yahoo or other."
                )))
            })?),
        };
        let blocklisted = match cell("blocklisted").to_ascii_lowercase().as_str() {
            "" | "0" | "no" | "false" => false,
            "1" | "yes" | "true" => true,
            text => {
                return Err(at_row(TrackerError::Csv(format!(
                    "“{text}” under “blocklisted” is not yes or no."
                ))));
            }
        };
        let form = DayEntryForm {
            date: cell("date"),
            provider,
            sent: cell("sent"),
            delivered: cell("delivered"),
            hard_bounces: cell("hard_bounces"),
            soft_bounces: cell("soft_bounces"),
            complaints: cell("complaints"),
            deferrals: cell("deferrals"),
            blocklisted,
        };
        let entry = form.read().map_err(|e| at_row(e.into()))?;
        entry.result.validate().map_err(|e| at_row(e.into()))?;
        entries.push((row, entry));
    }
    if entries.is_empty() {
        return Err(TrackerError::Csv(
            "The file has a header but no rows of results.".into(),
        ));
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rows_per_day_and_per_provider() {
        let text = "Date,Provider,Sent,Delivered,Hard bounces,Complaints\n2026-11-23,,500,490,5,0\n\n2026-11-24,gmail,300,299,1,0\n2026-11-24,Outlook,200,200,0,1\n";
        let rows = parse_results_csv(text).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].0, 2);
        assert_eq!(rows[2].0, 5);
        assert_eq!(rows[2].1.provider, Some(Provider::Microsoft));
        assert_eq!(rows[0].1.result.hard_bounces, 5);
    }

    #[test]
    fn names_the_missing_column_or_the_bad_row() {
        let missing = parse_results_csv("date,delivered\n2026-11-23,5\n").unwrap_err();
        assert!(
            missing.to_string().contains("no “sent” column"),
            "{missing}"
        );
        let junk = parse_results_csv("date,sent\n2026-11-23,500\n2026-11-24,lots\n").unwrap_err();
        assert_eq!(
            junk.to_string(),
            "Row 3: “Sent” must be a whole number from 0 to 100,000,000; “lots” is not."
        );
        let too_many = parse_results_csv("date,sent,complaints\n2026-11-23,500,501\n").unwrap_err();
        assert!(
            too_many
                .to_string()
                .starts_with("Row 2: “Complaints” (501)"),
            "{too_many}"
        );
        let provider = parse_results_csv("date,sent,provider\n2026-11-23,5,zoho\n").unwrap_err();
        assert!(provider.to_string().contains("zoho"));
        assert!(parse_results_csv("date,sent\n").is_err());
    }
}
