//! Secrets (SMTP passwords, DKIM private keys): a wrapper that never prints its contents and
//! wipes them from memory when dropped.

mod sensitive;
mod store;

pub use sensitive::Sensitive;
pub use store::{SERVICE, SecretError, SecretStore};
