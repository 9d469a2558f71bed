//! What the DKIM step starts from: today's suggested selector, the provider catalog and the
//! defaults it shows.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{DEFAULT_KEEP_DAYS, DkimProvider, dkim_providers, suggest_selector};
use crate::domain::{DomainName, Selector};

/// The DKIM step's starting point.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DkimOverview {
    /// A dated selector not in `taken`, such as `mw202611`.
    pub suggested_selector: String,
    /// Today, as the dates of a rotation are computed from it.
    #[ts(type = "string")]
    pub today: Date,
    /// Days an old record is kept after a rotation switches signing.
    pub keep_days_default: u32,
    /// The hosted providers Mailwright knows.
    pub providers: Vec<DkimProvider>,
}

/// The starting point for a domain whose selectors `taken` are already in use.
pub fn overview(taken: &[String]) -> DkimOverview {
    let today = crate::clock::today();
    DkimOverview {
        suggested_selector: suggest_selector(today, taken).as_str().to_owned(),
        today,
        keep_days_default: DEFAULT_KEEP_DAYS,
        providers: dkim_providers().to_vec(),
    }
}

/// A file name for an exported key: `dkim-<selector>.<domain>.pem`.
pub fn key_file_name(selector: &Selector, domain: &DomainName) -> String {
    format!("dkim-{}.{}.pem", selector.as_str(), domain.as_str())
}
