//! `cargo xtask run` builds and launches Mailwright; `cargo xtask test` runs every check and
//! test; `cargo xtask bundle` builds the .deb. Each first installs what a fresh Debian/Ubuntu
//! machine is missing.

mod prerequisites;
mod shell;
mod tasks;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <run | test | bundle>
  run     install what is missing, build the UI and the app, and open the Mailwright window
  test    install what is missing, then run every check and test (what CI runs)
  bundle  build the release .deb package (target/release/bundle/deb/)";

fn main() -> ExitCode {
    let task = std::env::args().nth(1);
    let result = match task.as_deref() {
        Some("run") => tasks::run(),
        Some("test") => tasks::test(),
        Some("bundle") => tasks::bundle(),
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
