//! The scrutiny pack: the monthly performance report for councillors, as a PDF (made with the
//! printpdf library: its built-in Helvetica, A4 pages) and as an Excel workbook. For each
//! indicator: its value and unit, each comparator, whether the difference is material, what
//! good looks like, a question members might ask and the head of service's commentary. Small
//! numbers (counts of 1 to 5, and what is made from them) are always withheld: councillors do
//! not open children's records.

use std::collections::HashMap;

use domain::inspection::commentary::Commentary;
use metrics::Outcome;
use metrics::catalogue::{Polarity, Rag};
use metrics::report::Report;
use printpdf::{
    BuiltinFont, Color, Line, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem,
};

/// One indicator as the pack says it.
pub struct Entry {
    pub id: String,
    pub section: String,
    pub name: String,
    pub definition: String,
    pub unit: &'static str,
    /// The value as printed, or why there is none.
    pub value: Result<String, String>,
    pub numbers: Option<String>,
    pub england: Option<String>,
    pub region: Option<String>,
    /// The neighbours' figure with "median" or "mean".
    pub neighbours: Option<String>,
    pub year: String,
    /// "Better than England" etc., or why not compared.
    pub compared: Option<String>,
    pub rag: Option<Rag>,
    pub good: String,
    pub question: String,
    pub commentary: Option<Commentary>,
}

/// The pack's entries from a report already withheld of small numbers, with the commentary.
pub fn entries(report: &Report, commentary: &[Commentary]) -> Vec<Entry> {
    let by_id: HashMap<&str, &Commentary> = commentary
        .iter()
        .map(|c| (c.indicator_id.as_str(), c))
        .collect();
    report
        .rows
        .iter()
        .map(|r| {
            let ind = r.indicator;
            let guide = metrics::scrutiny::guide(&ind.id);
            let (value, numbers) = match &r.outcome {
                Outcome::Value(f) => (
                    Ok(ind.format(f.value)),
                    metrics::report::numbers_text(ind, f),
                ),
                Outcome::Unavailable(_) if r.suppressed => (
                    Err("fewer than 6: small numbers are not shown, so that no child can be identified".into()),
                    None,
                ),
                Outcome::Unavailable(why) => (Err(format!("No value: {why}")), None),
            };
            let compared = match (r.rag_england, &r.not_compared) {
                (Some(rag), _) => Some(format!("{} England", rag.words())),
                (None, Some(why)) => Some({
                    let mut c = why.chars();
                    c.next()
                        .map(|f| f.to_uppercase().chain(c).collect())
                        .unwrap_or_default()
                }),
                (None, None) if ind.polarity == Polarity::Neutral && value.is_ok() => {
                    Some("Context: no better direction".into())
                }
                _ => None,
            };
            Entry {
                id: ind.id.clone(),
                section: ind.section.clone(),
                name: ind.name.clone(),
                definition: ind.definition.clone(),
                unit: ind.unit_label(),
                value,
                numbers,
                england: ind.england.map(|v| ind.format(v)),
                region: ind.region.map(|v| ind.format(v)),
                neighbours: ind.neighbours().map(|(v, which)| format!("{} ({which})", ind.format(v))),
                year: ind.year.clone(),
                compared,
                rag: r.rag_england,
                good: guide.map(|g| g.good.to_string()).unwrap_or_default(),
                question: guide.map(|g| g.question.to_string()).unwrap_or_default(),
                commentary: by_id.get(ind.id.as_str()).map(|c| (*c).clone()),
            }
        })
        .collect()
}

/// Helvetica's advance widths (thousandths of the font size) for wrapping lines.
fn width(c: char, bold: bool) -> f32 {
    let w = match c {
        ' ' | ',' | '.' | ':' | ';' | '!' | 'f' | 't' | 'I' | '/' | '[' | ']' | '\'' => 278.0,
        'i' | 'j' | 'l' => 222.0,
        'r' | '(' | ')' | '-' => 333.0,
        'm' => 833.0,
        'w' => 722.0,
        'c' | 'k' | 's' | 'v' | 'x' | 'y' | 'z' | 'J' => 500.0,
        'M' => 833.0,
        'W' => 944.0,
        '%' => 889.0,
        'A'..='Z' => 680.0,
        _ => 556.0,
    };
    if bold { w * 1.06 } else { w }
}

fn wrap(text: &str, size: f32, max: f32, bold: bool) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut w = 0.0;
        for word in para.split_whitespace() {
            let ww: f32 = word.chars().map(|c| width(c, bold)).sum::<f32>() * size / 1000.0;
            let space = width(' ', bold) * size / 1000.0;
            if !line.is_empty() && w + space + ww > max {
                lines.push(std::mem::take(&mut line));
                w = 0.0;
            }
            if !line.is_empty() {
                line.push(' ');
                w += space;
            }
            line.push_str(word);
            w += ww;
        }
        lines.push(line);
    }
    lines
}

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 50.0;

fn rgb(r: f32, g: f32, b: f32) -> Color {
    Color::Rgb(Rgb {
        r,
        g,
        b,
        icc_profile: None,
    })
}

/// Pages written top to bottom.
struct Writer {
    pages: Vec<Vec<Op>>,
    ops: Vec<Op>,
    y: f32,
    footer: String,
}

impl Writer {
    fn new(footer: String) -> Self {
        Writer {
            pages: Vec::new(),
            ops: Vec::new(),
            y: PAGE_H - MARGIN,
            footer,
        }
    }
    fn page_break(&mut self) {
        let n = self.pages.len() + 1;
        let footer = format!("{} - page {n}", self.footer);
        self.raw_text(&footer, 8.0, false, MARGIN, 28.0, rgb(0.31, 0.35, 0.37));
        self.pages.push(std::mem::take(&mut self.ops));
        self.y = PAGE_H - MARGIN;
    }
    fn need(&mut self, height: f32) {
        if self.y - height < MARGIN {
            self.page_break();
        }
    }
    fn raw_text(&mut self, s: &str, size: f32, bold: bool, x: f32, y: f32, col: Color) {
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFillColor { col },
            Op::SetFont {
                font: PdfFontHandle::Builtin(if bold {
                    BuiltinFont::HelveticaBold
                } else {
                    BuiltinFont::Helvetica
                }),
                size: Pt(size),
            },
            Op::SetTextCursor {
                pos: Point { x: Pt(x), y: Pt(y) },
            },
            Op::ShowText {
                items: vec![TextItem::Text(s.to_string())],
            },
            Op::EndTextSection,
        ]);
    }
    /// A wrapped paragraph at `indent`, in black or `col`, then `after` points of space.
    fn para(&mut self, s: &str, size: f32, bold: bool, indent: f32, col: Color, after: f32) {
        let lead = size * 1.3;
        for line in wrap(s, size, PAGE_W - 2.0 * MARGIN - indent, bold) {
            self.need(lead);
            self.y -= lead;
            self.raw_text(
                &line,
                size,
                bold,
                MARGIN + indent,
                self.y + size * 0.25,
                col.clone(),
            );
        }
        self.y -= after;
    }
    fn rule(&mut self) {
        self.need(8.0);
        self.y -= 4.0;
        self.ops.extend([
            Op::SetOutlineColor {
                col: rgb(0.69, 0.71, 0.72),
            },
            Op::SetOutlineThickness { pt: Pt(0.5) },
            Op::DrawLine {
                line: Line {
                    points: vec![
                        LinePoint {
                            p: Point {
                                x: Pt(MARGIN),
                                y: Pt(self.y),
                            },
                            bezier: false,
                        },
                        LinePoint {
                            p: Point {
                                x: Pt(PAGE_W - MARGIN),
                                y: Pt(self.y),
                            },
                            bezier: false,
                        },
                    ],
                    is_closed: false,
                },
            },
        ]);
        self.y -= 8.0;
    }
    /// A coloured tag: the words on a filled box.
    fn tag(&mut self, s: &str, fill: Color, text: Color) {
        let size = 9.0;
        let w: f32 = s.chars().map(|c| width(c, true)).sum::<f32>() * size / 1000.0 + 10.0;
        self.need(18.0);
        self.y -= 16.0;
        self.ops.extend([
            Op::SetFillColor { col: fill },
            Op::DrawRectangle {
                rectangle: Rect {
                    x: Pt(MARGIN),
                    y: Pt(self.y - 1.0),
                    width: Pt(w),
                    height: Pt(14.0),
                    mode: Some(PaintMode::Fill),
                    winding_order: None,
                },
            },
        ]);
        self.raw_text(s, size, true, MARGIN + 5.0, self.y + 3.0, text);
        self.y -= 4.0;
    }
    fn finish(mut self) -> Vec<Vec<Op>> {
        self.page_break();
        self.pages
    }
}

/// The pack as a PDF.
pub fn to_pdf(title: &str, period: &str, taken: &str, entries: &[Entry]) -> Vec<u8> {
    let black = rgb(0.04, 0.05, 0.05);
    let grey = rgb(0.31, 0.35, 0.37);
    let mut w = Writer::new(format!("{title}, {period}"));
    w.para(title, 22.0, true, 0.0, black.clone(), 6.0);
    w.para(period, 14.0, false, 0.0, black.clone(), 10.0);
    w.para(
        &format!(
            "Figures from the case record as it stood at {taken}. Each indicator gives its value and unit, the published figures for England, Yorkshire and the Humber and our statistical neighbours (their median where published, otherwise their mean), and whether we are better, similar or worse than England: better or worse only when the difference is more than the indicator's tolerance. Small numbers (counts of 1 to 5, and anything made from them) are not shown, so that no child can be identified. For each indicator the pack says what good looks like, a question members might ask, and the head of service's commentary."
        ),
        10.0,
        false,
        0.0,
        grey.clone(),
        8.0,
    );
    let mut section = String::new();
    for e in entries {
        if e.section != section {
            section = e.section.clone();
            w.need(60.0);
            w.y -= 8.0;
            w.para(&section, 16.0, true, 0.0, black.clone(), 2.0);
            w.rule();
        }
        w.need(90.0);
        w.para(
            &format!("{}. {}", e.id, e.name),
            12.0,
            true,
            0.0,
            black.clone(),
            1.0,
        );
        w.para(&e.definition, 9.0, false, 0.0, grey.clone(), 3.0);
        match &e.value {
            Ok(v) => {
                w.para(
                    &if e.unit == "%" {
                        v.clone()
                    } else {
                        format!("{v} ({})", e.unit)
                    },
                    14.0,
                    true,
                    0.0,
                    black.clone(),
                    0.0,
                );
                if let Some(n) = &e.numbers {
                    w.para(n, 9.0, false, 0.0, grey.clone(), 2.0);
                }
            }
            Err(why) => w.para(why, 10.0, false, 0.0, grey.clone(), 2.0),
        }
        // Each comparator in its own column: its name above its figure.
        if e.england.is_some() || e.region.is_some() || e.neighbours.is_some() {
            w.need(28.0);
            w.y -= 12.0;
            let cols = [
                ("England", e.england.clone(), 0.0),
                ("Yorkshire and the Humber", e.region.clone(), 110.0),
                ("Statistical neighbours", e.neighbours.clone(), 250.0),
                ("Published", Some(e.year.clone()), 390.0),
            ];
            for (name, _, x) in &cols {
                w.raw_text(name, 8.0, false, MARGIN + x, w.y, grey.clone());
            }
            w.y -= 11.0;
            for (_, v, x) in &cols {
                let v = v.clone().unwrap_or_else(|| "Not published".into());
                w.raw_text(&v, 9.0, true, MARGIN + x, w.y, black.clone());
            }
            w.y -= 4.0;
        }
        if let Some(c) = &e.compared {
            match e.rag {
                Some(Rag::Green) => w.tag(c, rgb(0.8, 0.91, 0.84), rgb(0.02, 0.27, 0.13)),
                Some(Rag::Red) => w.tag(c, rgb(0.96, 0.82, 0.81), rgb(0.55, 0.1, 0.08)),
                Some(Rag::Similar) => w.tag(c, rgb(0.92, 0.93, 0.93), rgb(0.16, 0.19, 0.2)),
                None => w.para(c, 9.0, false, 0.0, grey.clone(), 1.0),
            }
        }
        w.para("What good looks like", 9.0, true, 0.0, black.clone(), 0.0);
        w.para(&e.good, 9.0, false, 0.0, black.clone(), 2.0);
        w.para(
            "A question members might ask",
            9.0,
            true,
            0.0,
            black.clone(),
            0.0,
        );
        w.para(&e.question, 9.0, false, 0.0, black.clone(), 2.0);
        w.para(
            "Head of service's commentary",
            9.0,
            true,
            0.0,
            black.clone(),
            0.0,
        );
        match &e.commentary {
            Some(c) => w.para(
                &format!(
                    "{} ({})",
                    c.text,
                    domain::calendar::uk_local(c.written_at).format("%-d %B %Y")
                ),
                9.0,
                false,
                0.0,
                black.clone(),
                2.0,
            ),
            None => w.para("No commentary entered.", 9.0, false, 0.0, grey.clone(), 2.0),
        }
        w.rule();
    }
    let pages: Vec<PdfPage> = w
        .finish()
        .into_iter()
        .map(|ops| PdfPage::new(Mm::from(Pt(PAGE_W)), Mm::from(Pt(PAGE_H)), ops))
        .collect();
    let mut doc = PdfDocument::new(title);
    doc.with_pages(pages)
        .save(&PdfSaveOptions::default(), &mut Vec::new())
}

/// The pack as an Excel workbook: one row per indicator, the heading frozen.
pub fn to_xlsx(title: &str, entries: &[Entry]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold().set_text_wrap();
    let wrap = Format::new().set_text_wrap();
    let ws = wb.add_worksheet().set_name("Scrutiny pack")?;
    ws.write_string_with_format(0, 0, title, &Format::new().set_bold())?;
    let headings = [
        "Id",
        "Section",
        "Indicator",
        "Unit",
        "Value",
        "England",
        "Yorkshire and the Humber",
        "Statistical neighbours",
        "Against England",
        "What good looks like",
        "A question members might ask",
        "Head of service's commentary",
    ];
    for (c, h) in headings.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &bold)?;
    }
    for (i, e) in entries.iter().enumerate() {
        let r = 3 + i as u32;
        let value = match &e.value {
            Ok(v) => v.clone(),
            Err(why) => why.clone(),
        };
        for (c, v) in [
            e.id.clone(),
            e.section.clone(),
            e.name.clone(),
            e.unit.to_string(),
            value,
            e.england.clone().unwrap_or_default(),
            e.region.clone().unwrap_or_default(),
            e.neighbours.clone().unwrap_or_default(),
            e.compared.clone().unwrap_or_default(),
            e.good.clone(),
            e.question.clone(),
            e.commentary
                .as_ref()
                .map(|c| c.text.clone())
                .unwrap_or_default(),
        ]
        .into_iter()
        .enumerate()
        {
            ws.write_string_with_format(r, c as u16, v, &wrap)?;
        }
    }
    for (c, w) in [
        (2u16, 40.0),
        (4, 16.0),
        (8, 24.0),
        (9, 50.0),
        (10, 50.0),
        (11, 60.0),
    ] {
        ws.set_column_width(c, w)?;
    }
    ws.set_freeze_panes(3, 3)?;
    wb.save_to_buffer()
}
