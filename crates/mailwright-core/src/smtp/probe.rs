//! The probe of one port, and of several at once: connect, greeting, EHLO, STARTTLS or implicit
//! TLS, the certificate, the relay check, the sign-in and the test message — each step bounded
//! in time, the whole port within [`ProbeLimits::port`], every line in the transcript.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::auth::{Credentials, authenticate, choose, explain_refusal};
use super::findings;
use super::legacy::legacy_version;
use super::message::{TestMessage, send_message};
use super::reply::{Reply, ReplyError};
use super::report::{
    AuthOutcome, MailServerTest, PortReport, ProbeProgress, ProbeStep, RelayOutcome,
};
use super::request_error::RequestError;
use super::session::Session;
use super::target::{SmtpTarget, Trust};
use super::tls::ProbeTls;
use super::{TlsMode, Transcript};
use crate::dns::{DnsClient, DnsConfig};
use crate::error::EngineError;
use crate::finding::Finding;

/// Time limits of the probe.
#[derive(Clone, Copy, Debug)]
pub struct ProbeLimits {
    /// Opening the TCP connection.
    pub connect: Duration,
    /// Each reply (and each write).
    pub reply: Duration,
    /// The TLS handshake.
    pub handshake: Duration,
    /// Everything on one port (the bound: 20 s).
    pub port: Duration,
}

impl Default for ProbeLimits {
    fn default() -> Self {
        ProbeLimits {
            connect: Duration::from_secs(5),
            reply: Duration::from_secs(8),
            handshake: Duration::from_secs(8),
            port: Duration::from_secs(20),
        }
    }
}

/// Where progress goes as each step happens.
pub type ProbeSink = Arc<dyn Fn(ProbeProgress) + Send + Sync>;

/// What to test.
#[derive(Clone, Debug, Default)]
pub struct SmtpTestRequest {
    /// The ports to probe, all at once.
    pub targets: Vec<SmtpTarget>,
    /// Certificates the user trusts besides the public roots.
    pub trust: Trust,
    /// Who to sign in as; the password is never sent unencrypted or over a failed certificate.
    pub credentials: Option<Credentials>,
    /// Check whether the server relays for strangers (own servers).
    pub relay_check: bool,
    /// A message to send after signing in, through the first port only.
    pub message: Option<TestMessage>,
    /// Time limits.
    pub limits: ProbeLimits,
}

/// Probes every target at once; each port's report comes back in the order asked.
pub async fn test_smtp(
    request: &SmtpTestRequest,
    dns: &DnsConfig,
    progress: Option<ProbeSink>,
) -> Result<MailServerTest, EngineError> {
    if request.targets.is_empty() {
        return Err(RequestError::NoPorts.into());
    }
    let names = request
        .targets
        .iter()
        .map(SmtpTarget::validate)
        .collect::<Result<Vec<_>, _>>()?;
    if request.message.is_some() && request.credentials.is_none() {
        return Err(RequestError::MessageNeedsSignIn.into());
    }
    if let Some(c) = &request.credentials
        && (c.user.trim().is_empty()
            || c.user
                .chars()
                .any(|ch| ch.is_whitespace() || ch.is_control()))
    {
        return Err(RequestError::User.into());
    }
    let client = DnsClient::new(dns, None)?;
    let tls = ProbeTls::new(&request.trust).map_err(|e| EngineError::CaFile(e.to_string()))?;
    let started = Instant::now();
    let probes = request
        .targets
        .iter()
        .zip(names)
        .enumerate()
        .map(|(i, (target, name))| {
            let probe = Probe {
                request,
                target,
                name,
                tls: &tls,
                sends_message: i == 0,
                progress: progress.clone(),
                started: Instant::now(),
                connected: None,
                report: PortReport {
                    target: Some(target.clone()),
                    ..PortReport::default()
                },
            };
            probe.run(&client)
        });
    let ports = futures::future::join_all(probes).await;
    for port in &ports {
        let ids: Vec<&str> = port.findings.iter().map(|f| f.id.as_str()).collect();
        // The target and the finding ids only: never credentials or transcript lines.
        tracing::info!(
            target = %port.target.as_ref().map(SmtpTarget::address).unwrap_or_default(),
            findings = %ids.join(","),
            "mail server port tested"
        );
    }
    Ok(MailServerTest {
        ports,
        elapsed_ms: millis(started.elapsed()),
    })
}

fn millis(d: Duration) -> u32 {
    u32::try_from(d.as_millis()).unwrap_or(u32::MAX)
}

/// The probe of one port.
struct Probe<'a> {
    request: &'a SmtpTestRequest,
    target: &'a SmtpTarget,
    name: ServerName<'static>,
    tls: &'a ProbeTls,
    sends_message: bool,
    progress: Option<ProbeSink>,
    started: Instant,
    connected: Option<SocketAddr>,
    report: PortReport,
}

/// Whether to go on after a step.
type Go = Option<()>;

impl Probe<'_> {
    async fn run(mut self, dns: &DnsClient) -> PortReport {
        let limit = self.request.limits.port;
        if tokio::time::timeout(limit, self.dialogue(dns))
            .await
            .is_err()
        {
            self.found(findings::timeout(
                "within the time allowed for one port",
                limit.as_secs(),
            ));
            self.step(
                "Stopped",
                format!("Stopped after {} seconds.", limit.as_secs()),
                false,
            );
        }
        self.report.elapsed_ms = millis(self.started.elapsed());
        self.report.transcript_text = self.report.transcript.render();
        self.report
    }

    fn step(&mut self, label: &str, detail: String, ok: bool) {
        let step = ProbeStep {
            label: label.to_owned(),
            detail,
            at_ms: millis(self.started.elapsed()),
            ok,
        };
        if let Some(sink) = &self.progress {
            sink(ProbeProgress {
                port: self.target.port,
                step: step.clone(),
            });
        }
        self.report.steps.push(step);
    }

    fn found(&mut self, finding: Finding) {
        self.report.findings.push(finding);
    }

    fn transcript(&mut self) -> &mut Transcript {
        &mut self.report.transcript
    }

    async fn dialogue(&mut self, dns: &DnsClient) {
        let Some(tcp) = self.connect(dns).await else {
            return;
        };
        match self.target.tls {
            TlsMode::Implicit => {
                let Some(tls) = self.handshake(tcp).await else {
                    return;
                };
                let mut session = Session::new(tls, true, self.request.limits.reply);
                if self.greet(&mut session).await.is_none() {
                    return;
                }
                let Some(capabilities) = self.ehlo(&mut session).await else {
                    return;
                };
                self.report.auth_after_tls = auth_mechanisms(&capabilities);
                self.report.capabilities_after_tls = capabilities;
                self.inside_tls(&mut session).await;
            }
            TlsMode::Starttls | TlsMode::None => {
                let mut session = Session::new(tcp, false, self.request.limits.reply);
                if self.greet(&mut session).await.is_none() {
                    return;
                }
                let Some(capabilities) = self.ehlo(&mut session).await else {
                    return;
                };
                let auth = auth_mechanisms(&capabilities);
                let starttls = capabilities
                    .iter()
                    .any(|c| c.eq_ignore_ascii_case("STARTTLS"));
                self.report.capabilities_before_tls = capabilities;
                if !auth.is_empty() {
                    self.found(findings::plaintext_auth(self.target.port, &auth));
                }
                self.report.auth_before_tls = auth;
                if self.target.tls == TlsMode::None || !starttls {
                    self.found(if self.target.tls == TlsMode::None {
                        findings::tls_not_used(self.target.port)
                    } else {
                        findings::starttls_missing(self.target.port)
                    });
                    self.step(
                        "STARTTLS",
                        "Not offered: this connection stays unencrypted.".into(),
                        false,
                    );
                    self.unencrypted(&mut session).await;
                    return;
                }
                let Some(tls) = self.starttls(session).await else {
                    return;
                };
                let mut session = Session::new(tls, true, self.request.limits.reply);
                let Some(capabilities) = self.ehlo(&mut session).await else {
                    return;
                };
                self.report.auth_after_tls = auth_mechanisms(&capabilities);
                self.report.capabilities_after_tls = capabilities;
                self.inside_tls(&mut session).await;
            }
        }
    }

    /// Resolves the host through the configured DNS and connects to the first address that
    /// answers.
    async fn connect(&mut self, dns: &DnsClient) -> Option<TcpStream> {
        let host = self
            .target
            .host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let addresses: Vec<IpAddr> = match host.parse::<IpAddr>() {
            Ok(ip) => vec![ip],
            Err(_) => dns.addresses(&host).await,
        };
        if addresses.is_empty() {
            self.step("Connect", format!("{host} has no address in DNS."), false);
            self.found(findings::connect_failed(
                &self.target.address(),
                &format!("{host} has no A or AAAA record (or the DNS lookup failed)"),
            ));
            return None;
        }
        let mut reason = String::new();
        for ip in addresses {
            let address = SocketAddr::new(ip, self.target.port);
            let started = Instant::now();
            self.transcript().note(format!("Connecting to {address}"));
            match tokio::time::timeout(self.request.limits.connect, TcpStream::connect(address))
                .await
            {
                Ok(Ok(stream)) => {
                    let ms = millis(started.elapsed());
                    self.connected = Some(address);
                    self.report.address = Some(address.to_string());
                    self.transcript()
                        .note(format!("Connected to {address} in {ms} ms"));
                    self.step(
                        "Connect",
                        format!("Connected to {address} in {ms} ms."),
                        true,
                    );
                    return Some(stream);
                }
                Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                    reason = format!(
                        "nothing accepts connections on port {} of {ip}",
                        self.target.port
                    );
                }
                Ok(Err(e)) => reason = format!("{ip}: {}", e.kind()),
                Err(_) => {
                    reason = format!(
                        "{ip} did not answer within {} seconds",
                        self.request.limits.connect.as_secs()
                    );
                }
            }
        }
        self.transcript()
            .note(format!("Could not connect: {reason}"));
        self.step("Connect", format!("Could not connect: {reason}."), false);
        self.found(findings::connect_failed(&self.target.address(), &reason));
        None
    }

    /// Reads a reply (after sending `command`), turning every failure into a finding and a
    /// timeline step under `label`.
    async fn ask<S: AsyncRead + AsyncWrite + Unpin>(
        &mut self,
        session: &mut Session<S>,
        command: Option<&str>,
        label: &str,
        what: &str,
    ) -> Option<Reply> {
        let result = match command {
            Some(line) => session.command(line, &mut self.report.transcript).await,
            None => session.reply(&mut self.report.transcript).await,
        };
        let failure = match result {
            Ok(reply) if reply.cut.is_none() => return Some(reply),
            Ok(_) => findings::reply_cut(what),
            Err(ReplyError::Timeout(seconds)) => findings::timeout(what, seconds),
            Err(ReplyError::Closed) => findings::broken(what, "The server closed the connection"),
            Err(ReplyError::Garbage(text)) => findings::broken(
                what,
                &format!("It sent something that is not an SMTP reply: “{text}”"),
            ),
            Err(ReplyError::Io(kind)) => {
                findings::broken(what, &format!("The connection failed ({kind})"))
            }
        };
        self.step(label, failure.title.clone(), false);
        self.found(failure);
        None
    }

    async fn greet<S: AsyncRead + AsyncWrite + Unpin>(&mut self, session: &mut Session<S>) -> Go {
        let reply = self
            .ask(session, None, "Greeting", "with its greeting")
            .await?;
        let text = one_line(&reply);
        if reply.code != 220 {
            self.step("Greeting", text.clone(), false);
            self.found(findings::banner_refused(&text));
            return None;
        }
        self.report.banner = Some(reply.lines.join(" "));
        self.step("Greeting", text, true);
        Some(())
    }

    async fn ehlo<S: AsyncRead + AsyncWrite + Unpin>(
        &mut self,
        session: &mut Session<S>,
    ) -> Option<Vec<String>> {
        let local = match self.connected.map(|a| a.ip()) {
            Some(IpAddr::V6(_)) => "[IPv6:::1]".to_owned(),
            _ => "[127.0.0.1]".to_owned(),
        };
        let reply = self
            .ask(session, Some(&format!("EHLO {local}")), "EHLO", "to EHLO")
            .await?;
        if reply.code != 250 {
            let text = one_line(&reply);
            self.step("EHLO", text.clone(), false);
            self.found(findings::broken(
                "the EHLO greeting",
                &format!("It answered {text}"),
            ));
            return None;
        }
        let capabilities: Vec<String> = reply.lines.iter().skip(1).cloned().collect();
        self.step(
            "EHLO",
            format!("Offers: {}.", capabilities.join(", ")),
            true,
        );
        Some(capabilities)
    }

    /// STARTTLS, refusing to go on when the server sent bytes after its `220`.
    async fn starttls(&mut self, mut session: Session<TcpStream>) -> Option<TlsStream<TcpStream>> {
        let reply = self
            .ask(&mut session, Some("STARTTLS"), "STARTTLS", "to STARTTLS")
            .await?;
        if reply.code != 220 {
            let text = one_line(&reply);
            self.step("STARTTLS", text.clone(), false);
            self.found(findings::starttls_refused(&text));
            return None;
        }
        match session.into_stream() {
            Ok(tcp) => self.handshake(tcp).await,
            Err(count) => {
                self.transcript().note(format!(
                    "{count} byte(s) arrived after 220 before the TLS handshake; stopping (STARTTLS injection)"
                ));
                self.step(
                    "STARTTLS",
                    "Extra bytes arrived before encryption: stopped.".into(),
                    false,
                );
                self.found(findings::starttls_injection(count));
                None
            }
        }
    }

    async fn handshake(&mut self, tcp: TcpStream) -> Option<TlsStream<TcpStream>> {
        self.transcript().note("Starting the TLS handshake");
        let connector = TlsConnector::from(self.tls.config.clone());
        let limit = self.request.limits.handshake;
        match tokio::time::timeout(limit, connector.connect(self.name.clone(), tcp)).await {
            Ok(Ok(stream)) => {
                let details = self
                    .tls
                    .details(stream.get_ref().1, self.target.certificate_name());
                self.record_tls(&details);
                self.report.tls = Some(details);
                Some(stream)
            }
            Ok(Err(error)) => {
                let reason = error.to_string();
                self.transcript()
                    .note(format!("TLS handshake failed: {reason}"));
                match self.legacy_check().await {
                    Some(version) => {
                        self.transcript().note(format!(
                            "A second connection offering TLS 1.1 was answered with {version}"
                        ));
                        self.step("TLS", format!("Only {version} is offered."), false);
                        self.report.legacy_tls = Some(version.to_owned());
                        self.found(findings::legacy_only(version));
                    }
                    None => {
                        self.step("TLS", format!("Handshake failed: {reason}."), false);
                        self.found(findings::tls_failed(&reason));
                    }
                }
                None
            }
            Err(_) => {
                self.step("TLS", "The handshake did not finish in time.".into(), false);
                self.found(findings::timeout(
                    "during the TLS handshake",
                    limit.as_secs(),
                ));
                None
            }
        }
    }

    /// A fresh connection to the same address that offers TLS 1.1 (after STARTTLS when the
    /// port uses it): the old version the server answers with, if any.
    async fn legacy_check(&mut self) -> Option<&'static str> {
        let address = self.connected?;
        let limits = self.request.limits;
        let mut tcp = tokio::time::timeout(limits.connect, TcpStream::connect(address))
            .await
            .ok()?
            .ok()?;
        if self.target.tls == TlsMode::Starttls {
            // This second dialogue is a side check: it is not part of the transcript.
            let mut scratch = Transcript::default();
            let mut session = Session::new(tcp, false, limits.reply);
            (session.reply(&mut scratch).await.ok()?.code == 220).then_some(())?;
            session
                .command("EHLO [127.0.0.1]", &mut scratch)
                .await
                .ok()?;
            (session.command("STARTTLS", &mut scratch).await.ok()?.code == 220).then_some(())?;
            tcp = session.into_stream().ok()?;
        }
        legacy_version(
            &mut tcp,
            Some(self.target.certificate_name()),
            limits.handshake,
        )
        .await
    }

    fn record_tls(&mut self, details: &super::TlsDetails) {
        self.transcript().note(format!(
            "TLS established: {}, {}, {}",
            details.version, details.cipher_suite, details.key_exchange
        ));
        self.step(
            "TLS",
            format!(
                "{} with {} (key exchange {}).",
                details.version, details.cipher_suite, details.key_exchange
            ),
            true,
        );
        let Some(certificate) = &details.certificate else {
            self.step(
                "Certificate",
                "The certificate could not be read.".into(),
                false,
            );
            self.found(findings::tls_failed(
                "the server's certificate could not be read",
            ));
            return;
        };
        let ok = certificate.problems.is_empty() && certificate.trusted;
        self.step(
            "Certificate",
            format!(
                "For {}; issued by {}; {}; {}.",
                certificate.names.join(", "),
                certificate.issuer,
                if certificate.days_left < 0 {
                    format!("expired {} days ago", -certificate.days_left)
                } else {
                    format!("expires in {} days", certificate.days_left)
                },
                if ok { "trusted" } else { "refused" }
            ),
            ok,
        );
        for problem in &certificate.problems {
            self.found(findings::cert_problem(problem, certificate));
        }
        if ok {
            self.found(findings::tls_ok(details, certificate));
            // Renewal tools act at 30 days left; under 14 something has gone wrong.
            if certificate.days_left < 14 {
                self.found(findings::cert_expiring(certificate));
            }
        }
    }

    /// After EHLO inside TLS: relay check, sign-in, test message, QUIT.
    async fn inside_tls<S: AsyncRead + AsyncWrite + Unpin>(&mut self, session: &mut Session<S>) {
        if self.request.relay_check && self.relay(session).await.is_none() {
            return;
        }
        let certificate_ok = self
            .report
            .tls
            .as_ref()
            .is_some_and(|t| t.certificate_passed());
        if let Some(credentials) = &self.request.credentials {
            if !certificate_ok {
                self.found(findings::auth_withheld(
                    "The server's certificate failed the checks above, so the connection could be intercepted",
                ));
            } else if self.sign_in(session, credentials).await.is_none() {
                return;
            } else if let (Some(message), true, Some(true)) = (
                &self.request.message,
                self.sends_message,
                self.report.auth.as_ref().map(|a| a.ok),
            ) {
                self.send_test_message(session, message).await;
            }
        }
        self.quit(session).await;
    }

    /// On a connection without TLS: the relay check only; never a password.
    async fn unencrypted<S: AsyncRead + AsyncWrite + Unpin>(&mut self, session: &mut Session<S>) {
        if self.request.relay_check && self.relay(session).await.is_none() {
            return;
        }
        if self.request.credentials.is_some() {
            self.found(findings::auth_withheld("The connection is not encrypted"));
        }
        self.quit(session).await;
    }

    async fn sign_in<S: AsyncRead + AsyncWrite + Unpin>(
        &mut self,
        session: &mut Session<S>,
        credentials: &Credentials,
    ) -> Go {
        let Some(mechanism) = choose(credentials, &self.report.auth_after_tls) else {
            let offered = self.report.auth_after_tls.clone();
            self.step("AUTH", "No usable sign-in method is offered.".into(), false);
            self.found(findings::auth_not_offered(&offered));
            return Some(());
        };
        let result =
            authenticate(session, &mut self.report.transcript, credentials, mechanism).await;
        let reply = match result {
            Ok(reply) if reply.cut.is_none() => reply,
            Ok(_) => {
                self.found(findings::reply_cut("the sign-in"));
                return None;
            }
            Err(e) => {
                self.found(match e {
                    ReplyError::Timeout(s) => findings::timeout("to the sign-in", s),
                    other => findings::broken("the sign-in", &other.to_string()),
                });
                return None;
            }
        };
        let text = one_line(&reply);
        let ok = reply.code == 235;
        self.report.auth = Some(AuthOutcome {
            mechanism: mechanism.name().to_owned(),
            ok,
            reply: text.clone(),
        });
        self.step("AUTH", format!("{}: {text}", mechanism.name()), ok);
        if ok {
            self.found(findings::auth_ok(&credentials.user, mechanism.name()));
        } else {
            let (what, fix) = explain_refusal(&reply, &self.target.host);
            self.found(findings::auth_failed(what, fix, &text));
        }
        Some(())
    }

    async fn send_test_message<S: AsyncRead + AsyncWrite + Unpin>(
        &mut self,
        session: &mut Session<S>,
        message: &TestMessage,
    ) {
        match send_message(session, &mut self.report.transcript, message).await {
            Ok(outcome) => {
                self.step("Message", outcome.reply.clone(), outcome.accepted);
                self.found(if outcome.accepted {
                    findings::message_accepted(
                        &outcome.to,
                        outcome.queue_id.as_deref(),
                        outcome.dkim_signed,
                    )
                } else {
                    findings::message_refused(&outcome.reply)
                });
                self.report.message = Some(outcome);
            }
            Err(e) => self.found(findings::broken(
                "while sending the test message",
                &e.to_string(),
            )),
        }
    }

    /// MAIL FROM an outside address, RCPT TO another outside address, then RSET: the data is
    /// never sent, so nothing is relayed even by an open relay.
    async fn relay<S: AsyncRead + AsyncWrite + Unpin>(&mut self, session: &mut Session<S>) -> Go {
        // RFC 2606 names: outside every real domain.
        let from = self
            .ask(
                session,
                Some("MAIL FROM:<relay-check@example.org>"),
                "Relay",
                "to MAIL FROM",
            )
            .await?;
        let verdict = if from.code / 100 != 2 {
            one_line(&from)
        } else {
            let to = self
                .ask(
                    session,
                    Some("RCPT TO:<relay-check@example.net>"),
                    "Relay",
                    "to RCPT TO",
                )
                .await?;
            let text = one_line(&to);
            if to.code / 100 == 2 {
                self.report.relay = Some(RelayOutcome {
                    open: true,
                    reply: text.clone(),
                });
                self.step(
                    "Relay",
                    format!("Accepted a stranger's recipient: {text}"),
                    false,
                );
                self.found(findings::relay_open(&text));
                self.ask(session, Some("RSET"), "Relay", "to RSET").await?;
                return Some(());
            }
            text
        };
        self.report.relay = Some(RelayOutcome {
            open: false,
            reply: verdict.clone(),
        });
        self.step("Relay", format!("Refused: {verdict}"), true);
        self.found(findings::relay_refused(&verdict));
        self.ask(session, Some("RSET"), "Relay", "to RSET").await?;
        Some(())
    }

    async fn quit<S: AsyncRead + AsyncWrite + Unpin>(&mut self, session: &mut Session<S>) {
        // A server that does not answer QUIT has still answered everything that mattered.
        let _ = tokio::time::timeout(
            Duration::from_secs(2),
            session.command("QUIT", &mut self.report.transcript),
        )
        .await;
    }
}

/// The AUTH mechanisms in EHLO capabilities (`AUTH PLAIN LOGIN`, or the old `AUTH=LOGIN`).
fn auth_mechanisms(capabilities: &[String]) -> Vec<String> {
    let mut found: Vec<String> = capabilities
        .iter()
        .filter_map(|c| {
            let upper = c.to_ascii_uppercase();
            upper
                .strip_prefix("AUTH ")
                .or_else(|| upper.strip_prefix("AUTH="))
                .map(|rest| {
                    rest.split_whitespace()
                        .map(str::to_owned)
                        .collect::<Vec<_>>()
                })
        })
        .flatten()
        .collect();
    found.dedup();
    found
}

fn one_line(reply: &Reply) -> String {
    format!("{} {}", reply.code, reply.lines.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_mechanisms_are_read_from_both_forms() {
        let caps = vec![
            "PIPELINING".to_owned(),
            "AUTH PLAIN login".to_owned(),
            "AUTH=LOGIN".to_owned(),
        ];
        assert_eq!(
            auth_mechanisms(&caps),
            ["PLAIN", "LOGIN", "LOGIN"][..2].to_vec()
        );
    }
}
