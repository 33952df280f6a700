//! The themes as an Excel workbook for an improvement board, written with the library the
//! performance report's workbook uses (`rust_xlsxwriter`): a sheet of grades by team and domain
//! (counts of audits, and the share good or better as a percentage), a sheet of the trend by
//! quarter, a sheet of recurring weaknesses, and a sheet saying what the figures are. Each
//! sheet's header row is frozen and names its units.

use domain::quality::{Grade, QuarterRow, ThemeRow, Weakness};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use uuid::Uuid;

/// What the workbook is made from: the rows of the themes, with the names they need.
pub struct ThemesBook<'a> {
    pub rows: &'a [ThemeRow],
    pub quarters: &'a [QuarterRow],
    pub weaknesses: &'a [Weakness],
    /// Domain keys and labels, in the template's order ("overall" last).
    pub domains: &'a [(String, String)],
    /// Teams by id, named (every team's together is "All teams").
    pub teams: &'a [(Option<Uuid>, String)],
    /// "1 January 2026 to 31 December 2026".
    pub period: String,
}

fn label<'a>(domains: &'a [(String, String)], key: &'a str) -> &'a str {
    domains
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, l)| l.as_str())
        .unwrap_or(key)
}

fn headers(
    ws: &mut rust_xlsxwriter::Worksheet,
    bold: &Format,
    names: &[&str],
) -> Result<(), XlsxError> {
    for (c, h) in names.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, bold)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The workbook's bytes.
pub fn to_xlsx(b: &ThemesBook) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0");
    let mut grade_heads: Vec<String> = Grade::ALL
        .iter()
        .map(|g| format!("{} (audits)", g.label()))
        .collect();
    grade_heads.push("Graded (audits)".into());
    grade_heads.push("Good or better (%)".into());
    {
        let ws = wb.add_worksheet().set_name("Themes")?;
        let mut names = vec!["Team", "Domain"];
        names.extend(grade_heads.iter().map(String::as_str));
        headers(ws, &bold, &names)?;
        let mut row = 1u32;
        for (team, team_name) in b.teams {
            for (key, domain) in b.domains {
                let Some(r) = b
                    .rows
                    .iter()
                    .find(|r| &r.domain == key && r.team_id == *team)
                else {
                    continue;
                };
                ws.write_string(row, 0, team_name)?;
                ws.write_string(row, 1, domain)?;
                for (c, n) in r.grades.counts.iter().enumerate() {
                    ws.write_number(row, 2 + c as u16, *n)?;
                }
                ws.write_number(row, 6, r.grades.total())?;
                if let Some(p) = r.grades.good_or_better_percent() {
                    ws.write_number_with_format(row, 7, p, &percent)?;
                }
                row += 1;
            }
        }
        ws.set_column_width(0, 28)?;
        ws.set_column_width(1, 52)?;
        for c in 2..8 {
            ws.set_column_width(c, 18)?;
        }
    }
    {
        let ws = wb.add_worksheet().set_name("Trend by quarter")?;
        let mut names = vec!["Quarter", "Domain"];
        names.extend(grade_heads.iter().map(String::as_str));
        headers(ws, &bold, &names)?;
        let mut row = 1u32;
        for q in b.quarters {
            for d in &q.domains {
                let grades = &d.grades;
                ws.write_string(row, 0, &q.label)?;
                ws.write_string(row, 1, label(b.domains, &d.domain))?;
                for (c, n) in grades.counts.iter().enumerate() {
                    ws.write_number(row, 2 + c as u16, *n)?;
                }
                ws.write_number(row, 6, grades.total())?;
                if let Some(p) = grades.good_or_better_percent() {
                    ws.write_number_with_format(row, 7, p, &percent)?;
                }
                row += 1;
            }
        }
        ws.set_column_width(0, 18)?;
        ws.set_column_width(1, 52)?;
        for c in 2..8 {
            ws.set_column_width(c, 18)?;
        }
    }
    {
        let ws = wb.add_worksheet().set_name("Recurring weaknesses")?;
        headers(
            ws,
            &bold,
            &[
                "Team",
                "Domain",
                "Consecutive quarters (quarters)",
                "From quarter",
                "To quarter",
                "Requires improvement or inadequate in the latest (%)",
            ],
        )?;
        for (i, w) in b.weaknesses.iter().enumerate() {
            let row = 1 + i as u32;
            let team = b
                .teams
                .iter()
                .find(|(t, _)| *t == w.team_id)
                .map(|(_, n)| n.as_str())
                .unwrap_or("Unknown team");
            ws.write_string(row, 0, team)?;
            ws.write_string(row, 1, label(b.domains, &w.domain))?;
            ws.write_number(row, 2, w.quarters)?;
            ws.write_string(row, 3, &w.from)?;
            ws.write_string(row, 4, &w.to)?;
            ws.write_number_with_format(row, 5, w.latest_weak_percent, &percent)?;
        }
        ws.set_column_width(0, 28)?;
        ws.set_column_width(1, 52)?;
        for c in 2..6 {
            ws.set_column_width(c, 22)?;
        }
    }
    {
        let ws = wb.add_worksheet().set_name("About")?;
        headers(ws, &bold, &["Item", "What it is"])?;
        let about = [
            ("Period", b.period.clone()),
            (
                "Counts",
                "Audits recorded in the period, by the grade each domain (and the overall grade) stands at after moderation".into(),
            ),
            (
                "Good or better (%)",
                "Audits graded outstanding or good as a percentage of those graded, rounded".into(),
            ),
            (
                "Quarters",
                "Calendar quarters (January to March, and so on) by the day the audit was recorded".into(),
            ),
            (
                "Recurring weakness",
                "A domain where more than half the grades were requires improvement or inadequate in two or more consecutive quarters (a quarter without grades of it ends the run); ongoing when the run reaches the last quarter of the period".into(),
            ),
        ];
        for (i, (k, v)) in about.iter().enumerate() {
            ws.write_string(1 + i as u32, 0, *k)?;
            ws.write_string(1 + i as u32, 1, v)?;
        }
        ws.set_column_width(0, 24)?;
        ws.set_column_width(1, 100)?;
    }
    wb.save_to_buffer()
}
