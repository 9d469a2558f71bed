//! Tag-list records (`v=DKIM1; k=rsa; p=…`, RFC 6376 §3.2; DMARC uses the same shape).

/// Splits a tag-list into `(name, value)` pairs, trimming white space; names are kept as
/// written, since DKIM, MTA-STS and TLS-RPT read them case-sensitively (RFC 6376 §3.2,
/// RFC 8461 §3.1). Parts without `=` are returned with the whole part as name and an empty
/// value.
pub fn tag_list(record: &str) -> Vec<(String, String)> {
    record
        .split(';')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| match part.split_once('=') {
            Some((name, value)) => (
                name.trim().to_owned(),
                value.chars().filter(|c| !c.is_whitespace()).collect(),
            ),
            None => (part.to_owned(), String::new()),
        })
        .collect()
}

/// The value of the first tag called `name`, if present.
pub fn tag<'a>(tags: &'a [(String, String)], name: &str) -> Option<&'a str> {
    tags.iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_trims_and_removes_folding_white_space_in_values() {
        let tags = tag_list(" v=DKIM1 ; K=rsa; p=MIIB IjAN\tBgkq ;; t=y");
        assert_eq!(tag(&tags, "v"), Some("DKIM1"));
        assert_eq!(tag(&tags, "k"), None, "K= is another tag than k=");
        assert_eq!(tag(&tags, "K"), Some("rsa"));
        assert_eq!(tag(&tags, "p"), Some("MIIBIjANBgkq"));
        assert_eq!(tag(&tags, "t"), Some("y"));
        assert_eq!(tag(&tags, "h"), None);
        assert_eq!(tag_list("p="), vec![("p".to_owned(), String::new())]);
    }
}
