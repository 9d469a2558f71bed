//! What can go wrong with DKIM keys, each as a sentence that says what to do.

use std::path::PathBuf;

use thiserror::Error;

use crate::secrets::SecretError;

/// A refused or failed DKIM key operation. Messages never contain key material.
#[derive(Debug, Error)]
pub enum DkimError {
    /// The random number generator or the key arithmetic failed.
    #[error("The key could not be generated ({0}). Try again.")]
    Generation(String),
    /// Bytes that are not an RSA or Ed25519 private key.
    #[error(
        "This is not an RSA or Ed25519 private key Mailwright can use. Choose the PEM file that \
         starts with “-----BEGIN PRIVATE KEY-----” or “-----BEGIN RSA PRIVATE KEY-----”."
    )]
    NotAPrivateKey,
    /// A PEM file holding an encrypted key.
    #[error(
        "This private key is protected with a passphrase. Remove the passphrase first (for \
         example: openssl pkey -in key.pem -out plain.pem), import plain.pem, then delete it."
    )]
    EncryptedKey,
    /// A PEM file holding a public key or a certificate.
    #[error(
        "This file holds a public key or a certificate, not a private key. Choose the file with \
         the private key (it starts with “-----BEGIN PRIVATE KEY-----”)."
    )]
    PublicKeyGiven,
    /// Ed25519 keys have no PKCS#1 form.
    #[error(
        "Ed25519 keys cannot be written as PKCS#1 (that format is only for RSA). Choose PKCS#8."
    )]
    NoPkcs1ForEd25519,
    /// RSA keys under 1024 bits are refused (RFC 8301 §3.2).
    #[error(
        "This RSA key has only {0} bits; receivers ignore DKIM signatures made with keys under \
         1024 bits (RFC 8301). Generate a new 2048-bit key instead."
    )]
    KeyTooShort(usize),
    /// Reading or writing a key file failed.
    #[error("Could not {action} {path}: {reason}. Choose another place and try again.")]
    File {
        /// "read" or "write".
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        reason: String,
    },
    /// A record is already published at the selector and the user has not agreed to replace it.
    #[error(
        "A DKIM record is already published at {0}. Replacing it breaks the signatures of mail \
         signed with that selector: choose a new selector, or confirm that you want to replace it."
    )]
    SelectorInUse(String),
    /// What is published at the selector could not be looked up, and the user has not agreed to
    /// replace it.
    #[error(
        "Mailwright could not look up whether a DKIM record is already published at this selector \
         (the DNS lookup failed), so it did not make or import a key there. Try again, choose a new \
         selector, or confirm that you want to replace whatever is there."
    )]
    SelectorUnknown,
    /// The keychain already holds a private key for the selector, and the user has not agreed to
    /// replace it.
    #[error(
        "Your keychain already holds the private key for {0}. A new key there replaces it, and mail \
         signed with the old key stops verifying once the record changes: choose a new selector, \
         or confirm that you want to replace it."
    )]
    KeyInKeychain(String),
    /// No key for this selector in the keychain.
    #[error(
        "There is no private key for selector {selector} of {domain} in your keychain. Generate \
         one in the DKIM step, or import the PEM file you exported."
    )]
    NoStoredKey {
        /// The selector.
        selector: String,
        /// The domain.
        domain: String,
    },
    /// The keychain could not be used: what to do, and the way around it for a key.
    #[error("{0} Until then, you can export the key to a file you choose.")]
    Keychain(#[from] SecretError),
    /// Signing the sample message failed.
    #[error(
        "Mailwright could not sign the sample message ({0}). Generate or import the key again."
    )]
    Signing(String),
}

impl crate::error::FeatureError for DkimError {
    fn code(&self) -> &'static str {
        DkimError::code(self)
    }
}

impl DkimError {
    /// A stable code for programs.
    pub fn code(&self) -> &'static str {
        match self {
            DkimError::Generation(_) => "dkim_generation",
            DkimError::NotAPrivateKey => "dkim_not_a_key",
            DkimError::EncryptedKey => "dkim_encrypted_key",
            DkimError::PublicKeyGiven => "dkim_public_key_given",
            DkimError::NoPkcs1ForEd25519 => "dkim_no_pkcs1",
            DkimError::KeyTooShort(_) => "dkim_key_too_short",
            DkimError::File { .. } => "dkim_file",
            // One code: the window offers the same choice (another selector, or replace).
            DkimError::SelectorInUse(_)
            | DkimError::SelectorUnknown
            | DkimError::KeyInKeychain(_) => "dkim_selector_in_use",
            DkimError::NoStoredKey { .. } => "dkim_no_stored_key",
            DkimError::Keychain(SecretError::Locked) => "keychain_locked",
            DkimError::Keychain(SecretError::Unavailable(_)) => "keychain_unavailable",
            DkimError::Keychain(SecretError::Failed(_)) => "keychain_failed",
            DkimError::Signing(_) => "dkim_signing",
        }
    }
}
