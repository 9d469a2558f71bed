//! The source table as CSV (the csv crate) for a spreadsheet or another tool. Text that came
//! from the network (reverse DNS names, reporters) is written so a spreadsheet never runs it
//! as a formula.

use super::sources::SourceView;

/// A cell a spreadsheet shows as text: one that starts like a formula gets a leading `'`.
pub(crate) fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// One row per source: what it is, its names and its counts.
pub fn sources_csv(sources: &[SourceView]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record([
        "ip",
        "kind",
        "sender",
        "reverse_dns",
        "matched_by",
        "messages",
        "dmarc_pass",
        "spf_pass",
        "spf_aligned",
        "dkim_pass",
        "dkim_aligned",
        "forwarded",
        "quarantined",
        "rejected",
        "dkim_domains",
    ]);
    for s in sources {
        let t = &s.totals;
        let kind = serde_json::to_value(s.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let _ = writer.write_record([
            cell(&t.ip),
            kind,
            cell(s.sender_name.as_deref().unwrap_or("")),
            cell(t.ptr.as_deref().unwrap_or("")),
            cell(t.matched_by.as_deref().unwrap_or("")),
            t.messages.to_string(),
            t.dmarc_pass.to_string(),
            t.spf_pass.to_string(),
            t.spf_aligned.to_string(),
            t.dkim_pass.to_string(),
            t.dkim_aligned.to_string(),
            t.forwarded.to_string(),
            t.quarantined.to_string(),
            t.rejected.to_string(),
            cell(&t.dkim_domains.join(" ")),
        ]);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::{SourceKind, SourceTotals};

    #[test]
    fn a_hostile_reverse_name_is_not_a_formula_and_quotes_are_escaped() {
        let view = SourceView {
            totals: SourceTotals {
                ip: "192.0.2.1".into(),
                ptr: Some("=HYPERLINK(\"http://x\")".into()),
                messages: 3,
                ..SourceTotals::default()
            },
            sender_name: None,
            kind: SourceKind::Unknown,
            sentence: String::new(),
        };
        let csv = sources_csv(&[view]);
        let row = csv.lines().nth(1).unwrap();
        assert!(
            row.starts_with("192.0.2.1,unknown,,\"'=HYPERLINK(\"\"http://x\"\")\""),
            "{row}"
        );
    }
}
