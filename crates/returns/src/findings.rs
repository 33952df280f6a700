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
        w.write_record([
            f.rule_code.as_str(),
            f.table.as_str(),
            row.as_str(),
            f.child.as_deref().unwrap_or(""),
            f.fields.join(";").as_str(),
        ])?;
    }
    w.flush()?;
    Ok(())
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
}
