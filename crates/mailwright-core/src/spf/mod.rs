//! SPF (RFC 7208): a strict reader and the lookup walk that counts what receivers count.

mod check;
mod check_host;
mod compose;
mod cross_check;
mod fixes;
mod lookups;
mod macros;
mod presence;
mod setup;
mod simulate;
mod verdict;
mod walk;

pub use crate::spf_record::{Mechanism, Qualifier, SpfRecord, SpfSyntaxError, Term};
pub(crate) use check::findings;
pub use check::{LONG_RECORD_OCTETS, MAX_DNS_LOOKUPS, MAX_VOID_LOOKUPS, SpfCheckReport, check_spf};
pub use check_host::{SpfEvaluation, SpfQuery, check_host};
pub use compose::{
    AllPolicy, ComposedTerm, SpfComposeRequest, SpfComposition, SubdomainSpf, TermOrigin,
    compose_spf,
};
pub use cross_check::{SpfCrossCheck, check_spf_for_message, cross_check_spf, parse_ip_address};
pub use fixes::{SpfFix, SpfFixKind, propose_fixes};
pub use presence::is_spf;
pub use setup::SpfSetup;
pub use simulate::{SpfSimulation, published_spf, simulate_from_published, simulate_spf};
pub use verdict::SpfVerdict;
pub use walk::{
    MAX_WALK_NODES, MAX_WALK_QUERIES, SpfNode, SpfProblem, SpfWalk, walk_record, walk_spf,
};
