//! Whether a domain has an SPF record at all: recognizing one, and the findings for none or
//! several (RFC 7208 §3.2, §4.5).

use crate::dns::Lookup;
use crate::domain::DomainName;
use crate::finding::{Evidence, Finding, Severity, Topic};

const TOPIC: Topic = Topic::Spf;

/// True when a TXT record is an SPF record: `v=spf1` followed by a space or nothing
/// (RFC 7208 §4.5; the version is matched case-insensitively).
pub fn is_spf(txt: &str) -> bool {
    let bytes = txt.as_bytes();
    bytes.len() >= 6
        && bytes[..6].eq_ignore_ascii_case(b"v=spf1")
        && (bytes.len() == 6 || bytes[6] == b' ')
}

/// `spf.multiple_records`: more than one `v=spf1` record at the domain.
pub(crate) fn multiple_records(domain: &DomainName, records: &[String]) -> Finding {
    let n = records.len();
    Finding::new(
                "spf.multiple_records",
                Severity::Fail,
                TOPIC,
                format!("{domain} publishes {n} SPF records; only one is allowed."),
                "With more than one v=spf1 record, receivers stop with a permanent error \
                 (RFC 7208 §4.5): your SPF counts as broken and mail may be rejected or filtered.",
            )
            .fix("Merge them into a single v=spf1 record that lists every service that sends your mail, then delete the others.")
            .evidence(evidence(domain, records))
}

/// `spf.missing`: no `v=spf1` record at the domain; the evidence is what it does publish.
pub(crate) fn missing_record(domain: &DomainName, txt: &Lookup) -> Finding {
    let mut finding = Finding::new(
        "spf.missing",
        Severity::Fail,
        TOPIC,
        format!("{domain} publishes no SPF record."),
        "Without SPF, receivers cannot tell which servers may send mail as your domain. Gmail, \
         Yahoo and Microsoft require SPF from bulk senders, and mail without it is often filtered \
         as spam.",
    )
    .fix("Publish one TXT record at your domain that starts with v=spf1 and lists the services that send your mail (Mailwright's SPF step composes it).");
    let other = txt.txt();
    finding = if other.is_empty() {
        finding.evidence(txt.evidence())
    } else {
        finding.evidence(evidence(domain, &other))
    };
    finding
}

fn evidence(domain: &DomainName, records: &[String]) -> Vec<Evidence> {
    records
        .iter()
        .map(|r| Evidence::record(domain.as_str(), "TXT", r))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::is_spf;

    #[test]
    fn recognizes_spf_records_only() {
        assert!(is_spf("v=spf1 -all"));
        assert!(is_spf("V=SPF1 include:_spf.google.com ~all"));
        assert!(is_spf("v=spf1"));
        assert!(!is_spf("v=spf10 -all"));
        assert!(!is_spf("google-site-verification=abc"));
        assert!(!is_spf(" v=spf1 -all"));
    }
}
