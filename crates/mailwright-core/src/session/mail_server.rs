//! The mail server test for the session: the step's choices kept, the password chosen the one
//! way the engine chooses it, the test message signed only as the DKIM step's domain, and the
//! result kept for the transcript export and the checklist.

use crate::dns::DnsConfig;
use crate::domain::Selector;
use crate::error::EngineError;
use crate::secrets::{SecretStore, Sensitive, keychain_call};
use crate::smtp::{
    DkimSigning, MailServerTest, PasswordKeychainError, ProbeSink, SmtpSetup, load_password,
    test_smtp,
};

use super::Session;

/// What the test signs in with: the password or token the user typed to use once (never
/// stored) when there is one, else the password saved in the keychain for this very server, certificate name, trust and
/// DNS server; nothing without a user name. A password saved for another setup is refused
/// with the sentence saying what changed.
pub async fn sign_in_secret(
    setup: &SmtpSetup,
    token: Sensitive<String>,
    dns: &DnsConfig,
) -> Result<Option<Sensitive<String>>, EngineError> {
    let user = setup.user.trim().to_owned();
    if user.is_empty() {
        return Ok(None);
    }
    let pasted = token.expose().trim();
    if !pasted.is_empty() {
        return Ok(Some(Sensitive::new(pasted.to_owned())));
    }
    let binding = setup.binding(dns)?;
    let host = binding.host.clone();
    let owner = user.clone();
    let saved = keychain_call::<_, PasswordKeychainError>(move || {
        Ok(load_password(&SecretStore::system()?, &owner, &binding)?)
    })
    .await?;
    Ok(saved.into_secret(&user, &host)?)
}

impl Session {
    /// Tests every chosen port of `setup` at once (kept as the step's choices; stopped by
    /// `self.mail_server_test.stop()`), signing in with [`sign_in_secret`] and signing the test
    /// message with the DKIM step's key when [`SmtpSetup::signs_as`] the project's domain.
    pub async fn test_mail_server(
        &self,
        setup: SmtpSetup,
        token: Sensitive<String>,
        progress: Option<ProbeSink>,
    ) -> Result<MailServerTest, EngineError> {
        let kept = setup.clone();
        self.change(move |project| {
            project.smtp = kept;
            Ok(())
        })?;
        let dns = self.dns()?;
        // A setup without a server or ports is refused before the keychain is asked.
        setup.targets()?;
        let secret = sign_in_secret(&setup, token, &dns).await?;
        let dkim = self.test_message_key(&setup).await;
        let request = setup.request(secret, dkim)?;
        let report = self
            .mail_server_test
            .run(async move { test_smtp(&request, &dns, progress).await })
            .await?;
        self.record_mail_server_test(&report);
        Ok(report)
    }

    /// The DKIM step's key for the test message, when it signs as the project's domain and the
    /// key is at hand (made in this session or in the keychain).
    async fn test_message_key(&self, setup: &SmtpSetup) -> Option<DkimSigning> {
        let domain = self.domain().ok()?;
        if !setup.signs_as(&domain) {
            return None;
        }
        let selector = Selector::parse(&self.project().dkim.selector).ok()?;
        let pair = self.key(&domain, &selector).await.ok()?;
        Some(DkimSigning {
            pair,
            selector,
            domain,
        })
    }
}
