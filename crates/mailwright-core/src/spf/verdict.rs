//! The seven SPF results (RFC 7208 §2.6) and what each means for the mail that gets it.

use mail_auth::SpfResult;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Qualifier;

/// An SPF result (RFC 7208 §2.6), written as the RFC writes it (`softfail`, `permerror`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum SpfVerdict {
    /// The address is authorized.
    Pass,
    /// The address is explicitly not authorized (`-all`).
    Fail,
    /// Probably not authorized (`~all`).
    SoftFail,
    /// No statement (`?all`).
    Neutral,
    /// The domain has no SPF record.
    None,
    /// DNS failed; try again later.
    TempError,
    /// The record cannot be evaluated.
    PermError,
}

impl SpfVerdict {
    /// The result's name as RFC 7208 and `Received-SPF` write it (`pass`, `softfail`, …).
    pub fn word(self) -> &'static str {
        match self {
            SpfVerdict::Pass => "pass",
            SpfVerdict::Fail => "fail",
            SpfVerdict::SoftFail => "softfail",
            SpfVerdict::Neutral => "neutral",
            SpfVerdict::None => "none",
            SpfVerdict::TempError => "temperror",
            SpfVerdict::PermError => "permerror",
        }
    }

    /// What a receiver does with mail that gets this result, in plain words.
    pub fn meaning(self) -> &'static str {
        match self {
            SpfVerdict::Pass => "pass SPF",
            SpfVerdict::Fail => "fail SPF, and may be refused",
            SpfVerdict::SoftFail => "soft-fail SPF: delivered, but marked as suspicious",
            SpfVerdict::Neutral => "get no SPF verdict (the record says neither yes nor no)",
            SpfVerdict::None => "not be checked by SPF",
            SpfVerdict::TempError => {
                "get no SPF verdict for now, because a DNS lookup failed (receivers try again later)"
            }
            SpfVerdict::PermError => "fail SPF with an error: receivers cannot use the record",
        }
    }
}

impl From<SpfResult> for SpfVerdict {
    fn from(result: SpfResult) -> Self {
        match result {
            SpfResult::Pass => SpfVerdict::Pass,
            SpfResult::Fail => SpfVerdict::Fail,
            SpfResult::SoftFail => SpfVerdict::SoftFail,
            SpfResult::Neutral => SpfVerdict::Neutral,
            SpfResult::None => SpfVerdict::None,
            SpfResult::TempError => SpfVerdict::TempError,
            SpfResult::PermError => SpfVerdict::PermError,
        }
    }
}

impl From<Qualifier> for SpfVerdict {
    fn from(qualifier: Qualifier) -> Self {
        match qualifier {
            Qualifier::Pass => SpfVerdict::Pass,
            Qualifier::Fail => SpfVerdict::Fail,
            Qualifier::SoftFail => SpfVerdict::SoftFail,
            Qualifier::Neutral => SpfVerdict::Neutral,
        }
    }
}
