//! Engine errors, each a sentence that says what happened and what to do. A feature module's
//! own errors (DKIM, DMARC, the project file, the keychain…) stay in that module: each
//! implements [`FeatureError`] with its code and sentence, and converts into [`EngineError`]
//! through it, so this file imports no feature module.

use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

/// A feature module's error: `Display` is the sentence shown to people, `code` a stable code.
pub trait FeatureError: std::error::Error + Send + Sync + 'static {
    /// A stable code for programs (the UI's tests, the CLI's JSON).
    fn code(&self) -> &'static str;
}

/// Everything the engine can refuse or fail at; `Display` is the sentence shown to people.
#[derive(Debug, Error)]
pub enum EngineError {
    /// A DNS server address could not be read.
    #[error(
        "“{0}” is not a DNS server address. Type an IP address, optionally with a port, for example 192.0.2.53 or 192.0.2.53:5353."
    )]
    Nameserver(String),
    /// The operating system's resolver settings could not be used.
    #[error(
        "Could not read this computer's DNS settings ({0}). Enter a DNS server in Settings and try again."
    )]
    SystemResolver(String),
    /// A DNS lookup needed to compose a record failed.
    #[error(
        "The DNS lookup for {0} failed or timed out. Check your connection or the DNS server in Settings and try again."
    )]
    DnsFailed(String),
    /// The domain has no MX records to build an MTA-STS policy from.
    #[error(
        "{0} has no MX records, so there is nothing for an MTA-STS policy to protect. Set up the domain's mail servers first."
    )]
    NoMx(String),
    /// The HTTPS port override is not a port number.
    #[error(
        "MAILWRIGHT_HTTPS_PORT is “{0}”, which is not a port number; set it to a number such as 8443 or remove it."
    )]
    HttpsPort(String),
    /// A CA certificate file could not be read.
    #[error(
        "{0} is not a PEM certificate file. Give the CA certificate in PEM form (-----BEGIN CERTIFICATE-----)."
    )]
    CaFile(String),
    /// An IP address to test could not be read.
    #[error("“{0}” is not an IP address. Type one such as 203.0.113.5 or 2001:db8::5.")]
    IpAddress(String),
    /// An SMTP host name or address could not be read.
    #[error(
        "“{0}” is not a mail server name. Type the host your provider gives, such as smtp.example.com, or an IP address."
    )]
    SmtpHost(String),
    /// An SMTP port could not be read.
    #[error("“{0}” is not a port number. Use 465, 587 or 25, or the port your provider gives.")]
    SmtpPort(String),
    /// A file the user asked for could not be written.
    #[error("Could not write {0}: {1}. Choose a folder you may write to and try again.")]
    Export(String, String),
    /// A feature module's error, with its own code and sentence.
    #[error("{0}")]
    Feature(Box<dyn FeatureError>),
    /// A name the window sent is not in the catalog it was picked from.
    #[error("“{1}” is not {0} Mailwright knows; choose one from the list.")]
    NotInCatalog(&'static str, String),
    /// Something to export or save that does not exist yet.
    #[error("{0}")]
    NothingYet(&'static str),
    /// A date that could not be read.
    #[error("“{0}” is not a date. Write it as YYYY-MM-DD, for example 2026-12-01.")]
    Date(String),
    /// A message file over the size Mailwright reads.
    #[error(
        "The message is {0} bytes, more than the 50 MiB Mailwright reads. Save only its headers (\"Show original\" shows them) and open that."
    )]
    MessageTooLarge(usize),
    /// Text that is not an email message.
    #[error(
        "This is not an email message: it has no header lines such as From: and Received:. Open the original message (.eml), or paste its full source."
    )]
    NotAMessage,
    /// The app refused a path the window sent (the reason says why and what to do).
    #[error("Mailwright did not {action} {path}: {why}")]
    PathRefused {
        /// "write" or "read".
        action: &'static str,
        /// The path.
        path: String,
        /// Why, and the way out, ending the sentence.
        why: &'static str,
    },
    /// The file asked for is already there and replacing it was not confirmed.
    #[error(
        "{0} already exists, and Mailwright replaces a file only when you confirm it. Choose another name, or confirm replacing it (on the command line: add --force)."
    )]
    Exists(String),
    /// A file the user chose could not be read.
    #[error("Could not read {0}: {1}. Choose the file again.")]
    Import(String, String),
}

/// Every feature module's error becomes an engine error with its own code and sentence.
impl<E: FeatureError> From<E> for EngineError {
    fn from(error: E) -> Self {
        EngineError::Feature(Box::new(error))
    }
}

impl EngineError {
    /// The feature module's error of type `E` this is, if it is one.
    pub fn feature<E: FeatureError>(&self) -> Option<&E> {
        match self {
            EngineError::Feature(error) => (&**error as &dyn std::error::Error).downcast_ref(),
            _ => None,
        }
    }

    /// A stable code for programs (the UI's tests, the CLI's JSON).
    pub fn code(&self) -> &'static str {
        match self {
            EngineError::Nameserver(_) => "invalid_nameserver",
            EngineError::SystemResolver(_) => "system_resolver",
            EngineError::DnsFailed(_) => "dns_failed",
            EngineError::NoMx(_) => "no_mx",
            EngineError::HttpsPort(_) => "invalid_https_port",
            EngineError::CaFile(_) => "invalid_ca_file",
            EngineError::IpAddress(_) => "invalid_ip_address",
            EngineError::SmtpHost(_) => "invalid_smtp_host",
            EngineError::SmtpPort(_) => "invalid_smtp_port",
            EngineError::Feature(error) => error.code(),
            EngineError::Export(..) => "export_failed",
            EngineError::Import(..) => "import_failed",
            EngineError::Exists(..) => "file_exists",
            EngineError::NotInCatalog(..) => "unknown_name",
            EngineError::NothingYet(_) => "nothing_yet",
            EngineError::Date(_) => "invalid_date",
            EngineError::MessageTooLarge(_) => "message_too_large",
            EngineError::NotAMessage => "not_a_message",
            EngineError::PathRefused { action: "read", .. } => "read_refused",
            EngineError::PathRefused { .. } => "write_refused",
        }
    }
}

/// An error as it crosses to the UI: a stable code and the sentence to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UserError {
    /// Stable machine-readable code.
    pub code: String,
    /// The sentence shown to the user.
    pub message: String,
}

impl From<EngineError> for UserError {
    fn from(error: EngineError) -> Self {
        UserError {
            code: error.code().to_owned(),
            message: error.to_string(),
        }
    }
}
