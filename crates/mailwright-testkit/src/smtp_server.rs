//! A scripted SMTP server on 127.0.0.1 for the mail server test: good and broken TLS, AUTH
//! replies of real providers, and hostile behaviour (slow, endless, huge, garbage, reset,
//! STARTTLS injection, TLS 1.0 only, open relay, a Finished message held back). It records every line it receives, AUTH
//! payloads decoded, so tests can prove what the client never sent.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;

use crate::held_stream::HeldStream;
use crate::test_ca::{ServerCertificate, TestCa, self_signed, server_config, server_config_tls12};

/// The name the good certificates are issued for.
pub const SMTP_NAME: &str = "mail.test";

/// Which certificate the server presents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestCertificate {
    /// For [`SMTP_NAME`], from the server's test CA.
    Good,
    /// For [`SMTP_NAME`], expired in 2021.
    Expired,
    /// For `other.test`.
    WrongName,
    /// Self-signed for [`SMTP_NAME`].
    SelfSigned,
}

/// What the server sends first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Greeting {
    /// `220 mail.test ESMTP`.
    Normal,
    /// The greeting after a delay.
    Slow(Duration),
    /// `220-` lines without end.
    Endless,
    /// One 1 MB line.
    HugeLine,
    /// Bytes that are not SMTP.
    Garbage,
}

/// How the server behaves.
#[derive(Clone, Debug)]
pub struct SmtpScript {
    /// TLS from the first byte (port 465 style).
    pub implicit_tls: bool,
    /// Whether a plain port advertises STARTTLS.
    pub starttls: bool,
    /// The certificate presented.
    pub certificate: TestCertificate,
    /// Whether AUTH is offered before TLS.
    pub auth_before_tls: bool,
    /// The user name and password accepted.
    pub user: String,
    /// The password accepted.
    pub password: String,
    /// A fixed reply to every AUTH (e.g. Microsoft's 5.7.30), instead of checking the password.
    pub auth_reply: Option<String>,
    /// The greeting.
    pub greeting: Greeting,
    /// Reset the connection in the middle of the TLS handshake.
    pub reset_in_handshake: bool,
    /// Send an extra reply right after `220 Ready` (STARTTLS command injection).
    pub inject_after_ready: bool,
    /// Speak only TLS 1.0: refuse modern ClientHellos, answer a TLS 1.1 one with TLS 1.0.
    pub legacy_only: bool,
    /// Accept recipients for anyone without a sign-in.
    pub open_relay: bool,
    /// A delay before every reply, like a distant server's round trip (benchmarks).
    pub reply_delay: Duration,
    /// Hold back the server's Finished message this long: the server speaks TLS 1.2 only, so
    /// its Finished is a flight of its own, sent after the client has seen (and judged) the
    /// certificate. Two ports probed at once race on it.
    pub hold_finished: Option<Duration>,
}

impl Default for SmtpScript {
    fn default() -> Self {
        SmtpScript {
            implicit_tls: false,
            starttls: true,
            certificate: TestCertificate::Good,
            auth_before_tls: false,
            user: "tester@example.com".into(),
            password: "correct horse battery staple".into(),
            auth_reply: None,
            greeting: Greeting::Normal,
            reset_in_handshake: false,
            inject_after_ready: false,
            legacy_only: false,
            open_relay: false,
            reply_delay: Duration::ZERO,
            hold_finished: None,
        }
    }
}

/// A running scripted server; it stops when dropped.
pub struct SmtpServer {
    addr: SocketAddr,
    ca_pem: String,
    certificate_pem: String,
    seen: Arc<Mutex<Vec<String>>>,
    task: JoinHandle<()>,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

struct Shared {
    script: SmtpScript,
    acceptor: TlsAcceptor,
    seen: Arc<Mutex<Vec<String>>>,
}

impl SmtpServer {
    /// Starts a server following `script` on 127.0.0.1 and a free port.
    pub async fn start(script: SmtpScript) -> Self {
        let ca = TestCa::new("Mailwright test SMTP CA");
        let certificate: ServerCertificate = match script.certificate {
            TestCertificate::Good => ca.issue(&[SMTP_NAME], false),
            TestCertificate::Expired => ca.issue(&[SMTP_NAME], true),
            TestCertificate::WrongName => ca.issue(&["other.test"], false),
            TestCertificate::SelfSigned => self_signed(&[SMTP_NAME]),
        };
        let config = match script.hold_finished {
            Some(_) => server_config_tls12(&certificate),
            None => server_config(&certificate),
        };
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let shared = Arc::new(Shared {
            script,
            acceptor,
            seen: seen.clone(),
        });
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, shared.clone()));
            }
        });
        SmtpServer {
            addr,
            ca_pem: ca.pem(),
            certificate_pem: certificate.pem,
            seen,
            task,
        }
    }

    /// The server's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The test CA in PEM form (trust it to make the good certificate pass).
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// The server's own certificate in PEM form (to trust exactly this certificate).
    pub fn certificate_pem(&self) -> &str {
        &self.certificate_pem
    }

    /// Every line received so far, with AUTH payloads decoded.
    pub fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

async fn serve(mut stream: TcpStream, shared: Arc<Shared>) {
    let script = &shared.script;
    tokio::time::sleep(script.reply_delay).await;
    if script.implicit_tls {
        if let Some(stream) = handshake(stream, &shared).await {
            dialogue(stream, true, &shared).await;
        }
        return;
    }
    if let Greeting::Slow(delay) = script.greeting {
        tokio::time::sleep(delay).await;
    }
    if !greet(&mut stream, script.greeting).await {
        return;
    }
    if let Some(plain) = dialogue(stream, false, &shared).await
        && let Some(tls) = handshake(plain, &shared).await
    {
        dialogue(tls, true, &shared).await;
    }
}

/// The TLS handshake as scripted: reset midway, TLS 1.0 only, or a real rustls accept (after
/// which the greeting is sent on implicit-TLS ports).
async fn handshake(
    mut stream: TcpStream,
    shared: &Shared,
) -> Option<tokio_rustls::server::TlsStream<HeldStream>> {
    let script = &shared.script;
    if script.reset_in_handshake {
        let mut hello = [0u8; 64];
        let _ = stream.read(&mut hello).await;
        let _ = stream.set_zero_linger();
        return None;
    }
    if script.legacy_only {
        let mut header = [0u8; 11];
        if stream.read_exact(&mut header).await.is_err() {
            return None;
        }
        let answer: &[u8] = if header[9..11] == [3, 2] || header[9..11] == [3, 1] {
            // A ServerHello header announcing TLS 1.0; enough for a version probe.
            &[
                0x16, 0x03, 0x01, 0x00, 0x06, 0x02, 0x00, 0x00, 0x02, 0x03, 0x01,
            ]
        } else {
            // alert(fatal, protocol_version)
            &[0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46]
        };
        let _ = stream.write_all(answer).await;
        return None;
    }
    let held = HeldStream::new(stream, script.hold_finished);
    let mut tls = shared.acceptor.accept(held).await.ok()?;
    if script.implicit_tls && !greet(&mut tls, script.greeting).await {
        return None;
    }
    Some(tls)
}

/// Sends the greeting; `false` when the script ends the connection with it.
async fn greet<S: AsyncRead + AsyncWrite + Unpin>(stream: &mut S, greeting: Greeting) -> bool {
    match greeting {
        Greeting::Normal | Greeting::Slow(_) => stream
            .write_all(format!("220 {SMTP_NAME} ESMTP scripted\r\n").as_bytes())
            .await
            .is_ok(),
        Greeting::Endless => {
            while stream.write_all(b"220-still greeting\r\n").await.is_ok() {}
            false
        }
        Greeting::HugeLine => {
            let mut line = b"220 ".to_vec();
            line.extend(std::iter::repeat_n(b'x', 1_000_000));
            line.extend_from_slice(b"\r\n");
            let _ = stream.write_all(&line).await;
            let mut rest = [0u8; 64];
            let _ = stream.read(&mut rest).await;
            false
        }
        Greeting::Garbage => {
            let _ = stream
                .write_all(b"\x16\x03\x01\x00\x2a\xff\xfe not smtp at all\r\n")
                .await;
            let mut rest = [0u8; 64];
            let _ = stream.read(&mut rest).await;
            false
        }
    }
}

/// The command loop. Returns the stream when STARTTLS was accepted, for the handshake.
async fn dialogue<S: AsyncRead + AsyncWrite + Unpin>(
    stream: S,
    encrypted: bool,
    shared: &Shared,
) -> Option<S> {
    let script = &shared.script;
    let mut reader = BufReader::new(stream);
    let mut authenticated = false;
    let record = |line: &str| shared.seen.lock().unwrap().push(line.to_owned());
    loop {
        let line = read_line(&mut reader).await?;
        record(&line);
        let upper = line.to_ascii_uppercase();
        let verb = upper
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned();
        let reply: String = match verb.as_str() {
            "EHLO" => {
                let mut lines = vec![
                    SMTP_NAME.to_owned(),
                    "PIPELINING".into(),
                    "SIZE 10240000".into(),
                ];
                if !encrypted && script.starttls {
                    lines.push("STARTTLS".into());
                }
                if encrypted || script.auth_before_tls {
                    lines.push("AUTH PLAIN LOGIN".into());
                }
                lines.push("8BITMIME".into());
                multiline(250, &lines)
            }
            "STARTTLS" if !encrypted && script.starttls => {
                let mut ready = b"220 2.0.0 Ready to start TLS\r\n".to_vec();
                if script.inject_after_ready {
                    ready.extend_from_slice(b"250 injected before TLS\r\n");
                }
                reader.get_mut().write_all(&ready).await.ok()?;
                return Some(reader.into_inner());
            }
            "AUTH" if !encrypted && !script.auth_before_tls => {
                "530 5.7.0 Must issue a STARTTLS command first\r\n".into()
            }
            "AUTH" => {
                let (user, password) = read_auth(&mut reader, &line, &record).await?;
                if let Some(fixed) = &script.auth_reply {
                    format!("{fixed}\r\n")
                } else if user == script.user && password == script.password {
                    authenticated = true;
                    "235 2.7.0 Authentication successful\r\n".into()
                } else {
                    "535 5.7.8 Error: authentication failed: authentication failure\r\n".into()
                }
            }
            "MAIL" => "250 2.1.0 Ok\r\n".into(),
            "RCPT" if authenticated || script.open_relay => "250 2.1.5 Ok\r\n".into(),
            "RCPT" => "554 5.7.1 <relay-check@example.net>: Relay access denied\r\n".into(),
            "DATA" => {
                reader
                    .get_mut()
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await
                    .ok()?;
                loop {
                    let body = read_line(&mut reader).await?;
                    record(&body);
                    if body == "." {
                        break;
                    }
                }
                "250 2.0.0 Ok: queued as 4TESTQ1D\r\n".into()
            }
            "RSET" | "NOOP" => "250 2.0.0 Ok\r\n".into(),
            "QUIT" => {
                let _ = reader.get_mut().write_all(b"221 2.0.0 Bye\r\n").await;
                return None;
            }
            _ => "502 5.5.2 Error: command not recognized\r\n".into(),
        };
        tokio::time::sleep(script.reply_delay).await;
        reader.get_mut().write_all(reply.as_bytes()).await.ok()?;
    }
}

/// Reads the rest of an AUTH exchange; the user and password, decoded and recorded.
async fn read_auth<S: AsyncRead + AsyncWrite + Unpin>(
    reader: &mut BufReader<S>,
    line: &str,
    record: &impl Fn(&str),
) -> Option<(String, String)> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let mechanism = words
        .get(1)
        .map(|m| m.to_ascii_uppercase())
        .unwrap_or_default();
    let decode = |b64: &str| {
        String::from_utf8_lossy(&STANDARD.decode(b64.trim()).unwrap_or_default()).into_owned()
    };
    let (user, password) = match mechanism.as_str() {
        "PLAIN" => {
            let payload = match words.get(2) {
                Some(p) => (*p).to_owned(),
                None => {
                    reader.get_mut().write_all(b"334 \r\n").await.ok()?;
                    read_line(reader).await?
                }
            };
            let decoded = decode(&payload);
            let mut parts = decoded.split('\0').skip(1);
            (
                parts.next().unwrap_or_default().to_owned(),
                parts.next().unwrap_or_default().to_owned(),
            )
        }
        "LOGIN" => {
            reader
                .get_mut()
                .write_all(b"334 VXNlcm5hbWU6\r\n")
                .await
                .ok()?;
            let user = decode(&read_line(reader).await?);
            reader
                .get_mut()
                .write_all(b"334 UGFzc3dvcmQ6\r\n")
                .await
                .ok()?;
            (user, decode(&read_line(reader).await?))
        }
        _ => (
            String::new(),
            decode(words.get(2).copied().unwrap_or_default()),
        ),
    };
    record(&format!("[decoded AUTH] {user} {password}"));
    Some((user, password))
}

async fn read_line<S: AsyncRead + Unpin>(reader: &mut BufReader<S>) -> Option<String> {
    let mut line = String::new();
    match reader.read_line(&mut line).await {
        Ok(0) | Err(_) => None,
        Ok(_) => Some(line.trim_end_matches(['\r', '\n']).to_owned()),
    }
}

fn multiline(code: u16, lines: &[String]) -> String {
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            format!(
                "{code}{}{l}\r\n",
                if i + 1 == lines.len() { ' ' } else { '-' }
            )
        })
        .collect()
}
