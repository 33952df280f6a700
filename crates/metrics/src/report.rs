//! The whole catalogue for a period with 12-month trends, as data, as an SVG chart per indicator
//! (readable without JavaScript, with a text alternative) and as an Excel workbook.

use chrono::{Datelike, Months, NaiveDate};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Serialize;

use crate::catalogue::{Indicator, Rag, Unit, Window, catalogue};
use crate::compute::{Context, Outcome, Period, compute};
use crate::events::Events;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    /// The last day of the month.
    pub month_end: NaiveDate,
    /// Flows over the 12 months to the month's end; snapshots at the month's end.
    pub value: Option<f64>,
    /// Computed from a count of 1 to 5 (see [`suppress_small_numbers`]).
    pub small: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub indicator: &'static Indicator,
    pub outcome: Outcome,
    pub trend: Vec<TrendPoint>,
    pub rag_england: Option<Rag>,
    pub rag_neighbours: Option<Rag>,
    /// Why the figure is not compared with its comparators (no RAG), when it has a value and
    /// comparators but comparing would mislead: too few cases, or a count or rate over a period
    /// that is not a year against England's figures for a year.
    pub not_compared: Option<String>,
    /// The figure came from a count of 1 to 5 and is not shown ([`suppress_small_numbers`]).
    pub suppressed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub period: Period,
    pub sources: Vec<String>,
    pub rows: Vec<Row>,
}

fn month_end(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), d.month(), 1)
        .and_then(|f| f.checked_add_months(Months::new(1)))
        .and_then(|f| f.pred_opt())
        .unwrap_or(d)
}

/// The 12 month-ends ending with the month of `to`, oldest first.
pub fn trend_months(to: NaiveDate) -> Vec<NaiveDate> {
    (0..12)
        .rev()
        .map(|back| month_end(to.checked_sub_months(Months::new(back)).unwrap_or(to)))
        .collect()
}

/// Computes every indicator of the catalogue for the period, with its trend.
pub fn build(ev: &Events, period: Period, ctx: &Context) -> Report {
    let months = trend_months(period.to);
    let rows = catalogue()
        .iter()
        .map(|ind| {
            let outcome = compute(ind, ev, period, ctx);
            let trend = match &outcome {
                Outcome::Unavailable(_) => months
                    .iter()
                    .map(|m| TrendPoint {
                        month_end: *m,
                        value: None,
                        small: false,
                    })
                    .collect(),
                Outcome::Value(_) => months
                    .iter()
                    .map(|m| {
                        let o = compute(ind, ev, Period::rolling_year(*m), ctx);
                        TrendPoint {
                            month_end: *m,
                            value: o.value(),
                            small: matches!(&o, Outcome::Value(f) if f.is_small()),
                        }
                    })
                    .collect(),
            };
            let not_compared = match &outcome {
                Outcome::Value(f) => why_not_compared(ind, f, period),
                Outcome::Unavailable(_) => None,
            };
            let v = outcome.value().filter(|_| not_compared.is_none());
            Row {
                indicator: ind,
                rag_england: v.and_then(|v| ind.rag(v, ind.england)),
                rag_neighbours: v.and_then(|v| ind.rag(v, ind.neighbours().map(|n| n.0))),
                not_compared: not_compared.filter(|_| {
                    ind.polarity != crate::catalogue::Polarity::Neutral
                        && (ind.england.is_some() || ind.neighbours().is_some())
                }),
                outcome,
                trend,
                suppressed: false,
            }
        })
        .collect();
    Report {
        period,
        sources: ev.sources.iter().map(|s| s.label().to_string()).collect(),
        rows,
    }
}

/// Days in a period, both ends included.
pub fn period_days(p: Period) -> i64 {
    (p.to - p.from).num_days() + 1
}

/// Whether a period is a year (365 or 366 days), the period of the published comparators for
/// flows.
pub fn is_a_year(p: Period) -> bool {
    matches!(period_days(p), 365 | 366)
}

/// Why a figure should not be set against its comparators, if it should not.
fn why_not_compared(ind: &Indicator, f: &crate::Figure, period: Period) -> Option<String> {
    let cases = match ind.unit {
        Unit::Rate10k | Unit::Count => f.numerator,
        _ => f.denominator,
    };
    if cases < SMALL_NUMBER_LIMIT {
        return Some(format!(
            "not compared: fewer than {SMALL_NUMBER_LIMIT} cases"
        ));
    }
    if ind.window == Window::Flow
        && matches!(ind.unit, Unit::Rate10k | Unit::Count)
        && !is_a_year(period)
    {
        return Some(format!(
            "not compared: the comparators are for a year, this period is {} day{}",
            period_days(period),
            if period_days(period) == 1 { "" } else { "s" }
        ));
    }
    None
}

/// What the report says about a period shorter than a month, if anything.
pub fn period_note(p: Period) -> Option<String> {
    let days = period_days(p);
    (days < 28).then(|| {
        format!(
            "This period is {}: flows count only what happened in it, so most figures are small; counts and rates are not compared with the published figures, which are for a year, and percentages only where there are at least {SMALL_NUMBER_LIMIT} cases.",
            if days == 1 { "one day".to_string() } else { format!("{days} days") }
        )
    })
}

/// The report may not describe a period that has not happened: it would show figures for days
/// not yet known as if they were.
pub fn refuse_future(p: Period, today: NaiveDate) -> Result<Period, String> {
    if p.to > today {
        Err(format!(
            "The period ends on {}, after today ({}): choose a period that ends today or earlier",
            p.to.format("%-d %B %Y"),
            today.format("%-d %B %Y")
        ))
    } else {
        Ok(p)
    }
}

/// The numbers behind a figure as a reader needs them: "12 of 40" for a percentage, the count
/// and population for a rate, the number of cases for an average (never the sum of days or
/// scores, which no one reads), nothing for a count.
pub fn numbers_text(ind: &Indicator, f: &crate::Figure) -> Option<String> {
    let n = |v: f64| {
        let r = v.round() as i64;
        let s = r.abs().to_string();
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        if r < 0 { format!("-{out}") } else { out }
    };
    let lower = |s: &str| {
        let mut c = s.chars();
        c.next()
            .map(|f| f.to_lowercase().chain(c).collect::<String>())
            .unwrap_or_default()
    };
    match ind.unit {
        Unit::Percent => Some(format!("{} of {}", n(f.numerator), n(f.denominator))),
        Unit::Rate10k => Some(format!(
            "{} in a population of {}",
            n(f.numerator),
            n(f.denominator)
        )),
        Unit::Days | Unit::Ratio => Some(format!(
            "average across {}: {}",
            n(f.denominator),
            lower(&ind.denominator)
        )),
        Unit::Count => None,
    }
}

/// Counts below this (and above 0) are small numbers: shown only to those who may open the
/// children's records, since a count of 1 to 5 can identify a child.
pub const SMALL_NUMBER_LIMIT: f64 = 6.0;

/// Why a figure is not shown to those who may not open records.
pub const SUPPRESSED: &str =
    "fewer than 6: small numbers are not shown, so that no child can be identified";

/// A count of 1 to 5.
pub fn is_small_number(n: f64) -> bool {
    n > 0.0 && n < SMALL_NUMBER_LIMIT
}

/// The report for someone who may not open children's records (a performance analyst): every
/// figure whose numerator or denominator is a count of 1 to 5 — the count itself, and any rate,
/// percentage or average made from it — is withheld with its RAG, in the period and in each
/// month of the trend. Rates per 10,000 children have the population as denominator: their
/// numerator decides.
pub fn suppress_small_numbers(mut report: Report) -> Report {
    for row in &mut report.rows {
        if matches!(&row.outcome, Outcome::Value(f) if f.is_small()) {
            row.outcome = Outcome::Unavailable(SUPPRESSED.into());
            row.suppressed = true;
            row.rag_england = None;
            row.rag_neighbours = None;
            row.not_compared = None;
        }
        for p in &mut row.trend {
            if p.small {
                p.value = None;
            }
        }
    }
    report
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A small line chart of the trend, with the England figure as a dashed line. The chart is
/// labelled for assistive technology; the page also gives the values as a table.
pub fn trend_svg(row: &Row) -> String {
    let (w, h, pad) = (240.0_f64, 64.0_f64, 6.0_f64);
    let values: Vec<f64> = row.trend.iter().filter_map(|p| p.value).collect();
    let label = format!(
        "{}: trend over the 12 months to {}",
        row.indicator.name,
        row.trend
            .last()
            .map(|p| p.month_end.format("%B %Y").to_string())
            .unwrap_or_default()
    );
    if values.is_empty() {
        return format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"hearth-trend\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\"><title>{}</title><text x=\"4\" y=\"36\" font-size=\"12\" fill=\"#505a5f\">No trend</text></svg>",
            esc(&format!("{label}: no data")),
            esc(&format!("{label}: no data"))
        );
    }
    let mut lo = values.iter().cloned().fold(f64::INFINITY, f64::min);
    let mut hi = values.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    if let Some(e) = row.indicator.england {
        lo = lo.min(e);
        hi = hi.max(e);
    }
    if (hi - lo).abs() < f64::EPSILON {
        hi = lo + 1.0;
    }
    let n = row.trend.len().max(2) as f64;
    let x = |i: usize| pad + (w - 2.0 * pad) * i as f64 / (n - 1.0);
    let y = |v: f64| h - pad - (h - 2.0 * pad) * (v - lo) / (hi - lo);
    let mut path = String::new();
    let mut pen_down = false;
    let mut dots = String::new();
    for (i, p) in row.trend.iter().enumerate() {
        match p.value {
            Some(v) => {
                path.push_str(&format!(
                    "{}{:.1},{:.1} ",
                    if pen_down { "L" } else { "M" },
                    x(i),
                    y(v)
                ));
                pen_down = true;
                dots.push_str(&format!(
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\" fill=\"#0b4f4a\"><title>{}: {}</title></circle>",
                    x(i),
                    y(v),
                    p.month_end.format("%B %Y"),
                    esc(&row.indicator.format(v))
                ));
            }
            None => pen_down = false,
        }
    }
    let england = row
        .indicator
        .england
        .map(|e| {
            format!(
                "<line x1=\"{pad}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#505a5f\" stroke-dasharray=\"4 3\" stroke-width=\"1\"><title>England {}</title></line>",
                w - pad,
                y(e),
                y(e),
                esc(&row.indicator.format(e))
            )
        })
        .unwrap_or_default();
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"hearth-trend\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\"><title>{}</title>{england}<path d=\"{}\" fill=\"none\" stroke=\"#0b4f4a\" stroke-width=\"2\"/>{dots}</svg>",
        esc(&label),
        esc(&label),
        path.trim()
    )
}

fn rag_text(r: Option<Rag>) -> &'static str {
    match r {
        Some(Rag::Green) => "Better",
        Some(Rag::Similar) => "Similar",
        Some(Rag::Red) => "Worse",
        None => "",
    }
}

/// The Excel number format for a value of the indicator's unit (percentages are written as
/// fractions, so that Excel knows them as percentages).
fn unit_format(ind: &Indicator) -> Format {
    Format::new().set_num_format(match ind.unit {
        Unit::Percent => "0.0%",
        Unit::Rate10k | Unit::Ratio => "#,##0.0",
        Unit::Count | Unit::Days => "#,##0",
    })
}

/// A value as the workbook stores it: percentages as fractions.
fn cell_value(ind: &Indicator, v: f64) -> f64 {
    let v = (v * 10.0).round() / 10.0;
    match ind.unit {
        Unit::Percent => v / 100.0,
        _ => v,
    }
}

/// The report as an Excel workbook: one sheet of indicators (unit, value, the numbers behind it,
/// each comparator in its own column, whether the difference is material, the 12 monthly
/// values), its heading row frozen and filtered and each value in its unit's number format; and
/// one of definitions, tolerances and sources.
pub fn to_xlsx(report: &Report) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold().set_text_wrap();
    let whole = Format::new().set_num_format("#,##0");
    let title = format!(
        "Performance report {} to {} (from {})",
        report.period.from.format("%-d %B %Y"),
        report.period.to.format("%-d %B %Y"),
        report.sources.join(" and ")
    );
    let months = report
        .rows
        .first()
        .map(|r| r.trend.clone())
        .unwrap_or_default();
    const FIRST_MONTH: u16 = 16;
    {
        let ws = wb.add_worksheet().set_name("Indicators")?;
        ws.write_string_with_format(0, 0, &title, &Format::new().set_bold())?;
        if let Some(note) = period_note(report.period) {
            ws.write_string(1, 0, note)?;
        }
        let mut headers = vec![
            "Id",
            "Section",
            "Indicator",
            "Unit",
            "Value",
            "Numerator",
            "Denominator (or cases averaged)",
            "England",
            "Yorkshire and the Humber",
            "Statistical neighbours (mean)",
            "Statistical neighbours (median)",
            "Comparator year",
            "Against England",
            "Against statistical neighbours",
            "Tolerance (a smaller difference is similar)",
            "Why no value, or not compared",
        ]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
        headers.extend(
            months
                .iter()
                .map(|m| m.month_end.format("%b %Y").to_string()),
        );
        for (c, h) in headers.iter().enumerate() {
            ws.write_string_with_format(2, c as u16, h, &bold)?;
        }
        for (i, r) in report.rows.iter().enumerate() {
            let row = 3 + i as u32;
            let ind = r.indicator;
            let fmt = unit_format(ind);
            ws.write_string(row, 0, &ind.id)?;
            ws.write_string(row, 1, &ind.section)?;
            ws.write_string(row, 2, &ind.name)?;
            ws.write_string(row, 3, ind.unit_label())?;
            match &r.outcome {
                Outcome::Value(f) => {
                    ws.write_number_with_format(row, 4, cell_value(ind, f.value), &fmt)?;
                    // An average's numerator is a sum of days or scores: not for reading.
                    if !ind.is_average() && ind.unit != Unit::Count {
                        ws.write_number_with_format(row, 5, f.numerator, &whole)?;
                    }
                    if ind.unit != Unit::Count {
                        ws.write_number_with_format(row, 6, f.denominator, &whole)?;
                    }
                    if let Some(why) = &r.not_compared {
                        ws.write_string(row, 15, why)?;
                    }
                }
                Outcome::Unavailable(why) => {
                    if r.suppressed {
                        ws.write_string(row, 4, "fewer than 6")?;
                    }
                    ws.write_string(row, 15, why)?;
                }
            }
            for (c, v) in [
                (7, ind.england),
                (8, ind.region),
                (9, ind.sn_mean),
                (10, ind.sn_median),
            ] {
                if let Some(v) = v {
                    ws.write_number_with_format(row, c, cell_value(ind, v), &fmt)?;
                }
            }
            ws.write_string(row, 11, &ind.year)?;
            ws.write_string(row, 12, rag_text(r.rag_england))?;
            ws.write_string(
                row,
                13,
                match (r.rag_neighbours, ind.neighbours()) {
                    (Some(rag), Some((_, which))) => format!("{} ({which})", rag_text(Some(rag))),
                    _ => String::new(),
                },
            )?;
            if ind.polarity != crate::catalogue::Polarity::Neutral {
                ws.write_number_with_format(row, 14, cell_value(ind, ind.tolerance), &fmt)?;
            }
            for (k, p) in r.trend.iter().enumerate() {
                if let Some(v) = p.value {
                    ws.write_number_with_format(
                        row,
                        FIRST_MONTH + k as u16,
                        cell_value(ind, v),
                        &fmt,
                    )?;
                } else if p.small {
                    ws.write_string(row, FIRST_MONTH + k as u16, "fewer than 6")?;
                }
            }
        }
        ws.set_row_height(2, 45)?;
        ws.set_column_width(1, 18)?;
        ws.set_column_width(2, 48)?;
        ws.set_column_width(3, 18)?;
        for c in 4..=14 {
            ws.set_column_width(c, 13)?;
        }
        ws.set_column_width(15, 44)?;
        ws.set_freeze_panes(3, 3)?;
        ws.autofilter(
            2,
            0,
            2 + report.rows.len() as u32,
            FIRST_MONTH + months.len().saturating_sub(1) as u16,
        )?;
    }
    {
        let ws = wb.add_worksheet().set_name("Definitions")?;
        for (c, h) in [
            "Id",
            "Indicator",
            "Definition",
            "Numerator",
            "Denominator",
            "Window",
            "Polarity",
            "Unit",
            "Tolerance",
            "Why that tolerance",
            "Source",
        ]
        .iter()
        .enumerate()
        {
            ws.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        for (i, r) in report.rows.iter().enumerate() {
            let ind = r.indicator;
            let row = 1 + i as u32;
            ws.write_string(row, 0, &ind.id)?;
            ws.write_string(row, 1, &ind.name)?;
            ws.write_string(row, 2, &ind.definition)?;
            ws.write_string(row, 3, &ind.numerator)?;
            ws.write_string(row, 4, &ind.denominator)?;
            ws.write_string(row, 5, format!("{:?}", ind.window).to_lowercase())?;
            ws.write_string(row, 6, format!("{:?}", ind.polarity).to_lowercase())?;
            ws.write_string(row, 7, ind.unit_label())?;
            ws.write_number_with_format(row, 8, cell_value(ind, ind.tolerance), &unit_format(ind))?;
            ws.write_string(row, 9, &ind.tolerance_basis)?;
            ws.write_string(row, 10, &ind.source)?;
        }
        ws.set_freeze_panes(1, 2)?;
        ws.set_column_width(1, 40)?;
        ws.set_column_width(2, 60)?;
    }
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_month_ends_oldest_first() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let m = trend_months(d(2026, 3, 15));
        assert_eq!(m.len(), 12);
        assert_eq!((m[0], m[11]), (d(2025, 4, 30), d(2026, 3, 31)));
        assert_eq!(m[10], d(2026, 2, 28));
    }
}
