//! Secrets (SMTP passwords, DKIM private keys): a wrapper that never prints its contents and
//! wipes them from memory when dropped.

mod off_runtime;
mod sensitive;
mod store;

pub use off_runtime::{KEYCHAIN_TIMEOUT, keychain_call, keychain_call_blocking};
pub use sensitive::Sensitive;
pub use store::{SERVICE, SecretError, SecretStore};
