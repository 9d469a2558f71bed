//! SPF (RFC 7208): a strict reader and the lookup walk that counts what receivers count.

mod check;
mod record;
mod walk;

pub use check::{LONG_RECORD_OCTETS, MAX_DNS_LOOKUPS, MAX_VOID_LOOKUPS, SpfCheckReport, check_spf};
pub use record::{Mechanism, Qualifier, SpfRecord, SpfSyntaxError, Term};
pub use walk::{SpfNode, SpfProblem, SpfWalk, walk_spf};
