//! The two TXT records: `_mta-sts.<domain>` (`v=STSv1; id=…`, RFC 8461 §3.1) and
//! `_smtp._tls.<domain>` (`v=TLSRPTv1; rua=…`, RFC 8460 §3).

use thiserror::Error;

use crate::tags::{tag, tag_list};

/// Why a record cannot be used; each names the tag.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum StsRecordError {
    /// The version tag is missing or wrong.
    #[error("the record must begin with {0}")]
    Version(&'static str),
    /// `id=` is missing or not 1–32 letters and digits.
    #[error("id= must be 1 to 32 letters and digits (it is “{0}”)")]
    BadId(String),
    /// `rua=` is missing or has a URI that is not mailto: or https:.
    #[error("rua= must list mailto: or https: addresses separated by commas (it is “{0}”)")]
    BadRua(String),
}

/// Reads an `_mta-sts` record; returns its id.
pub fn parse_sts_record(text: &str) -> Result<String, StsRecordError> {
    let tags = tag_list(text);
    if tags.first().map(|(n, v)| (n.as_str(), v.as_str())) != Some(("v", "STSv1")) {
        return Err(StsRecordError::Version("v=STSv1"));
    }
    let id = tag(&tags, "id").unwrap_or_default();
    if id.is_empty() || id.len() > 32 || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(StsRecordError::BadId(id.to_owned()));
    }
    Ok(id.to_owned())
}

/// Reads a `_smtp._tls` record; returns its report URIs.
pub fn parse_tls_rpt_record(text: &str) -> Result<Vec<String>, StsRecordError> {
    let tags = tag_list(text);
    if tags.first().map(|(n, v)| (n.as_str(), v.as_str())) != Some(("v", "TLSRPTv1")) {
        return Err(StsRecordError::Version("v=TLSRPTv1"));
    }
    let rua = tag(&tags, "rua").unwrap_or_default();
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
}
