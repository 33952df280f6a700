//! The check of every Annex A row before the lists are sent: required cells present, codes from
//! the template's lists, dates in order (and none after the day the lists were made, none before
//! the child was born). Each finding names the list, the row, the column and what is wrong.

use serde::Serialize;

use super::annex_a::{AnnexA, Cell, Kind, List};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub list: u8,
    pub list_name: &'static str,
    /// The row's number on its sheet (the heading is row 1).
    pub row: usize,
    pub child_id: String,
    pub column: &'static str,
    pub message: String,
}

fn check_list(a: &AnnexA, l: &List, out: &mut Vec<Finding>) {
    for (i, row) in l.rows.iter().enumerate() {
        let mut say = |c: usize, message: String| {
            out.push(Finding {
                list: l.number,
                list_name: l.name,
                row: i + 2,
                child_id: row.first().map(Cell::text).unwrap_or_default(),
                column: l.columns[c].heading,
                message,
            })
        };
        for (c, column) in l.columns.iter().enumerate() {
            let cell = row.get(c).unwrap_or(&Cell::Empty);
            if cell.is_empty() {
                if column.required {
                    say(c, "is required and empty".into());
                }
                continue;
            }
            match (&column.kind, cell) {
                (Kind::Codes(codes), Cell::Text(t)) if !codes.iter().any(|x| x == t) => {
                    say(c, format!("{t:?} is not one of the template's codes"))
                }
                (Kind::Codes(_), Cell::Text(_)) => {}
                (Kind::Date, Cell::Date(d)) if *d > a.as_at => say(
                    c,
                    format!(
                        "{} is after the day the lists were made ({})",
                        d.format("%d/%m/%Y"),
                        a.as_at.format("%d/%m/%Y")
                    ),
                ),
                (Kind::Date, Cell::Date(_)) => {}
                (Kind::Number, Cell::Number(n)) if *n < 0 => say(c, format!("{n} is negative")),
                (Kind::Number, Cell::Number(_)) => {}
                (Kind::Text, Cell::Text(_)) => {}
                (k, _) => say(
                    c,
                    format!(
                        "holds {:?}, expected {}",
                        cell.text(),
                        match k {
                            Kind::Date => "a date",
                            Kind::Number => "a number",
                            Kind::Codes(_) => "a code",
                            Kind::Text => "text",
                        }
                    ),
                ),
            }
        }
        for (earlier, later) in &l.order {
            if let (Some(a), Some(b)) = (
                row.get(*earlier).and_then(Cell::date),
                row.get(*later).and_then(Cell::date),
            ) {
                if a > b {
                    say(
                        *later,
                        format!(
                            "{} is before {} ({})",
                            b.format("%d/%m/%Y"),
                            l.columns[*earlier].heading,
                            a.format("%d/%m/%Y")
                        ),
                    );
                }
            }
        }
    }
}

/// Every finding on every list, in list and row order.
pub fn check(a: &AnnexA) -> Vec<Finding> {
    let mut out = Vec::new();
    for l in &a.lists {
        check_list(a, l, &mut out);
    }
    out
}
