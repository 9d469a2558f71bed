//! The report mailbox: the folder the `rua=` address delivers to, read over IMAP (async-imap)
//! with TLS only — port 993 with TLS from the first byte, or 143 upgraded with STARTTLS — and the
//! server's certificate verified (rustls, ring, the public roots plus a CA the user chose)
//! before the password is sent. Mailwright reads without changing anything (EXAMINE, BODY.PEEK);
//! it moves imported messages only when the user asked. What was read is remembered by
//! UIDVALIDITY and UID, so a re-run fetches only new mail. Folder names are kept as people read
//! them and sent in IMAP's modified UTF-7 (`folder_name.rs`).

use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::TryStreamExt;
use rustls::pki_types::ServerName;
use rustls::{CertificateError, ClientConfig};
use serde::{Deserialize, Serialize};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use ts_rs::TS;

use super::ReportsError;
use super::folder_name::{decode_folder, encode_folder};
use super::import::{ImportProgress, ImportSummary, Importer};
use super::store::{MailboxMark, ReportStore};
use super::unpack::MAX_FILE_OCTETS;
use crate::dns::{DnsClient, DnsConfig};
use crate::secrets::Sensitive;
use crate::smtp::{Trust, normalize_host};

/// How long one connection, handshake or command may take.
const STEP_TIMEOUT: Duration = Duration::from_secs(30);

/// How many messages are fetched per FETCH command.
const FETCH_BATCH: usize = 25;

/// How the connection is encrypted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MailboxTls {
    /// TLS from the first byte (IMAPS, port 993).
    #[default]
    Implicit,
    /// Plain first, then STARTTLS before anything else (port 143).
    Starttls,
}

/// Where the reports are delivered and how to read them. The password is never here: it is
/// in the OS keychain, bound to this server.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct MailboxSetup {
    /// The IMAP server's host name (or address).
    pub host: String,
    /// Its port: 993 (implicit TLS) or 143 (STARTTLS) unless the provider says otherwise.
    pub port: u16,
    /// How the connection is encrypted.
    pub tls: MailboxTls,
    /// The user name to sign in with.
    pub user: String,
    /// The folder the reports arrive in (`INBOX` when empty).
    pub folder: String,
    /// The name the server's certificate must carry, when it is not the host name.
    pub server_name: Option<String>,
    /// A folder to move imported report messages to; none: leave them where they are.
    pub move_to: Option<String>,
}

impl MailboxSetup {
    /// The folder read (`INBOX` when none was chosen).
    pub fn folder(&self) -> &str {
        if self.folder.trim().is_empty() {
            "INBOX"
        } else {
            self.folder.trim()
        }
    }

    /// The name the certificate must carry.
    pub fn certificate_name(&self) -> String {
        normalize_host(self.server_name.as_deref().unwrap_or(&self.host))
    }

    /// The keychain account of its password: `imap:<user>@<host>`.
    pub fn password_account(&self) -> String {
        format!("imap:{}@{}", self.user.trim(), normalize_host(&self.host))
    }

    /// The database's name for how far this folder has been read: the same mailbox whichever
    /// port or encryption reaches it.
    pub fn mark_account(&self) -> String {
        format!(
            "{}@{}/{}",
            self.user.trim(),
            normalize_host(&self.host),
            self.folder()
        )
    }

    /// Checks what the window or the command line sent.
    pub fn validate(&self) -> Result<(), ReportsError> {
        let host = normalize_host(&self.host);
        if host.is_empty()
            || host.len() > 253
            || !host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        {
            return Err(ReportsError::Mailbox(format!(
                "“{}” is not a mail server name. Type the IMAP host your provider gives, such as imap.example.com.",
                self.host
            )));
        }
        if self.port == 0 {
            return Err(ReportsError::Mailbox(
                "The port is missing: use 993 (TLS) or 143 (STARTTLS).".into(),
            ));
        }
        if self.user.trim().is_empty() || self.user.contains(['\r', '\n']) {
            return Err(ReportsError::Mailbox(
                "Type the user name of the report mailbox (often the whole address).".into(),
            ));
        }
        for folder in std::iter::once(self.folder()).chain(self.move_to.as_deref()) {
            if folder.is_empty()
                || folder.len() > 200
                || folder
                    .chars()
                    .any(|c| c.is_control() || c == '"' || c == '\\')
            {
                return Err(ReportsError::MailboxFolder(folder.to_owned()));
            }
        }
        Ok(())
    }
}

type Session = async_imap::Session<TlsStream<TcpStream>>;

/// What a connection to the report mailbox needs: where, the password, the certificates
/// trusted besides the public roots, and the DNS server that resolves the host.
pub struct MailboxAccess<'a> {
    /// The mailbox.
    pub setup: &'a MailboxSetup,
    /// Its password (sent only after the certificate is verified).
    pub password: &'a Sensitive<String>,
    /// Certificates trusted besides the public roots.
    pub trust: &'a Trust,
    /// The DNS configuration.
    pub dns: &'a DnsConfig,
}

fn step<T, E: std::fmt::Display>(
    what: &str,
    result: Result<Result<T, E>, tokio::time::error::Elapsed>,
) -> Result<T, ReportsError> {
    match result {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(ReportsError::Mailbox(format!(
            "The mailbox server failed while {what} ({}). Try again; what was imported is kept.",
            short(&e.to_string())
        ))),
        Err(_) => Err(ReportsError::Mailbox(format!(
            "The mailbox server did not answer within {} s while {what}. Try again later; what was imported is kept.",
            STEP_TIMEOUT.as_secs()
        ))),
    }
}

fn short(text: &str) -> String {
    text.chars().take(160).collect()
}

/// Connects, encrypts, verifies the certificate and signs in. The password is sent only
/// after the handshake with a verified certificate.
async fn sign_in(access: &MailboxAccess<'_>) -> Result<Session, ReportsError> {
    let MailboxAccess {
        setup,
        password,
        trust,
        dns,
    } = access;
    setup.validate()?;
    let host = normalize_host(&setup.host);
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let addresses: Vec<IpAddr> = match bare.parse::<IpAddr>() {
        Ok(ip) => vec![ip],
        Err(_) => {
            let client =
                DnsClient::new(dns, None).map_err(|e| ReportsError::Mailbox(e.to_string()))?;
            client.addresses(bare).await
        }
    };
    if addresses.is_empty() {
        return Err(ReportsError::Mailbox(format!(
            "{host} has no address in DNS. Check the IMAP server's name."
        )));
    }
    let mut tcp = None;
    let mut last = String::new();
    for ip in addresses {
        match tokio::time::timeout(STEP_TIMEOUT, TcpStream::connect((ip, setup.port))).await {
            Ok(Ok(stream)) => {
                tcp = Some(stream);
                break;
            }
            Ok(Err(e)) => last = e.to_string(),
            Err(_) => last = "no answer".into(),
        }
    }
    let Some(tcp) = tcp else {
        return Err(ReportsError::Mailbox(format!(
            "Could not connect to {host} port {} ({last}). Check the host and port (993 for TLS, 143 for STARTTLS).",
            setup.port
        )));
    };
    let tcp = match setup.tls {
        MailboxTls::Implicit => tcp,
        MailboxTls::Starttls => starttls(tcp, &host, setup.port).await?,
    };
    let tls = handshake(tcp, setup, trust).await?;
    let mut client = async_imap::Client::new(tls);
    if setup.tls == MailboxTls::Implicit {
        step(
            "greeting",
            tokio::time::timeout(STEP_TIMEOUT, client.read_response()).await,
        )?
        .ok_or_else(|| {
            ReportsError::Mailbox(format!("{host} closed the connection before greeting."))
        })?;
    }
    match tokio::time::timeout(
        STEP_TIMEOUT,
        client.login(setup.user.trim(), password.expose()),
    )
    .await
    {
        Ok(Ok(session)) => Ok(session),
        Ok(Err((e, _))) => Err(ReportsError::Mailbox(format!(
            "{host} refused the user name or password ({}). Check them and type the password again.",
            short(&e.to_string())
        ))),
        Err(_) => Err(ReportsError::Mailbox(format!(
            "{host} did not answer the sign-in within {} s.",
            STEP_TIMEOUT.as_secs()
        ))),
    }
}

/// Reads the plain greeting, asks for STARTTLS and hands back the bare connection to encrypt.
/// Anything the server sent beyond its answer is dropped with the plain connection's buffer.
async fn starttls(tcp: TcpStream, host: &str, port: u16) -> Result<TcpStream, ReportsError> {
    let mut client = async_imap::Client::new(tcp);
    step(
        "greeting",
        tokio::time::timeout(STEP_TIMEOUT, client.read_response()).await,
    )?;
    match tokio::time::timeout(
        STEP_TIMEOUT,
        client.run_command_and_check_ok("STARTTLS", None),
    )
    .await
    {
        Ok(Ok(())) => Ok(client.into_inner()),
        Ok(Err(_)) => Err(ReportsError::Mailbox(format!(
            "{host} port {port} does not offer STARTTLS, and Mailwright never sends a password without encryption. Use port 993 with TLS, or ask the provider."
        ))),
        Err(_) => Err(ReportsError::Mailbox(format!(
            "{host} did not answer STARTTLS within {} s.",
            STEP_TIMEOUT.as_secs()
        ))),
    }
}

/// The TLS handshake with a verifying configuration: a certificate that fails refuses the
/// connection here, before any password.
async fn handshake(
    tcp: TcpStream,
    setup: &MailboxSetup,
    trust: &Trust,
) -> Result<TlsStream<TcpStream>, ReportsError> {
    let name = setup.certificate_name();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ReportsError::Mailbox(e.to_string()))?
        .with_root_certificates(crate::tls_roots::root_store(&trust.certificates))
        .with_no_client_auth();
    let server_name = ServerName::try_from(name.clone()).map_err(|_| {
        ReportsError::Mailbox(format!("“{name}” is not a name a certificate can carry."))
    })?;
    match tokio::time::timeout(
        STEP_TIMEOUT,
        TlsConnector::from(Arc::new(config)).connect(server_name, tcp),
    )
    .await
    {
        Ok(Ok(tls)) => Ok(tls),
        Ok(Err(e)) => Err(ReportsError::Mailbox(certificate_sentence(&e, &name))),
        Err(_) => Err(ReportsError::Mailbox(format!(
            "The TLS handshake with {name} did not finish within {} s; the password was not sent.",
            STEP_TIMEOUT.as_secs()
        ))),
    }
}

fn certificate_sentence(error: &std::io::Error, name: &str) -> String {
    let why = match error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    {
        Some(rustls::Error::InvalidCertificate(e)) => match e {
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                "its certificate has expired".to_owned()
            }
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                format!("its certificate is not for {name}")
            }
            CertificateError::UnknownIssuer => {
                "its certificate is not from an authority Mailwright trusts (if it is your own authority, choose its CA file)".to_owned()
            }
            other => format!("its certificate was refused ({other:?})"),
        },
        Some(other) => format!("the TLS handshake failed ({other})"),
        None => format!("the TLS handshake failed ({error})"),
    };
    format!("The server {name} could not be verified: {why}. The password was not sent.")
}

/// The folders of the mailbox, for the user to choose from.
pub async fn list_folders(access: &MailboxAccess<'_>) -> Result<Vec<String>, ReportsError> {
    let mut session = sign_in(access).await?;
    let names: Vec<String> = {
        let stream = step(
            "listing folders",
            tokio::time::timeout(STEP_TIMEOUT, session.list(Some(""), Some("*"))).await,
        )?;
        step(
            "listing folders",
            tokio::time::timeout(STEP_TIMEOUT, stream.try_collect::<Vec<_>>()).await,
        )?
        .iter()
        .map(|n| decode_folder(n.name()))
        .collect()
    };
    // async-imap ends the listing at a clean end of the stream as if it were complete: a
    // server that said BYE halfway would leave folders out of the list without a word.
    if let Err(e) = still_connected(&mut session).await {
        return Err(ReportsError::Mailbox(format!(
            "The mailbox server stopped answering while listing folders ({}), so the list would be incomplete. Try again.",
            short(&e)
        )));
    }
    let _ = tokio::time::timeout(STEP_TIMEOUT, session.logout()).await;
    let mut names = names;
    names.sort();
    Ok(names)
}

/// Fetches the report messages that arrived since the last run and imports them into
/// `store` (reports about `domain`), one transaction per message with the folder's mark, so an
/// interrupted fetch resumes where it stopped. Imported messages are moved when the setup asks.
pub async fn fetch_reports(
    access: &MailboxAccess<'_>,
    store: Arc<Mutex<ReportStore>>,
    domain: &str,
    now: i64,
    progress: Arc<dyn Fn(&ImportProgress) + Send + Sync>,
) -> Result<ImportSummary, ReportsError> {
    let setup = access.setup;
    let mut session = sign_in(access).await?;
    let folder = setup.folder().to_owned();
    let mailbox = if setup.move_to.is_some() {
        step(
            &format!("opening {folder}"),
            tokio::time::timeout(STEP_TIMEOUT, session.select(encode_folder(&folder))).await,
        )?
    } else {
        step(
            &format!("opening {folder}"),
            tokio::time::timeout(STEP_TIMEOUT, session.examine(encode_folder(&folder))).await,
        )?
    };
    let uidvalidity = mailbox.uid_validity.unwrap_or(0);
    let account = setup.mark_account();
    let last = {
        let store = store.lock().unwrap_or_else(|e| e.into_inner());
        match store.mailbox_mark(&account)? {
            Some((validity, uid)) if validity == uidvalidity => uid,
            _ => 0,
        }
    };
    let mut uids: Vec<u32> = step(
        "searching for new messages",
        tokio::time::timeout(
            STEP_TIMEOUT,
            session.uid_search(format!("UID {}:*", last.saturating_add(1))),
        )
        .await,
    )?
    .into_iter()
    .filter(|uid| *uid > last)
    .collect();
    uids.sort_unstable();
    if uids.is_empty() {
        // An answer cut short by a closed connection reads as "nothing new" too.
        step(
            "searching for new messages",
            Ok(still_connected(&mut session).await),
        )?;
    }
    let total = uids.len() as u64;

    // The database work runs on a blocking thread; messages reach it through a small channel,
    // so at most a few messages are held in memory at once.
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<(String, Vec<u8>, MailboxMark)>(4);
    let domain = domain.to_owned();
    let importer_progress = progress.clone();
    let importer = tokio::task::spawn_blocking(move || {
        let mut store = store.lock().unwrap_or_else(|e| e.into_inner());
        let stop = std::sync::atomic::AtomicBool::new(false);
        let fetched = std::sync::atomic::AtomicU64::new(0);
        let report = |p: &ImportProgress| {
            let mut p = p.clone();
            p.fetched = fetched.load(std::sync::atomic::Ordering::Relaxed);
            p.to_fetch = total;
            importer_progress(&p);
        };
        let mut importer = Importer::new(&mut store, &domain, now, &report, &stop);
        let mut done = Vec::new();
        while let Some((origin, bytes, mark)) = receiver.blocking_recv() {
            fetched.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let uid = mark.uid;
            if !importer.message(&origin, &bytes, mark) {
                break;
            }
            done.push(uid);
        }
        (importer.finish(), done)
    });

    let mut fetch_error = None;
    let mut too_big = Vec::new();
    'batches: for batch in uids.chunks(FETCH_BATCH) {
        let set = batch
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(",");
        // Sizes first, so a huge message is skipped rather than read.
        let sizes: Vec<(u32, u32)> = match tokio::time::timeout(
            STEP_TIMEOUT,
            fetch_all(&mut session, &set, "(UID RFC822.SIZE)"),
        )
        .await
        {
            Ok(Ok(fetches)) => fetches,
            Ok(Err(e)) => {
                fetch_error = Some(e);
                break;
            }
            Err(_) => {
                fetch_error = Some("no answer".into());
                break;
            }
        };
        // A FETCH cut short by a closed connection ends like a complete one (async-imap ends
        // the stream at end of file without an error): a message missing from the answer is
        // either expunged meanwhile or a sign that the server is gone, which NOOP tells apart.
        if sizes.len() < batch.len()
            && let Err(e) = still_connected(&mut session).await
        {
            fetch_error = Some(e);
            break;
        }
        let wanted: Vec<u32> = sizes
            .iter()
            .filter(|(uid, size)| {
                let fits = u64::from(*size) <= MAX_FILE_OCTETS;
                if !fits {
                    too_big.push(*uid);
                }
                fits
            })
            .map(|(uid, _)| *uid)
            .collect();
        for uid in wanted {
            let body = match tokio::time::timeout(STEP_TIMEOUT, fetch_body(&mut session, uid)).await
            {
                Ok(Ok(Some(body))) => body,
                Ok(Ok(None)) => match still_connected(&mut session).await {
                    Ok(()) => continue,
                    Err(e) => {
                        fetch_error = Some(e);
                        break 'batches;
                    }
                },
                Ok(Err(e)) => {
                    fetch_error = Some(e);
                    break 'batches;
                }
                Err(_) => {
                    fetch_error = Some("no answer".into());
                    break 'batches;
                }
            };
            let mark = MailboxMark {
                account: account.clone(),
                uidvalidity,
                uid,
            };
            if sender
                .send((format!("{folder} → message UID {uid}"), body, mark))
                .await
                .is_err()
            {
                break 'batches;
            }
        }
    }
    drop(sender);
    let (summary, done) = importer
        .await
        .map_err(|e| ReportsError::Database(e.to_string()))?;
    let mut summary = summary?;
    for uid in &too_big {
        summary.problem(
            &format!("{folder} → message UID {uid}"),
            format!(
                "This message is larger than the {} MB Mailwright reads; it was skipped.",
                MAX_FILE_OCTETS / 1_048_576
            ),
        );
    }
    if let Some(target) = &setup.move_to
        && !done.is_empty()
        && fetch_error.is_none()
    {
        let set = done
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(",");
        if let Err(sentence) = step(
            &format!("moving imported messages to {target}"),
            tokio::time::timeout(STEP_TIMEOUT, session.uid_mv(&set, encode_folder(target))).await,
        ) {
            summary.problem(
                &folder,
                format!("{sentence} The messages stay in {folder}."),
            );
        }
    }
    let _ = tokio::time::timeout(STEP_TIMEOUT, session.logout()).await;
    if let Some(e) = fetch_error {
        summary.problem(
            &folder,
            format!(
                "The server stopped answering while messages were fetched ({}). What was fetched is imported; fetch again to get the rest.",
                short(&e)
            ),
        );
        summary.stopped = true;
    }
    summary.sentence = summary.describe();
    Ok(summary)
}

/// Whether the session still answers: NOOP's tagged OK within the step timeout (async-imap's
/// own `noop` also takes the end of the stream for an answer); the error says why not.
async fn still_connected(session: &mut Session) -> Result<(), String> {
    match tokio::time::timeout(STEP_TIMEOUT, session.run_command_and_check_ok("NOOP")).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("no answer".into()),
    }
}

async fn fetch_all(
    session: &mut Session,
    set: &str,
    query: &str,
) -> Result<Vec<(u32, u32)>, String> {
    let stream = session
        .uid_fetch(set, query)
        .await
        .map_err(|e| e.to_string())?;
    let fetches: Vec<_> = stream.try_collect().await.map_err(|e| e.to_string())?;
    Ok(fetches
        .iter()
        .filter_map(|f| Some((f.uid?, f.size.unwrap_or(0))))
        .collect())
}

async fn fetch_body(session: &mut Session, uid: u32) -> Result<Option<Vec<u8>>, String> {
    let stream = session
        .uid_fetch(uid.to_string(), "(UID BODY.PEEK[])")
        .await
        .map_err(|e| e.to_string())?;
    let fetches: Vec<_> = stream.try_collect().await.map_err(|e| e.to_string())?;
    Ok(fetches
        .iter()
        .find(|f| f.uid == Some(uid))
        .and_then(|f| f.body().map(<[u8]>::to_vec)))
}
