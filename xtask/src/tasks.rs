//! The two tasks: run the app, and test everything.

use crate::package::{build_deb, check_deb};
use crate::prerequisites::{
    BUILD_PACKAGES, PACKAGE_CHECK_PACKAGES, TEST_PACKAGES, ensure_packages, ensure_tauri_driver,
};
use crate::shell::{cargo, cargo_path, command, output, root, step, without_incremental_on_ci};

/// Installs what is missing, builds the UI (when its sources changed) and the app, and opens
/// the window. The app is built as `cargo xtask test` builds it (the whole workspace, one
/// feature set), so after a test run nothing is compiled again.
pub fn run() -> Result<(), String> {
    ensure_packages(BUILD_PACKAGES)?;
    build_ui()?;
    step(
        "Build the app",
        cargo().args(["build", "--workspace", "--bin", "mailwright-app"]),
    )?;
    let app = root()
        .join("target/debug")
        .join(format!("mailwright-app{}", std::env::consts::EXE_SUFFIX));
    step("Open Mailwright", &mut command(&app.display().to_string()))
}

/// Builds the release .deb with the Tauri bundler (icons from `icons/`) and checks it: control
/// fields, files, and as root an install, a launch under Xvfb and a removal. macOS and Windows
/// bundles are built on those systems (README, "Packages").
pub fn bundle() -> Result<(), String> {
    let mut packages = BUILD_PACKAGES.to_vec();
    packages.extend_from_slice(PACKAGE_CHECK_PACKAGES);
    ensure_packages(&packages)?;
    build_ui()?;
    let deb = build_deb()?;
    check_deb(&deb)?;
    println!(
        "\nBuilt {}\nInstall it with: sudo dpkg -i {}   (then run `mailwright-app` or find Mailwright in the menu)",
        deb.display(),
        deb.display()
    );
    Ok(())
}

/// The property tests over every parser of untrusted input (`tests/fuzz_parsers.rs` and the
/// certificate reader's), `cases` each (default 1,000,000), in an optimized build.
pub fn fuzz(cases: Option<&str>) -> Result<(), String> {
    let cases = cases.unwrap_or("1000000");
    if cases.parse::<u32>().map_or(true, |n| n == 0) {
        return Err(format!(
            "the number of cases is a positive whole number, not “{cases}”"
        ));
    }
    // Every property of tests/fuzz_parsers.rs, then the certificate reader's (a unit test).
    for (what, args) in [
        ("the parsers", &["--test", "fuzz_parsers"][..]),
        (
            "the certificate reader",
            &["--lib", "hostile_certificates"][..],
        ),
    ] {
        let mut run = cargo();
        run.args(["test", "--release", "-p", "mailwright-core"])
            .args(args)
            .env("PROPTEST_CASES", cases);
        without_incremental_on_ci(&mut run);
        step(&format!("Fuzz {what} ({cases} cases each)"), &mut run)?;
    }
    Ok(())
}

/// Installs what is missing, then runs every check and test, stopping at the first failure.
pub fn test() -> Result<(), String> {
    let mut packages = BUILD_PACKAGES.to_vec();
    packages.extend_from_slice(TEST_PACKAGES);
    ensure_packages(&packages)?;
    ensure_tauri_driver()?;
    step(
        "Rust formatting (cargo fmt --check)",
        cargo().args(["fmt", "--all", "--", "--check"]),
    )?;
    build_ui()?;
    step(
        "Rust lints (cargo clippy -D warnings)",
        cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    step(
        "Rust tests (cargo test --workspace)",
        cargo().args(["test", "--workspace"]),
    )?;
    step(
        "SPF conformance: the OpenSPF RFC 7208 suite against check_host() (prints the count)",
        cargo().args([
            "test",
            "--workspace",
            "--test",
            "spf_conformance",
            "--",
            "--nocapture",
        ]),
    )?;
    bindings_are_current()?;
    crate::generate::check_current()?;
    keychain_tests()?;
    step(
        "UI type check (svelte-check)",
        npm().args(["run", "check", "-w", "ui"]),
    )?;
    step("UI lint (eslint)", npm().args(["run", "lint", "-w", "ui"]))?;
    step(
        "UI unit tests (vitest)",
        npm().args(["run", "test", "-w", "ui"]),
    )?;
    step(
        "Build the app for the GUI tests",
        cargo().args(["build", "--workspace", "--all-targets"]),
    )?;
    with_keyring(
        "GUI end-to-end tests (the real window under Xvfb, with a real Secret Service)",
        &format!(
            "exec xvfb-run -a -s '-screen 0 1280x800x24' \"$CARGO\" test --workspace {} -- --ignored --test-threads=1",
            e2e_test_targets()?
        ),
    )?;
    let deb = build_deb()?;
    check_deb(&deb)?;
    println!("\nAll checks and tests passed. Screenshots: target/e2e-screenshots/");
    Ok(())
}

/// `--test NAME` for each suite in `tests/e2e/tests/`. Every test step passes `--workspace`
/// with its `--test` filters, so cargo resolves features once and builds each crate once (a
/// `-p PACKAGE` run resolves them anew and rebuilds the tree: five copies filled CI's disk).
fn e2e_test_targets() -> Result<String, String> {
    let dir = root().join("tests/e2e/tests");
    let entries =
        std::fs::read_dir(&dir).map_err(|e| format!("could not list {} ({e})", dir.display()))?;
    let mut names: Vec<String> = entries
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let stem = path.file_stem()?.to_str()?.to_owned();
            (path.extension()? == "rs").then_some(stem)
        })
        .collect();
    names.sort();
    Ok(names.iter().map(|name| format!("--test {name} ")).collect())
}

/// The keychain tests against a real Secret Service.
fn keychain_tests() -> Result<(), String> {
    with_keyring(
        "Keychain tests (a real Secret Service under dbus-run-session)",
        "exec \"$CARGO\" test --workspace --test keychain --test report_keychain -- --ignored",
    )
}

/// Runs the shell command `script` in a private D-Bus session with gnome-keyring unlocked
/// headless, in throwaway XDG directories (never the user's keyring). `$CARGO` is set.
fn with_keyring(title: &str, script: &str) -> Result<(), String> {
    let dir = root().join("target/xtask-keyring");
    let _ = std::fs::remove_dir_all(&dir);
    let runtime = dir.join("run");
    std::fs::create_dir_all(&runtime)
        .map_err(|e| format!("could not create {} ({e})", runtime.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| format!("could not protect {} ({e})", runtime.display()))?;
    }
    let script = format!(
        "printf %s mailwright-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && {script}"
    );
    let mut session = command("dbus-run-session");
    session
        .args(["--", "sh", "-c", &script])
        .env("CARGO", cargo_path())
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CONFIG_HOME", dir.join("config"));
    without_incremental_on_ci(&mut session);
    let result = step(title, &mut session);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn npm() -> std::process::Command {
    command("npm")
}

/// `npm ci` when node_modules is missing or older than the lockfile, then the UI build when
/// any of its sources is newer than the last build (the app embeds `ui/dist`: rebuilding it
/// for nothing would also rebuild the app).
pub fn build_ui() -> Result<(), String> {
    let lock = root().join("package-lock.json");
    let installed = root().join("node_modules/.package-lock.json");
    let modified = |p: &std::path::Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    if modified(&installed).is_none() || modified(&installed) < modified(&lock) {
        step(
            "Install the UI's packages (npm ci)",
            npm().args(["ci", "--no-audit", "--no-fund"]),
        )?;
    }
    let built = modified(&root().join("ui/dist/index.html"));
    let sources = [
        "ui/src",
        "ui/index.html",
        "ui/package.json",
        "ui/vite.config.ts",
        "ui/tsconfig.json",
        "ui/svelte.config.js",
        "package-lock.json",
    ]
    .iter()
    .map(|p| newest(&root().join(p)))
    .max()
    .flatten();
    if built.is_some() && sources.is_some() && built > sources {
        println!("\n==> The UI is up to date (ui/dist is newer than its sources)");
        return Ok(());
    }
    step(
        "Build the UI (vite build)",
        npm().args(["run", "build", "-w", "ui"]),
    )
}

/// The newest modification time of `path` or of any file below it.
fn newest(path: &std::path::Path) -> Option<std::time::SystemTime> {
    let meta = std::fs::metadata(path).ok()?;
    let own = meta.modified().ok();
    if !meta.is_dir() {
        return own;
    }
    std::fs::read_dir(path)
        .ok()?
        .filter_map(|entry| newest(&entry.ok()?.path()))
        .chain(own)
        .max()
}

/// The TypeScript types in ui/src/lib/bindings are generated from Rust by `cargo test`
/// (ts-rs); committed copies must match.
fn bindings_are_current() -> Result<(), String> {
    if !root().join(".git").exists() {
        return Ok(());
    }
    let changes =
        output(command("git").args(["status", "--porcelain", "--", "ui/src/lib/bindings"]))?;
    if changes.trim().is_empty() {
        println!("\n==> Generated TypeScript bindings are up to date");
        Ok(())
    } else {
        Err(format!(
            "the TypeScript bindings generated from Rust differ from the committed ones; commit them:\n{changes}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::newest;

    #[test]
    fn the_newest_time_is_that_of_the_newest_file_below() {
        let dir = std::env::temp_dir().join(format!("xtask-newest-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("a/b")).unwrap();
        std::fs::write(dir.join("old.txt"), "").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(dir.join("a/b/new.txt"), "").unwrap();
        let new = std::fs::metadata(dir.join("a/b/new.txt"))
            .unwrap()
            .modified()
            .unwrap();
        assert!(newest(&dir).unwrap() >= new);
        assert_eq!(newest(&dir.join("missing")), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
