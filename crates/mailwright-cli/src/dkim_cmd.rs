//! `mailwright dkim keygen` and `mailwright dkim check`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use mailwright_core::dkim::{
    CreatedKey, DkimKeyPair, KeyAlgorithm, KeyOutcome, NewKey, PemFormat, check_selector,
    create_key, export_private_key, import_private_key, load_system_key,
};
use mailwright_core::secrets::keychain_call_blocking;
use mailwright_core::vocabulary::Vocabulary;
use mailwright_core::{DomainName, EngineError, Selector, UserError, parse_domain_input};
use serde_json::json;

use crate::dns_args::DnsArgs;
use crate::{progress, render};

/// What to do when the keychain cannot be used.
const KEYCHAIN_HINT: &str =
    "To keep the key in a file instead: --no-keychain --export-private FILE";

/// `mailwright dkim …`.
#[derive(Subcommand)]
pub enum DkimCommand {
    /// Generate a DKIM key: the private key goes into the OS keychain, the record to publish is printed.
    ///
    /// Exit status: 0 when the key was made, 2 when it could not be.
    Keygen(KeygenArgs),
    /// Check the DKIM record at a selector; with a private key, prove that signatures verify.
    ///
    /// Exit status: 0 when no check fails, 1 when any fails, 2 when the check could not run.
    Check(CheckArgs),
}

/// Key types on the command line.
#[derive(Clone, Copy, ValueEnum)]
enum Algorithm {
    /// RSA 2048 bits (the default, RFC 8301).
    Rsa2048,
    /// RSA 3072 bits.
    Rsa3072,
    /// RSA 4096 bits (a long record: some DNS hosts need it split).
    Rsa4096,
    /// Ed25519, as an extra key only: Gmail and Outlook verify RSA alone.
    Ed25519,
    /// RSA 1024 bits: the RFC 8301 minimum; only for DNS hosts that cannot publish longer records.
    Rsa1024,
}

impl From<Algorithm> for KeyAlgorithm {
    fn from(algorithm: Algorithm) -> Self {
        match algorithm {
            Algorithm::Rsa1024 => KeyAlgorithm::Rsa1024,
            Algorithm::Rsa2048 => KeyAlgorithm::Rsa2048,
            Algorithm::Rsa3072 => KeyAlgorithm::Rsa3072,
            Algorithm::Rsa4096 => KeyAlgorithm::Rsa4096,
            Algorithm::Ed25519 => KeyAlgorithm::Ed25519,
        }
    }
}

/// PEM flavours on the command line.
#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// BEGIN PRIVATE KEY (RSA or Ed25519).
    Pkcs8,
    /// BEGIN RSA PRIVATE KEY (RSA only).
    Pkcs1,
}

/// Arguments of `mailwright dkim keygen`.
#[derive(Args)]
pub struct KeygenArgs {
    /// The domain that signs, such as example.com.
    #[arg(long)]
    domain: String,
    /// The selector (letters, digits, hyphens), such as mw202611.
    #[arg(long)]
    selector: String,
    /// The key type.
    #[arg(long, value_enum, default_value = "rsa2048")]
    algorithm: Algorithm,
    /// Also write the private key as PEM to FILE (mode 0600) for your mail server.
    #[arg(long, value_name = "FILE")]
    export_private: Option<PathBuf>,
    /// The PEM flavour of --export-private.
    #[arg(long, value_enum, default_value = "pkcs8")]
    format: Format,
    /// Replace the --export-private file when it exists (without this, an existing file is
    /// never replaced).
    #[arg(long, requires = "export_private")]
    force: bool,
    /// Do not store the key in the keychain; only export it (needs --export-private).
    #[arg(long, requires = "export_private")]
    no_keychain: bool,
    /// Replace a record already published at this selector.
    #[arg(long)]
    replace: bool,
    #[command(flatten)]
    dns: DnsArgs,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

/// Arguments of `mailwright dkim check`.
#[derive(Args)]
pub struct CheckArgs {
    /// The domain, such as example.com.
    #[arg(long)]
    domain: String,
    /// The selector to check.
    #[arg(long)]
    selector: String,
    /// A PEM private key to prove signatures with; default: the key in the keychain, if any.
    #[arg(long, value_name = "FILE")]
    private_key: Option<PathBuf>,
    #[command(flatten)]
    dns: DnsArgs,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

/// Runs a `dkim` subcommand.
pub async fn run(command: DkimCommand) -> ExitCode {
    let (json, result) = match command {
        DkimCommand::Keygen(args) => (args.json, keygen(&args).await),
        DkimCommand::Check(args) => (args.json, check(&args).await),
    };
    result.unwrap_or_else(|error| {
        let hint = match error.code() {
            "dkim_selector_in_use" => {
                Some("Add --replace to replace it, or choose another --selector.")
            }
            "keychain_locked" | "keychain_unavailable" | "keychain_failed" => Some(KEYCHAIN_HINT),
            _ => None,
        };
        if json {
            outln!(
                "{}",
                json!({ "error": UserError::from(error), "hint": hint })
            );
        } else {
            errln!("mailwright: {error}");
            if let Some(hint) = hint {
                errln!("{hint}");
            }
        }
        ExitCode::from(2)
    })
}

fn target(domain: &str, selector: &str) -> Result<(DomainName, Selector), EngineError> {
    Ok((
        parse_domain_input(domain)?.domain,
        Selector::parse(selector)?,
    ))
}

async fn keygen(args: &KeygenArgs) -> Result<ExitCode, EngineError> {
    let (domain, selector) = target(&args.domain, &args.selector)?;
    let dns = args.dns.config()?;
    let bar = progress::bar(!args.json);
    // Refused before the key is made: with --no-keychain the file is its only copy.
    if let Some(path) = &args.export_private
        && !args.force
        && std::fs::symlink_metadata(path).is_ok()
    {
        return Err(EngineError::Exists(path.display().to_string()));
    }
    let key = NewKey {
        domain,
        selector,
        algorithm: KeyAlgorithm::from(args.algorithm),
        replace: args.replace,
        keychain: !args.no_keychain,
    };
    let created = create_key(&key, &dns, |stage| bar.message(stage.words())).await;
    bar.finish();
    let CreatedKey { pair, outcome } = created?;
    if let (Some(error), None) = (&outcome.keychain_error, &args.export_private) {
        // Nowhere to keep the key: it is dropped (and wiped), and the user told how to keep one.
        if args.json {
            outln!("{}", json!({ "error": error, "hint": KEYCHAIN_HINT }));
        } else {
            errln!("mailwright: {}\n{KEYCHAIN_HINT}", error.message);
        }
        return Ok(ExitCode::from(2));
    }
    let exported = match &args.export_private {
        Some(path) => Some(export_private_key(
            &pair,
            pem_format(args.format),
            path,
            crate::replace(args.force),
        )?),
        None => None,
    };
    if args.json {
        let value = json!({
            "key": outcome.summary,
            "in_keychain": outcome.in_keychain,
            "keychain_error": outcome.keychain_error,
            "exported_to": exported,
        });
        outln!(
            "{}",
            serde_json::to_string_pretty(&value).expect("JSON values serialize")
        );
    } else {
        out!("{}", render_key(&outcome, exported.as_deref()));
    }
    Ok(ExitCode::SUCCESS)
}

fn pem_format(format: Format) -> PemFormat {
    match format {
        Format::Pkcs8 => PemFormat::Pkcs8,
        Format::Pkcs1 => PemFormat::Pkcs1,
    }
}

fn render_key(outcome: &KeyOutcome, exported: Option<&std::path::Path>) -> String {
    let summary = &outcome.summary;
    let mut out = format!(
        "New {} DKIM key for {}, selector {}.\n",
        summary.key_type.label(),
        summary.domain,
        summary.selector
    );
    if outcome.in_keychain {
        out += &format!(
            "The private key is in your keychain (account {}).\n",
            summary.keychain_account
        );
    }
    if let Some(error) = &outcome.keychain_error {
        out += &format!("Not stored in the keychain: {}\n", error.message);
    }
    if let Some(path) = exported {
        out += &format!(
            "The private key was written to {} (readable only by you).\n",
            path.display()
        );
    }
    for warning in &summary.warnings {
        out += &format!("Note: {warning}\n");
    }
    out += &format!(
        "\nPublish this record at your DNS host:\n  Name:  {}\n  Type:  TXT\n  TTL:   {}\n  Value: {}\n",
        summary.record.name, summary.record.ttl, summary.record.value
    );
    if summary.txt_strings.len() > 1 {
        out += "\nIf your DNS host or zone file needs strings of at most 255 characters:\n  ";
        let quoted: Vec<String> = summary
            .txt_strings
            .iter()
            .map(|s| format!("\"{s}\""))
            .collect();
        out += &quoted.join(" ");
        out += "\n";
    }
    out += &format!(
        "\nThen run: mailwright dkim check --domain {} --selector {}\n",
        summary.domain, summary.selector
    );
    out
}

/// The private key to prove with: the file given, else the keychain's, else none (with why).
fn proof_key(
    args: &CheckArgs,
    domain: &DomainName,
    selector: &Selector,
) -> Result<(Option<DkimKeyPair>, Option<String>), EngineError> {
    if let Some(path) = &args.private_key {
        return Ok((Some(import_private_key(path)?), None));
    }
    let (s, d) = (selector.clone(), domain.clone());
    let loaded =
        tokio::task::block_in_place(|| keychain_call_blocking(move || load_system_key(&s, &d)));
    Ok(match loaded {
        Ok(pair) => (Some(pair), None),
        Err(e) => (
            None,
            Some(format!("The sign-and-verify proof was not run: {e}")),
        ),
    })
}

async fn check(args: &CheckArgs) -> Result<ExitCode, EngineError> {
    let (domain, selector) = target(&args.domain, &args.selector)?;
    let dns = args.dns.config()?;
    let (key, no_proof) = proof_key(args, &domain, &selector)?;
    let bar = progress::bar(!args.json);
    let report = check_selector(&domain, &selector, key.as_ref(), &dns, bar.sink()).await;
    bar.finish();
    let report = report?;
    if args.json {
        let mut value = serde_json::to_value(&report).expect("a report always serializes");
        value["note"] = json!(no_proof);
        outln!(
            "{}",
            serde_json::to_string_pretty(&value).expect("JSON values serialize")
        );
    } else {
        let mut out = format!(
            "DKIM check of {} at selector {}, asked {}\n",
            report.domain, report.selector, report.nameserver
        );
        if let Some(note) = &no_proof {
            out += &format!("Note: {note}\n");
        }
        for finding in &report.findings {
            render::write_finding(&mut out, finding);
        }
        out!("{out}");
    }
    Ok(render::exit_status(&report.findings))
}
