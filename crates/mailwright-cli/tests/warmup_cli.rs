//! `mailwright warmup plan|advise`: the plan in each format, the verdict with the next day's
//! volume from a saved plan, and bad input named with exit 2.

use std::process::{Command, Output};

fn mailwright(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mailwright"))
        .args(args)
        .output()
        .expect("the mailwright binary runs")
}

#[test]
fn plans_in_every_format_and_advises_from_a_saved_plan() {
    let base = [
        "warmup",
        "plan",
        "--target",
        "20000",
        "--start",
        "2026-11-23",
    ];
    let json = mailwright(&[&base[..], &["--json"]].concat());
    assert_eq!(json.status.code(), Some(0));
    let days: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(days[0]["total"], 500);
    assert_eq!(days.as_array().unwrap().last().unwrap()["total"], 20000);
    let csv = String::from_utf8(mailwright(&[&base[..], &["--csv"]].concat()).stdout).unwrap();
    assert!(csv.starts_with("day,date,total,"), "{csv}");
    let ics = String::from_utf8(mailwright(&[&base[..], &["--ics"]].concat()).stdout).unwrap();
    assert!(ics.contains("BEGIN:VCALENDAR") && ics.contains("DTSTART;VALUE=DATE:20261123"));

    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &json.stdout).unwrap();
    let plan = file.path().to_str().unwrap();
    let ok = mailwright(&[
        "warmup", "advise", "--plan", plan, "--day", "2", "--sent", "750", "--json",
    ]);
    assert_eq!(ok.status.code(), Some(0));
    let advice: serde_json::Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert_eq!(
        (
            advice["advice"]["action"].as_str(),
            advice["next_volume"].as_u64()
        ),
        (Some("advance"), Some(1125))
    );
    let back = mailwright(&[
        "warmup",
        "advise",
        "--plan",
        plan,
        "--day",
        "3",
        "--sent",
        "1000",
        "--complaints",
        "3",
        "--json",
    ]);
    assert_eq!(back.status.code(), Some(1));
    let advice: serde_json::Value = serde_json::from_slice(&back.stdout).unwrap();
    assert_eq!(advice["advice"]["rule"], "step_back_complaint_pct");
    assert_eq!(advice["next_volume"], 750);
}

#[test]
fn bad_input_is_named() {
    let out = mailwright(&[
        "warmup",
        "plan",
        "--target",
        "1000",
        "--start",
        "2026-11-23",
        "--mix",
        "gmail=40,aol=60",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("“aol”"));
    let out = mailwright(&["warmup", "advise", "--sent", "100", "--hard-bounces", "101"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Hard bounces"));
}

#[test]
fn plans_from_a_recipient_list_for_the_chosen_weekdays_with_postfix_limits() {
    let list = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        list.path(),
        "email\nann@gmail.com\nbob@gmail.com\ncarol@outlook.com\ndan@example.org\n",
    )
    .unwrap();
    let base = [
        "warmup",
        "plan",
        "--target",
        "5000",
        "--start",
        "2026-11-28",
        "--new",
        "domain",
        "--stream",
        "both",
        "--days",
        "mon,wed,fri",
        "--recipients",
        list.path().to_str().unwrap(),
    ];
    let json = mailwright(&[&base[..], &["--json"]].concat());
    assert_eq!(json.status.code(), Some(0), "{json:?}");
    let stderr = String::from_utf8_lossy(&json.stderr);
    assert!(stderr.contains("Gmail 50 %, Microsoft 25 %"), "{stderr}");
    let days: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    // Saturday the 28th moves to Monday the 30th; Gmail's cap is half the day.
    assert_eq!(days[0]["date"], "2026-11-30");
    assert_eq!(days[1]["date"], "2026-12-02");
    assert_eq!(days[0]["caps"]["gmail"], 250);
    let text = String::from_utf8(mailwright(&base).stdout).unwrap();
    assert!(text.contains("own subdomain"), "{text}");
    let postfix =
        String::from_utf8(mailwright(&[&base[..], &["--postfix"]].concat()).stdout).unwrap();
    assert!(
        postfix.contains("smtp_destination_rate_delay = 57s"),
        "{postfix}"
    );
    let managed = mailwright(&[&base[..], &["--esp-auto", "--json"]].concat());
    let days: serde_json::Value = serde_json::from_slice(&managed.stdout).unwrap();
    assert!(days[0]["caps"].is_null());
    assert_eq!(days.as_array().unwrap().len(), 42);
}

#[test]
fn a_list_without_addresses_or_a_target_below_the_start_is_named() {
    let list = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(list.path(), "name\nAnn\n").unwrap();
    let empty = mailwright(&[
        "warmup",
        "plan",
        "--target",
        "5000",
        "--start",
        "2026-11-28",
        "--recipients",
        list.path().to_str().unwrap(),
    ]);
    assert_eq!(empty.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&empty.stderr).contains("No email address"));
    let low = mailwright(&["warmup", "plan", "--target", "300", "--start", "2026-11-28"]);
    assert_eq!(low.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&low.stderr).contains("“Daily target” (300)"));
}
