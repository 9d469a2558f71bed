//! With no keychain reachable, the store says so in a sentence and nothing is written anywhere;
//! the DKIM key's and the mail server password's sentences each say what to do about that secret.

use mailwright_core::secrets::{SecretError, SecretStore};

#[cfg(target_os = "linux")]
#[test]
// Setting an environment variable is unsafe in Rust 2024; this test needs it, nothing else does.
#[allow(unsafe_code)]
fn no_session_bus_gives_a_sentence_not_a_plaintext_fallback() {
    // SAFETY: the only test in this binary, so no other thread reads the environment.
    unsafe {
        std::env::set_var(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/mailwright-test-bus",
        )
    };
    let error = match SecretStore::system() {
        Ok(_) => panic!("a keychain was reachable through a bus that does not exist"),
        Err(error) => error,
    };
    assert!(matches!(error, SecretError::Unavailable(_)), "{error:?}");
    let sentence = error.to_string();
    assert!(
        sentence.starts_with("No system keychain is available"),
        "{sentence}"
    );
    // Each secret's sentence then says what to do about that secret.
    let key = mailwright_core::dkim::DkimError::Keychain(error.clone()).to_string();
    assert!(key.starts_with(&sentence), "{key}");
    assert!(key.contains("export the key to a file you choose"), "{key}");
    let password = mailwright_core::smtp::PasswordKeychainError(error).to_string();
    assert!(
        password.contains("type the password and test"),
        "{password}"
    );
    assert!(!password.contains("export the key"), "{password}");
}
