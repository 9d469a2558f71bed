//! Ready-to-paste signing configuration for the common mail servers, filled in with the
//! domain, the selector and where the user exported the private key.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::key_file_name;
use crate::domain::{DomainName, Selector};

/// One configuration snippet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MtaSnippet {
    /// The mail server, such as "OpenDKIM with Postfix".
    pub mta: String,
    /// Which file it goes in.
    pub file: String,
    /// The text to paste.
    pub text: String,
}

/// Snippets for OpenDKIM (+ Postfix), rspamd, Exim and Stalwart. `key_path` is where the
/// private key was exported; without one, `/etc/dkim/<key file name>` stands in.
pub fn mta_snippets(
    domain: &DomainName,
    selector: &Selector,
    key_path: Option<&str>,
) -> Vec<MtaSnippet> {
    let default_path = format!("/etc/dkim/{}", key_file_name(selector, domain));
    let key_path = key_path.unwrap_or(&default_path);
    let (d, s) = (domain.as_str(), selector.as_str());
    let snippet = |mta: &str, file: &str, text: String| MtaSnippet {
        mta: mta.to_owned(),
        file: file.to_owned(),
        text,
    };
    vec![
        snippet(
            "OpenDKIM",
            "/etc/opendkim/KeyTable and /etc/opendkim/SigningTable",
            format!(
                "# /etc/opendkim/KeyTable\n{s}._domainkey.{d} {d}:{s}:{key_path}\n\n\
                 # /etc/opendkim/SigningTable (needs SigningTable refile: in opendkim.conf)\n*@{d} {s}._domainkey.{d}\n\n\
                 # /etc/opendkim.conf\nKeyTable      /etc/opendkim/KeyTable\nSigningTable  refile:/etc/opendkim/SigningTable\n\
                 Canonicalization relaxed/relaxed\nSocket        inet:8891@localhost\n"
            ),
        ),
        snippet(
            "Postfix (with OpenDKIM)",
            "/etc/postfix/main.cf",
            "smtpd_milters = inet:localhost:8891\nnon_smtpd_milters = $smtpd_milters\nmilter_default_action = accept\n".to_owned(),
        ),
        snippet(
            "rspamd",
            "/etc/rspamd/local.d/dkim_signing.conf",
            format!(
                "domain {{\n  {d} {{\n    selectors [\n      {{\n        path = \"{key_path}\";\n        selector = \"{s}\";\n      }}\n    ];\n  }}\n}}\n"
            ),
        ),
        snippet(
            "Exim",
            "the remote_smtp transport (for example /etc/exim4/conf.d/transport/30_exim4-config_remote_smtp)",
            format!(
                "remote_smtp:\n  driver = smtp\n  dkim_domain = {d}\n  dkim_selector = {s}\n  dkim_private_key = {key_path}\n  dkim_canon = relaxed\n"
            ),
        ),
        snippet(
            "Stalwart",
            "config.toml (or Settings → Signatures in the web admin)",
            format!(
                "[signature.\"{s}-{d}\"]\nprivate-key = \"%{{file:{key_path}}}%\"\ndomain = \"{d}\"\nselector = \"{s}\"\nheaders = [\"From\", \"To\", \"Date\", \"Subject\", \"Message-ID\"]\nalgorithm = \"rsa-sha256\"\ncanonicalization = \"relaxed/relaxed\"\n\n[auth.dkim]\nsign = [{{ if = \"is_local_domain('', sender_domain)\", then = \"['{s}-{d}']\" }}, {{ else = false }}]\n"
            ),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::parse_domain_input;

    #[test]
    fn every_snippet_names_the_domain_and_selector_and_no_secret() {
        let domain = parse_domain_input("example.com").unwrap().domain;
        let selector = Selector::parse("mw202611").unwrap();
        let snippets = mta_snippets(&domain, &selector, Some("/etc/dkim/mw202611.pem"));
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
}
