//! The "Mail server" step's choices as saved in the project (never the password), and the test
//! request built from them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::TlsMode;
use super::auth::{AuthMechanism, Credentials};
use super::message::{DkimSigning, TestMessage};
use super::password::PasswordBinding;
use super::probe::{ProbeLimits, SmtpTestRequest};
use super::request_error::RequestError;
use super::target::{SmtpTarget, Trust};
use crate::dns::DnsConfig;
use crate::domain::{DomainName, parse_domain_input};
use crate::error::EngineError;
use crate::secrets::Sensitive;

/// The domain of an e-mail address (`you@example.com` → `example.com`), when it has one: the
/// domain whose DKIM key signs a test message from that address, in the app and the CLI alike.
pub fn address_domain(address: &str) -> Option<DomainName> {
    let (_, domain) = address.trim().rsplit_once('@')?;
    parse_domain_input(domain).ok().map(|input| input.domain)
}

/// What the user chose to test.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct SmtpSetup {
    /// The catalog provider picked, if any.
    pub provider: Option<String>,
    /// The host to test.
    pub host: String,
    /// The ports to test at once.
    pub ports: Vec<u16>,
    /// How TLS starts on ports whose mode the user chose (or a discovered service announced);
    /// other ports use their known mode ([`TlsMode::known_for_port`]).
    pub tls: BTreeMap<u16, TlsMode>,
    /// The name the certificate must carry, when not the host.
    pub server_name: String,
    /// A PEM file with a CA or the server's own certificate to trust (private servers).
    pub trust_file: String,
    /// The user name to sign in as; empty tests without signing in.
    pub user: String,
    /// The sign-in method; `None` picks PLAIN, else LOGIN.
    pub auth: Option<AuthMechanism>,
    /// Check that the server refuses to relay for strangers.
    pub relay_check: bool,
    /// Where to send a test message after signing in; empty sends none.
    pub send_to: String,
    /// The test message's From address (empty: the user name).
    pub from: String,
}

impl SmtpSetup {
    /// How TLS starts on `port`: as chosen, else as the port is known to; the sentence asking
    /// for it when neither says.
    pub fn tls_for(&self, port: u16) -> Result<TlsMode, RequestError> {
        self.tls
            .get(&port)
            .copied()
            .or_else(|| TlsMode::known_for_port(port))
            .ok_or(RequestError::UnknownTls(port))
    }

    /// The targets: each port with its TLS mode ([`SmtpSetup::tls_for`]).
    pub fn targets(&self) -> Result<Vec<SmtpTarget>, EngineError> {
        if self.ports.is_empty() {
            return Err(RequestError::NoPorts.into());
        }
        if self.host.trim().is_empty() {
            return Err(RequestError::NoHost.into());
        }
        // Each port once, in the order given (the first one sends the test message).
        let mut ports: Vec<u16> = Vec::new();
        for port in &self.ports {
            if !ports.contains(port) {
                ports.push(*port);
            }
        }
        ports
            .into_iter()
            .map(|port| {
                let mut target = SmtpTarget::new(&self.host, port);
                target.tls = self.tls_for(port)?;
                let name = self.server_name.trim();
                target.server_name = (!name.is_empty()).then(|| name.to_owned());
                target.validate()?;
                Ok(target)
            })
            .collect()
    }

    /// The From address of the test message.
    pub fn from_address(&self) -> &str {
        if self.from.trim().is_empty() {
            self.user.trim()
        } else {
            self.from.trim()
        }
    }

    /// The domain of the test message's From address, when it has one: the only domain whose
    /// DKIM key may sign the test message (a signature for another domain proves nothing about
    /// this one's mail, and receivers would not align it).
    pub fn from_domain(&self) -> Option<DomainName> {
        address_domain(self.from_address())
    }

    /// Whether the test message is signed with `domain`'s DKIM key: a message is sent and its
    /// From address is at `domain`.
    pub fn signs_as(&self, domain: &DomainName) -> bool {
        !self.send_to.trim().is_empty() && self.from_domain().as_ref() == Some(domain)
    }

    /// The certificates the user trusts besides the public roots (the trust file, if any).
    pub fn trust(&self) -> Result<Trust, EngineError> {
        match self.trust_file.trim() {
            "" => Ok(Trust::default()),
            path => Trust::from_pem_file(std::path::Path::new(path)),
        }
    }

    /// Where a password saved for this setup may go, resolving hosts through `dns`.
    pub fn binding(&self, dns: &DnsConfig) -> Result<PasswordBinding, EngineError> {
        let targets = self.targets()?;
        Ok(PasswordBinding::new(&targets[0], &self.trust()?, dns))
    }

    /// The request: `secret` is the password (or token) when signing in; `dkim` signs the
    /// test message.
    pub fn request(
        &self,
        secret: Option<Sensitive<String>>,
        dkim: Option<DkimSigning>,
    ) -> Result<SmtpTestRequest, EngineError> {
        let targets = self.targets()?;
        let user = self.user.trim();
        let credentials = match (user.is_empty(), secret) {
            (true, _) => None,
            (false, Some(secret)) => Some(Credentials {
                user: user.to_owned(),
                secret,
                mechanism: self.auth,
            }),
            (false, None) => {
                return Err(
                    RequestError::NoPassword(format!("{user} at {}", targets[0].host)).into(),
                );
            }
        };
        let message = match self.send_to.trim() {
            "" => None,
            to => Some(TestMessage::new(self.from_address(), to, dkim)?),
        };
        let trust = self.trust()?;
        Ok(SmtpTestRequest {
            targets,
            trust,
            credentials,
            relay_check: self.relay_check,
            message,
            limits: ProbeLimits::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_test_message_is_signed_only_as_the_domain_of_its_from_address() {
        let domain = parse_domain_input("example.com").unwrap().domain;
        let mut setup = SmtpSetup {
            user: "me@Example.COM".into(),
            ..SmtpSetup::default()
        };
        assert!(!setup.signs_as(&domain), "no message is sent");
        setup.send_to = "you@elsewhere.test".into();
        assert!(
            setup.signs_as(&domain),
            "From is the user name, at example.com"
        );
        setup.from = "news@mail.example.com".into();
        assert!(
            !setup.signs_as(&domain),
            "a subdomain's message is not signed as the domain"
        );
        setup.from = "no address".into();
        assert!(!setup.signs_as(&domain));
        assert_eq!(
            address_domain(" a@Bücher.example ").unwrap().as_str(),
            "xn--bcher-kva.example"
        );
    }

    #[test]
    fn each_port_has_its_tls_mode_and_an_unknown_port_is_asked() {
        let mut setup = SmtpSetup {
            host: "smtp.example.com".into(),
            ports: vec![587, 465, 2526],
            ..SmtpSetup::default()
        };
        let error = setup.targets().unwrap_err();
        assert!(error.to_string().contains("port 2526"), "{error}");
        setup.tls.insert(2526, TlsMode::Implicit);
        let modes: Vec<(u16, TlsMode)> = setup
            .targets()
            .unwrap()
            .iter()
            .map(|t| (t.port, t.tls))
            .collect();
        assert_eq!(
            modes,
            [
                (587, TlsMode::Starttls),
                (465, TlsMode::Implicit),
                (2526, TlsMode::Implicit)
            ]
        );
    }

    #[test]
    fn the_request_follows_the_setup_and_names_what_is_missing() {
        let mut setup = SmtpSetup {
            host: "smtp.example.com".into(),
            ports: vec![465, 587, 465],
            ..SmtpSetup::default()
        };
        let request = setup.request(None, None).unwrap();
        assert_eq!(request.targets.len(), 2);
        assert_eq!(request.targets[0].tls, super::super::TlsMode::Implicit);
        assert_eq!(request.targets[1].tls, super::super::TlsMode::Starttls);
        assert!(request.credentials.is_none());
        setup.user = "me@example.com".into();
        let refused = setup.request(None, None).unwrap_err();
        assert!(matches!(
            refused.feature(),
            Some(RequestError::NoPassword(_))
        ));
        setup.send_to = "not an address".into();
        assert!(
            setup
                .request(Some(Sensitive::new("pw".into())), None)
                .is_err()
        );
        setup.send_to = "you@example.net".into();
        let request = setup
            .request(Some(Sensitive::new("pw".into())), None)
            .unwrap();
        assert_eq!(request.message.unwrap().from, "me@example.com");
        setup.ports.clear();
        assert!(setup.request(None, None).is_err());
    }
}
