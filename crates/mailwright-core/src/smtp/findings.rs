//! The mail server test's findings: stable ids, one sentence each, and the one thing to do.

use super::certificate::{CertificateDetails, CertificateProblem};
use super::tls::TlsDetails;
use crate::finding::{Finding, Severity, Topic};

fn finding(id: &str, severity: Severity, title: String, detail: String) -> Finding {
    Finding::new(id, severity, Topic::Submission, title, detail)
}

/// Nothing answered, or the host has no address.
pub fn connect_failed(address: &str, reason: &str) -> Finding {
    finding(
        "smtp.connect.failed",
        Severity::Fail,
        format!("Could not connect to {address}."),
        format!("The connection failed: {reason}."),
    )
    .fix(
        "Check the host name and port with your provider's SMTP settings; if they are right, a firewall or your internet provider may block this port (port 25 often is), so try 587 or 465.",
    )
}

/// No reply in time.
pub fn timeout(what: &str, seconds: u64) -> Finding {
    finding(
        "smtp.timeout",
        Severity::Fail,
        format!("The server did not answer {what} within {seconds} seconds."),
        "Mailwright stops waiting so that nothing hangs; a working submission server answers in well under a second.".into(),
    )
    .fix("Try again; if it keeps happening, check the port and ask your provider whether the server is overloaded or filtering your address.")
}

/// The connection broke or the server spoke something that is not SMTP.
pub fn broken(what: &str, reason: &str) -> Finding {
    finding(
        "smtp.protocol.broken",
        Severity::Fail,
        format!("The server broke off {what}."),
        format!("{reason}."),
    )
    .fix("Check that this port runs an SMTP server (465 expects TLS first, 587 and 25 plain text then STARTTLS), and choose the matching TLS mode.")
}

/// A reply over the size bounds.
pub fn reply_cut(what: &str) -> Finding {
    finding(
        "smtp.reply.cut",
        Severity::Fail,
        format!("The server's reply to {what} was too long, so Mailwright cut it off."),
        format!(
            "A reply line over {} octets or a reply over {} lines is not a normal SMTP server; Mailwright stops rather than read without end.",
            super::MAX_LINE_OCTETS,
            super::MAX_REPLY_LINES
        ),
    )
    .fix("Check that the host and port are your provider's submission server.")
}

/// The greeting was a refusal.
pub fn banner_refused(reply: &str) -> Finding {
    finding(
        "smtp.banner.refused",
        Severity::Fail,
        "The server refused the connection in its greeting.".into(),
        format!("It said: {reply}"),
    )
    .fix("Your address may be blocked or the server is not accepting mail; ask your provider, quoting the reply.")
}

/// A STARTTLS port that does not offer STARTTLS.
pub fn starttls_missing(port: u16) -> Finding {
    finding(
        "smtp.starttls.missing",
        Severity::Fail,
        format!("Port {port} does not offer STARTTLS, so mail and passwords would travel unencrypted."),
        "Mailwright did not send your password. Without STARTTLS anyone on the path can read it.".into(),
    )
    .fix("Use your provider's encrypted port (465 with TLS, or 587 with STARTTLS); on your own server, enable TLS (Postfix: smtpd_tls_security_level = may or encrypt).")
}

/// STARTTLS was refused.
pub fn starttls_refused(reply: &str) -> Finding {
    finding(
        "smtp.starttls.refused",
        Severity::Fail,
        "The server advertised STARTTLS but refused to start it.".into(),
        format!("It said: {reply}"),
    )
    .fix("Ask your provider to fix TLS on this port, or use port 465.")
}

/// Bytes arrived after `220 Ready` before the handshake.
pub fn starttls_injection(count: usize) -> Finding {
    finding(
        "smtp.starttls.injection",
        Severity::Fail,
        "The server sent extra data right after agreeing to start TLS, so Mailwright stopped.".into(),
        format!(
            "{count} unexpected byte(s) arrived in plain text before encryption began. Treating them as part of the encrypted session is the STARTTLS command-injection flaw (CVE-2011-0411); something on the path may be tampering with the connection."
        ),
    )
    .fix("Test from another network; if it happens again, report it to your provider, and use port 465 (TLS from the first byte) meanwhile.")
}

/// The port was tested without TLS at the user's request.
pub fn tls_not_used(port: u16) -> Finding {
    finding(
        "smtp.tls.none",
        Severity::Warn,
        format!("Port {port} was tested without encryption."),
        "Nothing sent on this connection is protected, so Mailwright does not sign in on it."
            .into(),
    )
    .fix("Test port 465 (TLS) or 587 (STARTTLS) for sending.")
}

/// The handshake succeeded and the certificate is good.
pub fn tls_ok(details: &TlsDetails, certificate: &CertificateDetails) -> Finding {
    let by = if certificate.trusted_by_user {
        "a certificate authority you chose to trust"
    } else {
        "a public certificate authority"
    };
    finding(
        "smtp.tls.ok",
        Severity::Pass,
        format!(
            "Encrypted with {} ({}); the certificate is valid for this server.",
            details.version, details.cipher_suite
        ),
        format!(
            "Issued by {by} ({}), it expires in {} days.",
            certificate.issuer, certificate.days_left
        ),
    )
}

/// The certificate expires soon.
pub fn cert_expiring(certificate: &CertificateDetails) -> Finding {
    finding(
        "smtp.tls.cert_expiring",
        Severity::Warn,
        format!(
            "The server's certificate expires in {} days.",
            certificate.days_left
        ),
        "When it expires, mail programs refuse to connect.".into(),
    )
    .fix("Renew the certificate now (or check that automatic renewal works).")
}

/// One problem with the certificate.
pub fn cert_problem(problem: &CertificateProblem, certificate: &CertificateDetails) -> Finding {
    let withheld = " Mailwright does not send your password over this connection.";
    match problem {
        CertificateProblem::Expired { days_ago } => finding(
            "smtp.tls.cert_expired",
            Severity::Fail,
            format!("The server's certificate expired {days_ago} days ago, on {}.", certificate.expiry_day()),
            format!("Mail programs refuse an expired certificate.{withheld}"),
        )
        .fix("Renew the server's certificate (for example with your certificate provider or Let's Encrypt), then test again."),
        CertificateProblem::NotYetValid => finding(
            "smtp.tls.cert_not_yet_valid",
            Severity::Fail,
            "The server's certificate is not valid yet.".into(),
            format!("Either it was issued for a future date or this computer's clock is wrong.{withheld}"),
        )
        .fix("Check this computer's date and time; if it is right, reissue the certificate."),
        CertificateProblem::NameMismatch { expected, presented } => finding(
            "smtp.tls.name_mismatch",
            Severity::Fail,
            format!("The certificate is not for {expected}."),
            format!(
                "It covers {}.{withheld}",
                if presented.is_empty() { "no names at all".to_owned() } else { presented.join(", ") }
            ),
        )
        .fix(format!(
            "Connect with the host name the certificate covers, or install a certificate that includes {expected}."
        )),
        CertificateProblem::UnknownIssuer => finding(
            "smtp.tls.untrusted",
            Severity::Fail,
            "The server's certificate is not from a trusted certificate authority.".into(),
            format!(
                "It was issued by {}: self-signed, a private authority, or a missing intermediate certificate.{withheld}",
                certificate.issuer
            ),
        )
        .fix("Install a certificate from a public authority; for a private server, choose its CA certificate (or the server's own certificate) under “Trust a certificate” and test again."),
        CertificateProblem::Other { reason } => finding(
            "smtp.tls.cert_invalid",
            Severity::Fail,
            "The server's certificate was refused.".into(),
            format!("{reason}.{withheld}"),
        )
        .fix("Reissue the server's certificate and test again."),
    }
}

/// The server speaks only TLS 1.0/1.1.
pub fn legacy_only(version: &str) -> Finding {
    finding(
        "smtp.tls.legacy_only",
        Severity::Fail,
        format!("The server only speaks {version}, which is no longer safe."),
        "TLS 1.0 and 1.1 were retired in 2021; Mailwright, like current mail programs, will not use them.".into(),
    )
    .reference("RFC 8996")
    .fix("Enable TLS 1.2 and 1.3 on the server (Postfix: smtpd_tls_protocols = >=TLSv1.2), or ask your provider.")
}

/// The handshake failed for another reason.
pub fn tls_failed(reason: &str) -> Finding {
    finding(
        "smtp.tls.failed",
        Severity::Fail,
        "The encrypted connection could not be set up.".into(),
        format!("The TLS handshake failed: {reason}."),
    )
    .fix("Check the TLS mode (465 starts with TLS, 587 with STARTTLS); if it is right, ask your provider to check TLS on this port.")
}

/// AUTH offered before encryption.
pub fn plaintext_auth(port: u16, mechanisms: &[String]) -> Finding {
    finding(
        "smtp.auth.plaintext_offered",
        Severity::Warn,
        format!("Port {port} offers sign-in ({}) before encryption.", mechanisms.join(", ")),
        "A mail program that does not insist on STARTTLS could send the password in plain text. Mailwright never does.".into(),
    )
    .fix("On your own server, offer AUTH only after STARTTLS (Postfix: smtpd_tls_auth_only = yes); otherwise make sure your mail programs require encryption.")
}

/// Credentials were not sent, and why.
pub fn auth_withheld(reason: &str) -> Finding {
    finding(
        "smtp.auth.withheld",
        Severity::Info,
        "Mailwright did not send your password on this port.".into(),
        format!("{reason}."),
    )
    .fix("Fix the problem above, then test again to try signing in.")
}

/// No usable mechanism.
pub fn auth_not_offered(offered: &[String]) -> Finding {
    finding(
        "smtp.auth.not_offered",
        Severity::Fail,
        "The server does not offer a sign-in method Mailwright can use here.".into(),
        if offered.is_empty() {
            "It offers no AUTH at all on this port.".into()
        } else {
            format!("It offers {}.", offered.join(", "))
        },
    )
    .fix("Use your provider's submission port (587 or 465); port 25 is for server-to-server mail and usually has no sign-in.")
}

/// Signed in.
pub fn auth_ok(user: &str, mechanism: &str) -> Finding {
    finding(
        "smtp.auth.ok",
        Severity::Pass,
        format!("Signed in as {user} with {mechanism}."),
        "The password was sent only inside an encrypted connection with a valid certificate."
            .into(),
    )
}

/// The sign-in was refused.
pub fn auth_failed(what: String, fix: String, reply: &str) -> Finding {
    finding(
        "smtp.auth.failed",
        Severity::Fail,
        what,
        format!("The server said: {reply}"),
    )
    .fix(fix)
}

/// An open relay.
pub fn relay_open(reply: &str) -> Finding {
    finding(
        "smtp.relay.open",
        Severity::Fail,
        "This server is an open relay: it accepted mail from an outside address to an outside address without a sign-in.".into(),
        format!("Spammers find open relays within hours and get the server's address blocklisted. It said: {reply} (Mailwright never sent the message itself.)"),
    )
    .fix("Only relay for signed-in users and your own domains (Postfix: smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination, with mynetworks limited to your own hosts).")
}

/// Relaying was refused.
pub fn relay_refused(reply: &str) -> Finding {
    finding(
        "smtp.relay.refused",
        Severity::Pass,
        "This server refuses to relay for strangers: it is not an open relay.".into(),
        format!(
            "An unauthenticated message from an outside address to an outside address was refused: {reply}"
        ),
    )
}

/// The test message was accepted.
pub fn message_accepted(to: &str, queue_id: Option<&str>, signed: bool) -> Finding {
    finding(
        "smtp.message.accepted",
        Severity::Pass,
        format!(
            "The test message to {to} was accepted{}.",
            queue_id
                .map(|id| format!(" (queue id {id})"))
                .unwrap_or_default()
        ),
        if signed {
            "It carried a DKIM signature made with your key.".into()
        } else {
            "It was not DKIM-signed by Mailwright (no key from the DKIM step).".into()
        },
    )
}

/// The test message was refused.
pub fn message_refused(reply: &str) -> Finding {
    finding(
        "smtp.message.refused",
        Severity::Fail,
        "The server refused the test message.".into(),
        format!("It said: {reply}"),
    )
    .fix("Check that the From address is one your account may send as (providers refuse others), then test again.")
}
