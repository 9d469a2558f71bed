//! Ready-to-paste signing configuration for the common mail servers, filled in with the
//! domain, the selector and where the private key will be on the server: the path the user
//! types, else each server's usual place. Never the path of a copy on this computer.

use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

use crate::domain::{DomainName, Selector};

/// One configuration snippet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MtaSnippet {
    /// The mail server, such as "OpenDKIM with Postfix".
    pub mta: String,
    /// Which file it goes in.
    pub file: String,
    /// Where the private key goes on the server, as the text uses it (none for Postfix, which
    /// leaves signing to OpenDKIM).
    pub key_path: Option<String>,
    /// The text to paste.
    pub text: String,
}

/// A server path that cannot go into a configuration file.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error(
    "“{0}” cannot be the key's path on your server: type a full path such as /etc/opendkim/keys/example.com/mw202612.private, without quotes or line breaks."
)]
pub struct ServerPathError(pub String);

impl crate::error::FeatureError for ServerPathError {
    fn code(&self) -> &'static str {
        "invalid_server_path"
    }
}

/// Checks a path typed for the key on the server: absolute (Unix, or a Windows drive), and
/// nothing that could end the configuration line or string it is written into.
fn server_path(typed: &str) -> Result<&str, ServerPathError> {
    let path = typed.trim();
    let absolute = path.starts_with('/')
        || path
            .as_bytes()
            .get(1..3)
            .is_some_and(|b| b == b":\\" || b == b":/");
    let clean = !path
        .chars()
        .any(|c| c.is_control() || matches!(c, '"' | '\'' | '%' | '{' | '}' | ';' | '#'));
    if absolute && clean && path.len() <= 1024 {
        Ok(path)
    } else {
        Err(ServerPathError(typed.to_owned()))
    }
}

/// Snippets for OpenDKIM (+ Postfix), rspamd, Exim and Stalwart. `server_path` is where the
/// user will put the private key on the server; without one, each server's usual place
/// stands in.
pub fn mta_snippets(
    domain: &DomainName,
    selector: &Selector,
    server_key_path: Option<&str>,
) -> Result<Vec<MtaSnippet>, ServerPathError> {
    let chosen = server_key_path
        .filter(|p| !p.trim().is_empty())
        .map(server_path)
        .transpose()?;
    let (d, s) = (domain.as_str(), selector.as_str());
    // Each server's usual place for keys (its packages' documentation and defaults).
    let path = |usual: String| chosen.map(str::to_owned).unwrap_or(usual);
    let opendkim = path(format!("/etc/opendkim/keys/{d}/{s}.private"));
    let rspamd = path(format!("/var/lib/rspamd/dkim/{d}.{s}.key"));
    let exim = path(format!("/etc/exim4/dkim/{d}.{s}.pem"));
    let stalwart = path(format!("/opt/stalwart/etc/dkim/{d}.{s}.pem"));
    let snippet = |mta: &str, file: &str, key_path: Option<&str>, text: String| MtaSnippet {
        mta: mta.to_owned(),
        file: file.to_owned(),
        key_path: key_path.map(str::to_owned),
        text,
    };
    Ok(vec![
        snippet(
            "OpenDKIM",
            "/etc/opendkim/KeyTable and /etc/opendkim/SigningTable",
            Some(&opendkim),
            format!(
                "# /etc/opendkim/KeyTable\n{s}._domainkey.{d} {d}:{s}:{opendkim}\n\n\
                 # /etc/opendkim/SigningTable (needs SigningTable refile: in opendkim.conf)\n*@{d} {s}._domainkey.{d}\n\n\
                 # /etc/opendkim.conf\nKeyTable      /etc/opendkim/KeyTable\nSigningTable  refile:/etc/opendkim/SigningTable\n\
                 Canonicalization relaxed/relaxed\nSocket        inet:8891@localhost\n"
            ),
        ),
        snippet(
            "Postfix (with OpenDKIM)",
            "/etc/postfix/main.cf",
            None,
            "smtpd_milters = inet:localhost:8891\nnon_smtpd_milters = $smtpd_milters\nmilter_default_action = accept\n".to_owned(),
        ),
        snippet(
            "rspamd",
            "/etc/rspamd/local.d/dkim_signing.conf",
            Some(&rspamd),
            format!(
                "domain {{\n  {d} {{\n    selectors [\n      {{\n        path = \"{rspamd}\";\n        selector = \"{s}\";\n      }}\n    ];\n  }}\n}}\n"
            ),
        ),
        snippet(
            "Exim",
            "the remote_smtp transport (for example /etc/exim4/conf.d/transport/30_exim4-config_remote_smtp)",
            Some(&exim),
            format!(
                "remote_smtp:\n  driver = smtp\n  dkim_domain = {d}\n  dkim_selector = {s}\n  dkim_private_key = {exim}\n  dkim_canon = relaxed\n"
            ),
        ),
        snippet(
            "Stalwart",
            "config.toml (or Settings → Signatures in the web admin)",
            Some(&stalwart),
            format!(
                "[signature.\"{s}-{d}\"]\nprivate-key = \"%{{file:{stalwart}}}%\"\ndomain = \"{d}\"\nselector = \"{s}\"\nheaders = [\"From\", \"To\", \"Date\", \"Subject\", \"Message-ID\"]\nalgorithm = \"rsa-sha256\"\ncanonicalization = \"relaxed/relaxed\"\n\n[auth.dkim]\nsign = [{{ if = \"is_local_domain('', sender_domain)\", then = \"['{s}-{d}']\" }}, {{ else = false }}]\n"
            ),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::parse_domain_input;

    fn snippets(path: Option<&str>) -> Result<Vec<MtaSnippet>, ServerPathError> {
        let domain = parse_domain_input("example.com").unwrap().domain;
        let selector = Selector::parse("mw202611").unwrap();
        mta_snippets(&domain, &selector, path)
    }

    #[test]
    fn every_snippet_names_the_domain_and_selector_and_the_path_on_the_server() {
        let snippets = snippets(Some("/etc/dkim/mw202611.pem")).unwrap();
        let names: Vec<&str> = snippets.iter().map(|s| s.mta.as_str()).collect();
        assert_eq!(
            names,
            [
                "OpenDKIM",
                "Postfix (with OpenDKIM)",
                "rspamd",
                "Exim",
                "Stalwart"
            ]
        );
        for snippet in snippets.iter().filter(|s| !s.mta.starts_with("Postfix")) {
            assert!(snippet.text.contains("example.com"), "{}", snippet.mta);
            assert!(snippet.text.contains("mw202611"), "{}", snippet.mta);
            assert!(
                snippet.text.contains("/etc/dkim/mw202611.pem"),
                "{}",
                snippet.mta
            );
        }
        assert!(snippets[0].text.contains(
            "mw202611._domainkey.example.com example.com:mw202611:/etc/dkim/mw202611.pem"
        ));
    }

    #[test]
    fn without_a_path_each_server_gets_its_usual_place_never_this_computers() {
        let snippets = snippets(None).unwrap();
        assert_eq!(
            snippets[0].key_path.as_deref(),
            Some("/etc/opendkim/keys/example.com/mw202611.private")
        );
        assert_eq!(
            snippets[2].key_path.as_deref(),
            Some("/var/lib/rspamd/dkim/example.com.mw202611.key")
        );
        assert!(snippets.iter().all(|s| !s.text.contains("/home/")));
    }

    #[test]
    fn a_path_that_could_break_the_configuration_is_refused() {
        for bad in [
            "keys/mw.pem",
            "/etc/x\"; evil = \"y",
            "/etc/x\nKeyTable /tmp/k",
            "/etc/%{env:HOME}",
        ] {
            assert!(snippets(Some(bad)).is_err(), "{bad}");
        }
        assert!(snippets(Some("C:\\keys\\mw.pem")).is_ok());
    }
}
