//! Test fixtures for Mailwright: real servers on loopback that tests start themselves, and the
//! demo domains they serve.

pub mod bounces;
mod dns_server;
mod files;
pub mod fixtures;
mod golden;
mod held_stream;
mod https_server;
pub mod openspf;
pub mod reports;
mod smtp_server;
mod test_ca;

pub use dns_server::{TestDns, Zone, silent_dns_server};
pub use files::files_containing;
pub use golden::assert_golden;
pub use https_server::PolicyServer;
pub use smtp_server::{Greeting, SMTP_NAME, SmtpScript, SmtpServer, TestCertificate};
pub use test_ca::{ServerCertificate, TestCa, server_config};

/// The folder of real bounce samples (`data/bounces/`: sisimai's set of emails, with its
/// licence).
pub fn bounce_samples() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/bounces")
}

/// The folder of report samples (`data/reports/`: parsedmarc's and mail-auth's, with their
/// licences).
pub fn report_samples() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/reports")
}

/// This process's peak resident memory in MiB (Linux's `VmHWM`), for the benchmarks' memory
/// bounds; `None` where `/proc` is not there.
pub fn peak_resident_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}
