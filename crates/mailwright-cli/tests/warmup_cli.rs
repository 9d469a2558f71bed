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
