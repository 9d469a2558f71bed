//! The report's DKIM proof: each of the project's own keys signs a sample message that
//! mail-auth verifies against the record published now (the DKIM step's check, run again).

use crate::EngineError;
use crate::dkim::{DkimKeyPair, check_selector, load_system_key};
use crate::dns::DnsConfig;
use crate::domain::{DomainName, Selector, parse_domain_input};
use crate::finding::Severity;
use crate::project::Project;

/// A private key for the proof, or the sentence saying why it could not be read.
pub struct ProofKey {
    /// The selector the key signs with.
    pub selector: Selector,
    /// The key, or why it is not available (no keychain, no key stored…).
    pub key: Result<DkimKeyPair, String>,
}

/// What the proof found for one selector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DkimProof {
    /// The selector.
    pub selector: String,
    /// True: a signed sample verifies against the published record; false: it does not (or the
    /// record is missing or another key); none: the proof could not run.
    pub passed: Option<bool>,
    /// What happened, as a sentence that follows the words "DKIM proof" ("passed at selector …").
    pub result: String,
    /// The one thing to do, when the proof did not pass.
    pub fix: Option<String>,
}

/// The private halves of the project's own DKIM keys (not a hosted provider's): the one
/// `remembered` in memory (the app's keys just made), else the operating system's keychain's;
/// each one that cannot be read is kept with the sentence saying why.
pub async fn project_keys(
    project: &Project,
    remembered: impl Fn(&DomainName, &Selector) -> Option<DkimKeyPair>,
) -> Vec<ProofKey> {
    let Ok(input) = parse_domain_input(&project.domain) else {
        return Vec::new();
    };
    let domain = input.domain;
    let mut keys = Vec::new();
    for summary in project
        .dkim
        .keys
        .iter()
        .filter(|k| k.domain == domain.as_str())
    {
        let Ok(selector) = Selector::parse(&summary.selector) else {
            continue;
        };
        let key = match remembered(&domain, &selector) {
            Some(pair) => Ok(pair),
            None => {
                let (d, s) = (domain.clone(), selector.clone());
                crate::secrets::keychain_call(move || load_system_key(&s, &d))
                    .await
                    .map_err(|e| e.to_string())
            }
        };
        keys.push(ProofKey { selector, key });
    }
    keys
}

/// Runs the proof for each key against the record published for its selector.
pub async fn prove_keys(
    domain: &DomainName,
    keys: &[ProofKey],
    dns: &DnsConfig,
) -> Result<Vec<DkimProof>, EngineError> {
    let mut proofs = Vec::new();
    for ProofKey { selector, key } in keys {
        let name = selector.as_str().to_owned();
        let pair = match key {
            Ok(pair) => pair,
            Err(reason) => {
                proofs.push(DkimProof {
                    selector: name.clone(),
                    passed: None,
                    result: format!(
                        "not run for selector {name}: the private key could not be read. {reason}"
                    ),
                    fix: None,
                });
                continue;
            }
        };
        let report = check_selector(domain, selector, Some(pair), dns, None).await?;
        let worst = report.findings.iter().max_by_key(|f| f.severity);
        let proof = match (report.proof_passed, worst) {
            (Some(true), _) => DkimProof {
                selector: name.clone(),
                passed: Some(true),
                result: format!(
                    "passed at selector {name}: a sample message signed with your private key verifies (mail-auth) against the record published at {}.",
                    report.record_name
                ),
                fix: None,
            },
            (_, Some(f)) => DkimProof {
                selector: name.clone(),
                passed: (f.severity == Severity::Fail).then_some(false),
                result: format!("did not pass at selector {name}: {}", f.title),
                fix: f.fix.clone(),
            },
            (_, None) => DkimProof {
                selector: name.clone(),
                passed: None,
                result: format!("not run for selector {name}: nothing was found to check."),
                fix: None,
            },
        };
        proofs.push(proof);
    }
    Ok(proofs)
}
