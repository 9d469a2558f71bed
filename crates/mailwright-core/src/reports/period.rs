//! Days as the reports count them: UTC days numbered from the Unix epoch, shown as
//! YYYY-MM-DD.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::ReportsError;

/// Seconds in a day.
pub const DAY_SECONDS: i64 = 86_400;

/// The UTC day number of a Unix time.
pub fn day_of(unix: i64) -> i64 {
    unix.div_euclid(DAY_SECONDS)
}

/// A day number as YYYY-MM-DD.
pub fn day_to_date(day: i64) -> String {
    Timestamp::from_second(day.saturating_mul(DAY_SECONDS))
        .map(|t| t.to_zoned(TimeZone::UTC).date().to_string())
        .unwrap_or_else(|_| day.to_string())
}

/// The day number of a YYYY-MM-DD date.
pub fn date_to_day(text: &str) -> Result<i64, ReportsError> {
    let date: Date = text
        .trim()
        .parse()
        .map_err(|_| ReportsError::Date(text.to_owned()))?;
    date.to_zoned(TimeZone::UTC)
        .map(|z| day_of(z.timestamp().as_second()))
        .map_err(|_| ReportsError::Date(text.to_owned()))
}

/// A period of whole UTC days, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    /// The first day.
    pub from: i64,
    /// The last day.
    pub to: i64,
}

impl Period {
    /// The `days` days ending with the day of `now` (Unix seconds).
    pub fn last_days(now: i64, days: u32) -> Period {
        let to = day_of(now);
        Period {
            from: to - i64::from(days.max(1)) + 1,
            to,
        }
    }

    /// From `since` (YYYY-MM-DD) to the day of `now`.
    pub fn since(since: &str, now: i64) -> Result<Period, ReportsError> {
        let from = date_to_day(since)?;
        Ok(Period {
            from,
            to: day_of(now).max(from),
        })
    }

    /// How many days it spans.
    pub fn days(&self) -> i64 {
        self.to - self.from + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip_through_dates() {
        let day = date_to_day("2026-12-01").unwrap();
        assert_eq!(day_to_date(day), "2026-12-01");
        assert_eq!(day_of(1_764_547_200), date_to_day("2025-12-01").unwrap());
        assert!(date_to_day("1st of May").is_err());
        let p = Period::last_days(1_764_547_200 + 5, 30);
        assert_eq!((p.days(), day_to_date(p.to)), (30, "2025-12-01".to_owned()));
    }
}
