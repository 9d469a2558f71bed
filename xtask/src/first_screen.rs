//! `cargo xtask first-screen [RUNS]`: Mailwright's first screen and idle memory, measured
//! side by side with a bare Tauri 2 app (`xtask/bare-app/`: one command, one page drawn after
//! its first IPC answer). Both are built in release mode; `tests/e2e/src/bin/first_screen.rs`
//! launches each RUNS times through tauri-driver under Xvfb at 1280×800, alternating, and
//! prints the medians and the ratios.

use std::process::Command;

use crate::prerequisites::{BUILD_PACKAGES, TEST_PACKAGES};
use crate::prerequisites::{ensure_packages, ensure_tauri_driver};
use crate::shell::{cargo, root, step};
use crate::tasks::build_ui;

/// Builds both apps and the measurement, then measures.
pub fn first_screen(runs: Option<&str>) -> Result<(), String> {
    let runs = runs.unwrap_or("7");
    if runs.parse::<u32>().map_or(true, |n| n == 0) {
        return Err(format!(
            "the number of runs is a positive whole number, not “{runs}”"
        ));
    }
    let mut packages = BUILD_PACKAGES.to_vec();
    packages.extend_from_slice(TEST_PACKAGES);
    ensure_packages(&packages)?;
    ensure_tauri_driver()?;
    build_ui()?;
    step(
        "Build Mailwright (release)",
        cargo().args([
            "build",
            "--release",
            "-p",
            "mailwright-app",
            "-p",
            "mailwright-e2e",
        ]),
    )?;
    let bare = root().join("xtask/bare-app");
    // The bare app is its own workspace; Mailwright's lock file makes it use the same Tauri.
    let lock = bare.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(root().join("Cargo.lock"), &lock)
            .map_err(|e| format!("could not copy Cargo.lock to {} ({e})", lock.display()))?;
    }
    step(
        "Build the bare Tauri app (release)",
        cargo()
            .args(["build", "--release", "--manifest-path"])
            .arg(bare.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", root().join("target/bare-app")),
    )?;
    step(
        "Measure the first screen and idle memory under Xvfb (1280×800)",
        Command::new("xvfb-run")
            .args(["-a", "-s", "-screen 0 1280x800x24"])
            .arg(root().join("target/release/first_screen"))
            .arg(root().join("target/release/mailwright-app"))
            .arg(root().join("target/bare-app/release/bare-tauri-app"))
            .arg(runs),
    )
}
