//! One unpacked document to one report: XML is a DMARC aggregate report, JSON an SMTP TLS
//! report.

use super::aggregate::read_aggregate;
use super::store::Incoming;
use super::tls_report::read_tls_report;
use super::unpack::Document;

/// Reads a document as the report it is, or says in a sentence why it is not one.
pub fn read_document(document: &Document) -> Result<Incoming, String> {
    let text = document
        .bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF)
        .map(|i| document.bytes[i])
        .unwrap_or(0);
    match text {
        b'<' => read_aggregate(&document.bytes).map(Incoming::Aggregate),
        b'{' => read_tls_report(&document.bytes).map(Incoming::Tls),
        _ => Err("It is neither a DMARC report (XML) nor a TLS report (JSON).".into()),
    }
}
