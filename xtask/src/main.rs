//! `cargo xtask run` builds and launches Mailwright; `cargo xtask test` runs every check and
//! test. Both first install what a fresh Debian/Ubuntu machine is missing.

mod prerequisites;
mod shell;
mod tasks;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <run | test>
  run    install what is missing, build the UI and the app, and open the Mailwright window
  test   install what is missing, then run every check and test (what CI runs)";

fn main() -> ExitCode {
    let task = std::env::args().nth(1);
    let result = match task.as_deref() {
        Some("run") => tasks::run(),
        Some("test") => tasks::test(),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask: {message}");
            ExitCode::FAILURE
        }
    }
}
