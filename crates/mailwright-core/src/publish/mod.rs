//! Publishing the records the wizard produced: written the way each DNS host wants them typed
//! (catalog `catalog/dns_hosts.toml`), as a BIND zone snippet, and as a hand-off page for
//! whoever manages the DNS; then proven published at the domain's own name servers and through
//! the resolver.

mod collect;
mod handoff;
mod hosts;
mod present;
mod verify;
mod zone;

pub use collect::{PublishSet, collect_records};
pub use handoff::{HandoffFormat, handoff_html, handoff_markdown, present_all};
pub use hosts::{DnsHost, dns_host, dns_hosts, known_dns_host};
pub use present::{PresentedRecord, in_zone, present, quoted_strings};
pub use verify::{
    CheckPlan, ENV_NS_PORT, RecordCheck, RecordState, VerifyNotice, VerifyRound, VerifySettings,
    authoritative_servers, check_round, difference, verify_until_published,
};
pub use zone::zone_snippet;
