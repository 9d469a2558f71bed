//! Bounces and refusals: a pasted SMTP reply or a bounce message (a delivery status
//! notification, RFC 3464, or a server's plain-text bounce) explained recipient by recipient —
//! the enhanced status code (RFC 3463), the class (hard, soft, policy, reputation, rate), what
//! happened and the one thing to do, from a catalog of codes and providers' own words
//! (`catalog/bounce_codes.toml`).

mod catalog;
mod dsn;
mod explain;
mod reply;

pub use catalog::BounceClass;
pub use dsn::{BounceError, MAX_BOUNCE_OCTETS, MAX_RECIPIENTS, explain_bounce};
pub use explain::{BounceExplanation, explain_reply};
