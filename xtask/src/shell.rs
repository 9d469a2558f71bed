//! Running commands from the workspace root, each announced before it runs.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// The cargo that runs us, so the same toolchain builds everything.
pub fn cargo() -> Command {
    let mut command = Command::new(cargo_path());
    command.current_dir(root());
    without_incremental_on_ci(&mut command);
    command
}

/// The path of the cargo that runs us (`$CARGO`), else `cargo` from PATH.
pub fn cargo_path() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// On CI (`CI` set) every run starts from a fresh clone, so incremental caches are never reused
/// and only take disk (about a quarter of `target/debug`): turn them off for `command`.
pub fn without_incremental_on_ci(command: &mut Command) {
    if std::env::var_os("CI").is_some() {
        command.env("CARGO_INCREMENTAL", "0");
    }
}

/// A command run from the workspace root.
pub fn command(program: &str) -> Command {
    let mut command = Command::new(program);
    command.current_dir(root());
    command
}

/// Runs `command` under the heading `what`; an error names the step that failed.
pub fn step(what: &str, command: &mut Command) -> Result<(), String> {
    println!("\n==> {what}");
    let status = command
        .status()
        .map_err(|e| format!("{what}: could not start {:?} ({e})", command.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

/// True when `program` can be run (found on PATH and answers `--version` or `--help`).
pub fn available(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok()
}

/// Runs `command` quietly and returns its standard output; a failure carries its error output.
pub fn output(command: &mut Command) -> Result<String, String> {
    let out = command
        .output()
        .map_err(|e| format!("could not run {:?} ({e})", command.get_program()))?;
    if !out.status.success() {
        return Err(format!(
            "{:?} failed: {}",
            command.get_program(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
