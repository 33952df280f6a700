//! The SSDA903 return (children looked after): its CSV tables or its XML form read into typed
//! tables, written back, and validated with the DfE rules of the collection year.
//!
//! Each CSV file is recognised by its set of columns (as DfE's tools do), not by its name. The XML
//! form (one file, [`xml`]) is read into the same tables. Values are kept as written, so that a
//! wrong code or an impossible date is a validation finding naming the rule, table, row and field;
//! only a file that cannot be read as a 903 table or as the XML form is an error.

mod facts;
pub mod from_record;
mod read_csv;
pub mod reference;
pub mod rules;
mod rules_adoption;
mod rules_episodes;
mod rules_fields;
mod rules_header;
mod rules_integrity;
mod rules_missing;
mod rules_oc;
mod rules_previous;
mod rules_prevperm;
mod rules_reference;
mod rules_sw;
mod rules_uasc;
pub mod xml;

pub use read_csv::read_table;
pub use reference::Reference;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The tables of the 903 and their columns, in DfE order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Table {
    Header,
    Episodes,
    Reviews,
    Uasc,
    Oc2,
    Oc3,
    Ad1,
    PlacedAdoption,
    PrevPerm,
    Missing,
    SwEpisodes,
}

impl Table {
    pub const ALL: [Table; 11] = [
        Table::Header,
        Table::Episodes,
        Table::Reviews,
        Table::Uasc,
        Table::Oc2,
        Table::Oc3,
        Table::Ad1,
        Table::PlacedAdoption,
        Table::PrevPerm,
        Table::Missing,
        Table::SwEpisodes,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Table::Header => "Header",
            Table::Episodes => "Episodes",
            Table::Reviews => "Reviews",
            Table::Uasc => "UASC",
            Table::Oc2 => "OC2",
            Table::Oc3 => "OC3",
            Table::Ad1 => "AD1",
            Table::PlacedAdoption => "PlacedAdoption",
            Table::PrevPerm => "PrevPerm",
            Table::Missing => "Missing",
            Table::SwEpisodes => "SWEpisodes",
        }
    }

    /// The file name Hearth writes the table to.
    pub fn file_name(self) -> &'static str {
        match self {
            Table::Header => "header.csv",
            Table::Episodes => "episodes.csv",
            Table::Reviews => "reviews.csv",
            Table::Uasc => "uasc.csv",
            Table::Oc2 => "oc2.csv",
            Table::Oc3 => "oc3.csv",
            Table::Ad1 => "ad1.csv",
            Table::PlacedAdoption => "placed_for_adoption.csv",
            Table::PrevPerm => "previous_permanence.csv",
            Table::Missing => "missing.csv",
            Table::SwEpisodes => "sw_episodes.csv",
        }
    }

    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Table::Header => &["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
            Table::Episodes => &[
                "CHILD",
                "DECOM",
                "RNE",
                "LS",
                "CIN",
                "PLACE",
                "PLACE_PROVIDER",
                "DEC",
                "REC",
                "REASON_PLACE_CHANGE",
                "HOME_POST",
                "PL_POST",
                "URN",
            ],
            Table::Reviews => &["CHILD", "DOB", "REVIEW", "REVIEW_CODE"],
            Table::Uasc => &["CHILD", "SEX", "DOB", "DUC"],
            Table::Oc2 => &[
                "CHILD",
                "DOB",
                "SDQ_SCORE",
                "SDQ_REASON",
                "CONVICTED",
                "HEALTH_CHECK",
                "IMMUNISATIONS",
                "TEETH_CHECK",
                "HEALTH_ASSESSMENT",
                "SUBSTANCE_MISUSE",
                "INTERVENTION_RECEIVED",
                "INTERVENTION_OFFERED",
            ],
            Table::Oc3 => &["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"],
            Table::Ad1 => &[
                "CHILD",
                "DOB",
                "DATE_INT",
                "DATE_MATCH",
                "FOSTER_CARE",
                "NB_ADOPTR",
                "SEX_ADOPTR",
                "LS_ADOPTR",
            ],
            Table::PlacedAdoption => &[
                "CHILD",
                "DOB",
                "DATE_PLACED",
                "DATE_PLACED_CEASED",
                "REASON_PLACED_CEASED",
            ],
            Table::PrevPerm => &["CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"],
            Table::Missing => &["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"],
            Table::SwEpisodes => &["CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"],
        }
    }

    /// The index of a column in [`Table::columns`]. (The rules ask for columns by name millions
    /// of times in a validation: the length and first letter rule out most columns before the
    /// names are compared.)
    pub fn col(self, name: &str) -> usize {
        let n = name.as_bytes();
        self.columns()
            .iter()
            .position(|c| c.len() == n.len() && c.as_bytes()[0] == n[0] && c.as_bytes() == n)
            .unwrap_or_else(|| panic!("{} has no column {name}", self.name()))
    }
}

/// One table's rows, values in the order of [`Table::columns`], blank cells as empty strings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rows {
    pub rows: Vec<Vec<String>>,
}

/// A 903 return: the tables present.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Return {
    pub tables: BTreeMap<Table, Rows>,
    /// Where the return was read from the XML form: each Header row's UASC flag as written
    /// (`"0"`, `"1"`, blank or anything else), in Header row order. `None` for the CSV form,
    /// which has no flag: there a child is UASC when it has a row in the UASC table.
    pub uasc_flags: Option<Vec<String>>,
}

impl Return {
    pub fn rows(&self, t: Table) -> &[Vec<String>] {
        self.tables
            .get(&t)
            .map(|r| r.rows.as_slice())
            .unwrap_or(&[])
    }
}

/// A file that cannot be read as a 903 table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}{}: {reason}", row.map(|r| format!(", row {r}")).unwrap_or_default(), column.as_ref().map(|c| format!(", column {c}")).unwrap_or_default())]
pub struct ReadError {
    pub file: String,
    /// 1-based line of the CSV (or XML) file, where the problem is in a row (or element).
    pub row: Option<usize>,
    pub column: Option<String>,
    pub reason: String,
}

/// Which table a header row belongs to: the one whose columns are exactly these.
fn identify(file: &str, header: &[String]) -> Result<(Table, Vec<usize>), ReadError> {
    let upper: Vec<String> = header
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_uppercase())
        .collect();
    for t in Table::ALL {
        let cols = t.columns();
        if cols.len() == upper.len() && cols.iter().all(|c| upper.iter().any(|h| h == c)) {
            let positions = cols
                .iter()
                .map(|c| upper.iter().position(|h| h == c).expect("checked"))
                .collect();
            return Ok((t, positions));
        }
    }
    // Name the closest table and what differs, to help fix the file.
    let (best, _) = Table::ALL
        .iter()
        .map(|t| {
            (
                *t,
                t.columns()
                    .iter()
                    .filter(|c| upper.iter().any(|h| h == *c))
                    .count(),
            )
        })
        .max_by_key(|(_, n)| *n)
        .expect("tables exist");
    let missing: Vec<&str> = best
        .columns()
        .iter()
        .copied()
        .filter(|c| !upper.iter().any(|h| h == c))
        .collect();
    let extra: Vec<&str> = upper
        .iter()
        .map(String::as_str)
        .filter(|h| !best.columns().contains(h))
        .collect();
    Err(ReadError {
        file: file.to_string(),
        row: Some(1),
        column: None,
        reason: format!(
            "the columns match no 903 table; nearest is {} (missing: {}; unexpected: {})",
            best.name(),
            if missing.is_empty() {
                "none".into()
            } else {
                missing.join(", ")
            },
            if extra.is_empty() {
                "none".into()
            } else {
                extra.join(", ")
            }
        ),
    })
}

/// Whether a file is the XML form rather than a CSV table: named `.xml`, or starting with `<`.
fn is_xml(name: &str, data: &[u8]) -> bool {
    let start = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    name.rsplit_once('.')
        .is_some_and(|(_, x)| x.eq_ignore_ascii_case("xml"))
        || start.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<')
}

/// Reads the files given (CSV tables, or the XML form), or every `.csv` and `.xml` file in the
/// directories given.
pub fn read_paths(paths: &[PathBuf]) -> Result<Return, ReadError> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| ReadError {
                    file: p.display().to_string(),
                    row: None,
                    column: None,
                    reason: e.to_string(),
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| {
                    f.extension().is_some_and(|x| {
                        x.eq_ignore_ascii_case("csv") || x.eq_ignore_ascii_case("xml")
                    })
                })
                .collect();
            entries.sort();
            files.extend(entries);
        } else {
            files.push(p.clone());
        }
    }
    let mut read = Vec::with_capacity(files.len());
    for f in files {
        let name = f.display().to_string();
        let data = std::fs::read(&f).map_err(|e| ReadError {
            file: name.clone(),
            row: None,
            column: None,
            reason: e.to_string(),
        })?;
        read.push((name, data));
    }
    read_files(&read)
}

/// Reads a return from its files' names and contents (an upload): either CSV files, each one
/// table and no table twice, or one XML file (the whole return), which may be accompanied by a
/// CSV SWEpisodes table only (the XML form has no place for social worker episodes; see [`xml`]).
pub fn read_files(files: &[(String, Vec<u8>)]) -> Result<Return, ReadError> {
    let mut ret = Return::default();
    let mut seen: BTreeMap<Table, String> = BTreeMap::new();
    let whole = |file: &str, reason: String| ReadError {
        file: file.to_string(),
        row: None,
        column: None,
        reason,
    };
    let mut xml_file: Option<&str> = None;
    for (name, data) in files.iter().filter(|(n, d)| is_xml(n, d)) {
        if let Some(first) = xml_file {
            return Err(whole(
                name,
                format!("a second XML return (the first is {first}); give one return at a time"),
            ));
        }
        xml_file = Some(name);
        ret = xml::read_xml(name, data)?;
        for t in ret.tables.keys() {
            seen.insert(*t, name.clone());
        }
    }
    // The CSV tables are read each on a thread of its own, then taken in file order, so that
    // the first problem (in file order) is the one reported, as when read one by one.
    let csv: Vec<&(String, Vec<u8>)> = files.iter().filter(|(n, d)| !is_xml(n, d)).collect();
    let read: Vec<Result<(Table, Rows), ReadError>> = std::thread::scope(|s| {
        let handles: Vec<_> = csv
            .iter()
            .map(|(name, data)| s.spawn(move || read_table(name, data)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    for ((name, _), table) in csv.into_iter().zip(read) {
        let (t, rows) = table?;
        if let Some(x) = xml_file
            && t != Table::SwEpisodes
        {
            return Err(whole(
                name,
                format!(
                    "a CSV {} table with the XML return {x}, which holds that table already; \
                     only SWEpisodes may come as CSV with an XML return",
                    t.name()
                ),
            ));
        }
        if let Some(first) = seen.insert(t, name.clone()) {
            return Err(ReadError {
                file: name.clone(),
                row: None,
                column: None,
                reason: format!("a second {} table (the first is {first})", t.name()),
            });
        }
        ret.tables.insert(t, rows);
    }
    Ok(ret)
}

/// Writes each table as `<dir>/<table file name>` in DfE column order.
pub fn write_dir(ret: &Return, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (t, rows) in &ret.tables {
        let mut w = csv::Writer::from_path(dir.join(t.file_name()))?;
        w.write_record(t.columns())?;
        for r in &rows.rows {
            w.write_record(r)?;
        }
        w.flush()?;
    }
    Ok(())
}

/// The result of validating a return.
#[derive(Debug, Clone)]
pub struct Validation {
    pub findings: Vec<crate::findings::Finding>,
    /// Rules not implemented in Hearth, with why.
    pub not_run: Vec<(&'static str, String)>,
    /// Rules implemented but not run on this return, with why (those comparing with the previous
    /// year's return, when none was given; those needing reference data not given; those
    /// needing the XML form's UASC flag, on CSV).
    pub skipped: Vec<(&'static str, String)>,
}

/// Validates a return for the collection year ending 31 March `year`, without the previous
/// year's return (the rules comparing the two years are skipped).
pub fn validate(ret: &Return, year: i32) -> Validation {
    validate_with_previous(ret, None, year)
}

/// Validates a return, and against the previous year's return where one is given.
pub fn validate_with_previous(ret: &Return, previous: Option<&Return>, year: i32) -> Validation {
    validate_full(ret, previous, &Reference::default(), year)
}

/// Validates a return, against the previous year's return where one is given, with the
/// reference data given (a postcode directory, Ofsted's provider lists, the council's LA code).
/// Rules whose data is missing are listed in `skipped` with what they need.
pub fn validate_full(
    ret: &Return,
    previous: Option<&Return>,
    reference: &Reference,
    year: i32,
) -> Validation {
    let mut findings = Vec::new();
    let ctx = rules::Ctx::for_year(year);
    rules::check_with_previous(&ctx, ret, previous, &mut findings);
    rules_reference::check(
        &ctx,
        ret,
        previous,
        reference,
        &mut rules::Out {
            findings: &mut findings,
        },
    );
    let not_run = rules::not_implemented()
        .into_iter()
        .map(|c| {
            let why = rules_reference::BY_CONSTRUCTION
                .iter()
                .find(|(b, _)| *b == c)
                .map_or("not implemented in Hearth yet", |(_, why)| why);
            (c, why.to_string())
        })
        .collect();
    let mut skipped: Vec<(&'static str, String)> = if previous.is_some() {
        Vec::new()
    } else {
        rules::PREVIOUS_YEAR
            .iter()
            .map(|c| (*c, "needs the previous year's return".to_string()))
            .collect()
    };
    skipped.extend(rules_reference::REFERENCE.iter().filter_map(|(c, needs)| {
        rules_reference::missing(*needs, reference, previous.is_some()).map(|why| (*c, why))
    }));
    skipped.extend(rules_uasc::skipped(ret));
    skipped.extend(rules_sw::skipped(ret));
    Validation {
        findings,
        not_run,
        skipped,
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_reference;
