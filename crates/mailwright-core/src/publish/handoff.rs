//! A page for whoever manages the DNS: every record written the way their host wants it, with
//! the host's notes and each record's warnings, as Markdown or one HTML file.

use std::fmt::Write;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::collect::PublishSet;
use super::hosts::DnsHost;
use super::present::{PresentedRecord, present};
use super::zone::zone_snippet;
use crate::dns_record::DnsRecord;
use crate::html_page::{code_span as code, plain_text as text};

/// A field's value as a code span; an empty one says to leave the field empty.
fn field(text: &str) -> String {
    if text.is_empty() {
        "(leave empty)".into()
    } else {
        code(text)
    }
}

/// Every record for `host`.
pub fn present_all(
    records: &[DnsRecord],
    host: &DnsHost,
    zone: &str,
    published_spf: Option<&str>,
) -> Vec<PresentedRecord> {
    records
        .iter()
        .map(|r| present(r, host, zone, published_spf))
        .collect()
}

/// The hand-off page as Markdown.
pub fn handoff_markdown(
    records: &[DnsRecord],
    host: &DnsHost,
    zone: &str,
    published_spf: Option<&str>,
) -> String {
    let mut out = format!("# DNS records to add for {}\n\n", text(zone));
    let _ = writeln!(
        out,
        "Add these records at **{}**. {} Copy each field exactly as shown.\n",
        text(&host.name),
        text(&host.note)
    );
    let presented = present_all(records, host, zone, published_spf);
    for (i, (p, r)) in presented.iter().zip(records).enumerate() {
        let _ = writeln!(
            out,
            "## {}. {}: {} record for {}\n\n{}\n",
            i + 1,
            text(&p.title),
            text(&p.rtype),
            text(&r.name),
            text(&p.purpose)
        );
        let _ = writeln!(out, "| Field | Type this |\n|---|---|");
        let _ = writeln!(out, "| Type | {} |", code(&p.rtype));
        let _ = writeln!(out, "| {} | {} |", text(&host.name_label), field(&p.name));
        let _ = writeln!(out, "| Value | {} |", code(&p.value));
        let _ = writeln!(out, "| TTL | {} |", code(&p.ttl));
        for w in &p.warnings {
            let _ = writeln!(out, "\n> {}", text(w));
        }
        out.push('\n');
    }
    let snippet = zone_snippet(records, zone);
    // A fence longer than any run of backticks in the records, so none can close it.
    let longest = snippet
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default();
    let fence = "`".repeat(longest.max(2) + 1);
    out.push_str("## The same as a zone file\n\nFor hosts that import BIND zone files:\n\n");
    let _ = writeln!(out, "{fence}\n{snippet}{fence}");
    out
}

/// The hand-off page as one HTML file.
pub fn handoff_html(
    records: &[DnsRecord],
    host: &DnsHost,
    zone: &str,
    published_spf: Option<&str>,
) -> String {
    crate::html_page::page(
        &format!("DNS records to add for {zone}"),
        &crate::html_page::body(&handoff_markdown(records, host, zone, published_spf)),
    )
}

/// What the Publish step writes to a file for whoever manages the DNS.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[ts(export)]
pub enum HandoffFormat {
    /// A page for whoever manages the DNS (Markdown).
    Md,
    /// The same page as one HTML file.
    Html,
    /// A BIND zone-file snippet.
    Zone,
}

impl PublishSet {
    /// The records as `format` writes them, for `host`.
    pub fn handoff(&self, host: &DnsHost, format: HandoffFormat) -> String {
        let spf = self.published_spf.as_deref();
        match format {
            HandoffFormat::Md => handoff_markdown(&self.records, host, &self.zone, spf),
            HandoffFormat::Html => handoff_html(&self.records, host, &self.zone, spf),
            HandoffFormat::Zone => zone_snippet(&self.records, &self.zone),
        }
    }

    /// The records as `host` wants them typed.
    pub fn present(&self, host: &DnsHost) -> Vec<PresentedRecord> {
        present_all(
            &self.records,
            host,
            &self.zone,
            self.published_spf.as_deref(),
        )
    }
}
