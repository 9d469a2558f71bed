//! The report as a PDF (genpdf: layout and line wrapping over printpdf), with the DejaVu Sans
//! fonts embedded so it looks the same on every system.

use genpdf::elements::{
    Break, FrameCellDecorator, PaddedElement, Paragraph, TableLayout, UnorderedList,
};
use genpdf::fonts::{FontData, FontFamily};
use genpdf::style::{Color, Style};
use genpdf::{Alignment, Document, Element, SimplePageDecorator};

use super::model::{Checklist, ItemStatus};

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// Longest run of characters without a space the layout can wrap (DKIM keys have hundreds):
/// genpdf leaves out a word wider than its column.
const WRAP_AT: usize = 60;
/// The same inside a table cell.
const CELL_WRAP_AT: usize = 30;

/// Breaks long words (keys, base64) with spaces so the text wraps inside the page.
fn wrappable(text: &str) -> String {
    wrap_at(text, WRAP_AT)
}

fn wrap_at(text: &str, at: usize) -> String {
    text.split(' ')
        .map(|word| {
            let chars: Vec<char> = word.chars().collect();
            chars
                .chunks(at)
                .map(|c| c.iter().collect::<String>())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn status_style(status: ItemStatus) -> Style {
    let color = match status {
        ItemStatus::Pass => Color::Rgb(26, 127, 55),
        ItemStatus::Warn => Color::Rgb(138, 90, 0),
        ItemStatus::Fail => Color::Rgb(180, 35, 24),
        ItemStatus::Manual => Color::Rgb(36, 87, 197),
    };
    Style::new().bold().with_color(color)
}

fn heading(text: &str, size: u8) -> Paragraph {
    Paragraph::default().styled_string(text.to_owned(), Style::new().bold().with_font_size(size))
}

/// A table with a bold header row; each cell wraps.
fn table(
    widths: Vec<usize>,
    header: &[&str],
    rows: Vec<Vec<String>>,
) -> Result<PaddedElement<TableLayout>, genpdf::error::Error> {
    let mut table = TableLayout::new(widths);
    table.set_cell_decorator(FrameCellDecorator::new(false, true, false));
    let mut row = table.row();
    for h in header {
        row.push_element(
            Paragraph::default()
                .styled_string(wrap_at(h, CELL_WRAP_AT), Style::new().bold())
                .padded(1),
        );
    }
    row.push()?;
    for cells in rows {
        let mut row = table.row();
        for c in cells {
            row.push_element(Paragraph::new(wrap_at(&c, CELL_WRAP_AT)).padded(1));
        }
        row.push()?;
    }
    Ok(table.padded((2, 0, 0, 0)))
}

/// Renders the report as PDF bytes.
pub fn to_pdf(report: &Checklist) -> Result<Vec<u8>, genpdf::error::Error> {
    let regular = FontData::new(REGULAR.to_vec(), None)?;
    let bold = FontData::new(BOLD.to_vec(), None)?;
    let family = FontFamily {
        regular: regular.clone(),
        bold: bold.clone(),
        italic: regular,
        bold_italic: bold,
    };
    let mut doc = Document::new(family);
    doc.set_title(format!("Email sending checklist for {}", report.domain));
    doc.set_font_size(9);
    let mut decorator = SimplePageDecorator::new();
    decorator.set_margins(14);
    doc.set_page_decorator(decorator);

    doc.push(heading(
        &format!("Email sending checklist for {}", report.domain),
        16,
    ));
    let [pass, warn, fail, manual] = report.totals;
    doc.push(Paragraph::new(format!(
        "Checked {} through the DNS server {}. {pass} pass, {warn} warn, {fail} fail, {manual} to do by hand.",
        report.generated_at, report.nameserver
    )));
    for section in &report.sections {
        doc.push(Break::new(1));
        doc.push(heading(&section.title, 12));
        for item in &section.items {
            doc.push(Break::new(0.5));
            doc.push(
                Paragraph::default()
                    .styled_string(
                        format!("{}  ", item.status.label()),
                        status_style(item.status),
                    )
                    .string(item.title.clone()),
            );
            let mut list = UnorderedList::new();
            for e in &item.evidence {
                list.push(Paragraph::new(wrappable(e)));
            }
            if let Some(fix) = &item.fix {
                list.push(
                    Paragraph::default()
                        .styled_string("Do this: ", Style::new().bold())
                        .string(wrappable(fix)),
                );
            }
            list.push(Paragraph::default().styled_string(
                format!("Source: {}", item.source),
                Style::new().with_color(Color::Rgb(90, 100, 117)),
            ));
            doc.push(list);
        }
    }
    if !report.records.is_empty() {
        doc.push(Break::new(1));
        doc.push(heading("DNS records as published", 12));
        let rows = report
            .records
            .iter()
            .map(|r| vec![r.name.clone(), r.rtype.clone(), r.value.clone()])
            .collect();
        doc.push(table(vec![3, 1, 6], &["Name", "Type", "Value"], rows)?);
    }
    if let Some(w) = &report.warmup {
        doc.push(Break::new(1));
        doc.push(heading(
            &format!("Warm-up plan (target {} a day)", w.target),
            12,
        ));
        doc.push(Paragraph::new(w.next_step.clone()));
        for note in &w.notes {
            doc.push(Paragraph::new(note.clone()));
        }
        if !w.history.is_empty() {
            let rows = w
                .history
                .iter()
                .map(|e| {
                    vec![
                        e.date.to_string(),
                        e.planned.to_string(),
                        e.total.sent.to_string(),
                        format!("{:.2} %", e.advice.bounce_pct),
                        format!("{:.2} %", e.advice.complaint_pct),
                        e.advice.reason.clone(),
                    ]
                })
                .collect();
            doc.push(Break::new(0.5));
            doc.push(table(
                vec![2, 2, 2, 2, 2, 6],
                &[
                    "Date",
                    "Planned",
                    "Sent",
                    "Bounces",
                    "Complaints",
                    "Verdict",
                ],
                rows,
            )?);
        }
        let cap = |v: Option<u32>| v.map_or("ESP".to_owned(), |v| v.to_string());
        let rows = w
            .plan
            .iter()
            .map(|d| {
                vec![
                    d.day.to_string(),
                    d.date.to_string(),
                    d.total.to_string(),
                    cap(d.caps.map(|c| c.gmail)),
                    cap(d.caps.map(|c| c.microsoft)),
                    cap(d.caps.map(|c| c.yahoo)),
                    cap(d.caps.map(|c| c.other)),
                    cap(d.per_hour),
                    d.audience.clone(),
                ]
            })
            .collect();
        doc.push(Break::new(0.5));
        doc.push(table(
            // Every column is wide enough for its header in bold ("Day", "Microsoft", "Yahoo/AOL").
            vec![2, 3, 2, 3, 3, 3, 2, 2, 4],
            &[
                "Day",
                "Date",
                "At most",
                "Gmail",
                "Microsoft",
                "Yahoo/AOL",
                "Others",
                "Per hour",
                "Send to",
            ],
            rows,
        )?);
    }
    doc.push(Break::new(1));
    doc.push(heading("Alert thresholds", 12));
    let rows = report
        .thresholds
        .iter()
        .map(|t| {
            vec![
                t.metric.clone(),
                format!("{} %", t.at_pct),
                t.action.clone(),
            ]
        })
        .collect();
    doc.push(table(vec![3, 1, 6], &["Metric", "At", "Do"], rows)?);
    doc.push(Break::new(1));
    doc.push(heading("When a threshold is crossed", 12));
    for (i, step) in report.playbook.iter().enumerate() {
        doc.push(Paragraph::new(format!("{}. {step}", i + 1)).aligned(Alignment::Left));
    }
    let mut bytes = Vec::new();
    doc.render(&mut bytes)?;
    Ok(bytes)
}
