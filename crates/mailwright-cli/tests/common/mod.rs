//! Shared by the CLI tests: running the binary with no DNS server from the environment.

use tokio::process::Command;

/// Runs `mailwright` with `args`; `MAILWRIGHT_NAMESERVER` is removed so only `--nameserver`
/// counts.
pub async fn mailwright(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_mailwright"))
        .args(args)
        .env_remove("MAILWRIGHT_NAMESERVER")
        .output()
        .await
        .expect("the mailwright binary runs")
}
