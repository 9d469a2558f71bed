//! DMARC (RFC 7489, RFC 9989/9990): a strict reader, policy discovery up the DNS tree, external
//! report authorization, the checker, the composer with its policy ramp, and the decision for
//! one message.

mod check;
mod compose;
mod discovery;
mod evaluate;
mod external;
mod in_force;
mod record;

pub(crate) use check::dmarc_findings;
pub use check::{DmarcCheckReport, check_dmarc};
pub use compose::{
    DmarcComposeError, DmarcComposeRequest, DmarcComposition, RampStage, ReportAuthorization,
    WEEKS_AT_NONE, WEEKS_AT_QUARANTINE, bad_report_addresses, compose_dmarc,
};
pub use discovery::{Discovery, discover, is_dmarc, tree_walk_targets};
pub use evaluate::{
    DkimIdentity, DmarcEvaluation, DmarcFacts, DmarcMessage, DmarcResult, PolicyFound, PolicyTag,
    SpfIdentity, decide, evaluate_dmarc,
};
pub(crate) use evaluate::{dmarc_facts, temperror};
pub use external::{authorization_name, external_destinations, same_organization};
pub use in_force::published_dmarc;
pub use record::{
    AlignmentMode, DiscardedTag, DmarcPolicy, DmarcRecord, DmarcSyntaxError, report_domain,
};
