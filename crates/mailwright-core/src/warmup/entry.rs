//! One day's results as the user types them (or as a CSV row has them), read and checked with
//! each bad value named.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::advise::DayResult;
use super::input_error::WarmupInputError;
use super::provider::Provider;

/// The tracker's form: every number as typed, so the engine names what is wrong with it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct DayEntryForm {
    /// The day the mail went out, YYYY-MM-DD.
    pub date: String,
    /// The provider these numbers are for; `None` for the whole day.
    pub provider: Option<Provider>,
    /// Messages sent.
    pub sent: String,
    /// Messages delivered; blank means sent minus bounces.
    pub delivered: String,
    /// Hard bounces.
    pub hard_bounces: String,
    /// Soft bounces.
    pub soft_bounces: String,
    /// Spam complaints.
    pub complaints: String,
    /// Deferrals.
    pub deferrals: String,
    /// Found on a blocklist.
    pub blocklisted: bool,
}

/// A day's results, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayEntry {
    /// The day.
    pub date: Date,
    /// The provider, or `None` for the whole day.
    pub provider: Option<Provider>,
    /// The numbers.
    pub result: DayResult,
}

/// Reads a count: digits with optional thousands separators; blank is `None`.
pub(crate) fn count(field: &str, text: &str) -> Result<Option<u32>, WarmupInputError> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    match cleaned.parse::<u32>() {
        Ok(n) if n <= 100_000_000 => Ok(Some(n)),
        _ => Err(WarmupInputError::Count {
            field: field.to_owned(),
            text: text.trim().to_owned(),
        }),
    }
}

/// Reads a date, YYYY-MM-DD.
pub(crate) fn date(field: &str, text: &str) -> Result<Date, WarmupInputError> {
    text.trim().parse().map_err(|_| WarmupInputError::Date {
        field: field.to_owned(),
        text: text.trim().to_owned(),
    })
}

impl DayEntryForm {
    /// Reads the form; the first bad field is named. Counts are checked against "Sent" when
    /// the day is recorded.
    pub fn read(&self) -> Result<DayEntry, WarmupInputError> {
        let date = date("Date", &self.date)?;
        let sent =
            count("Sent", &self.sent)?.ok_or_else(|| WarmupInputError::Missing("Sent".into()))?;
        let hard_bounces = count("Hard bounces", &self.hard_bounces)?.unwrap_or(0);
        let soft_bounces = count("Soft bounces", &self.soft_bounces)?.unwrap_or(0);
        let delivered = count("Delivered", &self.delivered)?
            .unwrap_or_else(|| sent.saturating_sub(hard_bounces.saturating_add(soft_bounces)));
        Ok(DayEntry {
            date,
            provider: self.provider,
            result: DayResult {
                sent,
                delivered,
                hard_bounces,
                soft_bounces,
                complaints: count("Complaints", &self.complaints)?.unwrap_or(0),
                deferrals: count("Deferrals", &self.deferrals)?.unwrap_or(0),
                blocklisted: self.blocklisted,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(sent: &str, hard: &str) -> DayEntryForm {
        DayEntryForm {
            date: "2026-11-23".into(),
            sent: sent.into(),
            hard_bounces: hard.into(),
            ..DayEntryForm::default()
        }
    }

    #[test]
    fn reads_counts_with_separators_and_fills_delivered() {
        let entry = form("1,000", "20").read().unwrap();
        assert_eq!(entry.result.sent, 1000);
        assert_eq!(entry.result.delivered, 980);
    }

    #[test]
    fn names_the_bad_field() {
        for (sent, hard, field) in [
            ("-5", "", "“Sent”"),
            ("", "", "“Sent”"),
            ("100", "2.5", "“Hard bounces”"),
            ("999999999999", "", "“Sent”"),
        ] {
            let error = form(sent, hard).read().unwrap_err().to_string();
            assert!(error.contains(field), "{error}");
        }
        let mut bad_date = form("10", "");
        bad_date.date = "tomorrow".into();
        assert!(bad_date.read().unwrap_err().to_string().contains("“Date”"));
    }
}
