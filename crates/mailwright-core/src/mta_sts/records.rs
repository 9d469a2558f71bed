//! The two TXT records: `_mta-sts.<domain>` (`v=STSv1; id=…`, RFC 8461 §3.1) and
//! `_smtp._tls.<domain>` (`v=TLSRPTv1; rua=…`, RFC 8460 §3).

use thiserror::Error;

use crate::tags::tag_list;

/// Why a record cannot be used; each names the tag.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum StsRecordError {
    /// The version tag is missing or wrong.
    #[error("the record must begin with {0}")]
    Version(&'static str),
    /// `id=` is missing or not 1–32 letters and digits.
    #[error("id= must be 1 to 32 letters and digits (it is “{0}”)")]
    BadId(String),
    /// A field that is neither a known one nor a well-formed extension.
    #[error(
        "“{0}” is not a valid field (names are letters, digits, _, - and .; values have no spaces, = or ;)"
    )]
    BadField(String),
    /// `rua=` is missing or has a URI that is not mailto: or https:.
    #[error("rua= must list mailto: or https: addresses separated by commas (it is “{0}”)")]
    BadRua(String),
}

/// The fields after the version of an `_mta-sts` or `_smtp._tls` record, split as RFC 8461
/// §3.1 and RFC 8460 §3 write them: `;` with optional white space around it, an optional `;` at
/// the end; `None` when the record does not begin with `version` or a field is empty.
fn fields<'a>(text: &'a str, version: &str) -> Option<Vec<(&'a str, &'a str)>> {
    let wsp: &[char] = &[' ', '\t'];
    let text = text.trim_matches(wsp);
    let text = text.strip_suffix(';').unwrap_or(text);
    let mut parts = text.split(';').map(|p| p.trim_matches(wsp));
    if parts.next()? != version {
        return None;
    }
    parts.map(|p| p.split_once('=')).collect()
}

/// An extension field (RFC 8461 §3.1, RFC 8460 §3): a name of up to 32 letters, digits, `_`,
/// `-` and `.` starting with a letter or digit, and a non-empty value without `=`, `;`, spaces
/// or control characters.
fn is_extension(name: &str, value: &str) -> bool {
    let name_ok = is_extension_name(name);
    let value_ok = !value.is_empty()
        && value
            .bytes()
            .all(|b| (0x21..=0x7e).contains(&b) && b != b'=' && b != b';');
    name_ok && value_ok
}

/// An extension's name in the records and the policy file (RFC 8461 §3.1, §3.2): up to 32
/// letters, digits, `_`, `-` and `.`, starting with a letter or digit.
pub(crate) fn is_extension_name(name: &str) -> bool {
    name.len() <= 32
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
}

/// Reads an `_mta-sts` record; returns its id. Field names are case-sensitive, and a malformed
/// extension field makes the record invalid (RFC 8461 §3.1).
pub fn parse_sts_record(text: &str) -> Result<String, StsRecordError> {
    let fields = fields(text, "v=STSv1").ok_or(StsRecordError::Version("v=STSv1"))?;
    let mut id = None;
    for (name, value) in fields {
        match name {
            "id" => id = Some(value),
            _ if is_extension(name, value) => {}
            _ => return Err(StsRecordError::BadField(format!("{name}={value}"))),
        }
    }
    let id = id.unwrap_or_default();
    if id.is_empty() || id.len() > 32 || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(StsRecordError::BadId(id.to_owned()));
    }
    Ok(id.to_owned())
}

/// Reads a `_smtp._tls` record; returns its report URIs.
pub fn parse_tls_rpt_record(text: &str) -> Result<Vec<String>, StsRecordError> {
    let fields = fields(text, "v=TLSRPTv1").ok_or(StsRecordError::Version("v=TLSRPTv1"))?;
    let mut rua = None;
    for (name, value) in fields {
        match name {
            "rua" => rua = Some(value),
            _ if is_extension(name, value) => {}
            _ => return Err(StsRecordError::BadField(format!("{name}={value}"))),
        }
    }
    let rua = rua.unwrap_or_default();
    let uris: Vec<String> = rua.split(',').map(|u| u.trim().to_owned()).collect();
    let valid = |u: &String| {
        u.strip_prefix("mailto:").is_some_and(|a| a.contains('@'))
            || u.strip_prefix("https://").is_some_and(|h| !h.is_empty())
    };
    if rua.is_empty() || !uris.iter().all(valid) {
        return Err(StsRecordError::BadRua(rua.to_owned()));
    }
    Ok(uris)
}

/// True when a TXT record starts with the given version tag (`v=<version>`).
pub(crate) fn starts_with_version(text: &str, version: &str) -> bool {
    tag_list(text)
        .first()
        .is_some_and(|(n, v)| n == "v" && v.eq_ignore_ascii_case(version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_names_what_is_wrong() {
        assert_eq!(
            parse_sts_record("v=STSv1; id=20261122T1").unwrap(),
            "20261122T1"
        );
        assert!(
            parse_sts_record("v=STSv1; id=2026-11-22")
                .unwrap_err()
                .to_string()
                .contains("id=")
        );
        assert!(parse_sts_record("v=STSv1;").is_err());
        assert!(parse_sts_record("id=1; v=STSv1").is_err());
        assert_eq!(
            parse_tls_rpt_record("v=TLSRPTv1; rua=mailto:tls@example.com,https://r.example/x")
                .unwrap(),
            ["mailto:tls@example.com", "https://r.example/x"]
        );
        assert!(parse_tls_rpt_record("v=TLSRPTv1; rua=tls@example.com").is_err());
        assert!(parse_tls_rpt_record("v=TLSRPTv1").is_err());
    }

    #[test]
    fn extension_fields_must_be_well_formed_and_names_are_case_sensitive() {
        assert!(parse_sts_record("v=STSv1; id=1; ext_1.x=value;").is_ok());
        assert!(parse_sts_record("v=STSv1 ;\tid=1").is_ok());
        for bad in [
            "v=STSv1; id=1; bad field=x",
            "v=STSv1; id=1; _x=y",
            "v=STSv1; id=1; x=",
            "v=STSv1; id=1; x=a b",
            "v=STSv1; id=1; garbage",
            "v=STSv1; id=1;; x=y",
            "V=STSv1; id=1",
            "v=STSv1; ID=1",
        ] {
            assert!(parse_sts_record(bad).is_err(), "{bad}");
        }
        assert!(parse_tls_rpt_record("v=TLSRPTv1; rua=mailto:t@example.com; x=y").is_ok());
        assert!(parse_tls_rpt_record("v=TLSRPTv1; rua=mailto:t@example.com; x y").is_err());
    }
}
