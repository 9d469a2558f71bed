//! SMTP passwords in the OS keychain, one item per user and host (account
//! `smtp:<user>@<host>`): entered once, never in the project file, a log or a report.

use crate::secrets::{SecretError, SecretStore, Sensitive};

/// The keychain account a password is stored under.
pub fn password_account(user: &str, host: &str) -> String {
    format!("smtp:{}@{}", user.trim(), host.trim().to_ascii_lowercase())
}

/// Stores the password for `user` at `host`, replacing the previous one.
pub fn save_password(
    store: &SecretStore,
    user: &str,
    host: &str,
    password: &Sensitive<String>,
) -> Result<(), SecretError> {
    let bytes = Sensitive::new(password.expose().as_bytes().to_vec());
    store.put(&password_account(user, host), &bytes)
}

/// The stored password for `user` at `host`, or `None`.
pub fn load_password(
    store: &SecretStore,
    user: &str,
    host: &str,
) -> Result<Option<Sensitive<String>>, SecretError> {
    Ok(store
        .get(&password_account(user, host))?
        .map(|bytes| Sensitive::new(String::from_utf8_lossy(bytes.expose()).into_owned())))
}

/// Forgets the stored password; `false` when there was none.
pub fn delete_password(store: &SecretStore, user: &str, host: &str) -> Result<bool, SecretError> {
    store.delete(&password_account(user, host))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_name_the_user_and_the_host() {
        assert_eq!(
            password_account(" me@example.com ", "SMTP.Gmail.com"),
            "smtp:me@example.com@smtp.gmail.com"
        );
    }
}
