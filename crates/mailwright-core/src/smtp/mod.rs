//! The mail server test (issue 5): the provider catalog, RFC 6186 discovery, and a probe of
//! each port — TLS, certificate, sign-in, relay check, test message — bounded in time and size,
//! with a redacted transcript.

mod auth;
mod certificate;
mod discovery;
mod findings;
mod legacy;
mod message;
mod password;
mod probe;
mod providers;
mod reply;
mod report;
mod request_error;
mod session;
mod setup;
mod target;
mod tls;
mod transcript;

pub use auth::{AuthMechanism, Credentials, explain_refusal};
pub use certificate::{CertificateDetails, CertificateProblem};
pub use discovery::{DiscoveredService, TlsMode, discover_submission};
pub(crate) use message::address;
pub use message::{DkimSigning, MessageOutcome, TestMessage};
pub use password::{
    PasswordBinding, PasswordKeychainError, SavedPassword, delete_password, load_bound,
    load_password, password_account, password_saved, save_bound, save_password,
};
pub use probe::{ProbeLimits, ProbeSink, SmtpTestRequest, test_smtp};
pub use providers::{SmtpProvider, smtp_provider, smtp_providers};
pub use reply::{MAX_LINE_OCTETS, MAX_REPLY_LINES, Reply, ReplyCut, ReplyError, read_reply};
pub use report::{AuthOutcome, MailServerTest, PortReport, ProbeProgress, ProbeStep, RelayOutcome};
pub use request_error::RequestError;
pub use setup::{SmtpSetup, address_domain};
pub use target::{SmtpTarget, Trust, normalize_host};
pub use tls::TlsDetails;
pub use transcript::{Direction, REDACTED, Transcript, TranscriptLine};
