//! The DMARC record in force for a domain, and what a composed record would weaken compared
//! with it: a lower policy (for the domain, its subdomains or names that do not exist), relaxed
//! alignment, or a report address dropped.

use crate::dns::{DnsClient, DnsConfig};
use crate::domain::DomainName;
use crate::error::EngineError;

use super::compose::DmarcComposeRequest;
use super::discovery::{Discovery, discover};
use super::record::{AlignmentMode, DmarcPolicy, DmarcRecord};

/// The DMARC record that applies to `domain` now: its own, or the policy it inherits from a
/// parent domain (the parent's `sp`, else its `p`, with nothing else). `None` when there is
/// none or it cannot be read; an error when the DNS server could not be asked.
pub async fn published_dmarc(
    domain: &DomainName,
    dns: &DnsConfig,
) -> Result<Option<DmarcRecord>, EngineError> {
    let client = DnsClient::new(dns, None)?;
    Ok(match discover(&client, domain.as_str()).await {
        Discovery::Found { target, record, .. } => {
            let record = DmarcRecord::parse(&record).ok().filter(|r| r.p.is_some());
            if target == domain.as_str() {
                record
            } else {
                record.map(|parent| DmarcRecord {
                    p: parent.sp.or(parent.p),
                    ..DmarcRecord::default()
                })
            }
        }
        Discovery::Failed(lookup) => {
            return Err(EngineError::DnsFailed(lookup.name.clone()));
        }
        Discovery::Multiple { .. } | Discovery::Missing(_) => None,
    })
}

impl DmarcComposeRequest {
    /// True once the user has choices of their own: the step composed, or a project saved
    /// before `started_from` existed has a policy or an address.
    pub fn chosen(&self) -> bool {
        self.started_from.is_some()
            || self.policy.is_some()
            || !self.rua.is_empty()
            || !self.ruf.is_empty()
    }

    /// The choices a composer starts from: what `published` has, or for a domain without a
    /// record, monitoring with reports to `dmarc-reports@<domain>`. `started_from` records the
    /// published record (empty when there was none).
    pub fn starting_from(domain: &str, published: Option<&DmarcRecord>) -> Self {
        match published {
            Some(record) => DmarcComposeRequest {
                domain: domain.to_owned(),
                policy: record.p,
                // Addresses as people type them (the composer adds `mailto:` back).
                rua: record.rua.iter().map(|u| bare_address(u)).collect(),
                ruf: record.ruf.iter().map(|u| bare_address(u)).collect(),
                adkim: record.adkim,
                aspf: record.aspf,
                sp: record.sp,
                np: record.np,
                fo: record.fo.clone(),
                started_from: Some(record.to_text()),
                ..DmarcComposeRequest::default()
            },
            None => DmarcComposeRequest {
                domain: domain.to_owned(),
                rua: vec![format!("dmarc-reports@{domain}")],
                started_from: Some(String::new()),
                ..DmarcComposeRequest::default()
            },
        }
    }
}

/// A report URI as typed: `mailto:` dropped (an `https:` URI or a size suffix is kept).
fn bare_address(uri: &str) -> String {
    uri.strip_prefix("mailto:").unwrap_or(uri).to_owned()
}

/// The policy applied to existing subdomains.
fn subdomain_policy(p: DmarcPolicy, sp: Option<DmarcPolicy>) -> DmarcPolicy {
    sp.unwrap_or(p)
}

/// The policy applied to subdomains that do not exist (RFC 9989: `np`, else `sp`, else `p`).
fn missing_policy(p: DmarcPolicy, sp: Option<DmarcPolicy>, np: Option<DmarcPolicy>) -> DmarcPolicy {
    np.or(sp).unwrap_or(p)
}

fn what_happens(policy: DmarcPolicy) -> &'static str {
    match policy {
        DmarcPolicy::None => "delivered as if it passed",
        DmarcPolicy::Quarantine => "put in spam",
        DmarcPolicy::Reject => "refused",
    }
}

fn same_uri(a: &str, b: &str) -> bool {
    let bare = |u: &str| {
        let u = u.split('!').next().unwrap_or_default().trim();
        u.strip_prefix("mailto:").unwrap_or(u).to_ascii_lowercase()
    };
    bare(a) == bare(b)
}

/// What `asked` weakens compared with `published`, one sentence each.
pub(crate) fn weakenings(published: &DmarcRecord, asked: &DmarcRecord) -> Vec<String> {
    let mut changes = Vec::new();
    let (Some(was), Some(now)) = (published.p, asked.p) else {
        return changes;
    };
    if now < was {
        changes.push(format!(
            "It lowers the policy from {} to {}: mail that fails DMARC would be {} instead of {}.",
            was.as_str(),
            now.as_str(),
            what_happens(now),
            what_happens(was)
        ));
    }
    let (sub_was, sub_now) = (
        subdomain_policy(was, published.sp),
        subdomain_policy(now, asked.sp),
    );
    // Said once: a lower p lowers the subdomains' policy with it unless sp or np differ.
    if sub_now < sub_was && (sub_was, sub_now) != (was, now) {
        changes.push(format!(
            "It lowers the policy for your subdomains from {} to {}: failing mail from them would be {}.",
            sub_was.as_str(),
            sub_now.as_str(),
            what_happens(sub_now)
        ));
    }
    let (np_was, np_now) = (
        missing_policy(was, published.sp, published.np),
        missing_policy(now, asked.sp, asked.np),
    );
    if np_now < np_was && (np_was, np_now) != (sub_was, sub_now) {
        changes.push(format!(
            "It lowers the policy for subdomains that do not exist from {} to {}: mail forged from made-up names would be {}.",
            np_was.as_str(),
            np_now.as_str(),
            what_happens(np_now)
        ));
    }
    if published.adkim == AlignmentMode::Strict && asked.adkim == AlignmentMode::Relaxed {
        changes.push("It relaxes DKIM alignment (adkim=s to relaxed): a signature by any subdomain of your domain would count, not only your domain itself.".into());
    }
    if published.aspf == AlignmentMode::Strict && asked.aspf == AlignmentMode::Relaxed {
        changes.push("It relaxes SPF alignment (aspf=s to relaxed): a Return-Path on any subdomain of your domain would count, not only your domain itself.".into());
    }
    for (kind, was, now) in [
        ("daily aggregate reports", &published.rua, &asked.rua),
        ("failure reports", &published.ruf, &asked.ruf),
    ] {
        for uri in was.iter().filter(|u| !now.iter().any(|n| same_uri(u, n))) {
            changes.push(format!(
                "It stops the {kind} to {}: whoever reads them there would no longer see who sends as you.",
                uri.strip_prefix("mailto:").unwrap_or(uri)
            ));
        }
    }
    changes
}

/// `asked` with everything it would weaken put back as `published` has it.
pub(crate) fn keep_in_force(published: &DmarcRecord, asked: &mut DmarcRecord) {
    let (Some(was), Some(now)) = (published.p, asked.p) else {
        return;
    };
    let p = now.max(was);
    let sub = subdomain_policy(now, asked.sp).max(subdomain_policy(was, published.sp));
    let missing = missing_policy(now, asked.sp, asked.np).max(missing_policy(
        was,
        published.sp,
        published.np,
    ));
    asked.p = Some(p);
    asked.sp = (sub != p).then_some(sub);
    asked.np = (missing != sub).then_some(missing);
    if published.adkim == AlignmentMode::Strict {
        asked.adkim = AlignmentMode::Strict;
    }
    if published.aspf == AlignmentMode::Strict {
        asked.aspf = AlignmentMode::Strict;
    }
    for (was, now) in [
        (&published.rua, &mut asked.rua),
        (&published.ruf, &mut asked.ruf),
    ] {
        for uri in was {
            if !now.iter().any(|n| same_uri(uri, n)) {
                now.push(uri.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(text: &str) -> DmarcRecord {
        DmarcRecord::parse(text).unwrap()
    }

    #[test]
    fn a_lower_policy_relaxed_alignment_and_a_dropped_address_are_each_named() {
        let published = record("v=DMARC1; p=quarantine; adkim=s; rua=mailto:d@example.com");
        let asked = record("v=DMARC1; p=none; rua=mailto:new@example.com");
        let changes = weakenings(&published, &asked);
        assert_eq!(changes.len(), 3, "{changes:?}");
        assert!(changes[0].contains("from quarantine to none"));
        assert!(changes.iter().any(|c| c.contains("adkim=s")));
        assert!(changes.iter().any(|c| c.contains("d@example.com")));
    }

    #[test]
    fn nothing_stronger_or_equal_is_called_weaker() {
        let published = record("v=DMARC1; p=quarantine; rua=mailto:d@example.com!10m");
        let asked = record("v=DMARC1; p=reject; adkim=s; rua=mailto:D@example.com");
        assert!(weakenings(&published, &asked).is_empty());
    }

    #[test]
    fn keeping_what_is_in_force_leaves_nothing_weaker() {
        let published = record(
            "v=DMARC1; p=reject; sp=quarantine; np=reject; aspf=s; rua=mailto:d@example.com",
        );
        let mut asked = record("v=DMARC1; p=none; rua=mailto:x@example.com");
        keep_in_force(&published, &mut asked);
        assert!(weakenings(&published, &asked).is_empty());
        assert_eq!(
            asked.to_text(),
            "v=DMARC1; p=reject; sp=quarantine; np=reject; aspf=s; rua=mailto:x@example.com,mailto:d@example.com"
        );
    }
}
