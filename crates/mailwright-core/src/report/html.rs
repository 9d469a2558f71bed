//! The report as one self-contained HTML page (see [`crate::html_page`]), its status labels
//! coloured.

use super::markdown::to_markdown;
use super::model::Checklist;
use crate::html_page::{body, page};

/// Renders the report as a standalone HTML page.
pub fn to_html(report: &Checklist) -> String {
    let mut html = body(&to_markdown(report));
    // Our own status labels get a colour; text from elsewhere was escaped, so it cannot
    // produce this markup.
    for (label, class) in [
        ("Pass", "pass"),
        ("Warn", "warn"),
        ("Fail", "fail"),
        ("To do by hand", "manual"),
    ] {
        html = html.replace(
            &format!("<strong>{label}</strong>"),
            &format!("<strong class=\"{class}\">{label}</strong>"),
        );
    }
    page(
        &format!("Email sending checklist for {}", report.domain),
        &html,
    )
}
