//! Shared by the CLI tests: running the binary with no DNS server from the environment.

// Each test binary includes this module and uses only part of it.
#![allow(dead_code)]

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
