//! The Annex A workbook: a sheet for each list (Ofsted's headings, one row per child or event,
//! dates as dates, the heading frozen and filtered), before them a sheet saying what the lists
//! cover and what the record cannot fill, and the check's findings.

use domain::inspection::{AnnexA, Cell, Finding};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// "List 8 Children in Care" (a sheet's name is at most 31 characters).
pub fn sheet_name(number: u8, name: &str) -> String {
    let s = format!("List {number} {name}");
    s.chars().take(31).collect()
}

pub fn to_xlsx(a: &AnnexA, findings: &[Finding]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold().set_text_wrap();
    let day = Format::new().set_num_format("dd/mm/yyyy");
    {
        let ws = wb.add_worksheet().set_name("About")?;
        ws.write_string_with_format(
            0,
            0,
            format!(
                "Ofsted Annex A lists from the record as at {} (6 months from {}; lists 10 and 11, 12 months from {})",
                a.as_at.format("%-d %B %Y"),
                a.from_6.format("%-d %B %Y"),
                a.from_12.format("%-d %B %Y")
            ),
            &Format::new().set_bold(),
        )?;
        for (c, h) in [
            "List",
            "Sheet",
            "Who is on it",
            "Rows",
            "Column the record cannot fill",
            "Why",
        ]
        .iter()
        .enumerate()
        {
            ws.write_string_with_format(2, c as u16, *h, &bold)?;
        }
        let mut row = 3;
        for l in &a.lists {
            ws.write_number(row, 0, f64::from(l.number))?;
            ws.write_string(row, 1, sheet_name(l.number, l.name))?;
            ws.write_string(row, 2, &l.scope)?;
            ws.write_number(row, 3, l.rows.len() as f64)?;
            if l.cannot_fill.is_empty() {
                row += 1;
            }
            for (h, why) in &l.cannot_fill {
                ws.write_string(row, 4, *h)?;
                ws.write_string(row, 5, *why)?;
                row += 1;
            }
        }
        ws.set_column_width(1, 30)?;
        ws.set_column_width(2, 60)?;
        ws.set_column_width(4, 40)?;
        ws.set_column_width(5, 80)?;
        ws.set_freeze_panes(3, 0)?;
    }
    {
        let ws = wb.add_worksheet().set_name("Checks")?;
        for (c, h) in [
            "List",
            "Sheet row",
            "Child Unique ID",
            "Column",
            "What is wrong",
        ]
        .iter()
        .enumerate()
        {
            ws.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        if findings.is_empty() {
            ws.write_string(1, 0, "The check found nothing: every required cell is filled, every code is the template's, every date in order.")?;
        }
        for (i, f) in findings.iter().enumerate() {
            let r = 1 + i as u32;
            ws.write_string(r, 0, sheet_name(f.list, f.list_name))?;
            ws.write_number(r, 1, f.row as f64)?;
            ws.write_string(r, 2, &f.child_id)?;
            ws.write_string(r, 3, f.column)?;
            ws.write_string(r, 4, &f.message)?;
        }
        ws.set_column_width(0, 30)?;
        ws.set_column_width(3, 50)?;
        ws.set_column_width(4, 70)?;
        ws.set_freeze_panes(1, 0)?;
    }
    for l in &a.lists {
        let ws = wb.add_worksheet().set_name(sheet_name(l.number, l.name))?;
        for (c, col) in l.columns.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, col.heading, &bold)?;
            ws.set_column_width(c as u16, 18)?;
        }
        for (i, row) in l.rows.iter().enumerate() {
            let r = 1 + i as u32;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Empty => {}
                    Cell::Text(t) => {
                        ws.write_string(r, c, t)?;
                    }
                    Cell::Number(n) => {
                        ws.write_number(r, c, *n as f64)?;
                    }
                    Cell::Date(d) => {
                        use chrono::Datelike;
                        let x = rust_xlsxwriter::ExcelDateTime::from_ymd(
                            d.year() as u16,
                            d.month() as u8,
                            d.day() as u8,
                        )?;
                        ws.write_datetime_with_format(r, c, &x, &day)?;
                    }
                }
            }
        }
        ws.set_row_height(0, 60)?;
        ws.set_freeze_panes(1, 1)?;
        ws.autofilter(
            0,
            0,
            l.rows.len() as u32,
            l.columns.len().saturating_sub(1) as u16,
        )?;
    }
    wb.save_to_buffer()
}
