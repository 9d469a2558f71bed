//! From what the user opened (files, folders, messages, mailboxes) to the report documents
//! inside: gzip and zip are opened with caps on size and ratio, messages are taken apart with
//! mail-parser, an mbox file is split one message at a time. Nothing is held whole but one
//! document.

use std::io::{BufRead, Read};

use crate::mbox::MboxItem;
use std::path::Path;

use flate2::read::GzDecoder;
use mail_parser::{MessageParser, MimeHeaders, PartType};

/// The largest report document read once unpacked (XML or JSON): 50 MiB. The largest real
/// aggregate reports (a big receiver's day for a busy domain) are a few MiB.
pub const MAX_DOCUMENT_OCTETS: u64 = 50 * 1024 * 1024;

/// The largest file or message read (a zip, a gzip, a message with attachments): 100 MiB.
/// An mbox file may be of any size: it is read one message at a time, each under this cap.
pub const MAX_FILE_OCTETS: u64 = 100 * 1024 * 1024;

/// The largest ratio of unpacked to packed size above 1 MiB unpacked. Report XML packs about
/// 10 to 30 times; a "zip bomb" packs thousands of times.
pub const MAX_RATIO: u64 = 200;

/// The most files a zip archive may hold (a report zip holds one).
pub const MAX_ZIP_ENTRIES: usize = 100;

/// How deep containers may nest (a message holding a zip holding a document is two).
const MAX_DEPTH: u8 = 4;

/// How deep a folder is searched.
const MAX_FOLDER_DEPTH: u8 = 8;

/// One report document found: where it came from and its bytes (XML or JSON).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// Where it was found, as the user would recognise it (a file, a file inside a zip, the
    /// Nth message of an mbox).
    pub origin: String,
    /// The document, unpacked.
    pub bytes: Vec<u8>,
}

/// What could not be read, and why, in a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    /// Where it was.
    pub origin: String,
    /// What was wrong and what to do.
    pub sentence: String,
}

/// One thing found while unpacking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    /// A report document.
    Document(Document),
    /// Something that could not be read; the rest goes on.
    Unreadable(Unreadable),
}

fn unreadable(origin: &str, sentence: impl Into<String>) -> Found {
    Found::Unreadable(Unreadable {
        origin: origin.to_owned(),
        sentence: sentence.into(),
    })
}

/// Unpacks every path (files and folders, folders searched for report files), handing each
/// document or problem to `out` as it is found. `out` answers false to stop.
pub fn unpack_paths(paths: &[std::path::PathBuf], out: &mut dyn FnMut(Found) -> bool) {
    for path in paths {
        if !unpack_path(path, 0, out) {
            return;
        }
    }
}

fn unpack_path(path: &Path, depth: u8, out: &mut dyn FnMut(Found) -> bool) -> bool {
    let origin = path.display().to_string();
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) => {
            return out(unreadable(
                &origin,
                format!("It could not be opened ({e}).",),
            ));
        }
    };
    if meta.is_dir() {
        if depth >= MAX_FOLDER_DEPTH {
            return out(unreadable(
                &origin,
                "This folder is nested too deep; open it on its own.",
            ));
        }
        let mut entries: Vec<_> = match std::fs::read_dir(path) {
            Ok(entries) => entries.filter_map(Result::ok).map(|e| e.path()).collect(),
            Err(e) => {
                return out(unreadable(
                    &origin,
                    format!("This folder could not be read ({e})."),
                ));
            }
        };
        entries.sort();
        for entry in entries {
            let is_dir = entry.is_dir();
            if (is_dir || looks_like_report_file(&entry)) && !unpack_path(&entry, depth + 1, out) {
                return false;
            }
        }
        return true;
    }
    if !meta.is_file() {
        return out(unreadable(
            &origin,
            "This is not a regular file (a link or a device), so Mailwright does not read it.",
        ));
    }
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => {
            return out(unreadable(
                &origin,
                format!("It could not be opened ({e})."),
            ));
        }
    };
    let mut reader = std::io::BufReader::new(file);
    let starts_mbox = reader
        .fill_buf()
        .map(|head| head.starts_with(b"From "))
        .unwrap_or(false);
    if starts_mbox {
        return unpack_mbox(&origin, reader, out);
    }
    if meta.len() > MAX_FILE_OCTETS {
        return out(unreadable(
            &origin,
            format!(
                "It is {} MB, more than the {} MB Mailwright reads at once. If it is a mailbox, save it as an mbox file.",
                meta.len() / 1_048_576,
                MAX_FILE_OCTETS / 1_048_576
            ),
        ));
    }
    let mut bytes = Vec::new();
    if let Err(e) = reader.take(MAX_FILE_OCTETS).read_to_end(&mut bytes) {
        return out(unreadable(&origin, format!("It could not be read ({e}).")));
    }
    unpack_bytes(&origin, &bytes, 0, out)
}

/// Whether a file in a folder is worth opening: report documents, archives, messages and
/// mailboxes by their names.
fn looks_like_report_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    [".xml", ".gz", ".zip", ".json", ".eml", ".mbox", ".msg.txt"]
        .iter()
        .any(|ext| name.ends_with(ext))
        || name == "mbox"
}

/// Unpacks one file's or one message's bytes: gzip, zip, a message, or a document.
pub fn unpack_bytes(
    origin: &str,
    bytes: &[u8],
    depth: u8,
    out: &mut dyn FnMut(Found) -> bool,
) -> bool {
    if depth > MAX_DEPTH {
        return out(unreadable(
            origin,
            "Archives inside archives nest too deep here; this is not how receivers send reports.",
        ));
    }
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return match inflate(GzDecoder::new(bytes), bytes.len() as u64) {
            Ok(inner) => unpack_bytes(origin, &inner, depth + 1, out),
            Err(sentence) => out(unreadable(origin, sentence)),
        };
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return unpack_zip(origin, bytes, depth, out);
    }
    let text = trim_start(bytes);
    if text.is_empty() {
        return out(unreadable(origin, "It is empty."));
    }
    if text.starts_with(b"<") || text.starts_with(b"{") {
        return out(Found::Document(Document {
            origin: origin.to_owned(),
            bytes: bytes.to_vec(),
        }));
    }
    if text.starts_with(b"From ") {
        return unpack_mbox(origin, std::io::Cursor::new(text), out);
    }
    unpack_message(origin, bytes, depth, out)
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[start..]
}

/// Reads a decompressor to its end under the size and ratio caps.
fn inflate(reader: impl Read, packed: u64) -> Result<Vec<u8>, String> {
    let mut inner = Vec::new();
    match reader.take(MAX_DOCUMENT_OCTETS + 1).read_to_end(&mut inner) {
        Ok(_) => {}
        Err(e) => {
            return Err(format!(
                "The compressed data is damaged or cut short ({e}). Download or save the report again."
            ));
        }
    }
    let size = inner.len() as u64;
    if size > MAX_DOCUMENT_OCTETS {
        return Err(format!(
            "Unpacked it is larger than the {} MB a report may be, so Mailwright stopped reading it (it may be a \"zip bomb\").",
            MAX_DOCUMENT_OCTETS / 1_048_576
        ));
    }
    if size > 1_048_576 && size / packed.max(1) > MAX_RATIO {
        return Err(format!(
            "It unpacks to more than {MAX_RATIO} times its size, which reports never do, so Mailwright did not read it (it may be a \"zip bomb\")."
        ));
    }
    Ok(inner)
}

fn unpack_zip(origin: &str, bytes: &[u8], depth: u8, out: &mut dyn FnMut(Found) -> bool) -> bool {
    let mut archive = match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
        Ok(archive) => archive,
        Err(e) => {
            return out(unreadable(
                origin,
                format!("The zip archive is damaged ({e}). Download or save the report again."),
            ));
        }
    };
    if archive.len() > MAX_ZIP_ENTRIES {
        return out(unreadable(
            origin,
            format!(
                "The zip archive holds {} files; a report zip holds one. Unpack it and open the report files.",
                archive.len()
            ),
        ));
    }
    for index in 0..archive.len() {
        let (name, result) = match archive.by_index(index) {
            Ok(file) if file.is_dir() => continue,
            Ok(file) => {
                let name = format!("{origin} → {}", file.name());
                let packed = file.compressed_size();
                (name, inflate(file, packed))
            }
            Err(e) => (
                format!("{origin} → file {}", index + 1),
                Err(format!(
                    "This file in the zip could not be opened ({e}). Download or save the report again."
                )),
            ),
        };
        let go_on = match result {
            Ok(inner) => unpack_bytes(&name, &inner, depth + 1, out),
            Err(sentence) => out(unreadable(&name, sentence)),
        };
        if !go_on {
            return false;
        }
    }
    true
}

/// The parts of a message that may hold a report: attachments and XML/JSON/gzip/zip parts.
fn unpack_message(
    origin: &str,
    bytes: &[u8],
    depth: u8,
    out: &mut dyn FnMut(Found) -> bool,
) -> bool {
    let Some(message) = MessageParser::new().parse(bytes) else {
        return out(unreadable(
            origin,
            "This is neither a report (XML, JSON, gzip or zip) nor an email message holding one.",
        ));
    };
    if message.from().is_none() && message.subject().is_none() && message.content_type().is_none() {
        return out(unreadable(
            origin,
            "This is neither a report (XML, JSON, gzip or zip) nor an email message holding one.",
        ));
    }
    let mut found = false;
    for (index, part) in message.parts.iter().enumerate() {
        let name = part.attachment_name().map(str::to_owned);
        let subtype = part
            .content_type()
            .map(|ct| {
                format!(
                    "{}/{}",
                    ct.ctype().to_ascii_lowercase(),
                    ct.subtype().unwrap_or("").to_ascii_lowercase()
                )
            })
            .unwrap_or_default();
        let label = name
            .clone()
            .unwrap_or_else(|| format!("part {}", index + 1));
        let inner_origin = format!("{origin} → {label}");
        let body: &[u8] = match &part.body {
            PartType::Binary(b) | PartType::InlineBinary(b) => b.as_ref(),
            PartType::Text(t) if is_report_part(&subtype, name.as_deref()) => t.as_bytes(),
            PartType::Message(inner) if depth < MAX_DEPTH => {
                found = true;
                if !unpack_message(&inner_origin, inner.raw_message(), depth + 1, out) {
                    return false;
                }
                continue;
            }
            _ => continue,
        };
        if !is_report_part(&subtype, name.as_deref()) {
            continue;
        }
        found = true;
        if !unpack_bytes(&inner_origin, body, depth + 1, out) {
            return false;
        }
    }
    if found {
        true
    } else {
        out(unreadable(
            origin,
            "This message holds no report (no XML, JSON, gzip or zip attachment).",
        ))
    }
}

/// Whether a message part is a report or an archive of one, by its type or its file name.
fn is_report_part(content_type: &str, name: Option<&str>) -> bool {
    const TYPES: [&str; 10] = [
        "application/gzip",
        "application/x-gzip",
        "application/zip",
        "application/x-zip-compressed",
        "application/xml",
        "text/xml",
        "application/json",
        "application/tlsrpt+json",
        "application/tlsrpt+gzip",
        "application/octet-stream",
    ];
    TYPES.contains(&content_type)
        || name.is_some_and(|n| {
            let n = n.to_ascii_lowercase();
            [".xml", ".gz", ".zip", ".json"]
                .iter()
                .any(|e| n.ends_with(e))
        })
}

/// Splits an mbox file one message at a time ([`crate::mbox`]), each message under
/// [`MAX_FILE_OCTETS`], and unpacks each.
fn unpack_mbox(origin: &str, reader: impl BufRead, out: &mut dyn FnMut(Found) -> bool) -> bool {
    let split = crate::mbox::split_mbox(reader, MAX_FILE_OCTETS, &mut |item| match item {
        MboxItem::Message { number, bytes } => {
            unpack_bytes(&format!("{origin} → message {number}"), bytes, 1, out)
        }
        MboxItem::TooBig { number } => out(unreadable(
            &format!("{origin} → message {number}"),
            format!(
                "This message is larger than the {} MB Mailwright reads; it was skipped.",
                MAX_FILE_OCTETS / 1_048_576
            ),
        )),
    });
    match split {
        Ok(end) if end.stopped => false,
        Ok(end) if end.messages == 0 => {
            out(unreadable(origin, "This mailbox file holds no messages."))
        }
        Ok(_) => true,
        Err(e) => out(unreadable(
            origin,
            format!(
                "The mailbox file could not be read past message {} ({}).",
                e.after, e.error
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn collect(origin: &str, bytes: &[u8]) -> Vec<Found> {
        let mut found = Vec::new();
        unpack_bytes(origin, bytes, 0, &mut |f| {
            found.push(f);
            true
        });
        found
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(bytes).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn a_gzip_of_a_document_is_the_document() {
        let found = collect("r.xml.gz", &gzip(b"<feedback/>"));
        assert_eq!(
            found,
            vec![Found::Document(Document {
                origin: "r.xml.gz".into(),
                bytes: b"<feedback/>".to_vec()
            })]
        );
    }

    #[test]
    fn a_truncated_gzip_is_named_not_fatal() {
        let packed = gzip(&vec![b'<'; 100_000]);
        let found = collect("cut.gz", &packed[..packed.len() / 2]);
        assert!(
            matches!(&found[..], [Found::Unreadable(u)] if u.sentence.contains("damaged or cut short")),
            "{found:?}"
        );
    }

    #[test]
    fn a_gzip_bomb_is_refused_by_its_ratio() {
        let packed = gzip(&vec![b' '; 30 * 1024 * 1024]);
        let found = collect("bomb.gz", &packed);
        assert!(
            matches!(&found[..], [Found::Unreadable(u)] if u.sentence.contains("zip bomb")),
            "{found:?}"
        );
    }

    #[test]
    fn a_zip_with_two_reports_gives_both_and_a_damaged_zip_a_sentence() {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for name in ["a.xml", "b.xml"] {
            zip.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(b"<feedback/>").unwrap();
        }
        let bytes = zip.finish().unwrap().into_inner();
        let found = collect("r.zip", &bytes);
        assert_eq!(found.len(), 2);
        assert!(matches!(&found[1], Found::Document(d) if d.origin == "r.zip → b.xml"));
        let found = collect("r.zip", &bytes[..20]);
        assert!(matches!(&found[..], [Found::Unreadable(u)] if u.sentence.contains("damaged")));
    }

    #[test]
    fn an_mbox_gives_each_message_and_unquotes_from_lines() {
        let mbox = b"From a@b Mon Jan  1 00:00:00 2026\nFrom: r@x.test\nSubject: one\nContent-Type: application/json\n\n{\"x\":1}\n>From me\n\nFrom a@b Mon Jan  1 00:00:00 2026\nFrom: r@x.test\nSubject: two\n\nno report\n";
        let found = collect("box", mbox);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(matches!(&found[0], Found::Document(d) if d.origin == "box → message 1 → part 1"));
        assert!(
            matches!(&found[1], Found::Unreadable(u) if u.origin == "box → message 2" && u.sentence.contains("holds no report"))
        );
    }

    #[test]
    fn plain_text_is_not_a_report() {
        let found = collect("notes.txt", b"just some words");
        assert!(matches!(&found[..], [Found::Unreadable(u)] if u.sentence.contains("neither")));
    }

    #[test]
    fn a_folder_is_searched_for_report_files_only() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.xml"), b"<feedback/>").unwrap();
        std::fs::write(dir.path().join("b.json.gz"), gzip(b"{}")).unwrap();
        std::fs::write(dir.path().join("readme.txt"), b"hello").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/c.xml"), b"<feedback/>").unwrap();
        let mut found = Vec::new();
        unpack_paths(&[dir.path().to_path_buf()], &mut |f| {
            found.push(f);
            true
        });
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found.iter().all(|f| matches!(f, Found::Document(_))));
    }
}
