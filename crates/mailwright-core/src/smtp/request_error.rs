//! What the mail server test refuses to do as asked, each with what to change.

use thiserror::Error;

/// A request the test cannot carry out as given.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum RequestError {
    /// An address is not usable.
    #[error("The {field} “{value}” is not an email address. Type one like you@example.com.")]
    Address {
        /// Which field: "From address", "test recipient".
        field: &'static str,
        /// What was typed.
        value: String,
    },
    /// A test message needs a sign-in.
    #[error(
        "A test message is only sent after signing in. Enter your user name and password (or token), or clear the test recipient."
    )]
    MessageNeedsSignIn,
    /// No port to test.
    #[error("Choose at least one port to test (465, 587 or 25).")]
    NoPorts,
    /// A user name with nothing to sign in with.
    #[error(
        "There is no password for {0} in your keychain. Type it once (Mailwright keeps it in the keychain), or pass it with --password-stdin."
    )]
    NoPassword(String),
    /// A password is saved, but for another server, certificate name, trust or DNS server: it
    /// was not used; the sentence says what changed.
    #[error("{0}")]
    PasswordAgain(String),
    /// A port whose TLS mode is not known and was not chosen.
    #[error(
        "Choose how port {0} starts encryption: TLS from the first byte (as on 465) or STARTTLS (as on 587). Your provider's settings page says which."
    )]
    UnknownTls(u16),
    /// Neither a host nor a provider.
    #[error("Say which mail server to test: a host name, or a provider from the list.")]
    NoHost,
    /// A provider id not in the catalog.
    #[error(
        "“{0}” is not in the provider list; run `mailwright smtp providers` to see the ids, or give --host."
    )]
    UnknownProvider(String),
    /// A user name that cannot be used.
    #[error("The user name must not be empty or contain spaces or line breaks.")]
    User,
}

impl crate::error::FeatureError for RequestError {
    fn code(&self) -> &'static str {
        match self {
            RequestError::PasswordAgain(_) => "password_again",
            _ => "invalid_smtp_request",
        }
    }
}
