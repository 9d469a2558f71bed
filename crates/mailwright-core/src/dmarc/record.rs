//! The DMARC record reader (RFC 7489 §6.3, RFC 9989): each fault names the tag. Read as RFC 9989
//! receivers read it: unknown tags and unreadable ones are kept aside (receivers ignore them) and
//! the rest applies; `pct`, `rf` and `ri` are read but are gone in RFC 9989.

use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

/// A DMARC policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[ts(export)]
pub enum DmarcPolicy {
    /// Monitor only.
    None,
    /// Put failing mail in spam.
    Quarantine,
    /// Refuse failing mail.
    Reject,
}

impl DmarcPolicy {
    /// The policy one step lower, which receivers apply while `t=y` (RFC 9989 §4.7).
    pub fn lowered(self) -> DmarcPolicy {
        match self {
            DmarcPolicy::Reject => DmarcPolicy::Quarantine,
            _ => DmarcPolicy::None,
        }
    }

    /// The tag value.
    pub fn as_str(self) -> &'static str {
        match self {
            DmarcPolicy::None => "none",
            DmarcPolicy::Quarantine => "quarantine",
            DmarcPolicy::Reject => "reject",
        }
    }
}

/// Identifier alignment mode (`adkim`, `aspf`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[ts(export)]
pub enum AlignmentMode {
    /// Relaxed: the organizational domains must match (the default).
    #[default]
    #[cfg_attr(feature = "clap", value(name = "r"))]
    Relaxed,
    /// Strict: the domains must be identical.
    #[cfg_attr(feature = "clap", value(name = "s"))]
    Strict,
}

impl AlignmentMode {
    /// The tag value.
    pub fn as_str(self) -> &'static str {
        match self {
            AlignmentMode::Relaxed => "r",
            AlignmentMode::Strict => "s",
        }
    }
}

/// A parsed DMARC record.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DmarcRecord {
    /// `p`: missing in a malformed record (RFC 9989 receivers then apply none).
    pub p: Option<DmarcPolicy>,
    /// `sp`: the policy for subdomains.
    pub sp: Option<DmarcPolicy>,
    /// `np`: the policy for subdomains that do not exist (RFC 9989).
    pub np: Option<DmarcPolicy>,
    /// `adkim`.
    pub adkim: AlignmentMode,
    /// `aspf`.
    pub aspf: AlignmentMode,
    /// `fo`: failure-report options (`0`, `1`, `d`, `s`).
    pub fo: Vec<String>,
    /// `rua`: where aggregate reports go.
    pub rua: Vec<String>,
    /// `ruf`: where failure reports go.
    pub ruf: Vec<String>,
    /// `pct` (RFC 7489 only).
    pub pct: Option<u8>,
    /// `rf` (RFC 7489 only).
    pub rf: Option<String>,
    /// `ri` (RFC 7489 only).
    pub ri: Option<u32>,
    /// `t=y`: test mode (RFC 9989).
    pub testing: bool,
    /// `psd` (RFC 9989), as written.
    pub psd: Option<String>,
    /// Tags receivers do not know, as written.
    pub unknown: Vec<String>,
    /// Tags present but unreadable (a bad value, a second copy, text that is not a tag), and
    /// report addresses that are not URIs: RFC 9989 receivers ignore each of them and keep the
    /// rest of the record; some RFC 7489 receivers ignore the whole record.
    #[serde(default)]
    pub discarded: Vec<DiscardedTag>,
}

/// A part of a DMARC record receivers cannot read, and why.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DiscardedTag {
    /// The tag's name (lower-case), or the text when it is not a tag.
    pub tag: String,
    /// What was written.
    pub value: String,
    /// Why it cannot be read, in plain words.
    pub reason: String,
}

/// Why a record cannot be used; each names the tag.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum DmarcSyntaxError {
    /// The record does not begin with `v=DMARC1`.
    #[error("the record must begin with v=DMARC1")]
    Version,
    /// A tag has a value receivers do not accept.
    #[error("the tag {tag}= has the value “{value}”; {expected}")]
    BadValue {
        /// The tag.
        tag: String,
        /// Its value as written.
        value: String,
        /// What is accepted.
        expected: &'static str,
    },
    /// A tag appears twice.
    #[error("the tag {0}= appears more than once")]
    Duplicate(String),
    /// A part without `=`.
    #[error("“{0}” is not a tag (tags look like name=value and are separated by semicolons)")]
    NotATag(String),
    /// `p=` is missing.
    #[error(
        "the required tag p= is missing (older receivers ignore the record; newer ones treat it as p=none)"
    )]
    MissingPolicy,
}

const KNOWN: [&str; 14] = [
    "v", "p", "sp", "np", "adkim", "aspf", "fo", "rua", "ruf", "pct", "rf", "ri", "t", "psd",
];

impl DmarcRecord {
    /// Reads a record (TXT strings already joined) as RFC 9989 receivers do: tag names in any
    /// case; only a record that does not begin with `v=DMARC1` is refused. A tag with a value
    /// receivers cannot read, a second copy of a tag and text that is not a tag are kept aside in
    /// [`DmarcRecord::discarded`] and the rest of the record is read; a bad `p=` leaves `p`
    /// missing, which [`DmarcRecord::validate`] reports.
    pub fn parse(text: &str) -> Result<Self, DmarcSyntaxError> {
        let mut parts = text.split(';').map(str::trim).filter(|p| !p.is_empty());
        match parts.next().and_then(|p| p.split_once('=')) {
            // Tag names are case-insensitive; the version's value is exact (RFC 7489 §6.4).
            Some((v, value)) if v.trim().eq_ignore_ascii_case("v") && value.trim() == "DMARC1" => {}
            _ => return Err(DmarcSyntaxError::Version),
        }
        let mut record = DmarcRecord::default();
        let mut seen: Vec<String> = Vec::new();
        for part in parts {
            let Some((name, value)) = part.split_once('=') else {
                record.discard(part, "", DmarcSyntaxError::NotATag(part.to_owned()));
                continue;
            };
            let name = name.trim().to_ascii_lowercase();
            let value = value.trim();
            if !KNOWN.contains(&name.as_str()) {
                record.unknown.push(part.to_owned());
                continue;
            }
            if seen.contains(&name) || name == "v" {
                record.discard(&name, value, DmarcSyntaxError::Duplicate(name.clone()));
                continue;
            }
            seen.push(name.clone());
            if let Err(expected) = record.read_tag(&name, value) {
                let error = DmarcSyntaxError::BadValue {
                    tag: name.clone(),
                    value: value.to_owned(),
                    expected,
                };
                record.discard(&name, value, error);
            }
        }
        Ok(record)
    }

    fn discard(&mut self, tag: &str, value: &str, error: DmarcSyntaxError) {
        self.discarded.push(DiscardedTag {
            tag: tag.to_owned(),
            value: value.to_owned(),
            reason: error.to_string(),
        });
    }

    /// Reads one known tag; what is accepted when its value is not.
    fn read_tag(&mut self, name: &str, value: &str) -> Result<(), &'static str> {
        const POLICY: &str = "use none, quarantine or reject";
        const MODE: &str = "use r (relaxed) or s (strict)";
        match name {
            "p" => self.p = Some(policy(value).ok_or(POLICY)?),
            "sp" => self.sp = Some(policy(value).ok_or(POLICY)?),
            "np" => self.np = Some(policy(value).ok_or(POLICY)?),
            "adkim" => self.adkim = mode(value).ok_or(MODE)?,
            "aspf" => self.aspf = mode(value).ok_or(MODE)?,
            "fo" => {
                let options: Vec<String> = value.split(':').map(|o| o.trim().to_owned()).collect();
                if options
                    .iter()
                    .any(|o| !["0", "1", "d", "s"].contains(&o.as_str()))
                {
                    return Err("use 0, 1, d or s, separated by colons");
                }
                self.fo = options;
            }
            "rua" | "ruf" => {
                let (uris, bad): (Vec<String>, Vec<String>) = value
                    .split(',')
                    .map(|u| u.trim().to_owned())
                    .partition(|u| is_uri(u));
                if name == "rua" {
                    self.rua = uris;
                } else {
                    self.ruf = uris;
                }
                for uri in bad {
                    let error = DmarcSyntaxError::BadValue {
                        tag: name.to_owned(),
                        value: uri.clone(),
                        expected: "use mailto:address@example.com, separated by commas",
                    };
                    self.discard(name, &uri, error);
                }
            }
            "pct" => {
                self.pct = Some(
                    value
                        .parse::<u8>()
                        .ok()
                        .filter(|p| *p <= 100)
                        .ok_or("use a whole number from 0 to 100")?,
                )
            }
            "rf" => {
                if !value
                    .split(':')
                    .all(|f| f.trim().eq_ignore_ascii_case("afrf"))
                {
                    return Err("use afrf");
                }
                self.rf = Some(value.to_owned());
            }
            "ri" => self.ri = Some(value.parse().map_err(|_| "use a number of seconds")?),
            "t" => {
                self.testing = match value.to_ascii_lowercase().as_str() {
                    "y" => true,
                    "n" => false,
                    _ => return Err("use y or n"),
                }
            }
            "psd" => {
                let psd = value.to_ascii_lowercase();
                if !["y", "n", "u"].contains(&psd.as_str()) {
                    return Err("use y, n or u");
                }
                self.psd = Some(psd);
            }
            _ => {}
        }
        Ok(())
    }

    /// The report addresses receivers can deliver to: `mailto:` URIs (RFC 7489 §6.2, RFC 9990).
    pub fn unsupported_report_uris(&self) -> Vec<&str> {
        self.rua
            .iter()
            .chain(&self.ruf)
            .filter(|u| report_domain(u).is_none())
            .map(String::as_str)
            .collect()
    }

    /// Fails when a required tag is missing.
    pub fn validate(&self) -> Result<(), DmarcSyntaxError> {
        match self.p {
            Some(_) => Ok(()),
            None => Err(DmarcSyntaxError::MissingPolicy),
        }
    }

    /// The record as text, `p` second so RFC 7489 and RFC 9989 receivers both read it.
    pub fn to_text(&self) -> String {
        let mut tags = vec!["v=DMARC1".to_owned()];
        if let Some(p) = self.p {
            tags.push(format!("p={}", p.as_str()));
        }
        if let Some(sp) = self.sp {
            tags.push(format!("sp={}", sp.as_str()));
        }
        if let Some(np) = self.np {
            tags.push(format!("np={}", np.as_str()));
        }
        if self.adkim == AlignmentMode::Strict {
            tags.push("adkim=s".into());
        }
        if self.aspf == AlignmentMode::Strict {
            tags.push("aspf=s".into());
        }
        if !self.rua.is_empty() {
            tags.push(format!("rua={}", self.rua.join(",")));
        }
        if !self.ruf.is_empty() {
            tags.push(format!("ruf={}", self.ruf.join(",")));
        }
        if !self.fo.is_empty() && self.fo != ["0"] {
            tags.push(format!("fo={}", self.fo.join(":")));
        }
        if let Some(pct) = self.pct {
            tags.push(format!("pct={pct}"));
        }
        if self.testing {
            tags.push("t=y".into());
        }
        tags.join("; ")
    }
}

fn policy(value: &str) -> Option<DmarcPolicy> {
    match value.to_ascii_lowercase().as_str() {
        "none" => Some(DmarcPolicy::None),
        "quarantine" => Some(DmarcPolicy::Quarantine),
        "reject" => Some(DmarcPolicy::Reject),
        _ => None,
    }
}

fn mode(value: &str) -> Option<AlignmentMode> {
    match value.to_ascii_lowercase().as_str() {
        "r" => Some(AlignmentMode::Relaxed),
        "s" => Some(AlignmentMode::Strict),
        _ => None,
    }
}

/// Whether a report address is a URI (RFC 3986: a scheme, a colon, then the rest; an RFC 7489
/// `!size` suffix allowed). A `mailto:` URI needs an address with a domain.
fn is_uri(uri: &str) -> bool {
    let address = uri.split('!').next().unwrap_or_default();
    let Some((scheme, rest)) = address.split_once(':') else {
        return false;
    };
    let scheme_ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    let rest_ok = !rest.is_empty() && !rest.chars().any(|c| c.is_whitespace() || c.is_control());
    scheme_ok
        && rest_ok
        && (!scheme.eq_ignore_ascii_case("mailto")
            || rest
                .rsplit_once('@')
                .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.')))
}

/// The domain a `mailto:` report URI delivers to, lower-cased.
pub fn report_domain(uri: &str) -> Option<String> {
    let address = uri.split('!').next()?;
    let (scheme, rest) = address.split_once(':')?;
    if !scheme.eq_ignore_ascii_case("mailto") {
        return None;
    }
    Some(rest.rsplit_once('@')?.1.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_tag() {
        let r = DmarcRecord::parse(
            "v=DMARC1; p=quarantine; sp=reject; np=reject; adkim=s; aspf=r; fo=1:d; rua=mailto:a@example.com,mailto:b@ext.example!10m; ruf=mailto:f@example.com; pct=50; rf=afrf; ri=3600; t=y; psd=n; foo=bar",
        )
        .unwrap();
        assert_eq!(r.p, Some(DmarcPolicy::Quarantine));
        assert_eq!(r.sp, Some(DmarcPolicy::Reject));
        assert_eq!(r.np, Some(DmarcPolicy::Reject));
        assert_eq!(r.adkim, AlignmentMode::Strict);
        assert_eq!(r.fo, ["1", "d"]);
        assert_eq!(r.rua.len(), 2);
        assert_eq!(r.pct, Some(50));
        assert!(r.testing);
        assert_eq!(r.unknown, ["foo=bar"]);
        assert_eq!(report_domain(&r.rua[1]).as_deref(), Some("ext.example"));
    }

    #[test]
    fn keeps_what_it_can_read_and_names_the_rest() {
        assert_eq!(
            DmarcRecord::parse("p=none; v=DMARC1")
                .unwrap_err()
                .to_string(),
            "the record must begin with v=DMARC1"
        );
        let discarded = |text: &str| {
            let record = DmarcRecord::parse(text).unwrap();
            let reasons: Vec<String> = record.discarded.iter().map(|d| d.reason.clone()).collect();
            (record, reasons.join(" | "))
        };
        let (r, why) = discarded("v=DMARC1; p=block");
        assert_eq!(r.p, None, "a bad p= is no p=");
        assert!(why.contains("p= has the value “block”"), "{why}");
        let (r, why) = discarded("v=DMARC1; p=none; p=reject");
        assert_eq!(r.p, Some(DmarcPolicy::None), "the first copy counts");
        assert!(why.contains("p= appears more than once"), "{why}");
        let (r, why) = discarded("v=DMARC1; p=none; rua=dmarc@example.com,mailto:ok@example.com");
        assert_eq!(r.rua, ["mailto:ok@example.com"]);
        assert!(why.contains("rua="), "{why}");
        let (r, why) = discarded("v=DMARC1; p=reject; sp=bogus; pct=150; adkim=x; reject");
        assert_eq!((r.p, r.sp, r.pct), (Some(DmarcPolicy::Reject), None, None));
        assert_eq!(r.adkim, AlignmentMode::Relaxed, "the default");
        assert!(why.contains("sp=") && why.contains("pct=") && why.contains("adkim="));
        assert!(why.contains("not a tag"), "{why}");
        // Any URI is a report address; only mailto: ones receive reports.
        let r =
            DmarcRecord::parse("v=DMARC1; p=none; rua=ftp://reports.example.com/dmarc").unwrap();
        assert!(r.discarded.is_empty());
        assert_eq!(
            r.unsupported_report_uris(),
            ["ftp://reports.example.com/dmarc"]
        );
        // Tag names in any case.
        let r = DmarcRecord::parse("V=DMARC1; P=Reject; SP=none; ADKIM=s; T=Y").unwrap();
        assert_eq!(
            (r.p, r.sp),
            (Some(DmarcPolicy::Reject), Some(DmarcPolicy::None))
        );
        assert!(r.testing && r.adkim == AlignmentMode::Strict);
        let missing = DmarcRecord::parse("v=DMARC1; rua=mailto:a@example.com").unwrap();
        assert!(
            missing
                .validate()
                .unwrap_err()
                .to_string()
                .contains("p= is missing")
        );
    }

    #[test]
    fn writes_p_second_and_omits_defaults() {
        let record = DmarcRecord {
            p: Some(DmarcPolicy::None),
            rua: vec!["mailto:d@example.com".into()],
            fo: vec!["0".into()],
            ..DmarcRecord::default()
        };
        assert_eq!(
            record.to_text(),
            "v=DMARC1; p=none; rua=mailto:d@example.com"
        );
        assert_eq!(
            DmarcRecord::parse(&record.to_text()).unwrap(),
            record_without_fo(record)
        );
    }

    fn record_without_fo(mut record: DmarcRecord) -> DmarcRecord {
        record.fo.clear();
        record
    }
}
