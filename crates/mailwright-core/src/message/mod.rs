//! A message as it was received: its path hop by hop, what the receiver decided, and what
//! Mailwright decides now (DKIM with mail-auth, SPF and DMARC with its own evaluation), against
//! Gmail's, Yahoo's and Microsoft's rules. The message stays on this computer; only findings and
//! header lines are ever kept.

mod auth_results;
mod check;
mod dkim;
mod facts;
mod findings;
mod hops;
mod originals;
mod rules;

pub use crate::dns::ReverseDns;
pub use auth_results::{AuthResult, AuthResults, parse_auth_results};
pub use check::{MessageCheck, ReceiverView, check_message};
pub use dkim::SignatureCheck;
pub use facts::{MAX_MESSAGE_OCTETS, read_hops};
pub use hops::Hop;
pub use originals::{ORIGINAL_SOURCES, OriginalSource, original_sources_text};
pub use rules::RuleCheck;
