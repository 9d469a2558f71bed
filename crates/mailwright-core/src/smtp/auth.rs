//! SMTP AUTH (RFC 4954): PLAIN (RFC 4616), LOGIN and XOAUTH2 with a token the user pastes, and
//! what a refusal means, with the one thing to do.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncWrite};
use ts_rs::TS;
use zeroize::Zeroizing;

use super::reply::{Reply, ReplyError};
use super::session::Session;
use super::transcript::Transcript;
use crate::secrets::Sensitive;

/// A SASL mechanism Mailwright can sign in with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[ts(export)]
pub enum AuthMechanism {
    /// User name and password in one message.
    Plain,
    /// User name and password in two answers.
    Login,
    /// An OAuth 2.0 access token (Google, Microsoft).
    Xoauth2,
}

impl AuthMechanism {
    /// The name in the EHLO `AUTH` line.
    pub fn name(self) -> &'static str {
        match self {
            AuthMechanism::Plain => "PLAIN",
            AuthMechanism::Login => "LOGIN",
            AuthMechanism::Xoauth2 => "XOAUTH2",
        }
    }
}

/// Who to sign in as; the secret is a password, or the token for XOAUTH2.
#[derive(Clone, Debug)]
pub struct Credentials {
    /// The user name (often the full address).
    pub user: String,
    /// The password or access token.
    pub secret: Sensitive<String>,
    /// The mechanism to use; `None` picks PLAIN, else LOGIN, from what the server offers.
    pub mechanism: Option<AuthMechanism>,
}

/// The mechanism to use given what the server offers (upper case names), or `None`.
pub(crate) fn choose(credentials: &Credentials, offered: &[String]) -> Option<AuthMechanism> {
    let has = |m: AuthMechanism| offered.iter().any(|o| o == m.name());
    match credentials.mechanism {
        Some(m) => has(m).then_some(m),
        None => [AuthMechanism::Plain, AuthMechanism::Login]
            .into_iter()
            .find(|m| has(*m)),
    }
}

/// `prefix` and the Base64 of `secret`, encoded straight into one buffer that is wiped when
/// dropped (no unwiped intermediate copy of the encoded secret).
fn auth_line(prefix: &str, secret: &[u8]) -> Zeroizing<String> {
    let mut line = Zeroizing::new(String::with_capacity(
        prefix.len() + secret.len() * 4 / 3 + 4,
    ));
    line.push_str(prefix);
    STANDARD.encode_string(secret, &mut line);
    line
}

/// Runs the exchange; the final reply (235 on success).
pub(crate) async fn authenticate<S: AsyncRead + AsyncWrite + Unpin>(
    session: &mut Session<S>,
    transcript: &mut Transcript,
    credentials: &Credentials,
    mechanism: AuthMechanism,
) -> Result<Reply, ReplyError> {
    let secret = credentials.secret.expose();
    match mechanism {
        AuthMechanism::Plain => {
            let raw = Zeroizing::new(format!("\0{}\0{secret}", credentials.user));
            let line = auth_line("AUTH PLAIN ", raw.as_bytes());
            session.command(&line, transcript).await
        }
        AuthMechanism::Login => {
            let reply = session.command("AUTH LOGIN", transcript).await?;
            if reply.code != 334 {
                return Ok(reply);
            }
            let reply = session
                .command(&STANDARD.encode(credentials.user.as_bytes()), transcript)
                .await?;
            if reply.code != 334 {
                return Ok(reply);
            }
            let encoded = auth_line("", secret.as_bytes());
            session.command(&encoded, transcript).await
        }
        AuthMechanism::Xoauth2 => {
            let raw = Zeroizing::new(format!(
                "user={}\x01auth=Bearer {secret}\x01\x01",
                credentials.user
            ));
            let line = auth_line("AUTH XOAUTH2 ", raw.as_bytes());
            let reply = session.command(&line, transcript).await?;
            if reply.code == 334 {
                // The server's error details; an empty line ends the exchange (Google's spec).
                return session.command("", transcript).await;
            }
            Ok(reply)
        }
    }
}

/// Why the server refused to sign in, and the one thing to do, from its reply.
pub fn explain_refusal(reply: &Reply, host: &str) -> (String, String) {
    let enhanced = reply.enhanced().unwrap_or_default();
    let text = reply.lines.join(" ").to_ascii_lowercase();
    if enhanced == "5.7.30" || text.contains("basic authentication is not supported") {
        return (
            "Microsoft 365 has turned off password sign-in (basic authentication) for sending mail.".into(),
            "Sign in with OAuth (XOAUTH2 with a token), or ask your Microsoft 365 administrator to enable Authenticated SMTP for this mailbox.".into(),
        );
    }
    if enhanced == "5.7.57" {
        return (
            "Microsoft 365 did not accept the sign-in for sending from this mailbox.".into(),
            "In the Microsoft 365 admin center, turn on Authenticated SMTP for this mailbox, and make sure the user name is the mailbox's full address.".into(),
        );
    }
    if enhanced == "5.7.9" || text.contains("application-specific password") {
        return (
            "The provider wants an app password, not your normal password.".into(),
            "Create an app password in your account's security settings (for Google: myaccount.google.com → Security → App passwords, which needs 2-Step Verification) and use it here.".into(),
        );
    }
    if reply.code == 530 || enhanced == "5.7.0" && text.contains("starttls") {
        return (
            "The server wants the connection encrypted before anyone signs in.".into(),
            "Use port 587 with STARTTLS or port 465 with TLS; Mailwright never sends a password without encryption.".into(),
        );
    }
    if reply.code == 535 || enhanced == "5.7.8" {
        return (
            format!("{host} says the user name or password is wrong."),
            "Check the user name (often your full email address) and type the password again; if your provider uses app passwords, create one.".into(),
        );
    }
    if reply.code == 454 || reply.code / 100 == 4 {
        return (
            "The server could not check the sign-in just now (a temporary failure).".into(),
            "Wait a few minutes and test again; if it persists, ask your provider whether the account is locked.".into(),
        );
    }
    (
        format!("{host} refused the sign-in."),
        "Check the user name, password and sign-in method with your provider's SMTP settings page."
            .into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(code: u16, text: &str) -> Reply {
        Reply {
            code,
            lines: vec![text.into()],
            cut: None,
        }
    }

    #[test]
    fn each_known_refusal_gets_its_own_fix() {
        let cases = [
            (535, "5.7.8 Authentication credentials invalid", "wrong"),
            (
                534,
                "5.7.9 Application-specific password required",
                "app password",
            ),
            (
                550,
                "5.7.30 Basic authentication is not supported for Client Submission",
                "OAuth",
            ),
            (
                535,
                "5.7.57 Client not authenticated to send mail",
                "Authenticated SMTP",
            ),
            (530, "5.7.0 Must issue a STARTTLS command first", "encrypt"),
        ];
        for (code, text, expected) in cases {
            let (what, fix) = explain_refusal(&reply(code, text), "smtp.example.com");
            assert!(
                what.contains(expected) || fix.contains(expected),
                "{text}: {what} / {fix}"
            );
        }
    }

    #[test]
    fn mechanisms_are_chosen_from_what_is_offered() {
        let credentials = Credentials {
            user: "u".into(),
            secret: Sensitive::new("p".into()),
            mechanism: None,
        };
        let offered = vec!["LOGIN".to_owned(), "PLAIN".to_owned()];
        assert_eq!(choose(&credentials, &offered), Some(AuthMechanism::Plain));
        assert_eq!(choose(&credentials, &["CRAM-MD5".to_owned()]), None);
        let xoauth = Credentials {
            mechanism: Some(AuthMechanism::Xoauth2),
            ..credentials
        };
        assert_eq!(choose(&xoauth, &offered), None);
    }
}
