//! `mailwright smtp test|discover|providers`: probe a mail server's ports (TLS, certificate,
//! sign-in, relay check, test message) with a transcript; find the submission service a domain
//! announces; list the provider catalog.

use std::fmt::Write;
use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Subcommand};
use mailwright_core::dkim::load_system_key;
use mailwright_core::secrets::{SecretStore, Sensitive, keychain_call_blocking};
use mailwright_core::smtp::{
    AuthMechanism, Credentials, DkimSigning, PasswordBinding, PortReport, ProbeLimits,
    ProbeProgress, RequestError, SmtpTarget, SmtpTestRequest, TestMessage, TlsMode, Trust,
    address_domain, discover_submission, load_password, save_password, smtp_provider,
    smtp_providers, test_smtp,
};
use mailwright_core::{EngineError, Selector, parse_domain_input};

use crate::dns_args::DnsArgs;
use crate::render;

/// `mailwright smtp …`.
#[derive(Subcommand)]
pub enum SmtpCommand {
    /// Probe a mail server's ports at once: TLS, certificate, AUTH, relay check, test message.
    ///
    /// The password comes from --password-stdin, else the OS keychain (account smtp:<user>@<host>)
    /// when it was saved for this same host, --server-name, --ca and DNS server, else a prompt
    /// that offers to save it there. It is never sent unencrypted or over a certificate that
    /// failed. Exit status: 0 when no check fails, 1 when any fails, 2 when the
    /// test could not run.
    Test(TestArgs),
    /// Look up the submission servers a domain announces (RFC 6186 SRV records).
    Discover(DiscoverArgs),
    /// List the provider catalog: submission host, ports and the usual sign-in pitfall.
    Providers,
}

/// Arguments of `mailwright smtp test`.
#[derive(Args)]
pub struct TestArgs {
    /// The mail server (default: the --provider's host).
    #[arg(long, value_name = "HOST")]
    host: Option<String>,
    /// A provider from `mailwright smtp providers` (its host and ports).
    #[arg(long, value_name = "ID")]
    provider: Option<String>,
    /// A port to probe; repeat for several (they run at the same time). Default: the provider's, else 587.
    #[arg(long = "port", value_name = "PORT")]
    ports: Vec<u16>,
    /// How TLS starts (default: implicit on 465, STARTTLS elsewhere).
    #[arg(long, value_enum)]
    tls: Option<TlsMode>,
    /// The name the certificate must carry, when connecting by IP address or another name.
    #[arg(long, value_name = "NAME")]
    server_name: Option<String>,
    /// Trust this PEM certificate file (a private CA, or the server's own certificate).
    #[arg(long, value_name = "FILE")]
    ca: Option<PathBuf>,
    /// The user name to sign in as (often the full address).
    #[arg(long, value_name = "USER")]
    user: Option<String>,
    /// Read the password (or XOAUTH2 token) from standard input instead of the keychain.
    #[arg(long)]
    password_stdin: bool,
    /// The sign-in method (default: PLAIN, else LOGIN, as offered).
    #[arg(long, value_enum)]
    auth: Option<AuthMechanism>,
    /// Check that the server refuses to relay for strangers (for your own servers).
    #[arg(long)]
    relay_check: bool,
    /// After signing in, send a test message to this address (through the first port).
    #[arg(long, value_name = "ADDRESS")]
    send_to: Option<String>,
    /// The test message's From address (default: the user name).
    #[arg(long, value_name = "ADDRESS")]
    from: Option<String>,
    /// DKIM-sign the test message with this selector's key from the keychain (domain of --from).
    #[arg(long, value_name = "SELECTOR")]
    dkim_selector: Option<String>,
    /// Print the transcript of each port.
    #[arg(long)]
    transcript: bool,
    #[command(flatten)]
    dns: DnsArgs,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

/// Arguments of `mailwright smtp discover`.
#[derive(Args)]
pub struct DiscoverArgs {
    /// The domain (the part after @ in your address).
    domain: String,
    #[command(flatten)]
    dns: DnsArgs,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Runs an `smtp` subcommand.
pub async fn run(command: SmtpCommand) -> ExitCode {
    match command {
        SmtpCommand::Test(args) => test(&args)
            .await
            .unwrap_or_else(|e| render::failed(args.json, e)),
        SmtpCommand::Discover(args) => discover(&args)
            .await
            .unwrap_or_else(|e| render::failed(args.json, e)),
        SmtpCommand::Providers => {
            let mut out = String::new();
            for p in smtp_providers() {
                let ports: Vec<String> = p.ports.iter().map(u16::to_string).collect();
                let _ = writeln!(
                    out,
                    "{:<22} {} ({}) port {}\n    {}",
                    p.id,
                    p.name,
                    p.host,
                    ports.join(", "),
                    p.auth_note
                );
            }
            out!("{out}");
            ExitCode::SUCCESS
        }
    }
}

async fn discover(args: &DiscoverArgs) -> Result<ExitCode, EngineError> {
    let domain = parse_domain_input(&args.domain)?.domain;
    let found = discover_submission(&domain, &args.dns.config()?).await?;
    if args.json {
        render::print_json(&found);
    } else if found.is_empty() {
        outln!(
            "{} announces no submission service (no _submissions._tcp or _submission._tcp SRV record).",
            domain.as_str()
        );
    } else {
        for s in &found {
            let tls = if s.tls == TlsMode::Implicit {
                "TLS"
            } else {
                "STARTTLS"
            };
            outln!("{}:{} ({tls}, priority {})", s.host, s.port, s.priority);
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn test(args: &TestArgs) -> Result<ExitCode, EngineError> {
    let provider = match &args.provider {
        Some(id) => {
            Some(smtp_provider(id).ok_or_else(|| RequestError::UnknownProvider(id.clone()))?)
        }
        None => None,
    };
    let host = match (&args.host, provider) {
        (Some(h), _) => h.clone(),
        (None, Some(p)) => p.host.clone(),
        (None, None) => return Err(RequestError::NoHost.into()),
    };
    let ports = match (&args.ports[..], provider) {
        ([], Some(p)) => p.ports.clone(),
        ([], None) => vec![587],
        (ports, _) => ports.to_vec(),
    };
    let targets: Vec<SmtpTarget> = ports
        .iter()
        .map(|&port| {
            let mut target = SmtpTarget::new(&host, port);
            if let Some(tls) = args.tls {
                target.tls = tls;
            }
            target.server_name = args.server_name.clone();
            target
        })
        .collect();
    let trust = match &args.ca {
        Some(path) => Trust::from_pem_file(path)?,
        None => Trust::default(),
    };
    let credentials = match &args.user {
        Some(user) => Some(Credentials {
            user: user.clone(),
            secret: password(
                args,
                user,
                &PasswordBinding::new(&targets[0], &trust, &args.dns.config()?),
            )?,
            mechanism: args.auth,
        }),
        None => None,
    };
    let message = match &args.send_to {
        Some(to) => {
            let from = args
                .from
                .clone()
                .or_else(|| args.user.clone())
                .unwrap_or_default();
            Some(TestMessage::new(&from, to, dkim_key(args, &from)?)?)
        }
        None => None,
    };
    let request = SmtpTestRequest {
        targets,
        trust,
        credentials,
        relay_check: args.relay_check,
        message,
        limits: ProbeLimits::default(),
    };
    let progress = (!args.json).then(|| {
        Arc::new(|p: ProbeProgress| {
            errln!("  {:>5}  {:<11} {}", p.port, p.step.label, p.step.detail);
        }) as mailwright_core::smtp::ProbeSink
    });
    let report = test_smtp(&request, &args.dns.config()?, progress).await?;
    let findings: Vec<_> = report.findings().cloned().collect();
    if args.json {
        render::print_json(&report);
    } else {
        let mut out = String::new();
        for port in &report.ports {
            write_port(&mut out, port, args.transcript);
        }
        let _ = writeln!(
            out,
            "\n{} port(s) probed at the same time in {} ms.",
            report.ports.len(),
            report.elapsed_ms
        );
        out!("{out}");
    }
    Ok(render::exit_status(&findings))
}

fn write_port(out: &mut String, port: &PortReport, transcript: bool) {
    let Some(target) = &port.target else { return };
    let _ = writeln!(
        out,
        "\n{} port {} ({}), {} ms",
        target.host,
        target.port,
        target.tls.label(),
        port.elapsed_ms
    );
    if let Some(tls) = &port.tls {
        let _ = writeln!(
            out,
            "  TLS: {}, {}, key exchange {}",
            tls.version, tls.cipher_suite, tls.key_exchange
        );
        if let Some(c) = &tls.certificate {
            let _ = writeln!(
                out,
                "  Certificate: {} — issued by {} — expires {} ({} days)",
                c.names.join(", "),
                c.issuer,
                c.not_after,
                c.days_left
            );
        }
    }
    if !port.auth_before_tls.is_empty() {
        let _ = writeln!(out, "  AUTH before TLS: {}", port.auth_before_tls.join(" "));
    }
    if !port.auth_after_tls.is_empty() {
        let _ = writeln!(out, "  AUTH inside TLS: {}", port.auth_after_tls.join(" "));
    }
    render::write_findings(out, &port.findings);
    if transcript {
        let _ = writeln!(out, "  Transcript:");
        for line in port.transcript.render().lines() {
            let _ = writeln!(out, "    {line}");
        }
    }
}

/// The password: standard input, else the keychain (when it was saved for this very server,
/// certificate name, trust and DNS server), else a prompt that offers to save it.
fn password(
    args: &TestArgs,
    user: &str,
    binding: &PasswordBinding,
) -> Result<Sensitive<String>, EngineError> {
    if args.password_stdin {
        let mut text = zeroize::Zeroizing::new(String::new());
        let _ = std::io::stdin().read_to_string(&mut text);
        return Ok(Sensitive::new(
            text.trim_end_matches(['\r', '\n']).to_owned(),
        ));
    }
    let host = &binding.host;
    let (owner, bound) = (user.to_owned(), binding.clone());
    let stored = tokio::task::block_in_place(|| {
        keychain_call_blocking(move || {
            let store = SecretStore::system()?;
            load_password(&store, &owner, &bound).map(|p| (store, p))
        })
    });
    let (store, saved) = stored?;
    match saved.into_secret(user, host) {
        Ok(Some(password)) => return Ok(password),
        Ok(None) => {}
        // Saved for another setup: say what changed, then ask as if none were saved.
        Err(again) => errln!("{again}"),
    }
    if !std::io::stdin().is_terminal() {
        return Err(RequestError::NoPassword(format!("{user} at {host}")).into());
    }
    let typed = rpassword::prompt_password(format!("Password for {user} at {host}: "))
        .map_err(|_| RequestError::NoPassword(format!("{user} at {host}")))?;
    let typed = Sensitive::new(typed);
    err!("Save it in your system keychain for this server so you are not asked again? [Y/n] ");
    let mut answer = String::new();
    let _ = std::io::stdin().read_line(&mut answer);
    if !answer.trim().eq_ignore_ascii_case("n") {
        let (owner, bound, secret) = (user.to_owned(), binding.clone(), typed.clone());
        tokio::task::block_in_place(|| {
            keychain_call_blocking(move || save_password(&store, &owner, &bound, &secret))
        })?;
        errln!("Saved in the keychain as smtp:{user}@{host}.");
    }
    Ok(typed)
}

/// The DKIM key for `--dkim-selector`, from the keychain, for the domain of `from`.
fn dkim_key(args: &TestArgs, from: &str) -> Result<Option<DkimSigning>, EngineError> {
    let Some(selector) = &args.dkim_selector else {
        return Ok(None);
    };
    let selector = Selector::parse(selector)?;
    // The From address's own domain, as the app decides it (smtp::address_domain).
    let domain = match address_domain(from) {
        Some(domain) => domain,
        None => parse_domain_input(from)?.domain,
    };
    let (s, d) = (selector.clone(), domain.clone());
    let pair =
        tokio::task::block_in_place(|| keychain_call_blocking(move || load_system_key(&s, &d)))?;
    Ok(Some(DkimSigning {
        pair,
        selector,
        domain,
    }))
}
