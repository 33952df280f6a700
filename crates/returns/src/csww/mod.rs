//! The children's social work workforce census (CSWW): its XML written from a census held in
//! memory, read back from a file, and checked, from the file alone.
//!
//! The layout follows the 2022 XSD as specs/statutory-data.md §7 describes it (`Message` with a
//! `Header`, one `LALevelVacancies` and a `CSWWWorker` for each worker). What the record does
//! not hold is left out rather than made up: date of birth, sex (the current specification
//! may call it `Sex` where the 2022 XSD has `GenderCurrent`: unconfirmed), ethnicity,
//! qualification, Step Up and Frontline, where the worker came from (`StartOrigin`), contract
//! weeks, and the numeric codes of `LeaverDestination` and `ReasonLeave`, whose code lists
//! Hearth could not confirm (its own reasons and destinations are kept on the record).
//!
//! The checks ([`validate`]) are Hearth's, each named `CSWW-nn`: the XSD's types and code
//! lists as §7 gives them, and consistency between dates and fields. They are not the DfE's
//! numbered validation rules, which Hearth could not establish.

use std::io::{BufRead, Write};

use chrono::NaiveDate;

use crate::findings::{Finding, Severity};

/// A census, as written or as read (values as text where a file may hold anything).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Census {
    pub year: String,
    pub reference_date: String,
    pub lea: String,
    pub vacancies: String,
    pub agency_fte: String,
    pub agency_headcount: String,
    pub workers: Vec<CensusWorker>,
}

/// One `CSWWWorker`, its fields as text (empty: absent).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CensusWorker {
    pub agency_worker: String,
    pub swe_no: String,
    pub fte: String,
    pub org_role: String,
    pub role_start_date: String,
    pub role_end_date: String,
    pub fte30: String,
    pub cases30: String,
    pub working_days_lost: String,
    pub absat30sept: String,
    pub reason_absence: String,
    pub cfkss_status: String,
}

/// The worker's fields in the file's order, with their element names.
fn fields(w: &CensusWorker) -> [(&'static str, &str); 12] {
    [
        ("AgencyWorker", &w.agency_worker),
        ("SWENo", &w.swe_no),
        ("FTE", &w.fte),
        ("OrgRole", &w.org_role),
        ("RoleStartDate", &w.role_start_date),
        ("RoleEndDate", &w.role_end_date),
        ("FTE30", &w.fte30),
        ("Cases30", &w.cases30),
        ("WorkingDaysLost", &w.working_days_lost),
        ("Absat30Sept", &w.absat30sept),
        ("ReasonAbsence", &w.reason_absence),
        ("CFKSSstatus", &w.cfkss_status),
    ]
}

fn field_mut<'a>(w: &'a mut CensusWorker, name: &str) -> Option<&'a mut String> {
    Some(match name {
        "AgencyWorker" => &mut w.agency_worker,
        "SWENo" => &mut w.swe_no,
        "FTE" => &mut w.fte,
        "OrgRole" => &mut w.org_role,
        "RoleStartDate" => &mut w.role_start_date,
        "RoleEndDate" => &mut w.role_end_date,
        "FTE30" => &mut w.fte30,
        "Cases30" => &mut w.cases30,
        "WorkingDaysLost" => &mut w.working_days_lost,
        "Absat30Sept" => &mut w.absat30sept,
        "ReasonAbsence" => &mut w.reason_absence,
        "CFKSSstatus" => &mut w.cfkss_status,
        _ => return None,
    })
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Writes the census's XML.
pub fn write<O: Write>(out: &mut O, c: &Census) -> std::io::Result<()> {
    writeln!(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>")?;
    writeln!(out, "<Message>")?;
    writeln!(out, "  <Header>")?;
    writeln!(out, "    <CollectionDetails>")?;
    writeln!(out, "      <Collection>CSWW</Collection>")?;
    writeln!(out, "      <Year>{}</Year>", esc(&c.year))?;
    writeln!(
        out,
        "      <ReferenceDate>{}</ReferenceDate>",
        esc(&c.reference_date)
    )?;
    writeln!(out, "    </CollectionDetails>")?;
    writeln!(out, "    <Source>")?;
    writeln!(out, "      <SourceLevel>L</SourceLevel>")?;
    writeln!(out, "      <LEA>{}</LEA>", esc(&c.lea))?;
    writeln!(out, "      <SoftwareCode>Hearth</SoftwareCode>")?;
    writeln!(out, "    </Source>")?;
    writeln!(out, "  </Header>")?;
    writeln!(out, "  <LALevelVacancies>")?;
    for (n, v) in [
        ("NumberOfVacancies", &c.vacancies),
        ("NoAgencyFTE", &c.agency_fte),
        ("NoAgencyHeadcount", &c.agency_headcount),
    ] {
        if !v.is_empty() {
            writeln!(out, "    <{n}>{}</{n}>", esc(v))?;
        }
    }
    writeln!(out, "  </LALevelVacancies>")?;
    for w in &c.workers {
        writeln!(out, "  <CSWWWorker>")?;
        for (n, v) in fields(w) {
            if !v.is_empty() {
                writeln!(out, "    <{n}>{}</{n}>", esc(v))?;
            }
        }
        writeln!(out, "  </CSWWWorker>")?;
    }
    writeln!(out, "</Message>")?;
    Ok(())
}

/// A file that cannot be read as a census: where and why.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ReadError(pub String);

/// Reads a census file. Unknown elements are ignored; a file that is not XML, or has no
/// `Message`, is refused naming the position.
pub fn read<R: BufRead>(input: R) -> Result<Census, ReadError> {
    use quick_xml::events::Event;
    let mut r = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut c = Census::default();
    let mut seen_message = false;
    loop {
        let pos = r.buffer_position();
        match r.read_event_into(&mut buf) {
            Err(e) => {
                return Err(ReadError(format!(
                    "not a census file: XML error at byte {pos}: {e}"
                )));
            }
            Ok(Event::Start(e)) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if path.is_empty() {
                    if name != "Message" {
                        return Err(ReadError(format!(
                            "not a census file: the root element is <{name}>, not <Message>"
                        )));
                    }
                    seen_message = true;
                }
                if name == "CSWWWorker" {
                    c.workers.push(CensusWorker::default());
                }
                path.push(name);
            }
            Ok(Event::End(_)) => {
                path.pop();
            }
            Ok(Event::Text(t)) => {
                let text = t
                    .xml_content()
                    .map_err(|e| ReadError(format!("unreadable text at byte {pos}: {e}")))?
                    .trim()
                    .to_string();
                if text.is_empty() {
                    continue;
                }
                let leaf = path.last().map(String::as_str).unwrap_or("");
                let parent = path
                    .len()
                    .checked_sub(2)
                    .and_then(|i| path.get(i))
                    .map(String::as_str)
                    .unwrap_or("");
                match (parent, leaf) {
                    ("CollectionDetails", "Year") => c.year = text,
                    ("CollectionDetails", "ReferenceDate") => c.reference_date = text,
                    ("Source", "LEA") => c.lea = text,
                    ("LALevelVacancies", "NumberOfVacancies") => c.vacancies = text,
                    ("LALevelVacancies", "NoAgencyFTE") => c.agency_fte = text,
                    ("LALevelVacancies", "NoAgencyHeadcount") => c.agency_headcount = text,
                    ("CSWWWorker", f) => {
                        if let Some(w) = c.workers.last_mut()
                            && let Some(slot) = field_mut(w, f)
                        {
                            *slot = text;
                        }
                    }
                    _ => {}
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
        }
        buf.clear();
    }
    if !seen_message {
        return Err(ReadError("not a census file: no <Message> element".into()));
    }
    Ok(c)
}

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// A decimal with at most `dp` places.
fn decimal(s: &str, dp: usize) -> Option<f64> {
    let v: f64 = s.parse().ok()?;
    let places = s.split_once('.').map_or(0, |(_, f)| f.len());
    (v.is_finite() && places <= dp).then_some(v)
}

/// What each check says.
pub const RULES: [(&str, &str); 13] = [
    (
        "CSWW-01",
        "The header must give the census year and its reference date, 30 September of that year",
    ),
    (
        "CSWW-02",
        "NumberOfVacancies and NoAgencyFTE must be numbers of 0 or more with at most 2 decimal places; NoAgencyHeadcount a whole number",
    ),
    ("CSWW-03", "AgencyWorker must be 0 or 1"),
    (
        "CSWW-04",
        "SWENo must be present: two letters then up to 10 digits",
    ),
    ("CSWW-05", "The same SWENo appears for more than one worker"),
    (
        "CSWW-06",
        "FTE must be more than 0 and no more than 1, with at most 6 decimal places",
    ),
    ("CSWW-07", "OrgRole must be a code from 1 to 6"),
    (
        "CSWW-08",
        "RoleStartDate must be a date on or before the reference date",
    ),
    (
        "CSWW-09",
        "RoleEndDate must be a date on or after RoleStartDate and on or before the reference date",
    ),
    (
        "CSWW-10",
        "ReasonAbsence must be one of MAT, OTH, PUB, SIC, TRN, UNA, UNP; Absat30Sept 0 or 1, and 1 needs a ReasonAbsence",
    ),
    (
        "CSWW-11",
        "WorkingDaysLost must be a number of 0 or more with at most 2 decimal places",
    ),
    (
        "CSWW-12",
        "Cases30 and FTE30 are for workers in post at the reference date (no RoleEndDate before it)",
    ),
    ("CSWW-13", "CFKSSstatus must be a code from 1 to 4"),
];

fn finding(
    code: &str,
    table: &str,
    row: Option<usize>,
    child: Option<&str>,
    fields: &[&str],
) -> Finding {
    let message = RULES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, m)| *m)
        .unwrap_or("");
    Finding {
        rule_code: code.into(),
        severity: Severity::Error,
        message: message.into(),
        table: table.into(),
        row,
        child: child.map(String::from),
        fields: fields.iter().map(|f| f.to_string()).collect(),
    }
}

/// Checks the census: every finding, in file order.
pub fn validate(c: &Census) -> Vec<Finding> {
    let mut out = Vec::new();
    let year: Option<i32> = c.year.parse().ok();
    let reference = date(&c.reference_date);
    if year.is_none()
        || reference.is_none()
        || year.and_then(|y| NaiveDate::from_ymd_opt(y, 9, 30)) != reference
    {
        out.push(finding(
            "CSWW-01",
            "Header",
            None,
            None,
            &["Year", "ReferenceDate"],
        ));
    }
    for (name, v, dp) in [
        ("NumberOfVacancies", &c.vacancies, 2),
        ("NoAgencyFTE", &c.agency_fte, 2),
        ("NoAgencyHeadcount", &c.agency_headcount, 0),
    ] {
        if !v.is_empty() && decimal(v, dp).is_none_or(|x| x < 0.0) {
            out.push(finding("CSWW-02", "LALevelVacancies", None, None, &[name]));
        }
    }
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, w) in c.workers.iter().enumerate() {
        let who = Some(w.swe_no.as_str()).filter(|s| !s.is_empty());
        let mut f = |code: &str, fields: &[&str]| {
            out.push(finding(code, "CSWWWorker", Some(i), who, fields))
        };
        if !matches!(w.agency_worker.as_str(), "0" | "1") {
            f("CSWW-03", &["AgencyWorker"]);
        }
        let b = w.swe_no.as_bytes();
        if !(b.len() >= 3
            && b.len() <= 12
            && b[..2].iter().all(u8::is_ascii_alphabetic)
            && b[2..].iter().all(u8::is_ascii_digit))
        {
            f("CSWW-04", &["SWENo"]);
        } else if seen.insert(w.swe_no.to_uppercase(), i).is_some() {
            f("CSWW-05", &["SWENo"]);
        }
        if decimal(&w.fte, 6).is_none_or(|x| !(x > 0.0 && x <= 1.0)) {
            f("CSWW-06", &["FTE"]);
        }
        if !matches!(w.org_role.as_str(), "1" | "2" | "3" | "4" | "5" | "6") {
            f("CSWW-07", &["OrgRole"]);
        }
        let start = date(&w.role_start_date);
        if start.is_none() || reference.is_some_and(|r| start.is_some_and(|s| s > r)) {
            f("CSWW-08", &["RoleStartDate"]);
        }
        let end = date(&w.role_end_date);
        if !w.role_end_date.is_empty()
            && (end.is_none()
                || start.zip(end).is_some_and(|(s, e)| e < s)
                || reference.zip(end).is_some_and(|(r, e)| e > r))
        {
            f("CSWW-09", &["RoleEndDate"]);
        }
        let absent = w.absat30sept.as_str();
        if !w.reason_absence.is_empty()
            && !matches!(
                w.reason_absence.as_str(),
                "MAT" | "OTH" | "PUB" | "SIC" | "TRN" | "UNA" | "UNP"
            )
            || !matches!(absent, "" | "0" | "1")
            || (absent == "1" && w.reason_absence.is_empty())
        {
            f("CSWW-10", &["Absat30Sept", "ReasonAbsence"]);
        }
        if !w.working_days_lost.is_empty()
            && decimal(&w.working_days_lost, 2).is_none_or(|x| x < 0.0)
        {
            f("CSWW-11", &["WorkingDaysLost"]);
        }
        let left_before = end.zip(reference).is_some_and(|(e, r)| e < r);
        if left_before && (!w.cases30.is_empty() || !w.fte30.is_empty()) {
            f("CSWW-12", &["Cases30", "FTE30"]);
        }
        if !w.cfkss_status.is_empty() && !matches!(w.cfkss_status.as_str(), "1" | "2" | "3" | "4") {
            f("CSWW-13", &["CFKSSstatus"]);
        }
    }
    out
}

pub mod from_record;

#[cfg(test)]
mod tests;
