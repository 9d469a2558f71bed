//! SMTP submission (issue 5, groundwork): the provider catalog, RFC 6186 discovery, a bounded
//! reply reader and the redacting transcript the probe will be built on.

mod discovery;
mod providers;
mod reply;
mod transcript;

pub use discovery::{DiscoveredService, TlsMode, discover_submission};
pub use providers::{SmtpProvider, smtp_provider, smtp_providers};
pub use reply::{MAX_LINE_OCTETS, MAX_REPLY_LINES, Reply, ReplyCut, ReplyError, read_reply};
pub use transcript::{Direction, REDACTED, Transcript, TranscriptLine};
