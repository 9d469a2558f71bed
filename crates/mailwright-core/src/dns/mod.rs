//! DNS: which server to ask, and lookups whose outcome is always one of records, no data,
//! NXDOMAIN, a server failure or a timeout.

mod client;
mod config;
mod failure;
mod outcome;
mod reverse;
mod shared;
mod txt_cache;

pub use client::{DnsClient, LookupProgress, ProgressSink};
pub use config::{
    DEFAULT_DEADLINE, DEFAULT_RETRIES, DEFAULT_TIMEOUT, DnsConfig, DnsSettingsView, ENV_NAMESERVER,
    NameserverSource, environment_nameserver, parse_nameserver,
};
pub use failure::LOOKUP_FAILED;
pub(crate) use failure::lookup_failed;
/// hickory's record types and data, re-exported so the DNS library is named only inside `dns/`.
pub use hickory_proto::rr::rdata::TXT;
/// hickory's record types and data, re-exported so the DNS library is named only inside `dns/`.
pub use hickory_proto::rr::{RData, RecordType};
/// hickory's resolver, for mail-auth's verifier (which asks through one).
pub use hickory_resolver::TokioResolver;
pub use outcome::{Lookup, Outcome, OutcomeKind};
pub use reverse::{ReverseDns, reverse_dns, reverse_name};
pub(crate) use txt_cache::RecordCache;
