//! Bounces and refusals: a pasted SMTP reply or a bounce message (a delivery status
//! notification, RFC 3464, or a server's plain-text bounce) explained recipient by recipient —
//! the enhanced status code (RFC 3463), the class (hard, soft, policy, reputation, rate), what
//! happened and the one thing to do, from a catalog of codes and providers' own words
//! (`catalog/bounce_codes.toml`). A folder of bounces (mbox, `.eml`, Maildir, a CSV of replies)
//! is imported into the local database and becomes the suppression list and each day's counts.

mod catalog;
mod dsn;
mod events;
mod explain;
mod import;
mod replies_csv;
mod reply;
mod rule;
mod setup;
mod suppression;
mod suppression_csv;
mod view;

pub use catalog::BounceClass;
pub use dsn::{BounceError, MAX_BOUNCE_OCTETS, MAX_RECIPIENTS, explain_any, explain_bounce};
pub use explain::{BounceExplanation, explain_reply};
pub use import::{BounceImportProgress, BounceImportSummary, BounceImporter};
pub use replies_csv::MAX_CSV_ROWS;
pub use rule::SuppressionRule;
pub use setup::BouncesSetup;
pub use suppression::{AddressState, ListedAddress, suppression_list};
pub use suppression_csv::suppression_csv;
pub use view::{
    BounceDay, BouncesView, KindCount, MAX_LISTED_ADDRESSES, ProviderCount, bounces_view,
    kind_label,
};
