//! The plan for other tools: CSV (the csv crate), an ICS calendar with one all-day event per
//! sending day (the icalendar crate, RFC 5545), and a Postfix rate-limit snippet.

use super::defaults::WarmupDefaults;
use super::plan::{PlanDay, segment_name};

/// A count as text, or "" when the ESP decides it.
fn or_blank(value: Option<u32>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// One row per sending day: day, date, total, per-provider caps, per hour, segment.
pub fn plan_csv(days: &[PlanDay]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record([
        "day",
        "date",
        "total",
        "gmail",
        "microsoft",
        "yahoo",
        "other",
        "per_hour",
        "segment",
    ]);
    for d in days {
        let _ = writer.write_record([
            d.day.to_string(),
            d.date.to_string(),
            d.total.to_string(),
            or_blank(d.caps.map(|c| c.gmail)),
            or_blank(d.caps.map(|c| c.microsoft)),
            or_blank(d.caps.map(|c| c.yahoo)),
            or_blank(d.caps.map(|c| c.other)),
            or_blank(d.per_hour),
            segment_name(d.segment).to_owned(),
        ]);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// An all-day event per sending day with that day's caps and segment.
pub fn plan_ics(days: &[PlanDay], domain: &str) -> String {
    use icalendar::{Calendar, Component, Event, EventLike};
    let mut calendar = Calendar::new();
    calendar.name(&format!("Mailwright warm-up for {domain}"));
    for d in days {
        let Some(date) = chrono::NaiveDate::from_ymd_opt(
            i32::from(d.date.year()),
            u32::try_from(d.date.month()).unwrap_or(1),
            u32::try_from(d.date.day()).unwrap_or(1),
        ) else {
            continue;
        };
        let (summary, description) = match (d.caps, d.per_hour) {
            (Some(caps), Some(per_hour)) => (
                format!("Warm-up day {}: send at most {}", d.day, d.total),
                format!(
                    "Gmail {} · Microsoft {} · Yahoo/AOL {} · others {}. About {per_hour} an hour. Only {}.",
                    caps.gmail,
                    caps.microsoft,
                    caps.yahoo,
                    caps.other,
                    segment_name(d.segment)
                ),
            ),
            _ => (
                format!("Warm-up day {}: audience", d.day),
                format!(
                    "Your email service sets the volume. Send only {}, then enter the day's results in Mailwright.",
                    segment_name(d.segment)
                ),
            ),
        };
        let event = Event::new()
            .uid(&format!("mailwright-warmup-{domain}-day{}", d.day))
            .all_day(date)
            .summary(&summary)
            .description(&description)
            .done();
        calendar.push(event);
    }
    calendar.done().to_string()
}

/// Postfix settings that pace a self-hosted server like the plan's current day: one connection
/// at a time per receiving domain, a delay between messages matching the hourly pace, and a
/// per-client cap (anvil) so one sender cannot exceed the day.
/// `None` when the ESP sets the pace (there is nothing for Postfix to limit).
pub fn postfix_snippet(day: &PlanDay, defaults: &WarmupDefaults) -> Option<String> {
    let per_hour = day.per_hour?.max(1);
    let delay = (3600 / per_hour).max(1);
    let per_minute = per_hour.div_ceil(60).max(1);
    Some(format!(
        "# main.cf — warm-up day {day}: at most {total} messages, about {per_hour} an hour\n\
         # over {hours} sending hours. Change these as the plan advances.\n\
         smtp_destination_concurrency_limit = 1\n\
         smtp_destination_rate_delay = {delay}s\n\
         smtp_extra_recipient_limit = 10\n\
         # Per-client limits of the submission service (anvil), per minute:\n\
         anvil_rate_time_unit = 60s\n\
         smtpd_client_message_rate_limit = {per_minute}\n\
         smtpd_client_recipient_rate_limit = {per_minute}\n",
        day = day.day,
        total = day.total,
        hours = defaults.sending_hours,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::warmup::{ListQuality, ProviderMix, WarmupInputs, plan};

    fn days() -> Vec<PlanDay> {
        let inputs = WarmupInputs {
            new: crate::warmup::WhatIsNew::Ip,
            stream: crate::warmup::Stream::Marketing,
            esp_automatic: false,
            target: 2_000,
            start: jiff::civil::date(2026, 11, 23),
            quality: ListQuality::Good,
            mix: ProviderMix::default(),
            sending_days: Vec::new(),
        };
        plan(&inputs, &WarmupDefaults::default())
    }

    #[test]
    fn csv_has_a_header_and_a_row_per_day() {
        let days = days();
        let text = plan_csv(&days);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(reader.headers().unwrap().get(2), Some("total"));
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), days.len());
        assert_eq!(&rows[0][1], "2026-11-23");
        assert_eq!(&rows[0][2], "500");
    }

    #[test]
    fn ics_has_one_all_day_event_per_sending_day() {
        let days = days();
        let text = plan_ics(&days, "example.com");
        assert_eq!(text.matches("BEGIN:VEVENT").count(), days.len());
        assert!(text.contains("DTSTART;VALUE=DATE:20261123"), "{text}");
        assert!(text.contains("SUMMARY:Warm-up day 1: send at most 500"));
        let snippet = postfix_snippet(&days[0], &WarmupDefaults::default()).unwrap();
        assert!(
            snippet.contains("smtp_destination_rate_delay = 57s"),
            "{snippet}"
        );
    }
}
