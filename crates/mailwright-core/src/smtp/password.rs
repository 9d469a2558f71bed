//! SMTP passwords in the OS keychain, one item per user and host (account
//! `smtp:<user>@<host>`): entered once, never in the project file, a log or a report.
//!
//! A saved password is bound to where it may go: the host, the name its certificate must carry,
//! the certificates the user trusts and the DNS server in force when it was typed. A test that
//! differs in any of them does not get the saved password: the user is asked for it again, so a
//! changed server name, trust file or DNS server (a compromised window, a typo, a hostile
//! project file) can never lead the saved password somewhere else.

use ring::digest::{SHA256, digest};
use serde::{Deserialize, Serialize};

use super::request_error::RequestError;
use super::target::{SmtpTarget, Trust, normalize_host};
use crate::dns::DnsConfig;
use crate::secrets::{SecretError, SecretStore, Sensitive};

/// The first line of a keychain item that holds a bound password.
const HEADER: &str = "mailwright-smtp-password-v2";

/// Where a saved password may be sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordBinding {
    /// The host connected to (lower case, no trailing dot).
    pub host: String,
    /// The name the server's certificate must carry.
    pub server_name: String,
    /// SHA-256 of each certificate the user trusts besides the public roots (hex, sorted).
    pub trust: Vec<String>,
    /// The DNS server that resolves the host (`system` for the system's).
    pub nameserver: String,
}

impl PasswordBinding {
    /// The binding of a test of `target` trusting `trust` through `dns`.
    pub fn new(target: &SmtpTarget, trust: &Trust, dns: &DnsConfig) -> Self {
        Self::for_host(&target.host, target.certificate_name(), trust, dns)
    }

    /// The binding of a connection to `host` whose certificate must name `server_name`
    /// (the mail server test, the report mailbox).
    pub fn for_host(host: &str, server_name: &str, trust: &Trust, dns: &DnsConfig) -> Self {
        let mut fingerprints: Vec<String> = trust
            .certificates
            .iter()
            .map(|c| {
                digest(&SHA256, c.as_ref())
                    .as_ref()
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect()
            })
            .collect();
        fingerprints.sort();
        fingerprints.dedup();
        PasswordBinding {
            host: normalize_host(host),
            server_name: normalize_host(server_name),
            trust: fingerprints,
            nameserver: dns
                .nameserver
                .map_or_else(|| "system".to_owned(), |a| a.to_string()),
        }
    }

    /// What differs between the binding a password was saved with and `now`, in words.
    pub fn changes(&self, now: &PasswordBinding) -> Vec<&'static str> {
        let mut changed = Vec::new();
        if self.host != now.host {
            changed.push("the server");
        }
        if self.server_name != now.server_name {
            changed.push("the name its certificate must carry");
        }
        if self.trust != now.trust {
            changed.push("the certificates you trust");
        }
        if self.nameserver != now.nameserver {
            changed.push("the DNS server");
        }
        changed
    }
}

/// What the keychain holds for a user at a host, seen from one test.
#[derive(Debug)]
pub enum SavedPassword {
    /// A password saved for exactly this test's server, name, trust and DNS server.
    Found(Sensitive<String>),
    /// Nothing is saved.
    Missing,
    /// A password is saved, but for something else: it is not sent; the user types it again.
    BoundElsewhere {
        /// What changed since it was saved, in words (empty: saved by an older Mailwright,
        /// before passwords were bound).
        changed: Vec<&'static str>,
    },
}

impl SavedPassword {
    /// The secret for a sign-in: the password when it was saved for this setup, `None` when
    /// none is saved, and an error that asks for it again (saying what changed) when it was saved
    /// for something else. The app and the command line decide the same way.
    pub fn into_secret(
        self,
        user: &str,
        host: &str,
    ) -> Result<Option<Sensitive<String>>, RequestError> {
        if let Some(sentence) = self.reason_to_ask(user, host) {
            return Err(RequestError::PasswordAgain(sentence));
        }
        Ok(match self {
            SavedPassword::Found(password) => Some(password),
            _ => None,
        })
    }

    /// The sentence that asks for the password again, or `None` when there is nothing to say.
    pub fn reason_to_ask(&self, user: &str, host: &str) -> Option<String> {
        match self {
            SavedPassword::BoundElsewhere { changed } if changed.is_empty() => Some(format!(
                "The password saved for {user} at {host} was saved by an older Mailwright, before passwords were tied to their server, so it was not used. Type it again and save it."
            )),
            SavedPassword::BoundElsewhere { changed } => Some(format!(
                "The password saved for {user} at {host} was saved for another setup ({} changed since), so Mailwright did not send it. Type it again if this setup is right.",
                changed.join(", ")
            )),
            _ => None,
        }
    }
}

/// The keychain account a password is stored under.
pub fn password_account(user: &str, host: &str) -> String {
    format!("smtp:{}@{}", user.trim(), normalize_host(host))
}

/// The keychain could not keep or give the mail server password: the keychain's sentence, then
/// the way to test without saving it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0} Until then, type the password and test: Mailwright uses it for that test only and does not keep it."
)]
pub struct PasswordKeychainError(#[from] pub SecretError);

impl crate::error::FeatureError for PasswordKeychainError {
    fn code(&self) -> &'static str {
        match self.0 {
            SecretError::Locked => "keychain_locked",
            SecretError::Unavailable(_) => "keychain_unavailable",
            SecretError::Failed(_) => "keychain_failed",
        }
    }
}

/// Stores the password for `user` at the binding's host, bound to `binding`, replacing the
/// previous one.
pub fn save_password(
    store: &SecretStore,
    user: &str,
    binding: &PasswordBinding,
    password: &Sensitive<String>,
) -> Result<(), SecretError> {
    save_bound(
        store,
        &password_account(user, &binding.host),
        binding,
        password,
    )
}

/// Stores `password` under the keychain `account`, bound to `binding`.
pub fn save_bound(
    store: &SecretStore,
    account: &str,
    binding: &PasswordBinding,
    password: &Sensitive<String>,
) -> Result<(), SecretError> {
    let json = serde_json::to_string(binding).map_err(|e| SecretError::Failed(e.to_string()))?;
    let mut bytes = Vec::with_capacity(HEADER.len() + json.len() + password.expose().len() + 2);
    bytes.extend_from_slice(HEADER.as_bytes());
    bytes.push(b'\n');
    bytes.extend_from_slice(json.as_bytes());
    bytes.push(b'\n');
    bytes.extend_from_slice(password.expose().as_bytes());
    store.put(account, &Sensitive::new(bytes))
}

/// The stored password for `user` at the binding's host, when it was saved for `binding`.
pub fn load_password(
    store: &SecretStore,
    user: &str,
    binding: &PasswordBinding,
) -> Result<SavedPassword, SecretError> {
    load_bound(store, &password_account(user, &binding.host), binding)
}

/// The password stored under the keychain `account`, when it was saved for `binding`.
pub fn load_bound(
    store: &SecretStore,
    account: &str,
    binding: &PasswordBinding,
) -> Result<SavedPassword, SecretError> {
    let Some(bytes) = store.get(account)? else {
        return Ok(SavedPassword::Missing);
    };
    Ok(read_item(bytes.expose(), binding))
}

/// Whether a password is saved for `user` at `host`, whatever it is bound to.
pub fn password_saved(store: &SecretStore, user: &str, host: &str) -> Result<bool, SecretError> {
    Ok(store.get(&password_account(user, host))?.is_some())
}

/// Reads a keychain item against the binding of the test that wants it.
fn read_item(bytes: &[u8], now: &PasswordBinding) -> SavedPassword {
    let mut parts = bytes.splitn(3, |b| *b == b'\n');
    let (Some(header), Some(json), Some(password)) = (parts.next(), parts.next(), parts.next())
    else {
        return SavedPassword::BoundElsewhere {
            changed: Vec::new(),
        };
    };
    let saved: Option<PasswordBinding> = (header == HEADER.as_bytes())
        .then(|| serde_json::from_slice(json).ok())
        .flatten();
    match saved {
        None => SavedPassword::BoundElsewhere {
            changed: Vec::new(),
        },
        Some(saved) => {
            let changed = saved.changes(now);
            if changed.is_empty() {
                SavedPassword::Found(Sensitive::new(
                    String::from_utf8_lossy(password).into_owned(),
                ))
            } else {
                SavedPassword::BoundElsewhere { changed }
            }
        }
    }
}

/// Forgets the stored password; `false` when there was none.
pub fn delete_password(store: &SecretStore, user: &str, host: &str) -> Result<bool, SecretError> {
    store.delete(&password_account(user, host))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::NameserverSource;

    #[test]
    fn accounts_name_the_user_and_the_host_as_the_test_connects_to_it() {
        assert_eq!(
            password_account(" me@example.com ", "SMTP.Gmail.com"),
            "smtp:me@example.com@smtp.gmail.com"
        );
        // A trailing dot typed once is the same host the test looks up.
        assert_eq!(
            password_account("me@example.com", "smtp.gmail.com."),
            password_account(
                "me@example.com",
                &SmtpTarget::new("smtp.gmail.com", 465).host
            )
        );
    }

    fn binding(server_name: Option<&str>, trust: &Trust, dns: &DnsConfig) -> PasswordBinding {
        let mut target = SmtpTarget::new("smtp.example.com.", 587);
        target.server_name = server_name.map(str::to_owned);
        PasswordBinding::new(&target, trust, dns)
    }

    #[test]
    fn a_password_is_handed_out_only_to_the_setup_it_was_saved_for() {
        let system = DnsConfig::default();
        let other_dns = DnsConfig::with_nameserver(
            "192.0.2.53:53".parse().unwrap(),
            NameserverSource::Settings,
        );
        let ca = Trust {
            certificates: vec![vec![1u8, 2, 3].into()],
        };
        let saved = binding(None, &Trust::default(), &system);
        let item = |b: &PasswordBinding| {
            format!("{HEADER}\n{}\nsecret pw", serde_json::to_string(b).unwrap()).into_bytes()
        };
        let bytes = item(&saved);
        assert!(matches!(
            read_item(&bytes, &binding(None, &Trust::default(), &system)),
            SavedPassword::Found(p) if p.expose() == "secret pw"
        ));
        for (now, what) in [
            (
                binding(Some("evil.example"), &Trust::default(), &system),
                "the name its certificate must carry",
            ),
            (binding(None, &ca, &system), "the certificates you trust"),
            (
                binding(None, &Trust::default(), &other_dns),
                "the DNS server",
            ),
        ] {
            match read_item(&bytes, &now) {
                SavedPassword::BoundElsewhere { changed } => assert_eq!(changed, [what]),
                other => panic!("{what}: {other:?}"),
            }
        }
        // An item from before binding (the bare password) is never handed out.
        assert!(matches!(
            read_item(b"secret pw", &saved),
            SavedPassword::BoundElsewhere { changed } if changed.is_empty()
        ));
        let ask = SavedPassword::BoundElsewhere {
            changed: vec!["the DNS server"],
        }
        .reason_to_ask("me@example.com", "smtp.example.com")
        .unwrap();
        assert!(ask.contains("the DNS server changed") && !ask.contains("secret"));
        // One decision for the app and the command line.
        let user = "me@example.com";
        let found = SavedPassword::Found(Sensitive::new("pw".into()));
        assert_eq!(
            found.into_secret(user, "h").unwrap().unwrap().expose(),
            "pw"
        );
        assert!(
            SavedPassword::Missing
                .into_secret(user, "h")
                .unwrap()
                .is_none()
        );
        let elsewhere = SavedPassword::BoundElsewhere {
            changed: vec!["the server"],
        };
        assert!(matches!(
            elsewhere.into_secret(user, "h"),
            Err(RequestError::PasswordAgain(sentence)) if sentence.contains("the server changed")
        ));
    }
}
