//! The MTA-STS policy file (RFC 8461 §3.2): `version`, `mode`, `mx` lines and `max_age`.

use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

use super::records::is_extension_name;

/// The largest `max_age` allowed: one year in seconds (RFC 8461 §3.2).
pub const MAX_AGE_LIMIT: u32 = 31_557_600;

/// What sending servers do when TLS to an MX fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[ts(export)]
pub enum StsMode {
    /// Deliver anyway and report (start here).
    Testing,
    /// Do not deliver without valid TLS to a listed MX.
    Enforce,
    /// The policy is withdrawn.
    #[cfg_attr(feature = "clap", value(skip))]
    None,
}

impl StsMode {
    /// The value as written in the policy.
    pub fn as_str(self) -> &'static str {
        match self {
            StsMode::Testing => "testing",
            StsMode::Enforce => "enforce",
            StsMode::None => "none",
        }
    }
}

/// A policy file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StsPolicy {
    /// The mode.
    pub mode: StsMode,
    /// MX host patterns (`mail.example.com`, `*.example.net`).
    pub mx: Vec<String>,
    /// Seconds a sender may cache the policy.
    pub max_age: u32,
}

/// Why a policy file cannot be used; each names the field.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum StsPolicyError {
    /// The first line is not `version: STSv1`.
    #[error("the first line must be “version: STSv1”")]
    Version,
    /// A field has a bad value.
    #[error("{field}: “{value}” is not valid; {expected}")]
    BadValue {
        /// The field.
        field: &'static str,
        /// As written.
        value: String,
        /// What is accepted.
        expected: &'static str,
    },
    /// A line that is not `name: value` with a well-formed name and value.
    #[error(
        "the line “{0}” is not a valid field (name: value, the name of letters, digits, _, - and .)"
    )]
    BadLine(String),
    /// A required field is missing.
    #[error("the field {0} is missing")]
    Missing(&'static str),
}

/// An `mx` pattern (RFC 8461 §3.2, §4.1): a host name of at least two labels, optionally
/// starting with `*.` (one label); each label 1–63 letters, digits and inner hyphens.
fn is_mx_pattern(value: &str) -> bool {
    let host = value.strip_suffix('.').unwrap_or(value);
    let host = host.strip_prefix("*.").unwrap_or(host);
    let label_ok = |l: &str| {
        (1..=63).contains(&l.len())
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    host.len() <= 253 && host.contains('.') && host.split('.').all(label_ok)
}

/// An extension field of the policy (RFC 8461 §3.2): a name of up to 32 letters, digits, `_`,
/// `-` and `.` starting with a letter or digit; a non-empty value without control characters.
fn is_extension(name: &str, value: &str) -> bool {
    is_extension_name(name) && !value.is_empty() && !value.chars().any(char::is_control)
}

impl StsPolicy {
    /// Reads a policy file (LF or CRLF line ends) as RFC 8461 §3.2 writes it: field names are
    /// case-sensitive, every line is `name: value`, and a field Mailwright does not know must
    /// still be a well-formed extension (a name of letters, digits, `_`, `-`, `.`; a value
    /// without control characters), else the whole policy is invalid.
    pub fn parse(text: &str) -> Result<Self, StsPolicyError> {
        let mut lines = text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .filter(|l| !l.trim().is_empty());
        match lines.next().and_then(|l| l.split_once(':')) {
            Some((k, v)) if k == "version" && v.trim_matches([' ', '\t']) == "STSv1" => {}
            _ => return Err(StsPolicyError::Version),
        }
        let (mut mode, mut max_age, mut mx) = (None, None, Vec::new());
        for line in lines {
            let bad_line = || StsPolicyError::BadLine(line.to_owned());
            let (key, value) = line.split_once(':').ok_or_else(bad_line)?;
            let value = value.trim_matches([' ', '\t']);
            match key {
                "mode" => {
                    mode = Some(match value {
                        "testing" => StsMode::Testing,
                        "enforce" => StsMode::Enforce,
                        "none" => StsMode::None,
                        _ => {
                            return Err(StsPolicyError::BadValue {
                                field: "mode",
                                value: value.to_owned(),
                                expected: "use testing, enforce or none",
                            });
                        }
                    })
                }
                "max_age" => {
                    max_age = Some(
                        Some(value)
                            .filter(|v| (1..=10).contains(&v.len()))
                            .filter(|v| v.bytes().all(|b| b.is_ascii_digit()))
                            .and_then(|v| v.parse::<u32>().ok())
                            .filter(|a| *a <= MAX_AGE_LIMIT)
                            .ok_or_else(|| StsPolicyError::BadValue {
                                field: "max_age",
                                value: value.to_owned(),
                                expected: "use a number of seconds from 0 to 31557600",
                            })?,
                    )
                }
                "mx" => {
                    if !is_mx_pattern(value) {
                        return Err(StsPolicyError::BadValue {
                            field: "mx",
                            value: value.to_owned(),
                            expected: "use a host name such as mail.example.com or *.example.net",
                        });
                    }
                    mx.push(value.trim_end_matches('.').to_ascii_lowercase());
                }
                _ if is_extension(key, value) => {}
                _ => return Err(bad_line()),
            }
        }
        let mode = mode.ok_or(StsPolicyError::Missing("mode"))?;
        let max_age = max_age.ok_or(StsPolicyError::Missing("max_age"))?;
        if mx.is_empty() && mode != StsMode::None {
            return Err(StsPolicyError::Missing("mx"));
        }
        Ok(StsPolicy { mode, mx, max_age })
    }

    /// The policy file, CRLF line ends as RFC 8461 §3.2 writes them.
    pub fn to_text(&self) -> String {
        let mut lines = vec![
            "version: STSv1".to_owned(),
            format!("mode: {}", self.mode.as_str()),
        ];
        lines.extend(self.mx.iter().map(|m| format!("mx: {m}")));
        lines.push(format!("max_age: {}", self.max_age));
        lines.join("\r\n") + "\r\n"
    }

    /// True when `host` matches one of the `mx` patterns (a `*.` matches one label).
    pub fn covers(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.mx
            .iter()
            .any(|pattern| match pattern.strip_prefix("*.") {
                Some(suffix) => host.split_once('.').is_some_and(|(_, rest)| rest == suffix),
                None => *pattern == host,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_writes_and_matches() {
        let policy = StsPolicy::parse(
            "version: STSv1\r\nmode: testing\r\nmx: mail.example.com\r\nmx: *.backup.example.net\r\nmax_age: 86400\r\n",
        )
        .unwrap();
        assert_eq!(policy.mode, StsMode::Testing);
        assert!(policy.covers("mail.example.com."));
        assert!(policy.covers("mx1.backup.example.net"));
        assert!(!policy.covers("a.mx1.backup.example.net"));
        assert!(!policy.covers("other.example.com"));
        assert_eq!(StsPolicy::parse(&policy.to_text()).unwrap(), policy);
    }

    #[test]
    fn names_the_bad_field() {
        let error = |t: &str| StsPolicy::parse(t).unwrap_err().to_string();
        assert!(error("mode: testing").contains("version: STSv1"));
        assert!(error("version: STSv1\nmode: on\nmx: a.example\nmax_age: 1").contains("mode"));
        assert!(error("version: STSv1\nmode: enforce\nmax_age: 1").contains("mx"));
        assert!(
            error("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 99999999")
                .contains("max_age")
        );
        assert!(StsPolicy::parse("version: STSv1\nmode: none\nmax_age: 0").is_ok());
    }

    #[test]
    fn extensions_must_be_well_formed_and_mx_patterns_host_names() {
        let base = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400\n";
        assert!(StsPolicy::parse(&format!("{base}x-note: any text, even spaces\n")).is_ok());
        // Names are case-sensitive: "Mode" is an extension, ignored, not the mode.
        let policy = StsPolicy::parse(&format!("{base}Mode: none\n")).unwrap();
        assert_eq!(policy.mode, StsMode::Enforce);
        for bad in ["no colon here", "bad name: x", "_x: y", "empty:"] {
            assert!(
                StsPolicy::parse(&format!("{base}{bad}\n")).is_err(),
                "{bad}"
            );
        }
        for pattern in [
            "*.*.example.com",
            "mail_1.example.com",
            "-a.example.com",
            "example",
            "a..example.com",
            "*",
        ] {
            let text = format!("version: STSv1\nmode: enforce\nmx: {pattern}\nmax_age: 1\n");
            assert!(StsPolicy::parse(&text).is_err(), "{pattern}");
        }
        assert!(
            StsPolicy::parse("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: +5").is_err()
        );
    }
}
