//! Shared by the CLI tests: running the binary with no DNS server from the environment.

// Each test binary includes this module and uses only part of it.
#![allow(dead_code)]

use mailwright_testkit::{SMTP_NAME, SmtpServer};
use tokio::process::Command;

/// Runs `mailwright` with `args`; `MAILWRIGHT_NAMESERVER` is removed so only `--nameserver`
/// counts.
pub async fn mailwright(args: &[&str]) -> std::process::Output {
    mailwright_with_env(args, &[]).await
}

/// The same, with the environment variables `env` set.
pub async fn mailwright_with_env(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_mailwright"))
        .args(args)
        .env_remove("MAILWRIGHT_NAMESERVER")
        .envs(env.iter().copied())
        .output()
        .await
        .expect("the mailwright binary runs")
}

/// The testkit SMTP server's CA, in a file for `--ca`.
pub fn ca_file(server: &SmtpServer) -> tempfile::NamedTempFile {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), server.ca_pem()).unwrap();
    file
}

/// `smtp test` of the testkit's `server` (trusting the CA in `ca`), followed by `more`.
pub fn smtp_test_args(
    server: &SmtpServer,
    ca: &tempfile::NamedTempFile,
    more: &[&str],
) -> Vec<String> {
    let port = server.addr().port().to_string();
    let ca = ca.path().to_str().unwrap();
    let base = ["smtp", "test", "--host", "127.0.0.1", "--port", &port];
    base.iter()
        .chain(&["--server-name", SMTP_NAME, "--ca", ca])
        .chain(more)
        .map(|s| s.to_string())
        .collect()
}
