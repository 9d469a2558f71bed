//! The tracker over generated histories (proptest): the planned volume falls only after a
//! step back or an idle re-warm, caps stay under the target, a pause keeps the history and
//! resuming carries on from the paused day; per-provider entries and CSV imports.

use jiff::ToSpan;
use jiff::civil::{Date, date};
use mailwright_core::warmup::{
    Action, DayEntry, DayResult, ListQuality, Provider, ProviderMix, Stream, TrackerError,
    TrackerState, WarmupDefaults, WarmupInputs, WarmupSetup, WhatIsNew, parse_results_csv,
};
use proptest::prelude::*;

const START: Date = date(2026, 11, 2);

fn setup(target: u32) -> WarmupSetup {
    WarmupSetup::new(
        WarmupInputs {
            new: WhatIsNew::Ip,
            stream: Stream::Marketing,
            esp_automatic: false,
            target,
            start: START,
            quality: ListQuality::Good,
            mix: ProviderMix::default(),
            sending_days: Vec::new(),
        },
        WarmupDefaults::default(),
    )
}

fn result(sent: u32, hard: u32, complaints: u32, blocklisted: bool) -> DayResult {
    DayResult {
        sent,
        delivered: sent - hard,
        hard_bounces: hard,
        complaints,
        blocklisted,
        ..DayResult::default()
    }
}

fn entry(date: Date, result: DayResult) -> DayEntry {
    DayEntry {
        date,
        provider: None,
        result,
    }
}

/// One generated day: how bad it was (0 clean … 4 blocklisted) and the gap to the next day.
fn day_kind() -> impl Strategy<Value = (u8, i64)> {
    (
        0u8..5,
        prop_oneof![8 => Just(1i64), 1 => 2i64..5, 1 => 31i64..40],
    )
}

fn result_of(kind: u8, sent: u32) -> DayResult {
    match kind {
        0 => result(sent, 0, 0, false),
        1 => result(sent, sent / 40, 0, false), // 2.5 % bounces: hold
        2 => result(sent, sent / 25, 0, false), // 4 % bounces: step back
        3 => result(sent, 0, sent / 200, false), // 0.5 % complaints: step back
        _ => result(sent, 0, 0, true),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn volume_falls_only_by_a_rule_and_caps_stay_under_the_target(
        target in 600u32..2_000_000,
        days in proptest::collection::vec(day_kind(), 1..40),
    ) {
        let mut setup = setup(target);
        let mut today = START;
        for (kind, gap) in days {
            let planned = setup.view(today).plan.first().map(|d| d.total).unwrap_or(target);
            match setup.record(entry(today, result_of(kind, planned.max(200))), today) {
                Ok(()) => {}
                Err(TrackerError::Paused(_)) => {
                    let before = setup.days.clone();
                    setup.resume(today).unwrap();
                    prop_assert_eq!(&setup.days, &before, "resuming keeps the history");
                }
                Err(e) => return Err(TestCaseError::fail(e.to_string())),
            }
            today = today.checked_add(gap.days()).unwrap();
        }
        let view = setup.view(today);
        for pair in view.entries.windows(2) {
            if pair[1].planned < pair[0].planned {
                prop_assert!(
                    pair[0].advice.action == Action::StepBack || pair[1].rewarmed,
                    "{} fell to {} after {:?}", pair[0].planned, pair[1].planned, pair[0].advice.action
                );
            }
        }
        for day in &view.plan {
            let caps = day.caps.unwrap();
            prop_assert!(day.total <= target);
            prop_assert!(caps.gmail + caps.microsoft + caps.yahoo + caps.other <= day.total);
        }
        for e in &view.entries {
            prop_assert!(e.planned <= target);
        }
    }
}

#[test]
fn a_pause_keeps_the_history_and_resuming_goes_on_from_the_paused_volume() {
    let mut setup = setup(50_000);
    let d = |n: i64| START.checked_add(n.days()).unwrap();
    setup
        .record(entry(d(0), result(500, 0, 0, false)), d(0))
        .unwrap();
    setup
        .record(entry(d(1), result(750, 0, 0, false)), d(1))
        .unwrap();
    setup
        .record(entry(d(2), result(1125, 0, 0, true)), d(2))
        .unwrap();
    let paused = setup.view(d(3));
    assert_eq!(paused.state, TrackerState::Paused);
    assert!(paused.plan.is_empty());
    assert!(paused.next_step.contains("Resume"), "{}", paused.next_step);

    let before = setup.clone();
    let refused = setup
        .record(entry(d(3), result(10, 0, 0, false)), d(3))
        .unwrap_err();
    assert!(matches!(refused, TrackerError::Paused(_)), "{refused}");
    assert_eq!(setup, before, "a refused entry changes nothing");

    setup.resume(d(5)).unwrap();
    assert!(matches!(setup.resume(d(5)), Err(TrackerError::NotPaused)));
    let resumed = setup.view(d(5));
    assert_eq!(resumed.entries.len(), 3, "the history is kept");
    assert_eq!(resumed.state, TrackerState::Warming);
    assert_eq!(
        (
            resumed.plan[0].day,
            resumed.plan[0].total,
            resumed.plan[0].date
        ),
        (3, 1125, d(5)),
        "the paused day's volume again, from today"
    );
    setup
        .record(entry(d(5), result(1125, 0, 0, false)), d(5))
        .unwrap();
    assert_eq!(setup.view(d(6)).plan[0].total, 1687);
}

#[test]
fn thirty_idle_days_start_the_warm_up_again() {
    let mut setup = setup(50_000);
    let d = |n: i64| START.checked_add(n.days()).unwrap();
    for n in 0..5 {
        let planned = setup.view(d(n)).plan[0].total;
        setup
            .record(entry(d(n), result(planned, 0, 0, false)), d(n))
            .unwrap();
    }
    assert!(setup.view(d(34)).plan[0].total > 2_000);
    let idle = setup.view(d(36));
    assert_eq!(idle.state, TrackerState::Rewarm);
    assert_eq!((idle.plan[0].day, idle.plan[0].total), (1, 500));
    assert!(
        idle.next_step.contains("more than 30 days"),
        "{}",
        idle.next_step
    );
    setup
        .record(entry(d(36), result(500, 0, 0, false)), d(36))
        .unwrap();
    let entries = setup.view(d(37)).entries;
    assert!(entries.last().unwrap().rewarmed);
    assert_eq!(entries.last().unwrap().planned, 500);
}

#[test]
fn per_provider_entries_add_up_and_the_worst_provider_decides() {
    let mut setup = setup(50_000);
    let day = START;
    let at = |provider, result| DayEntry {
        date: day,
        provider: Some(provider),
        result,
    };
    setup
        .record(at(Provider::Gmail, result(300, 0, 0, false)), day)
        .unwrap();
    setup
        .record(
            at(
                Provider::Microsoft,
                DayResult {
                    deferrals: 20,
                    ..result(200, 0, 0, false)
                },
            ),
            day,
        )
        .unwrap();
    let again = setup
        .record(at(Provider::Gmail, result(1, 0, 0, false)), day)
        .unwrap_err();
    assert!(again.to_string().contains("for Gmail"), "{again}");
    let whole = setup
        .record(entry(day, result(1, 0, 0, false)), day)
        .unwrap_err();
    assert!(matches!(whole, TrackerError::Duplicate { .. }));
    let view = setup.view(day);
    let e = &view.entries[0];
    assert_eq!(e.total.sent, 500);
    assert_eq!(e.total.deferrals, 20);
    // 20 of 500 is 4 % in total (under 5 %), but 10 % at Microsoft: hold, naming Microsoft.
    assert_eq!(e.advice.action, Action::Hold);
    assert!(
        e.advice.reason.starts_with("At Microsoft:"),
        "{}",
        e.advice.reason
    );
}

#[test]
fn a_csv_import_is_all_or_nothing_and_names_the_row() {
    let mut setup = setup(50_000);
    setup
        .record(entry(START, result(500, 0, 0, false)), START)
        .unwrap();
    let today = date(2026, 11, 30);
    let good = "date,sent,hard_bounces\n2026-11-03,750,3\n2026-11-04,1125,2\n";
    let rows = parse_results_csv(good).unwrap();
    assert_eq!(setup.record_all(rows, today).unwrap(), 2);
    assert_eq!(setup.days.len(), 3);

    let before = setup.clone();
    let clash = "date,sent\n2026-11-05,1000\n2026-11-04,900\n";
    let error = setup
        .record_all(parse_results_csv(clash).unwrap(), today)
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "Row 3: 2026-11-04 already has results. Remove that day first if you want to enter it again."
    );
    assert_eq!(setup, before, "nothing from the failed file was kept");
    let future = "date,sent\n2026-12-25,1000\n";
    let error = setup
        .record_all(parse_results_csv(future).unwrap(), today)
        .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("Row 2: 2026-12-25 has not happened yet")
    );
    let early = "date,sent\n2026-10-01,1000\n";
    let error = setup
        .record_all(parse_results_csv(early).unwrap(), today)
        .unwrap_err();
    assert!(
        error.to_string().contains("before the warm-up's first day"),
        "{error}"
    );
}
