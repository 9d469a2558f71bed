//! The release .deb: built with the Tauri bundler, then checked the way a user meets it —
//! its control fields and files, and (as root) `dpkg -i`, a launch under Xvfb until the
//! Mailwright window draws, a screenshot, and `dpkg -r`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::prerequisites::{is_installed, is_root};
use crate::shell::{command, output, root, step};

/// The package name the bundler gives the app (from `productName`).
const PACKAGE: &str = "mailwright";
/// Files a user needs from the package: the program, its menu entry and an icon.
const EXPECTED_FILES: &[&str] = &[
    "usr/bin/mailwright-app",
    "usr/share/applications/Mailwright.desktop",
    "usr/share/icons/hicolor/128x128/apps/mailwright-app.png",
];
/// Libraries the window cannot start without.
const EXPECTED_DEPENDS: &[&str] = &["libwebkit2gtk-4.1-0", "libgtk-3-0"];

/// The Tauri CLI that drives the bundler: the prebuilt npm package, at the `tauri` crate's
/// version. Fetched by `npm exec` rather than listed in package.json: this machine's registry
/// holds only its Linux binaries, and `npm ci` refuses a lock file without the others.
const TAURI_CLI: &str = "@tauri-apps/cli@2.12.5";

/// Builds the release .deb with the Tauri CLI and returns its path.
pub fn build_deb() -> Result<PathBuf, String> {
    let dir = root().join("target/release/bundle/deb");
    let _ = std::fs::remove_dir_all(&dir);
    step(
        &format!("Bundle the release .deb ({TAURI_CLI}: tauri build --bundles deb)"),
        command("npm").args([
            "exec",
            "--yes",
            &format!("--package={TAURI_CLI}"),
            "--",
            "tauri",
            "build",
            "--bundles",
            "deb",
        ]),
    )?;
    let debs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("no bundle in {}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "deb"))
        .collect();
    match debs.as_slice() {
        [deb] => Ok(deb.clone()),
        [] => Err(format!("the bundler wrote no .deb to {}", dir.display())),
        _ => Err(format!(
            "the bundler wrote several .deb files to {}",
            dir.display()
        )),
    }
}

/// Checks the package's control fields and files, then installs, launches and removes it.
pub fn check_deb(deb: &Path) -> Result<(), String> {
    println!("\n==> Check the package's control fields and files");
    check_control(deb)?;
    check_files(deb)?;
    println!("    control fields and files are right");
    if !is_root() {
        println!(
            "    Not root: the install test (dpkg -i, launch, dpkg -r) is skipped. Try it with:\n    sudo dpkg -i {}",
            deb.display()
        );
        return Ok(());
    }
    if is_installed(PACKAGE) {
        println!(
            "    The {PACKAGE} package is installed on this machine already: the install test leaves it alone."
        );
        return Ok(());
    }
    step(
        "Install the package (dpkg -i)",
        Command::new("dpkg").arg("-i").arg(deb),
    )?;
    let launched = launch_installed();
    let removed = step(
        "Remove the package (dpkg -r)",
        Command::new("dpkg").args(["-r", PACKAGE]),
    );
    launched?;
    removed?;
    if Path::new("/usr/bin/mailwright-app").exists() {
        return Err("dpkg -r left /usr/bin/mailwright-app behind".into());
    }
    Ok(())
}

fn check_control(deb: &Path) -> Result<(), String> {
    let fields = output(
        Command::new("dpkg-deb")
            .arg("-f")
            .arg(deb)
            .args(["Package", "Depends"]),
    )?;
    match control_problem(&fields) {
        Some(problem) => Err(problem),
        None => Ok(()),
    }
}

/// What is wrong with the control fields `Package` and `Depends` (as `dpkg-deb -f` prints
/// them): another name, a dependency listed twice, or a library the window needs missing.
fn control_problem(fields: &str) -> Option<String> {
    let field = |name: &str| {
        fields
            .lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(": "))
            .map(str::trim)
            .unwrap_or("")
    };
    if field("Package") != PACKAGE {
        return Some(format!(
            "the package is named {:?}, not {PACKAGE}",
            field("Package")
        ));
    }
    let depends: Vec<&str> = field("Depends")
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .collect();
    let listing = depends.join(", ");
    if let Some((_, d)) = depends
        .iter()
        .enumerate()
        .find(|(i, d)| depends[..*i].contains(d))
    {
        return Some(format!("Depends lists {d} twice: {listing}"));
    }
    EXPECTED_DEPENDS
        .iter()
        .find(|needed| {
            !depends
                .iter()
                .any(|d| d.split_whitespace().next() == Some(needed))
        })
        .map(|needed| format!("Depends does not list {needed}: {listing}"))
}

fn check_files(deb: &Path) -> Result<(), String> {
    let listing = output(Command::new("dpkg-deb").arg("-c").arg(deb))?;
    let paths: Vec<&str> = listing
        .lines()
        .filter_map(|l| l.split_whitespace().last())
        .map(|p| p.trim_start_matches("./"))
        .collect();
    match EXPECTED_FILES.iter().find(|f| !paths.contains(f)) {
        Some(missing) => Err(format!("the package has no {missing}")),
        None => Ok(()),
    }
}

/// Launches the installed `/usr/bin/mailwright-app` in a throwaway home under Xvfb, waits for
/// its window, screenshots it and fails when the window never appears or stays blank.
fn launch_installed() -> Result<(), String> {
    let home = root().join("target/xtask-package-home");
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(home.join("run"))
        .map_err(|e| format!("could not create {} ({e})", home.display()))?;
    let shots = root().join("target/e2e-screenshots");
    std::fs::create_dir_all(&shots)
        .map_err(|e| format!("could not create {} ({e})", shots.display()))?;
    let shot = shots.join("90-installed-package.png");
    let _ = std::fs::remove_file(&shot);
    // The window title is "Mailwright"; 60 s is ample for the first start of WebKit.
    let script = r#"
        /usr/bin/mailwright-app & app=$!
        shown=no
        for _ in $(seq 60); do
            if xwininfo -root -tree | grep -q '"Mailwright"'; then shown=yes; break; fi
            kill -0 "$app" 2>/dev/null || break
            sleep 1
        done
        [ "$shown" = yes ] && sleep 5 && import -window root "$SHOT"
        kill "$app" 2>/dev/null; wait "$app" 2>/dev/null
        [ "$shown" = yes ] || { echo "the Mailwright window did not appear"; exit 1; }
    "#;
    let result = step(
        "Launch the installed app under Xvfb",
        Command::new("xvfb-run")
            .args(["-a", "-s", "-screen 0 1280x800x24", "sh", "-c", script])
            .env("SHOT", &shot)
            .env("HOME", &home)
            .env("XDG_RUNTIME_DIR", home.join("run"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_CACHE_HOME", home.join("cache")),
    );
    let _ = std::fs::remove_dir_all(&home);
    result?;
    let colours = output(
        Command::new("convert")
            .arg(&shot)
            .args(["-format", "%k", "info:"]),
    )?;
    let colours: u32 = colours.trim().parse().unwrap_or(0);
    // A blank or failed webview is one or two colours; the wizard draws hundreds.
    if colours < 50 {
        return Err(format!(
            "the installed app's window looks blank ({colours} colours): {}",
            shot.display()
        ));
    }
    println!(
        "    the window drew ({colours} colours): {}",
        shot.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::control_problem;

    #[test]
    fn the_bundlers_control_fields_pass() {
        let fields = "Package: mailwright\nDepends: libwebkit2gtk-4.1-0, libgtk-3-0\n";
        assert_eq!(control_problem(fields), None);
    }

    #[test]
    fn a_dependency_listed_twice_is_named() {
        let fields = "Package: mailwright\nDepends: libwebkit2gtk-4.1-0, libgtk-3-0, libwebkit2gtk-4.1-0, libgtk-3-0\n";
        let problem = control_problem(fields).unwrap();
        assert!(
            problem.starts_with("Depends lists libwebkit2gtk-4.1-0 twice"),
            "{problem}"
        );
    }

    #[test]
    fn a_missing_webkit_or_another_name_is_named() {
        let missing = control_problem("Package: mailwright\nDepends: libgtk-3-0\n").unwrap();
        assert!(
            missing.contains("does not list libwebkit2gtk-4.1-0"),
            "{missing}"
        );
        let renamed = control_problem("Package: mailwright-app\nDepends: libgtk-3-0\n").unwrap();
        assert!(renamed.contains("not mailwright"), "{renamed}");
    }
}
