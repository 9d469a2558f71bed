//! "Copy diagnostics": what support needs to help — versions, platform, which DNS server is
//! asked, whether the keychain answers, the project's shape and the log's last lines. Never a
//! password or a key: the project holds none, and the log never receives one.

use std::fmt::Write as _;
use std::path::Path;

use crate::dns::{DnsConfig, DnsSettingsView, NameserverSource};
use crate::logs::log_tail;
use crate::project::Project;
use crate::secrets::{SecretError, SecretStore};

/// How many log lines go into the text.
const LOG_LINES: usize = 40;

/// What the diagnostics text is made from.
pub struct DiagnosticsInputs<'a> {
    /// The saved project, if any.
    pub project: Option<&'a Project>,
    /// The DNS server in use and where it came from.
    pub dns: &'a DnsSettingsView,
    /// Whether the keychain answered (see [`keychain_status`]).
    pub keychain: Result<(), SecretError>,
    /// The log folder, when the log runs.
    pub log_dir: Option<&'a Path>,
}

/// Asks the keychain for an item that does not exist: `Ok` when it answers. Blocks.
pub fn keychain_status() -> Result<(), SecretError> {
    SecretStore::system()?
        .get("mailwright:diagnostics-probe")
        .map(|_| ())
}

/// The diagnostics for the saved `project` (if any) and the log in `log_dir`: the DNS server
/// its setting chooses (the system's when the setting no longer parses) and the keychain asked
/// off the async runtime.
pub async fn collect_diagnostics(project: Option<&Project>, log_dir: Option<&Path>) -> String {
    let setting = project.map_or("", |p| p.settings.nameserver.as_str());
    let dns = DnsConfig::choose_with_environment(Some((setting, NameserverSource::Settings)))
        .or_else(|_| DnsConfig::choose_with_environment(None))
        .unwrap_or_default();
    let keychain = crate::secrets::keychain_call(keychain_status).await;
    diagnostics_text(&DiagnosticsInputs {
        project,
        dns: &DnsSettingsView::new(&dns),
        keychain,
        log_dir,
    })
}

/// The diagnostics as plain text to paste into a message to support.
pub fn diagnostics_text(inputs: &DiagnosticsInputs<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Mailwright {} diagnostics, {}",
        env!("CARGO_PKG_VERSION"),
        crate::report::now_rfc3339()
    );
    let _ = writeln!(
        out,
        "System: {} {}",
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    let source = serde_json::to_value(inputs.dns.source)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let _ = writeln!(out, "DNS server: {} (from {source})", inputs.dns.effective);
    let keychain = match &inputs.keychain {
        Ok(()) => "answers".to_owned(),
        Err(SecretError::Unavailable(reason)) => format!("not available ({reason})"),
        Err(SecretError::Locked) => "locked".to_owned(),
        Err(SecretError::Failed(reason)) => format!("refused a lookup ({reason})"),
    };
    let _ = writeln!(out, "Keychain: {keychain}");
    match inputs.project {
        Some(project) => project_lines(&mut out, project),
        None => out.push_str("Project: none saved yet\n"),
    }
    match inputs.log_dir {
        Some(dir) => {
            let _ = writeln!(out, "Log folder: {}", dir.display());
            let tail = log_tail(dir, LOG_LINES);
            let _ = writeln!(out, "Last {} log lines:", tail.len());
            for line in tail {
                let _ = writeln!(out, "  {line}");
            }
        }
        None => out.push_str("Log: not running (the log folder could not be used)\n"),
    }
    out.push_str("No password or private key is in this text: Mailwright never logs them.\n");
    out
}

/// The project's shape: what was set up, not the secrets (it holds none).
fn project_lines(out: &mut String, project: &Project) {
    let or_none = |s: &str| {
        if s.trim().is_empty() {
            "none".to_owned()
        } else {
            s.trim().to_owned()
        }
    };
    let _ = writeln!(
        out,
        "Project: {} (file version {}), DNS host {}",
        or_none(&project.domain),
        project.version,
        or_none(&project.dns_host)
    );
    let dkim = &project.dkim;
    let keys: Vec<String> = dkim
        .keys
        .iter()
        .map(|k| format!("{} {}", k.selector, k.key_label))
        .collect();
    let _ = writeln!(
        out,
        "DKIM: selector {}, keys [{}], in keychain {}, provider {}",
        or_none(&dkim.selector),
        keys.join(", "),
        if dkim.in_keychain { "yes" } else { "no" },
        dkim.provider.as_deref().unwrap_or("none")
    );
    let senders: Vec<&str> = project
        .senders
        .senders
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    let _ = writeln!(out, "Senders: [{}]", senders.join(", "));
    let smtp = &project.smtp;
    let ports: Vec<String> = smtp.ports.iter().map(u16::to_string).collect();
    let _ = writeln!(
        out,
        "Mail server: {} ports [{}], signs in {}, relay check {}",
        or_none(&smtp.host),
        ports.join(", "),
        if smtp.user.trim().is_empty() {
            "no"
        } else {
            "yes"
        },
        if smtp.relay_check { "on" } else { "off" }
    );
    let warmup = match &project.warmup {
        Some(w) => format!("planned, {} day(s) recorded", w.days.len()),
        None => "not planned".to_owned(),
    };
    let _ = writeln!(out, "Warm-up: {warmup}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_setup_and_the_log_and_says_what_failed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("mailwright.2026-11-23.log"),
            "2026-11-23T03:00:00Z  INFO mailwright_core::audit: audit finished\n",
        )
        .unwrap();
        let mut project = Project::new();
        project.domain = "example.com".into();
        project.smtp.host = "smtp.example.com".into();
        project.smtp.ports = vec![465, 587];
        project.smtp.user = "me@example.com".into();
        let dns = DnsSettingsView {
            effective: "127.0.0.1:5353".into(),
            source: NameserverSource::Settings,
            environment: None,
        };
        let text = diagnostics_text(&DiagnosticsInputs {
            project: Some(&project),
            dns: &dns,
            keychain: Err(SecretError::Unavailable(
                "no secret service provider".into(),
            )),
            log_dir: Some(dir.path()),
        });
        assert!(text.starts_with("Mailwright 0.1.0 diagnostics, "), "{text}");
        for line in [
            "DNS server: 127.0.0.1:5353 (from settings)",
            "Keychain: not available (no secret service provider)",
            "Project: example.com (file version 1), DNS host none",
            "Mail server: smtp.example.com ports [465, 587], signs in yes, relay check off",
            "Warm-up: not planned",
            "Last 1 log lines:",
            "  2026-11-23T03:00:00Z  INFO mailwright_core::audit: audit finished",
        ] {
            assert!(text.contains(line), "{line} missing from:\n{text}");
        }
        let without = diagnostics_text(&DiagnosticsInputs {
            project: None,
            dns: &dns,
            keychain: Ok(()),
            log_dir: None,
        });
        assert!(without.contains("Project: none saved yet"));
        assert!(without.contains("Keychain: answers"));
        assert!(without.contains("Log: not running"));
    }
}
