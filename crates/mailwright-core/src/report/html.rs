//! The report as one self-contained HTML file: the Markdown rendered by pulldown-cmark, with
//! an embedded stylesheet. Anything that came from DNS or a server is text: raw HTML is
//! escaped and links or images are dropped, so a hostile record cannot script the page.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};

use super::markdown::to_markdown;
use super::model::Report;

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Ubuntu,sans-serif;color:#1c2330;background:#fff;line-height:1.5;margin:0}\
main{max-width:960px;margin:0 auto;padding:24px}\
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d9dde5;padding-bottom:4px}\
ul{padding-left:1.2rem}li{margin:4px 0}code{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:.85em;word-break:break-all}\
table{border-collapse:collapse;width:100%;font-size:.9em}th,td{border-bottom:1px solid #d9dde5;padding:4px 6px;text-align:left;vertical-align:top}\
strong.pass{color:#1a7f37}strong.warn{color:#8a5a00}strong.fail{color:#b42318}strong.manual{color:#2457c5}\
@media print{main{padding:0}h2{break-after:avoid}}";

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Renders the report as a standalone HTML page.
pub fn to_html(report: &Report) -> String {
    let markdown = to_markdown(report);
    let events = Parser::new_ext(
        &markdown,
        Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS,
    )
    .filter_map(|event| match event {
        Event::Html(text) | Event::InlineHtml(text) => Some(Event::Text(text)),
        Event::Start(Tag::Link { .. } | Tag::Image { .. })
        | Event::End(TagEnd::Link | TagEnd::Image) => None,
        other => Some(other),
    });
    let mut body = String::new();
    html::push_html(&mut body, events);
    // Our own status labels get a colour; text from elsewhere was escaped above, so it cannot
    // produce this markup.
    for (label, class) in [
        ("Pass", "pass"),
        ("Warn", "warn"),
        ("Fail", "fail"),
        ("To do by hand", "manual"),
    ] {
        body = body.replace(
            &format!("<strong>{label}</strong>"),
            &format!("<strong class=\"{class}\">{label}</strong>"),
        );
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Email sending checklist for {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        escape(&report.domain)
    )
}
