//! An SMTP reply as a bounce quotes it: its basic code (RFC 5321 §4.2) and its enhanced status
//! code (RFC 3463, `class.subject.detail`), wherever in the text they are.

/// The codes found in a reply's text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ReplyCodes {
    /// The three-digit code (`550`).
    pub basic: Option<u16>,
    /// The enhanced status code (`5.7.26`).
    pub enhanced: Option<String>,
}

/// Reads the first basic code (a 2xx–5xx number standing alone) and the first enhanced status
/// code (`[245].n.n`, each part 1–3 digits) in `text`.
pub(crate) fn reply_codes(text: &str) -> ReplyCodes {
    let mut codes = ReplyCodes::default();
    for token in text.split(|c: char| {
        c.is_whitespace() || matches!(c, ';' | ',' | '(' | ')' | '[' | ']' | '<' | '>' | '"' | '-')
    }) {
        let token = token.trim_matches(|c: char| c == '-' || c == ':' || c == '#');
        if codes.basic.is_none()
            && token.len() == 3
            && token.as_bytes()[0].is_ascii_digit()
            && (b'2'..=b'5').contains(&token.as_bytes()[0])
            && token.bytes().all(|b| b.is_ascii_digit())
        {
            codes.basic = token.parse().ok();
        }
        if codes.enhanced.is_none() && is_enhanced(token) {
            codes.enhanced = Some(token.to_owned());
        }
        if codes.basic.is_some() && codes.enhanced.is_some() {
            break;
        }
    }
    // A basic code glued to its enhanced code's line ("550-5.1.1") counts too.
    if codes.basic.is_none()
        && let Some(start) = text.find(|c: char| c.is_ascii_digit())
    {
        let head: String = text[start..].chars().take(3).collect();
        if head.len() == 3
            && head.bytes().all(|b| b.is_ascii_digit())
            && head.starts_with(['2', '4', '5'])
        {
            codes.basic = head.parse().ok();
        }
    }
    codes
}

/// `class.subject.detail` with class 2, 4 or 5 and 1–3 digits each.
fn is_enhanced(token: &str) -> bool {
    let parts: Vec<&str> = token.split('.').collect();
    parts.len() == 3
        && matches!(parts[0], "2" | "4" | "5")
        && parts[1..]
            .iter()
            .all(|p| (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_both_codes_in_the_forms_servers_write() {
        let gmail = reply_codes(
            "550-5.7.26 This mail has been blocked because the sender is unauthenticated. gsmtp",
        );
        assert_eq!(
            (gmail.basic, gmail.enhanced.as_deref()),
            (Some(550), Some("5.7.26"))
        );
        let dsn = reply_codes("smtp; 550 5.1.1 <x@example.com>: Recipient address rejected");
        assert_eq!(
            (dsn.basic, dsn.enhanced.as_deref()),
            (Some(550), Some("5.1.1"))
        );
        let ms =
            reply_codes("550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. (S3150)");
        assert_eq!(ms.enhanced.as_deref(), Some("5.7.1"));
        assert_eq!(
            reply_codes("421 4.7.0 [TSS04] Messages temporarily deferred").basic,
            Some(421)
        );
        assert_eq!(reply_codes("no codes here, version 1.2.3").enhanced, None);
        assert_eq!(reply_codes("").basic, None);
    }
}
