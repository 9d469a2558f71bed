//! The mailbox providers the planner caps separately, and which domains belong to each.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A mailbox provider with its own caps and thresholds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Provider {
    /// Gmail and Google Workspace.
    Gmail = 0,
    /// Outlook.com, Hotmail, Live, MSN.
    Microsoft = 1,
    /// Yahoo and AOL.
    Yahoo = 2,
    /// Everyone else.
    Other = 3,
}

/// Consumer domains of each provider. Business domains hosted at Google or Microsoft count
/// as "other": only their MX records would tell.
const GMAIL: &[&str] = &["gmail.com", "googlemail.com"];
const MICROSOFT: &[&str] = &[
    "outlook.com",
    "hotmail.com",
    "live.com",
    "msn.com",
    "passport.com",
];
const MICROSOFT_PREFIXES: &[&str] = &["hotmail.", "outlook.", "live.", "windowslive."];
const YAHOO: &[&str] = &[
    "aol.com",
    "aim.com",
    "ymail.com",
    "rocketmail.com",
    "verizon.net",
    "sbcglobal.net",
    "att.net",
];
const YAHOO_PREFIXES: &[&str] = &["yahoo.", "aol."];

impl Provider {
    /// Every provider, in the order the planner shows them.
    pub const ALL: [Provider; 4] = [
        Provider::Gmail,
        Provider::Microsoft,
        Provider::Yahoo,
        Provider::Other,
    ];

    /// The provider a recipient domain belongs to (lower-case ASCII expected).
    pub fn of_domain(domain: &str) -> Provider {
        let domain = domain.trim_end_matches('.');
        if GMAIL.contains(&domain) {
            Provider::Gmail
        } else if MICROSOFT.contains(&domain)
            || MICROSOFT_PREFIXES.iter().any(|p| domain.starts_with(p))
        {
            Provider::Microsoft
        } else if YAHOO.contains(&domain) || YAHOO_PREFIXES.iter().any(|p| domain.starts_with(p)) {
            Provider::Yahoo
        } else {
            Provider::Other
        }
    }

    /// The provider's name for people.
    pub fn label(self) -> &'static str {
        match self {
            Provider::Gmail => "Gmail",
            Provider::Microsoft => "Microsoft",
            Provider::Yahoo => "Yahoo/AOL",
            Provider::Other => "Others",
        }
    }

    /// The provider named in a CSV cell or on the command line.
    pub fn parse(text: &str) -> Option<Provider> {
        match text.trim().to_ascii_lowercase().as_str() {
            "gmail" | "google" => Some(Provider::Gmail),
            "microsoft" | "outlook" | "hotmail" => Some(Provider::Microsoft),
            "yahoo" | "aol" | "yahoo/aol" => Some(Provider::Yahoo),
            "other" | "others" => Some(Provider::Other),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consumer_domains_map_to_their_provider() {
        assert_eq!(Provider::of_domain("googlemail.com"), Provider::Gmail);
        assert_eq!(Provider::of_domain("hotmail.co.uk"), Provider::Microsoft);
        assert_eq!(Provider::of_domain("yahoo.fr"), Provider::Yahoo);
        assert_eq!(Provider::of_domain("aol.com"), Provider::Yahoo);
        assert_eq!(Provider::of_domain("livery.example"), Provider::Other);
        assert_eq!(Provider::parse(" Outlook "), Some(Provider::Microsoft));
        assert_eq!(Provider::parse("zoho"), None);
    }
}
