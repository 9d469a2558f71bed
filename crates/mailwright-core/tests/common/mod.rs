//! Shared by the engine's integration tests.

use std::time::Duration;

use mailwright_core::secrets::Sensitive;
use mailwright_core::smtp::{
    Credentials, ProbeLimits, SmtpTarget, SmtpTestRequest, TlsMode, Trust,
};
use mailwright_testkit::{SMTP_NAME, SmtpServer};

/// A STARTTLS test of the scripted `server` (its CA trusted), signing in as
/// tester@example.com with `password`.
pub fn signed_in_request(server: &SmtpServer, password: &str) -> SmtpTestRequest {
    SmtpTestRequest {
        targets: vec![SmtpTarget {
            host: "127.0.0.1".into(),
            port: server.addr().port(),
            tls: TlsMode::Starttls,
            server_name: Some(SMTP_NAME.into()),
        }],
        trust: Trust::from_pem(server.ca_pem(), "test CA").unwrap(),
        credentials: Some(Credentials {
            user: "tester@example.com".into(),
            secret: Sensitive::new(password.into()),
            mechanism: None,
        }),
        relay_check: false,
        message: None,
        limits: ProbeLimits {
            connect: Duration::from_secs(2),
            reply: Duration::from_secs(2),
            handshake: Duration::from_secs(2),
            port: Duration::from_secs(10),
        },
    }
}
