//! A record written the way one DNS host wants it typed: the name relative or full, `@` or
//! nothing for the domain itself, TXT quoted and split or not, with the warnings that prevent
//! the usual mistakes (a doubled domain, a proxied CNAME, a second SPF record).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::hosts::DnsHost;
use crate::dns_record::{DnsRecord, TXT_STRING_MAX};

/// What to type into a host's form, field by field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PresentedRecord {
    /// What the record is, by purpose ("DKIM key", "SPF", "DMARC policy").
    pub title: String,
    /// What it is for.
    pub purpose: String,
    /// The record type.
    pub rtype: String,
    /// The name field, as typed (may be empty: leave the field empty).
    pub name: String,
    /// The value field, as typed.
    pub value: String,
    /// The TTL to choose.
    pub ttl: String,
    /// Things to watch for with this record at this host.
    pub warnings: Vec<String>,
}

/// What a record is, by purpose, from its name and value: the card's title.
pub fn record_title(record: &DnsRecord) -> &'static str {
    let name = record.name.to_ascii_lowercase();
    let value = record.value.trim_start().to_ascii_lowercase();
    if name.contains("._report._dmarc.") {
        "Permission to receive your DMARC reports"
    } else if name.starts_with("_dmarc.") {
        "DMARC policy"
    } else if name.contains("._domainkey.") {
        "DKIM key"
    } else if name.starts_with("_mta-sts.") {
        "MTA-STS policy id"
    } else if name.starts_with("_smtp._tls.") {
        "TLS reports (TLS-RPT)"
    } else if value.starts_with("v=spf1") {
        "SPF"
    } else {
        "DNS record"
    }
}

/// The record's value as quoted strings of at most 255 octets: `"…" "…"` (quotes and
/// backslashes escaped).
pub fn quoted_strings(record: &DnsRecord) -> String {
    record
        .txt_strings()
        .iter()
        .map(|s| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// True when `name` is `zone` or below it (case and a final dot ignored).
pub fn in_zone(name: &str, zone: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let zone = zone.trim_end_matches('.').to_ascii_lowercase();
    name == zone || name.ends_with(&format!(".{zone}"))
}

/// The zone a record outside the user's belongs to, for the sentence: the report receiver's
/// domain for a DMARC authorization (`<domain>._report._dmarc.<receiver>`), else the name.
fn owner(name: &str) -> &str {
    let name = name.trim_end_matches('.');
    name.split_once("._report._dmarc.")
        .map_or(name, |(_, receiver)| receiver)
}

/// A record outside `zone` (a report receiver's authorization): the full name and the plain
/// value, to send to whoever runs that domain's DNS.
fn present_elsewhere(record: &DnsRecord, zone: &str) -> PresentedRecord {
    let owner = owner(&record.name);
    PresentedRecord {
        title: record_title(record).to_owned(),
        purpose: record.purpose.clone(),
        rtype: record.rtype.clone(),
        name: record.name.trim_end_matches('.').to_owned(),
        value: record.value.clone(),
        ttl: record.ttl.to_string(),
        warnings: vec![format!(
            "This record is not added at your DNS host: it belongs in the DNS of {owner}, not {zone}. Send it to whoever runs {owner} and ask them to publish it; until they do, receivers ignore the report address."
        )],
    }
}

/// The name as the host wants it typed for `zone`.
fn name_field(record: &DnsRecord, host: &DnsHost, zone: &str) -> String {
    let name = record.name.trim_end_matches('.').to_ascii_lowercase();
    let zone = zone.trim_end_matches('.').to_ascii_lowercase();
    if host.name_style == "fqdn" {
        return format!("{name}.");
    }
    if name == zone {
        return host.apex.clone();
    }
    name.strip_suffix(&format!(".{zone}"))
        .map(str::to_owned)
        .unwrap_or_else(|| format!("{name}."))
}

/// The record for `host`'s form. `published_spf` is the SPF record already at the apex, if any.
/// A record outside `zone` is written in full, with a sentence saying whom to send it to.
pub fn present(
    record: &DnsRecord,
    host: &DnsHost,
    zone: &str,
    published_spf: Option<&str>,
) -> PresentedRecord {
    if !in_zone(&record.name, zone) {
        return present_elsewhere(record, zone);
    }
    let name = name_field(record, host, zone);
    let mut warnings = Vec::new();
    let value = match record.rtype.as_str() {
        "TXT" if host.txt_split => quoted_strings(record),
        "TXT" if host.txt_quotes => format!("\"{}\"", record.value.replace('"', "\\\"")),
        "CNAME" if host.name_style == "fqdn" => format!("{}.", record.value.trim_end_matches('.')),
        _ => record.value.clone(),
    };
    if host.appends && !name.is_empty() && name != "@" {
        warnings.push(format!(
            "Type only “{name}”: {} adds “{zone}” itself, and “{}” would become {}.{zone}.",
            host.name, record.name, record.name
        ));
    }
    if host.proxy && record.rtype == "CNAME" {
        warnings.push(
            "Set Proxy status to “DNS only” (grey cloud): a proxied CNAME would hide this record from mail servers."
                .into(),
        );
    }
    if record.rtype == "TXT" && record.value.len() > TXT_STRING_MAX && !host.txt_split {
        warnings.push(format!(
            "The value is {} characters; paste it whole — {} splits it into 255-character strings itself.",
            record.value.len(),
            host.name
        ));
    }
    if record.value.starts_with("v=spf1")
        && let Some(existing) = published_spf
    {
        warnings.push(format!(
            "Your domain already has an SPF record ({existing}). Edit that record and replace its value: a second SPF record makes SPF fail for all your mail."
        ));
    }
    PresentedRecord {
        title: record_title(record).to_owned(),
        purpose: record.purpose.clone(),
        rtype: record.rtype.clone(),
        name,
        value,
        ttl: if host.name_style == "fqdn" {
            record.ttl.to_string()
        } else {
            host.ttl.clone()
        },
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_record_is_titled_by_its_purpose() {
        let title =
            |name: &str, value: &str| record_title(&DnsRecord::txt(name, value, "test")).to_owned();
        assert_eq!(title("example.com", "v=spf1 -all"), "SPF");
        assert_eq!(
            title("mw1._domainkey.example.com", "v=DKIM1; p=x"),
            "DKIM key"
        );
        assert_eq!(
            title("_dmarc.example.com", "v=DMARC1; p=none"),
            "DMARC policy"
        );
        assert_eq!(
            title("example.com._report._dmarc.vendor.example", "v=DMARC1"),
            "Permission to receive your DMARC reports"
        );
        assert_eq!(
            title("_mta-sts.example.com", "v=STSv1; id=1"),
            "MTA-STS policy id"
        );
        assert_eq!(
            title("_smtp._tls.example.com", "v=TLSRPTv1"),
            "TLS reports (TLS-RPT)"
        );
    }

    #[test]
    fn quotes_and_escapes_each_string() {
        let record = DnsRecord::txt("a.example.com", "say \"hi\"", "test");
        assert_eq!(quoted_strings(&record), "\"say \\\"hi\\\"\"");
        let long = DnsRecord::txt("a.example.com", "x".repeat(300), "test");
        assert_eq!(quoted_strings(&long).matches('"').count(), 4);
    }

    #[test]
    fn a_receivers_authorization_is_written_in_full_for_them() {
        let host = crate::publish::dns_host("cloudflare").unwrap();
        let record = DnsRecord::txt(
            "example.com._report._dmarc.reports.vendor.example",
            "v=DMARC1",
            "test",
        );
        let card = present(&record, host, "example.com", None);
        assert_eq!(
            card.name,
            "example.com._report._dmarc.reports.vendor.example"
        );
        assert_eq!(card.value, "v=DMARC1");
        assert_eq!(card.warnings.len(), 1);
        assert!(card.warnings[0].contains("the DNS of reports.vendor.example, not example.com"));
        assert!(in_zone("_dmarc.Example.COM.", "example.com"));
        assert!(!in_zone("notexample.com", "example.com"));
    }
}
