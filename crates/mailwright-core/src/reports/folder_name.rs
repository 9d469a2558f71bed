//! IMAP folder names as people read them and as servers write them: IMAP4rev1 sends a folder
//! name in "modified UTF-7" (RFC 3501 §5.1.3) — printable ASCII as itself, `&` as `&-`, and any
//! other run of characters as `&`, their UTF-16 in base64 with `,` for `/` and no padding, `-`.
//! Mailwright shows and keeps the readable name and converts it at the server's door. Written by
//! hand over the `base64` crate: the one crate for it (utf7-imap) pulls an old base64 and regex
//! for these few lines.

use base64::Engine;
use base64::alphabet::Alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

const ALPHABET: Alphabet =
    match Alphabet::new("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,") {
        Ok(alphabet) => alphabet,
        Err(_) => panic!("the modified base64 alphabet is valid"),
    };

const MODIFIED_BASE64: GeneralPurpose = GeneralPurpose::new(
    &ALPHABET,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone),
);

/// The name as the server writes it.
pub fn encode_folder(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut run: Vec<u16> = Vec::new();
    let flush = |run: &mut Vec<u16>, out: &mut String| {
        if !run.is_empty() {
            let bytes: Vec<u8> = run.iter().flat_map(|u| u.to_be_bytes()).collect();
            out.push('&');
            out.push_str(&MODIFIED_BASE64.encode(bytes));
            out.push('-');
            run.clear();
        }
    };
    for c in name.chars() {
        if (' '..='~').contains(&c) {
            flush(&mut run, &mut out);
            out.push(c);
            if c == '&' {
                out.push('-');
            }
        } else {
            let mut units = [0u16; 2];
            run.extend_from_slice(c.encode_utf16(&mut units));
        }
    }
    flush(&mut run, &mut out);
    out
}

/// The name as people read it; a name that is not valid modified UTF-7 is shown as it came.
pub fn decode_folder(raw: &str) -> String {
    decode(raw).unwrap_or_else(|| raw.to_owned())
}

fn decode(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        let end = rest.find('-')?;
        let encoded = &rest[..end];
        rest = &rest[end + 1..];
        if encoded.is_empty() {
            out.push('&');
            continue;
        }
        let bytes = MODIFIED_BASE64.decode(encoded).ok()?;
        if bytes.len() % 2 != 0 {
            return None;
        }
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|p| u16::from_be_bytes([p[0], p[1]]))
            .collect();
        out.push_str(&String::from_utf16(&units).ok()?);
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_3501_s_example_and_common_folders_go_both_ways() {
        // RFC 3501 §5.1.3's example.
        assert_eq!(
            encode_folder("~peter/mail/台北/日本語"),
            "~peter/mail/&U,BTFw-/&ZeVnLIqe-"
        );
        assert_eq!(
            decode_folder("~peter/mail/&U,BTFw-/&ZeVnLIqe-"),
            "~peter/mail/台北/日本語"
        );
        for (readable, raw) in [
            ("INBOX", "INBOX"),
            ("Q&A", "Q&-A"),
            ("École", "&AMk-cole"),
            ("Отправленные", "&BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-"),
            ("Berichte/Größe 😀", "Berichte/Gr&APYA3w-e &2D3eAA-"),
        ] {
            assert_eq!(encode_folder(readable), raw, "{readable}");
            assert_eq!(decode_folder(raw), readable, "{raw}");
        }
    }

    proptest::proptest! {
        /// Any name goes to the server and back unchanged; anything a server sends is read
        /// without a panic.
        #[test]
        fn any_name_goes_both_ways_and_any_reply_is_read(name in ".{0,40}", raw in "[&A-Za-z0-9+,-]{0,40}") {
            proptest::prop_assert_eq!(decode_folder(&encode_folder(&name)), name);
            let _ = decode_folder(&raw);
        }
    }

    #[test]
    fn a_name_that_is_not_modified_utf7_is_shown_as_it_came() {
        for raw in ["a&b", "&AMk", "&!!!-", "&2D0-"] {
            assert_eq!(decode_folder(raw), raw);
        }
    }
}
