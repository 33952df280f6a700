//! A validation finding and the reports made from a list of them. Shared by every return.

use std::io::Write;

/// Whether a rule failure blocks the return (error) or asks the council to confirm (query).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Severity {
    Error,
    Query,
}

/// One rule failing on one row (or on the return as a whole).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    /// The DfE rule code, e.g. "103" or "8610Q".
    pub rule_code: String,
    pub severity: Severity,
    /// The DfE message for the rule.
    pub message: String,
    /// The table (903: Header, Episodes...) or module (CIN: ChildIdentifiers, Section47...).
    pub table: String,
    /// 0-based index of the row within its table, in file order; None for whole-return findings.
    pub row: Option<usize>,
    /// The child's identifier (903 CHILD, CIN LAchildID); None where no child is concerned.
    pub child: Option<String>,
    /// The fields the finding is about.
    pub fields: Vec<String>,
}

/// Writes findings one a line with the columns rule_code,table,row,child,fields
/// (fields `;`-separated), the format used to compare validators.
pub fn write_findings_csv<W: Write>(out: W, findings: &[Finding]) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["rule_code", "table", "row", "child", "fields"])?;
    for f in findings {
        let row = f.row.map(|r| r.to_string()).unwrap_or_default();
        let fields = f.fields.join(";");
        let cells: [std::borrow::Cow<'_, str>; 5] = [
            spreadsheet_safe(&f.rule_code),
            spreadsheet_safe(&f.table),
            row.as_str().into(),
            spreadsheet_safe(f.child.as_deref().unwrap_or("")),
            spreadsheet_safe(&fields),
        ];
        w.write_record(cells.iter().map(|c| c.as_bytes()))?;
    }
    w.flush()?;
    Ok(())
}

/// A cell a spreadsheet will not run as a formula: text from a return file (a child's id) that
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` (OWASP's advice
/// on CSV injection).
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Reads a DfE rule list (`code<TAB>message` lines, `#` comments) into a map.
pub fn parse_rule_list(tsv: &'static str) -> std::collections::HashMap<&'static str, &'static str> {
    tsv.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
        .collect()
}

/// One line of the summary by rule: how many findings each rule made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleCount {
    pub rule_code: String,
    pub severity: Severity,
    pub message: String,
    pub findings: usize,
    pub children: usize,
}

/// Findings counted by rule, most findings first (then by code).
pub fn summary_by_rule(findings: &[Finding]) -> Vec<RuleCount> {
    let mut by: std::collections::BTreeMap<
        &str,
        (Severity, &str, usize, std::collections::HashSet<&str>),
    > = Default::default();
    for f in findings {
        let e = by
            .entry(f.rule_code.as_str())
            .or_insert_with(|| (f.severity, f.message.as_str(), 0, Default::default()));
        e.2 += 1;
        if let Some(c) = &f.child {
            e.3.insert(c.as_str());
        }
    }
    let mut out: Vec<RuleCount> = by
        .into_iter()
        .map(|(code, (severity, message, n, children))| RuleCount {
            rule_code: code.to_string(),
            severity,
            message: message.to_string(),
            findings: n,
            children: children.len(),
        })
        .collect();
    out.sort_by(|a, b| {
        b.findings
            .cmp(&a.findings)
            .then_with(|| a.rule_code.cmp(&b.rule_code))
    });
    out
}

/// Writes an Excel workbook: a sheet of findings (one a row) and a summary by rule.
pub fn write_findings_xlsx(
    path: &std::path::Path,
    findings: &[Finding],
) -> Result<(), rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = wb.add_worksheet();
    sheet.set_name("Findings")?;
    for (c, h) in ["Rule", "Type", "Table", "Row", "Child", "Fields", "Message"]
        .iter()
        .enumerate()
    {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, f) in findings.iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write_string(r, 0, &f.rule_code)?;
        sheet.write_string(
            r,
            1,
            if f.severity == Severity::Error {
                "Error"
            } else {
                "Query"
            },
        )?;
        sheet.write_string(r, 2, &f.table)?;
        if let Some(row) = f.row {
            sheet.write_number(r, 3, row as f64)?;
        }
        sheet.write_string(r, 4, f.child.as_deref().unwrap_or(""))?;
        sheet.write_string(r, 5, f.fields.join(", "))?;
        sheet.write_string(r, 6, &f.message)?;
    }
    let summary = wb.add_worksheet();
    summary.set_name("Summary by rule")?;
    for (c, h) in ["Rule", "Type", "Findings", "Children", "Message"]
        .iter()
        .enumerate()
    {
        summary.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, s) in summary_by_rule(findings).iter().enumerate() {
        let r = i as u32 + 1;
        summary.write_string(r, 0, &s.rule_code)?;
        summary.write_string(
            r,
            1,
            if s.severity == Severity::Error {
                "Error"
            } else {
                "Query"
            },
        )?;
        summary.write_number(r, 2, s.findings as f64)?;
        summary.write_number(r, 3, s.children as f64)?;
        summary.write_string(r, 4, &s.message)?;
    }
    summary.set_column_width(4, 90)?;
    wb.save(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_has_the_comparison_columns() {
        let f = Finding {
            rule_code: "103".into(),
            severity: Severity::Error,
            message: "The ethnicity code is either not valid or has not been entered.".into(),
            table: "Header".into(),
            row: Some(4),
            child: Some("C1".into()),
            fields: vec!["ETHNIC".into(), "SEX".into()],
        };
        let mut buf = Vec::new();
        write_findings_csv(&mut buf, &[f]).unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "rule_code,table,row,child,fields\n103,Header,4,C1,ETHNIC;SEX\n"
        );
    }

    fn f(code: &str, child: Option<&str>) -> Finding {
        Finding {
            rule_code: code.into(),
            severity: if code.ends_with('Q') {
                Severity::Query
            } else {
                Severity::Error
            },
            message: format!("message {code}"),
            table: "T".into(),
            row: Some(0),
            child: child.map(Into::into),
            fields: vec!["F".into()],
        }
    }

    #[test]
    fn summary_counts_findings_and_children_by_rule() {
        let s = summary_by_rule(&[
            f("1", Some("A")),
            f("2Q", Some("A")),
            f("2Q", Some("B")),
            f("2Q", Some("B")),
            f("3", None),
        ]);
        assert_eq!(
            s.iter()
                .map(|r| (r.rule_code.as_str(), r.findings, r.children))
                .collect::<Vec<_>>(),
            [("2Q", 3, 2), ("1", 1, 1), ("3", 1, 0)]
        );
        assert_eq!(s[0].severity, Severity::Query);
    }

    #[test]
    fn the_workbook_is_written() {
        let path =
            std::env::temp_dir().join(format!("hearth-findings-{}.xlsx", std::process::id()));
        write_findings_xlsx(&path, &[f("1", Some("A")), f("2Q", None)]).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(&bytes[..2], b"PK", "an xlsx is a zip file");
        let _ = std::fs::remove_file(path);
    }

    #[test]
    fn csv_cells_that_a_spreadsheet_would_run_are_escaped() {
        assert_eq!(
            spreadsheet_safe("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        for bad in ["+1", "-1+2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(spreadsheet_safe(bad).starts_with('\''), "{bad}");
        }
        assert_eq!(spreadsheet_safe("C0001"), "C0001");
        let f = Finding {
            rule_code: "103".into(),
            severity: Severity::Error,
            message: "m".into(),
            table: "Header".into(),
            row: Some(2),
            child: Some("=1+1".into()),
            fields: vec!["DOB".into()],
        };
        let mut out = Vec::new();
        write_findings_csv(&mut out, &[f]).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(",'=1+1,"), "{text}");
    }
}
