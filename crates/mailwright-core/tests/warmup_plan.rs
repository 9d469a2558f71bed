//! The warm-up plan's properties over many inputs, and golden cases against the published
//! schedules (shared/reference/email-facts.md): growth within +25–50 % a sending day, 50,000 a
//! day reached within the 14 days to 6 weeks mailbox providers need.

use jiff::civil::{Weekday, date};
use mailwright_core::warmup::{
    ESP_AUDIENCE_DAYS, ListQuality, ProviderMix, SendingDay, Stream, WarmupDefaults,
    WarmupInputError, WarmupInputs, WhatIsNew, plan, plan_from,
};

fn inputs(target: u32, quality: ListQuality, mix: ProviderMix) -> WarmupInputs {
    WarmupInputs {
        new: WhatIsNew::Both,
        stream: Stream::Marketing,
        esp_automatic: false,
        target,
        start: date(2026, 11, 23),
        quality,
        mix,
        sending_days: Vec::new(),
    }
}

#[test]
fn caps_stay_under_the_target_totals_never_fall_and_growth_stays_in_range() {
    let defaults = WarmupDefaults::default();
    let mixes = [
        ProviderMix::default(),
        ProviderMix {
            gmail: 100,
            microsoft: 0,
            yahoo: 0,
            other: 0,
        },
        ProviderMix {
            gmail: 10,
            microsoft: 10,
            yahoo: 70,
            other: 10,
        },
    ];
    for target in [
        1,
        150,
        500,
        999,
        12_345,
        50_000,
        250_000,
        2_000_000,
        100_000_000,
    ] {
        for quality in [
            ListQuality::Clean,
            ListQuality::Good,
            ListQuality::Poor,
            ListQuality::Unknown,
        ] {
            for mix in mixes {
                let days = plan(&inputs(target, quality, mix), &defaults);
                assert_eq!(days.last().unwrap().total, target, "{target} {quality:?}");
                for pair in days.windows(2) {
                    let (a, b) = (pair[0].total, pair[1].total);
                    assert!(b > a, "totals rise: {a} then {b}");
                    let growth = f64::from(b) / f64::from(a);
                    assert!(growth <= 1.5 + 1e-9, "{a} → {b}");
                    if b < target {
                        assert!(growth >= 1.25 - 1e-3, "{a} → {b}");
                    }
                    assert!(pair[1].date > pair[0].date);
                    assert_eq!(pair[1].day, pair[0].day + 1);
                }
                for day in &days {
                    let caps = day.caps.unwrap();
                    let sum = caps.gmail + caps.microsoft + caps.yahoo + caps.other;
                    assert!(sum <= day.total && day.total <= target, "{day:?}");
                    assert!(day.per_hour.unwrap() * defaults.sending_hours >= day.total);
                }
            }
        }
    }
}

#[test]
fn the_first_week_keeps_the_known_early_caps_and_the_engaged_go_first() {
    let mix = ProviderMix {
        gmail: 10,
        microsoft: 40,
        yahoo: 40,
        other: 10,
    };
    let days = plan(
        &inputs(1_000_000, ListQuality::Clean, mix),
        &WarmupDefaults::default(),
    );
    for day in &days {
        if day.day <= 7 {
            let caps = day.caps.unwrap();
            assert!(caps.yahoo <= 5_000 && caps.microsoft <= 20_000, "{day:?}");
        }
    }
    use mailwright_core::warmup::Segment::*;
    assert_eq!(days[0].segment, Engaged30);
    assert_eq!(days[14].segment, Engaged60);
    assert!(days.iter().take(28).all(|d| d.segment != Engaged90));
}

#[test]
fn only_the_chosen_weekdays_are_sending_days() {
    let mut weekdays = inputs(50_000, ListQuality::Good, ProviderMix::default());
    weekdays.sending_days = vec![
        SendingDay::Mon,
        SendingDay::Tue,
        SendingDay::Wed,
        SendingDay::Thu,
        SendingDay::Fri,
    ];
    let days = plan(&weekdays, &WarmupDefaults::default());
    assert!(
        days.iter()
            .all(|d| !matches!(d.date.weekday(), Weekday::Saturday | Weekday::Sunday))
    );
    // Resuming from a later day keeps the numbering and the volume.
    let rest = plan_from(
        &weekdays,
        &WarmupDefaults::default(),
        2_000,
        6,
        date(2026, 12, 5),
    );
    assert_eq!((rest[0].day, rest[0].total), (6, 2_000));
    assert_eq!(
        rest[0].date,
        date(2026, 12, 7),
        "Saturday the 5th moves to Monday"
    );
}

#[test]
fn golden_the_ramp_matches_the_published_schedules() {
    // Seed 000 §4: 500 on day one. Mailbox providers need 14 days to 6 weeks for a new IP
    // (Amazon SES), and Acelle reaches 50,000 on day 14.
    let days = plan(
        &inputs(50_000, ListQuality::Unknown, ProviderMix::default()),
        &WarmupDefaults::default(),
    );
    assert_eq!(days[0].total, 500);
    let reached = days.iter().find(|d| d.total >= 50_000).unwrap().day;
    assert!(
        (14..=42).contains(&reached),
        "50,000 a day on day {reached}"
    );
    // Delivra: day 2 no more than +50 %; SiteVibes/SendGrid: 1,000 by day 2–5.
    assert_eq!(days[1].total, 750);
    assert!(days[3].total >= 1_000);
}

#[test]
fn bad_inputs_are_named() {
    let d = WarmupDefaults::default();
    let mut bad = inputs(0, ListQuality::Good, ProviderMix::default());
    assert_eq!(bad.validate(&d), Err(WarmupInputError::Target(0)));
    bad.target = 1_000;
    bad.mix.other = 0;
    assert_eq!(bad.validate(&d), Err(WarmupInputError::Mix(80)));
    assert!(bad.validate(&d).unwrap_err().to_string().contains("100 %"));
    bad.mix = ProviderMix {
        gmail: 0,
        microsoft: 0,
        yahoo: 0,
        other: 0,
    };
    assert_eq!(bad.validate(&d), Err(WarmupInputError::EmptyMix));
    bad.mix = ProviderMix::default();
    bad.target = 499;
    let below = bad.validate(&d).unwrap_err().to_string();
    assert!(
        below.contains("“Daily target” (499) is below the first day's volume for this list (500)"),
        "{below}"
    );
    bad.new = WhatIsNew::Nothing;
    assert_eq!(
        bad.validate(&d),
        Ok(()),
        "nothing new: no warm-up, any target"
    );
}

#[test]
fn nothing_new_needs_no_ramp_and_an_esp_warm_up_orders_the_audience_only() {
    let d = WarmupDefaults::default();
    let mut established = inputs(20_000, ListQuality::Good, ProviderMix::default());
    established.new = WhatIsNew::Nothing;
    let days = plan(&established, &d);
    assert_eq!(days.len(), 1);
    assert_eq!(days[0].total, 20_000);

    let mut managed = inputs(20_000, ListQuality::Good, ProviderMix::default());
    managed.esp_automatic = true;
    let days = plan(&managed, &d);
    assert_eq!(days.len() as u32, ESP_AUDIENCE_DAYS);
    assert!(
        days.iter()
            .all(|d| d.caps.is_none() && d.per_hour.is_none())
    );
    use mailwright_core::warmup::Segment::*;
    assert_eq!(days[0].segment, Engaged30);
    assert_eq!(days[41].segment, Engaged90);

    let mut receipts = inputs(20_000, ListQuality::Good, ProviderMix::default());
    receipts.stream = Stream::Transactional;
    assert!(plan(&receipts, &d).iter().all(|d| d.segment == Triggered));
}
