//! System packages and tools: installed with apt when running as root, otherwise the exact
//! command to run is printed (reference: shared/reference/desktop-build.md).

use std::process::Command;

use crate::shell::{available, cargo, step};

/// Debian/Ubuntu packages needed to build and run the app (WebKitGTK and friends).
pub const BUILD_PACKAGES: &[&str] = &[
    "libwebkit2gtk-4.1-dev",
    "libgtk-3-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "libxdo-dev",
    "libssl-dev",
    "build-essential",
    "pkg-config",
    "file",
];

/// What the package check needs besides the build: a virtual display, `xwininfo`, `import`
/// (all among [`TEST_PACKAGES`] too).
pub const PACKAGE_CHECK_PACKAGES: &[&str] = &["xvfb", "xauth", "x11-utils", "imagemagick"];

/// Extra packages for the tests: a virtual display, the WebKit WebDriver, screenshots.
pub const TEST_PACKAGES: &[&str] = &[
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "imagemagick",
    "x11-utils",
    // A private Secret Service for the keychain tests, and secret-tool to read it back.
    "dbus",
    "gnome-keyring",
    "libsecret-tools",
    // `ss`, to wait for the test mail servers' listeners.
    "iproute2",
    // The real mail servers of tests/e2e/tests/real_smtp.rs (shared/reference/real-servers.md).
    "postfix",
    "dovecot-core",
    // Dovecot's IMAP server: the report mailbox of tests/e2e/tests/real_imap.rs.
    "dovecot-imapd",
    // Dovecot's LMTP server with its quota plugin: the full mailbox Postfix bounces in
    // tests/e2e/tests/real_bounces.rs.
    "dovecot-lmtpd",
    // pdftoppm and pdftotext, to render the PDF report in its test.
    "poppler-utils",
];

/// Makes sure `packages` are installed (Linux with dpkg only; elsewhere see the README).
pub fn ensure_packages(packages: &[&str]) -> Result<(), String> {
    if !cfg!(target_os = "linux") || !available("dpkg-query", "--version") {
        println!(
            "==> Not a Debian/Ubuntu system: install the prerequisites listed in the README by hand."
        );
        return Ok(());
    }
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|p| !is_installed(p))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let list = missing.join(" ");
    if !is_root() {
        return Err(format!(
            "these system packages are missing. Install them, then run the same command again:\n\n    \
             sudo apt-get update && sudo apt-get install -y --no-install-recommends {list}\n"
        ));
    }
    if missing.contains(&"postfix") {
        // Install Postfix without letting it configure this machine's mail system: the tests
        // run their own instance on loopback.
        step(
            "Preseed Postfix (no system configuration)",
            Command::new("sh").args([
                "-c",
                "echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections",
            ]),
        )?;
    }
    step(
        "apt-get update",
        Command::new("apt-get").args(["-o", "DPkg::Lock::Timeout=600", "update"]),
    )?;
    step(
        &format!("apt-get install {list}"),
        Command::new("apt-get")
            .env("DEBIAN_FRONTEND", "noninteractive")
            .args([
                "-o",
                "DPkg::Lock::Timeout=600",
                "install",
                "-y",
                "--no-install-recommends",
            ])
            .args(&missing),
    )
}

/// Installs tauri-driver (the WebDriver bridge for Tauri apps) when it is not on PATH.
pub fn ensure_tauri_driver() -> Result<(), String> {
    if available("tauri-driver", "--help") {
        return Ok(());
    }
    step(
        "cargo install tauri-driver",
        cargo().args(["install", "tauri-driver", "--version", "^2", "--locked"]),
    )
}

/// True when the Debian package `package` is installed.
pub fn is_installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).contains("install ok installed"))
}

/// True when we run as root (apt and dpkg -i need it).
pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}
