//! The MTA-STS policy file (RFC 8461 §3.2): `version`, `mode`, `mx` lines and `max_age`.

use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

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
    /// A required field is missing.
    #[error("the field {0} is missing")]
    Missing(&'static str),
}

impl StsPolicy {
    /// Reads a policy file (LF or CRLF line ends).
    pub fn parse(text: &str) -> Result<Self, StsPolicyError> {
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        match lines.next().and_then(|l| l.split_once(':')) {
            Some((k, v)) if k.trim() == "version" && v.trim() == "STSv1" => {}
            _ => return Err(StsPolicyError::Version),
        }
        let (mut mode, mut max_age, mut mx) = (None, None, Vec::new());
        for line in lines {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim();
            match key.trim() {
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
                        value
                            .parse::<u32>()
                            .ok()
                            .filter(|a| *a <= MAX_AGE_LIMIT)
                            .ok_or_else(|| StsPolicyError::BadValue {
                                field: "max_age",
                                value: value.to_owned(),
                                expected: "use a number of seconds from 0 to 31557600",
                            })?,
                    )
                }
                "mx" => {
                    let host = value.trim_end_matches('.').to_ascii_lowercase();
                    let label_ok = |l: &str| {
                        !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    };
                    let pattern = host.strip_prefix("*.").unwrap_or(&host);
                    if !pattern.contains('.') || !pattern.split('.').all(label_ok) {
                        return Err(StsPolicyError::BadValue {
                            field: "mx",
                            value: value.to_owned(),
                            expected: "use a host name such as mail.example.com or *.example.net",
                        });
                    }
                    mx.push(host);
                }
                _ => {}
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
}
