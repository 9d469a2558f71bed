//! `cargo xtask run` builds and launches Mailwright; `cargo xtask test` runs every check and
//! test, ending with the .deb package check; `cargo xtask bundle` builds and checks the .deb;
//! `cargo xtask fuzz` runs the parsers' property tests a million times each; `cargo xtask
//! first-screen` measures the first screen and idle memory beside a bare Tauri app.
//! Each first installs what a fresh Debian/Ubuntu machine is missing.

mod first_screen;
mod generate;
mod package;
mod prerequisites;
mod shell;
mod tasks;

use std::process::ExitCode;

const USAGE: &str =
    "usage: cargo xtask <run | test | bundle | fuzz [CASES] | generate | first-screen [RUNS]>
  run     install what is missing, build the UI and the app, and open the Mailwright window
  test    install what is missing, then run every check and test (what CI runs)
  bundle  build the release .deb (target/release/bundle/deb/), check it, and as root install,
          launch and remove it
  generate  write the window's interface from the #[tauri::command] functions (registration,
          access-control list, capabilities, the TypeScript client ui/src/lib/commands.ts)
  first-screen [RUNS]  Mailwright's first screen and idle memory beside a bare Tauri 2 app,
          both in release mode under Xvfb (median of RUNS, default 7)
  fuzz    the property tests of every parser of untrusted input, CASES each (default
          1,000,000; the SPF walk over generated zones a tenth of that), optimized";

fn main() -> ExitCode {
    let task = std::env::args().nth(1);
    let result = match task.as_deref() {
        Some("run") => tasks::run(),
        Some("test") => tasks::test(),
        Some("bundle") => tasks::bundle(),
        Some("generate") => generate::generate(),
        Some("first-screen") => first_screen::first_screen(std::env::args().nth(2).as_deref()),
        Some("fuzz") => tasks::fuzz(std::env::args().nth(2).as_deref()),
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
