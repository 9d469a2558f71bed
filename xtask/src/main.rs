//! `cargo xtask run` builds and launches Mailwright; `cargo xtask test` runs every check and
//! test, ending with the .deb package check; `cargo xtask bundle` builds and checks the .deb.
//! Each first installs what a fresh Debian/Ubuntu machine is missing.

mod package;
mod prerequisites;
mod shell;
mod tasks;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <run | test | bundle>
  run     install what is missing, build the UI and the app, and open the Mailwright window
  test    install what is missing, then run every check and test (what CI runs)
  bundle  build the release .deb (target/release/bundle/deb/), check it, and as root install,
          launch and remove it";

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
