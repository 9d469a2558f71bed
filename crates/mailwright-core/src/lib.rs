//! The Mailwright engine: everything the desktop app and the `mailwright` CLI do, without any
//! user interface. Checks produce [`Finding`]s; every network operation takes its target from
//! configuration and has a timeout.

pub mod alignment;
pub mod audit;
pub mod bounces;
pub mod catalog;
pub mod clock;
pub mod diagnostics;
pub mod dkim;
pub mod dmarc;
pub mod dns;
pub mod dns_record;
pub mod domain;
pub mod error;
pub mod files;
pub mod finding;
pub mod html_page;
pub mod logs;
pub mod mbox;
pub mod message;
pub mod mta_sts;
pub mod project;
pub mod publish;
pub mod report;
pub mod reports;
pub mod reputation;
pub mod secrets;
pub mod senders;
pub mod session;
pub mod smtp;
pub mod spf;
pub mod spf_record;
pub mod step;
pub mod stoppable;
pub mod tags;
pub mod test_switch;
mod tls_roots;
pub mod vocabulary;
pub mod warmup;
pub mod weaker;

pub use audit::{Audit, AuditRequest, AuditStatus, run_audit};
pub use domain::{DomainInput, DomainName, Selector, parse_domain_input};
pub use error::{EngineError, UserError};
pub use finding::{Evidence, EvidenceKind, Finding, Severity, Topic};
