//! A DMARC aggregate report (RFC 7489 appendix C and RFC 9990), read with mail-auth's parser and
//! kept as only what Mailwright uses: who reported, for which domain and period, and per source
//! IP what passed.

use std::net::IpAddr;

use mail_auth::report::{
    ActionDisposition, DkimResult, DmarcResult, PolicyOverride, Report, SpfResult,
};

/// One aggregate report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AggregateReport {
    /// The reporting organisation (`org_name`, or its address when the name is empty).
    pub reporter: String,
    /// The reporter's id for the report (deduplication is by reporter and id).
    pub report_id: String,
    /// The domain whose policy was applied (`policy_published/domain`), lower case.
    pub domain: String,
    /// The period, Unix seconds.
    pub begin: i64,
    /// The period's end, Unix seconds.
    pub end: i64,
    /// The policy the receiver found (`p=`), as written in the report.
    pub policy: Option<String>,
    /// The share of failing mail the policy applies to (`pct=`, RFC 7489 §6.3), when the report
    /// gives one below 100. mail-auth's parser skips the element (RFC 9990 dropped it), so it is
    /// read from the report's text.
    pub policy_pct: Option<u8>,
    /// The policy was published in testing mode (`t=y`, RFC 9990's `<testing>`): receivers
    /// apply the next less strict policy.
    pub policy_testing: bool,
    /// One row per source and result.
    pub rows: Vec<AggregateRow>,
}

/// What one source sent in the period with one set of results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AggregateRow {
    /// The sending IP address.
    pub source_ip: IpAddr,
    /// How many messages.
    pub count: u64,
    /// DMARC passed: aligned SPF or aligned DKIM passed (the receiver's evaluation).
    pub dmarc_pass: bool,
    /// Aligned SPF passed.
    pub spf_aligned: bool,
    /// Aligned DKIM passed.
    pub dkim_aligned: bool,
    /// SPF passed for some domain (aligned or not).
    pub spf_pass: bool,
    /// A DKIM signature passed (aligned or not).
    pub dkim_pass: bool,
    /// The receiver's disposition.
    pub disposition: Disposition,
    /// The mail looks forwarded: the receiver said so, or SPF failed for the domain's own
    /// envelope sender while an aligned DKIM signature survived.
    pub forwarded: bool,
    /// The DKIM domains and selectors whose signatures passed.
    pub dkim_domains: Vec<(String, String)>,
}

/// What the receiver did with the messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Disposition {
    /// Delivered as usual.
    None,
    /// Sent to spam or held.
    Quarantine,
    /// Refused.
    Reject,
}

/// The sentence for a document that is not a usable aggregate report.
pub(super) fn read_aggregate(xml: &[u8]) -> Result<AggregateReport, String> {
    if contains(xml, b"<!DOCTYPE") || contains(xml, b"<!ENTITY") {
        return Err("It declares its own XML entities, which DMARC reports never do, so Mailwright did not read it.".into());
    }
    let repaired = super::xml_repair::repair(xml);
    let report = Report::parse_xml(repaired.as_bytes()).map_err(|e| {
        format!(
            "It is not a DMARC aggregate report Mailwright can read ({}).",
            short(&e)
        )
    })?;
    let pct = published_pct(&repaired);
    from_report(report, pct)
}

/// The `pct` of the report's `policy_published`, when below 100 (absent, malformed and 100 all
/// mean the whole of the failing mail).
fn published_pct(xml: &str) -> Option<u8> {
    let start = xml.find("<policy_published")?;
    let block = &xml[start..];
    let block = &block[..block.find("</policy_published>").unwrap_or(block.len())];
    let value = &block[block.find("<pct>")? + "<pct>".len()..];
    let pct: u8 = value[..value.find('<')?].trim().parse().ok()?;
    (pct < 100).then_some(pct)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

fn short(text: &str) -> String {
    let mut s: String = text.chars().take(120).collect();
    if s.len() < text.len() {
        s.push('…');
    }
    s
}

fn from_report(report: Report, policy_pct: Option<u8>) -> Result<AggregateReport, String> {
    let meta = report.report_metadata;
    let reporter = if meta.org_name.trim().is_empty() {
        meta.email.trim().to_owned()
    } else {
        meta.org_name.trim().to_owned()
    };
    if reporter.is_empty() || meta.report_id.trim().is_empty() {
        return Err(
            "It has no reporter or no report id, so it cannot be told apart from other reports."
                .into(),
        );
    }
    let domain = report
        .policy_published
        .domain
        .trim()
        .trim_end_matches('.')
        .to_ascii_lowercase();
    if domain.is_empty() {
        return Err("It does not say which domain it is about (policy_published/domain).".into());
    }
    let (begin, end) = (
        i64::try_from(meta.date_range.begin).unwrap_or(i64::MAX),
        i64::try_from(meta.date_range.end).unwrap_or(i64::MAX),
    );
    if begin <= 0 || end < begin {
        return Err("Its date range is missing or ends before it begins.".into());
    }
    let policy = match report.policy_published.p {
        mail_auth::report::Disposition::None => Some("none".to_owned()),
        mail_auth::report::Disposition::Quarantine => Some("quarantine".to_owned()),
        mail_auth::report::Disposition::Reject => Some("reject".to_owned()),
        mail_auth::report::Disposition::Unspecified => None,
    };
    let policy_testing = report.policy_published.testing;
    let mut rows = Vec::with_capacity(report.record.len());
    for record in report.record {
        // An IPv4 address written IPv4-mapped (`::ffff:192.0.2.1`) is the IPv4 sender.
        let Some(source_ip) = record.row.source_ip.map(|ip| ip.to_canonical()) else {
            continue;
        };
        let evaluated = &record.row.policy_evaluated;
        let dkim_aligned = evaluated.dkim == DmarcResult::Pass;
        let spf_aligned = evaluated.spf == DmarcResult::Pass;
        let header_from = record.identifiers.header_from.to_ascii_lowercase();
        let spf_pass = record
            .auth_results
            .spf
            .iter()
            .any(|s| s.result == SpfResult::Pass);
        let own_envelope_failed = record.auth_results.spf.iter().any(|s| {
            s.result != SpfResult::Pass
                && relaxed_aligned(&s.domain.to_ascii_lowercase(), &header_from)
        });
        let dkim_domains: Vec<(String, String)> = record
            .auth_results
            .dkim
            .iter()
            .filter(|d| d.result == DkimResult::Pass)
            .map(|d| (d.domain.to_ascii_lowercase(), d.selector.clone()))
            .collect();
        let said_forwarded = evaluated.reason.iter().any(|r| {
            matches!(
                r.type_,
                PolicyOverride::MailingList | PolicyOverride::TrustedForwarder
            ) || r
                .comment
                .as_deref()
                .is_some_and(|c| c.to_ascii_lowercase().contains("forward"))
        });
        let disposition = match evaluated.disposition {
            ActionDisposition::Quarantine => Disposition::Quarantine,
            ActionDisposition::Reject => Disposition::Reject,
            _ => Disposition::None,
        };
        rows.push(AggregateRow {
            source_ip,
            count: u64::from(record.row.count),
            dmarc_pass: dkim_aligned || spf_aligned,
            spf_aligned,
            dkim_aligned,
            spf_pass,
            dkim_pass: !dkim_domains.is_empty(),
            disposition,
            forwarded: said_forwarded || (dkim_aligned && !spf_aligned && own_envelope_failed),
            dkim_domains,
        });
    }
    Ok(AggregateReport {
        reporter,
        report_id: meta.report_id.trim().to_owned(),
        domain,
        begin,
        end,
        policy,
        policy_pct,
        policy_testing,
        rows,
    })
}

/// Relaxed alignment by suffix: `a` is `b` or a subdomain of it, or the other way round (the
/// organizational domain is not known here; this only tells the domain's own envelope apart
/// from a provider's).
fn relaxed_aligned(a: &str, b: &str) -> bool {
    !a.is_empty() && (a == b || a.ends_with(&format!(".{b}")) || b.ends_with(&format!(".{a}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = r#"<?xml version="1.0" encoding="UTF-8" ?>
<feedback xmlns="urn:ietf:params:xml:ns:dmarc-2.0">
  <version>1.0</version>
  <report_metadata>
    <org_name>receiver.test</org_name>
    <email>noreply@receiver.test</email>
    <report_id>r-1</report_id>
    <date_range><begin>1764547200</begin><end>1764633599</end></date_range>
  </report_metadata>
  <policy_published><domain>Example.COM</domain><p>none</p><sp>none</sp><np>reject</np></policy_published>
  <record>
    <row><source_ip>192.0.2.1</source_ip><count>3</count>
      <policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>fail</spf></policy_evaluated></row>
    <identifiers><envelope_from>example.com</envelope_from><header_from>example.com</header_from></identifiers>
    <auth_results>
      <dkim><domain>example.com</domain><selector>s1</selector><result>pass</result></dkim>
      <spf><domain>example.com</domain><scope>mfrom</scope><result>softfail</result></spf>
    </auth_results>
  </record>
  <record>
    <row><source_ip>2001:db8::9</source_ip><count>1</count>
      <policy_evaluated><disposition>reject</disposition><dkim>fail</dkim><spf>fail</spf></policy_evaluated></row>
    <identifiers><header_from>example.com</header_from></identifiers>
    <auth_results><spf><domain>spoof.test</domain><result>pass</result></spf></auth_results>
  </record>
</feedback>"#;

    #[test]
    fn reads_an_rfc9990_report_and_recognises_forwarding() {
        let report = read_aggregate(REPORT.as_bytes()).unwrap();
        assert_eq!(report.reporter, "receiver.test");
        assert_eq!(report.domain, "example.com");
        assert_eq!(report.policy.as_deref(), Some("none"));
        assert_eq!(report.rows.len(), 2);
        let forwarded = &report.rows[0];
        assert!(forwarded.forwarded && forwarded.dmarc_pass && !forwarded.spf_aligned);
        assert_eq!(
            forwarded.dkim_domains,
            vec![("example.com".into(), "s1".into())]
        );
        let spoof = &report.rows[1];
        assert!(!spoof.dmarc_pass && !spoof.forwarded && spoof.spf_pass);
        assert_eq!(spoof.disposition, Disposition::Reject);
    }

    #[test]
    fn the_share_and_testing_mode_of_the_published_policy_are_read() {
        let report = read_aggregate(REPORT.as_bytes()).unwrap();
        assert_eq!((report.policy_pct, report.policy_testing), (None, false));
        // RFC 7489's pct (which mail-auth skips), with spaces; 100 is all of the mail.
        for (pct, read) in [(" 25 ", Some(25)), ("100", None), ("x", None)] {
            let old = REPORT.replace("<np>reject</np>", &format!("<pct>{pct}</pct>"));
            assert_eq!(
                read_aggregate(old.as_bytes()).unwrap().policy_pct,
                read,
                "{pct}"
            );
        }
        // A pct outside policy_published is not the policy's.
        let elsewhere = REPORT.replace(
            "</policy_published>",
            "</policy_published><extension><pct>5</pct></extension>",
        );
        assert_eq!(
            read_aggregate(elsewhere.as_bytes()).unwrap().policy_pct,
            None
        );
        // RFC 9990's testing element.
        let testing = REPORT.replace("<np>reject</np>", "<np>reject</np><testing>y</testing>");
        assert!(read_aggregate(testing.as_bytes()).unwrap().policy_testing);
    }

    #[test]
    fn numbers_written_as_decimals_and_mapped_addresses_read_as_they_mean() {
        let written = REPORT
            .replace("<begin>1764547200</begin>", "<begin>1764547200.0</begin>")
            .replace("<count>3</count>", "<count> 3.0 </count>")
            .replace(
                "<source_ip>192.0.2.1</source_ip>",
                "<source_ip>::ffff:192.0.2.1</source_ip>",
            );
        assert_eq!(
            read_aggregate(written.as_bytes()).unwrap(),
            read_aggregate(REPORT.as_bytes()).unwrap()
        );
        // A count that is not a whole number is not rounded into one.
        let half = REPORT.replace("<count>3</count>", "<count>2.5</count>");
        assert_eq!(read_aggregate(half.as_bytes()).unwrap().rows[0].count, 0);
    }

    #[test]
    fn elements_a_reporter_adds_to_feedback_lose_no_record() {
        // mail-auth 0.13 stops reading <feedback> at an element it does not know: the records
        // after it were dropped without a word, or the report refused.
        for added in [
            "<extension><pct>5</pct></extension>",
            "<generator>Reporter 2.1</generator>",
            "<vendor_data><record><row/></record></vendor_data>",
        ] {
            for after in ["<version>1.0</version>", "</policy_published>"] {
                let xml = REPORT.replace(after, &format!("{after}{added}"));
                let report =
                    read_aggregate(xml.as_bytes()).unwrap_or_else(|e| panic!("{added}: {e}"));
                assert_eq!(
                    report,
                    read_aggregate(REPORT.as_bytes()).unwrap(),
                    "{added}"
                );
            }
        }
    }

    #[test]
    fn the_same_report_with_a_namespace_prefix_reads_the_same() {
        // Every element name written `dmarc:name`, the namespace declared with that prefix.
        let prefixed = REPORT
            .replace("xmlns=", "xmlns:dmarc=")
            .replace("</", "\u{0}")
            .replace("<?", "\u{1}")
            .replace('<', "<dmarc:")
            .replace('\u{0}', "</dmarc:")
            .replace('\u{1}', "<?");
        assert!(prefixed.contains("<dmarc:row><dmarc:source_ip>192.0.2.1</dmarc:source_ip>"));
        assert_eq!(
            read_aggregate(prefixed.as_bytes()).unwrap(),
            read_aggregate(REPORT.as_bytes()).unwrap()
        );
    }

    #[test]
    fn entity_declarations_and_non_reports_get_a_sentence() {
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><feedback>&lol;</feedback>"#;
        assert!(
            read_aggregate(bomb.as_bytes())
                .unwrap_err()
                .contains("entities")
        );
        assert!(
            read_aggregate(b"<html><body/></html>")
                .unwrap_err()
                .contains("not a DMARC")
        );
        let no_id = REPORT.replace("<report_id>r-1</report_id>", "");
        assert!(
            read_aggregate(no_id.as_bytes())
                .unwrap_err()
                .contains("report id")
        );
    }
}
