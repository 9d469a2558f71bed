//! Mailwright's one clock: every date and time the engine, the app and the command line use
//! (selectors, rotation and DMARC ramp dates, the warm-up's day, the MTA-STS id, the report's
//! time, a test message's Date) comes from here. In a debug build `MAILWRIGHT_NOW` (RFC 3339,
//! such as `2026-11-02T09:00:00Z`) sets it, so end-to-end tests can run on a fixed day; in the
//! release build it is always the computer's clock ([`crate::test_switch`]).

use jiff::civil::Date;
use jiff::{Timestamp, Zoned};

/// The test switch that fixes the clock in debug builds.
pub const ENV_NOW: &str = "MAILWRIGHT_NOW";

/// Now.
pub fn now() -> Timestamp {
    fixed(crate::test_switch::test_switch(ENV_NOW).as_deref()).unwrap_or_else(Timestamp::now)
}

/// Today's date in the computer's time zone.
pub fn today() -> Date {
    now().to_zoned(jiff::tz::TimeZone::system()).date()
}

/// Now in the computer's time zone.
pub fn now_here() -> Zoned {
    now().to_zoned(jiff::tz::TimeZone::system())
}

fn fixed(text: Option<&str>) -> Option<Timestamp> {
    text?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_reads_rfc_3339_and_ignores_anything_else() {
        assert_eq!(
            fixed(Some("2026-11-02T09:00:00Z")).map(|t| t.as_second()),
            Some(1_793_610_000)
        );
        assert_eq!(fixed(Some("tomorrow")), None);
        assert_eq!(fixed(None), None);
    }
}
