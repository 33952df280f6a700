//! Ofsted's Annex A (ILACS) child-level lists, made from the record as at a day: one list per
//! sheet with Ofsted's column headings and codes (specs/statutory-data.md §3: the lists and
//! columns of the template, checked against liia-tools' Annex A specification), over the
//! template's windows — the 6 months before the day, 12 months for the adoption lists (10 and
//! 11). What the record cannot fill is said, column by column, on each list.
//!
//! Every list starts with the same five columns (Child Unique ID, Gender, Ethnicity, Date of
//! Birth, Age of Child (Years)); gender is written `a) Male`, `b) Female`, `c) Not
//! stated/recorded` or `d) Neither`, ethnicity as `a) WBRI` to `t) NOBT`.

use std::collections::HashMap;

use chrono::{Months, NaiveDate};
use serde::Serialize;
use uuid::Uuid;

use super::record::{AnnexARecord, Child};

/// One cell of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Cell {
    Empty,
    Text(String),
    Date(NaiveDate),
    Number(i64),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        matches!(self, Cell::Empty) || matches!(self, Cell::Text(t) if t.trim().is_empty())
    }
    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            Cell::Date(d) => Some(*d),
            _ => None,
        }
    }
    /// As a page shows it: dates as 03/02/2026, as Annex A writes them.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Date(d) => d.format("%d/%m/%Y").to_string(),
            Cell::Number(n) => n.to_string(),
        }
    }
}

fn text(s: impl Into<String>) -> Cell {
    let s = s.into();
    if s.trim().is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s)
    }
}
fn date(d: Option<NaiveDate>) -> Cell {
    d.map(Cell::Date).unwrap_or(Cell::Empty)
}
fn yes_no(b: bool) -> Cell {
    text(if b { "Yes" } else { "No" })
}

/// What a column holds, for the checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Text,
    Date,
    Number,
    /// One of these values.
    Codes(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    pub heading: &'static str,
    pub kind: Kind,
    /// Every row must have it.
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct List {
    pub number: u8,
    pub name: &'static str,
    /// Who is on it and over which window.
    pub scope: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    /// The child on each row (for drill-down; not written to the workbook).
    #[serde(skip)]
    pub children: Vec<Uuid>,
    /// Pairs of date columns that must be in order where both are filled: (earlier, later).
    pub order: Vec<(usize, usize)>,
    /// Columns the record cannot fill: (heading, why). Left empty in every row.
    pub cannot_fill: Vec<(&'static str, &'static str)>,
}

impl List {
    pub fn column(&self, heading: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.heading == heading)
    }
}

/// Every list of the template, made as at `as_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnnexA {
    pub as_at: NaiveDate,
    /// The first day of the 6-month window.
    pub from_6: NaiveDate,
    /// The first day of the 12-month window (lists 10 and 11).
    pub from_12: NaiveDate,
    pub lists: Vec<List>,
}

fn months_before(d: NaiveDate, m: u32) -> NaiveDate {
    d.checked_sub_months(Months::new(m))
        .and_then(|x| x.succ_opt())
        .unwrap_or(d)
}

const GENDER: [&str; 4] = [
    "a) Male",
    "b) Female",
    "c) Not stated/recorded",
    "d) Neither",
];

/// Annex A's gender from the record's sex (903/CIN codes). The record holds no "neither".
pub fn gender(sex: &str) -> &'static str {
    match sex {
        "M" | "1" => GENDER[0],
        "F" | "2" => GENDER[1],
        _ => GENDER[2],
    }
}

/// `a) WBRI` … `t) NOBT`, in the DfE's order.
fn ethnicity_codes() -> Vec<String> {
    crate::codes::ethnicity()
        .codes
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{}) {}", (b'a' + i as u8) as char, c.code))
        .collect()
}

fn codes_of(list: &crate::codes::CodeList) -> Vec<String> {
    list.codes.iter().map(|c| c.code.to_string()).collect()
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn col(heading: &'static str, kind: Kind, required: bool) -> Column {
    Column {
        heading,
        kind,
        required,
    }
}

/// The five columns every list starts with.
fn common_columns() -> Vec<Column> {
    vec![
        col("Child Unique ID", Kind::Text, true),
        col("Gender", Kind::Codes(strs(&GENDER)), true),
        col("Ethnicity", Kind::Codes(ethnicity_codes()), true),
        col("Date of Birth", Kind::Date, true),
        col("Age of Child (Years)", Kind::Number, true),
    ]
}
const DOB: usize = 3;

struct Ctx<'a> {
    as_at: NaiveDate,
    from_6: NaiveDate,
    from_12: NaiveDate,
    children: HashMap<Uuid, &'a Child>,
    ethnicity: Vec<String>,
    /// child → (worker name, team name) allocated at `as_at`.
    allocated: HashMap<Uuid, (String, String)>,
}

impl Ctx<'_> {
    fn common(&self, child: Uuid) -> Vec<Cell> {
        let Some(c) = self.children.get(&child) else {
            return vec![
                text(child.to_string()),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
            ];
        };
        let eth = crate::codes::ethnicity()
            .codes
            .iter()
            .position(|e| e.code == c.ethnicity)
            .map(|i| self.ethnicity[i].clone())
            .unwrap_or_else(|| c.ethnicity.clone());
        vec![
            text(c.council_id.clone().unwrap_or_else(|| c.id.to_string())),
            text(gender(&c.sex)),
            text(eth),
            date(c.date_of_birth),
            c.date_of_birth
                .and_then(|d| self.as_at.years_since(d))
                .map(|y| Cell::Number(i64::from(y)))
                .unwrap_or(Cell::Empty),
        ]
    }
    fn disabled(&self, child: Uuid) -> Cell {
        match self.children.get(&child) {
            Some(c) if c.disabilities.is_empty() => Cell::Empty,
            Some(c) => yes_no(c.disabilities.iter().any(|d| d != "NONE")),
            None => Cell::Empty,
        }
    }
    fn team_worker(&self, child: Uuid) -> [Cell; 2] {
        match self.allocated.get(&child) {
            Some((w, t)) => [text(t.clone()), text(w.clone())],
            None => [Cell::Empty, Cell::Empty],
        }
    }
    fn in_6(&self, d: NaiveDate) -> bool {
        d >= self.from_6 && d <= self.as_at
    }
    fn in_12(&self, d: NaiveDate) -> bool {
        d >= self.from_12 && d <= self.as_at
    }
    /// Open at some time in the 6 months: began by the day, not ended before the window.
    fn open_in_6(&self, start: NaiveDate, end: Option<NaiveDate>) -> bool {
        start <= self.as_at && end.is_none_or(|e| e >= self.from_6)
    }
}

fn group<T, K: std::hash::Hash + Eq>(
    items: impl IntoIterator<Item = T>,
    key: impl Fn(&T) -> K,
) -> HashMap<K, Vec<T>> {
    let mut m: HashMap<K, Vec<T>> = HashMap::new();
    for i in items {
        m.entry(key(&i)).or_default().push(i);
    }
    m
}

/// A list from its columns and its rows (each row's child first).
fn list(
    number: u8,
    name: &'static str,
    scope: String,
    extra: Vec<Column>,
    mut rows: Vec<(Uuid, Vec<Cell>)>,
    order: &[(&str, &str)],
    cannot_fill: Vec<(&'static str, &'static str)>,
) -> List {
    let mut columns = common_columns();
    columns.extend(extra);
    rows.sort_by(|a, b| a.1.cmp_key().cmp(&b.1.cmp_key()));
    let pos = |h: &str| {
        columns
            .iter()
            .position(|c| c.heading == h)
            .unwrap_or_else(|| panic!("list {number} has no column {h}"))
    };
    let order = order.iter().map(|(a, b)| (pos(a), pos(b))).collect();
    List {
        number,
        name,
        scope,
        columns,
        children: rows.iter().map(|r| r.0).collect(),
        rows: rows.into_iter().map(|r| r.1).collect(),
        order,
        cannot_fill,
    }
}

/// Rows in a stable order: by child id, then the row's first date.
trait RowKey {
    fn cmp_key(&self) -> (String, Option<NaiveDate>);
}
impl RowKey for Vec<Cell> {
    fn cmp_key(&self) -> (String, Option<NaiveDate>) {
        (
            self.first().map(Cell::text).unwrap_or_default(),
            self.iter().skip(DOB + 2).find_map(Cell::date),
        )
    }
}

/// Every Annex A list from the record, as at `as_at`.
pub fn build(rec: &AnnexARecord, as_at: NaiveDate) -> AnnexA {
    let workers: HashMap<Uuid, (&String, Option<&String>)> = rec
        .workers
        .iter()
        .map(|(id, n, t)| (*id, (n, t.as_ref())))
        .collect();
    let mut allocated: HashMap<Uuid, (NaiveDate, String, String)> = HashMap::new();
    for (child, worker, from, to) in &rec.allocations {
        if *from <= as_at && to.is_none_or(|t| t >= as_at) {
            if let Some((n, t)) = workers.get(worker) {
                let e = allocated.entry(*child).or_insert((
                    *from,
                    n.to_string(),
                    t.map(|t| t.to_string()).unwrap_or_default(),
                ));
                if *from > e.0 {
                    *e = (
                        *from,
                        n.to_string(),
                        t.map(|t| t.to_string()).unwrap_or_default(),
                    );
                }
            }
        }
    }
    let cx = Ctx {
        as_at,
        from_6: months_before(as_at, 6),
        from_12: months_before(as_at, 12),
        children: rec.children.iter().map(|c| (c.id, c)).collect(),
        ethnicity: ethnicity_codes(),
        allocated: allocated
            .into_iter()
            .map(|(c, (_, w, t))| (c, (w, t)))
            .collect(),
    };
    let six = format!(
        "{} to {}",
        cx.from_6.format("%-d %B %Y"),
        as_at.format("%-d %B %Y")
    );
    let twelve = format!(
        "{} to {}",
        cx.from_12.format("%-d %B %Y"),
        as_at.format("%-d %B %Y")
    );
    let visits = group(rec.visits.iter().filter(|v| v.1 <= as_at), |v| v.0);
    let last_seen = |child: Uuid, from: NaiveDate, to: NaiveDate| -> Option<(NaiveDate, bool)> {
        visits
            .get(&child)?
            .iter()
            .filter(|v| v.2 && v.1 >= from && v.1 <= to)
            .map(|v| (v.1, v.3))
            .max()
    };
    let assessments_by_referral = group(rec.assessments.iter(), |a| a.referral);
    let referrals_by_child = group(rec.referrals.iter(), |r| r.child);
    let cp_by_child = group(rec.cp_plans.iter(), |p| p.child);
    let episodes_by_child = group(rec.cla_episodes.iter(), |e| e.child);
    let periods_by_child = group(rec.cla_periods.iter(), |p| p.0);
    let in_care_at = |child: Uuid, d: NaiveDate| {
        periods_by_child
            .get(&child)
            .is_some_and(|ps| ps.iter().any(|p| p.1 <= d && p.2.is_none_or(|e| e >= d)))
    };
    let mut lists = Vec::new();

    // List 1: contacts.
    lists.push(list(
        1,
        "Contacts",
        format!("Every contact received {six}: one row per child per contact"),
        vec![
            col("Date of Contact", Kind::Date, true),
            col(
                "Contact Source",
                Kind::Codes(codes_of(crate::codes::referral_source())),
                true,
            ),
        ],
        rec.contacts
            .iter()
            .filter(|c| cx.in_6(c.2))
            .map(|(_, child, on, source)| {
                let mut r = cx.common(*child);
                r.extend([Cell::Date(*on), text(source.clone())]);
                (*child, r)
            })
            .collect(),
        &[("Date of Birth", "Date of Contact")],
        vec![],
    ));

    // List 2: early help.
    lists.push(list(
        2,
        "Early Help",
        format!("Early help started {six}, or open on {}", as_at.format("%-d %B %Y")),
        vec![
            col("Assessment start date", Kind::Date, true),
            col("Assessment completion date", Kind::Date, false),
            col("Organisation completing assessment", Kind::Text, true),
        ],
        rec.early_help
            .iter()
            .filter(|e| cx.open_in_6(e.started, e.ended))
            .map(|e| {
                let mut r = cx.common(e.child);
                r.extend([Cell::Date(e.started), Cell::Empty, text(e.lead.clone())]);
                (e.child, r)
            })
            .collect(),
        &[("Date of Birth", "Assessment start date")],
        vec![(
            "Assessment completion date",
            "Hearth records the early help episode (its start is the assessment's start), not the early help assessment's completion",
        )],
    ));

    // List 3: referrals.
    lists.push(list(
        3,
        "Referrals",
        format!("Every referral {six} (a child can appear more than once)"),
        vec![
            col("Date of referral", Kind::Date, true),
            col(
                "Referral Source",
                Kind::Codes(codes_of(crate::codes::referral_source())),
                true,
            ),
            col(
                "Referral NFA?",
                Kind::Codes(strs(&["Yes", "No", "Unknown"])),
                true,
            ),
            col("Number of Referrals in Last 12 Months", Kind::Number, true),
            col("Allocated Team", Kind::Text, false),
            col("Allocated Worker", Kind::Text, false),
        ],
        rec.referrals
            .iter()
            .filter(|r| cx.in_6(r.date))
            .map(|r| {
                let assessed = assessments_by_referral.contains_key(&r.id);
                let nfa = if assessed {
                    "No"
                } else if r.closed.is_some_and(|c| c <= as_at) {
                    "Yes"
                } else {
                    "Unknown"
                };
                let in_12 = referrals_by_child
                    .get(&r.child)
                    .map(|v| v.iter().filter(|x| cx.in_12(x.date)).count())
                    .unwrap_or(0);
                let mut row = cx.common(r.child);
                row.extend([
                    Cell::Date(r.date),
                    text(r.source.clone()),
                    text(nfa),
                    Cell::Number(in_12 as i64),
                ]);
                row.extend(cx.team_worker(r.child));
                (r.child, row)
            })
            .collect(),
        &[("Date of Birth", "Date of referral")],
        vec![],
    ));

    // List 4: assessments.
    lists.push(list(
        4,
        "Assessments",
        format!(
            "Children and families assessments started or authorised {six}, or open on {}",
            as_at.format("%-d %B %Y")
        ),
        vec![
            col(
                "Does the Child have a Disability",
                Kind::Codes(strs(&["Yes", "No"])),
                true,
            ),
            col("Continuous Assessment Start Date", Kind::Date, true),
            col(
                "Child Seen During Continuous Assessment",
                Kind::Codes(strs(&["Yes", "No"])),
                true,
            ),
            col(
                "Continuous Assessment Date of Authorisation",
                Kind::Date,
                false,
            ),
            col(
                "Was the child assessed as requiring LA children's social care support?",
                Kind::Codes(strs(&["Yes", "No"])),
                false,
            ),
            col("Allocated Team", Kind::Text, false),
            col("Allocated Worker", Kind::Text, false),
        ],
        rec.assessments
            .iter()
            .filter(|a| {
                a.started <= as_at
                    && (a.started >= cx.from_6 || a.authorised.is_none_or(|d| d >= cx.from_6))
            })
            .map(|a| {
                let end = a.authorised.filter(|d| *d <= as_at).unwrap_or(as_at);
                let seen = last_seen(a.child, a.started, end).is_some();
                let authorised = a.authorised.filter(|d| *d <= as_at);
                let support = authorised
                    .and(a.outcome.as_deref())
                    .map(|o| yes_no(matches!(o, "cin_plan" | "strategy" | "looked_after")));
                let mut row = cx.common(a.child);
                row.extend([
                    cx.disabled(a.child),
                    Cell::Date(a.started),
                    yes_no(seen),
                    date(authorised),
                    support.unwrap_or(Cell::Empty),
                ]);
                row.extend(cx.team_worker(a.child));
                (a.child, row)
            })
            .collect(),
        &[
            ("Date of Birth", "Continuous Assessment Start Date"),
            (
                "Continuous Assessment Start Date",
                "Continuous Assessment Date of Authorisation",
            ),
        ],
        vec![],
    ));

    // List 5: section 47 enquiries and initial conferences.
    let s47_by_child = group(rec.s47s.iter(), |s| s.child);
    lists.push(list(
        5,
        "Section 47 enquiries and ICPCs",
        format!("Every section 47 enquiry started {six}: one row per enquiry"),
        vec![
            col(
                "Does the Child have a Disability",
                Kind::Codes(strs(&["Yes", "No"])),
                true,
            ),
            col(
                "Strategy discussion initiating Section 47 Enquiry Start Date",
                Kind::Date,
                true,
            ),
            col(
                "Was an Initial Child Protection Conference deemed unnecessary?",
                Kind::Codes(strs(&["Yes", "No"])),
                false,
            ),
            col(
                "Date of Initial Child Protection Conference",
                Kind::Date,
                false,
            ),
            col(
                "Did the Initial Child Protection Conference Result in a Child Protection Plan",
                Kind::Codes(strs(&["Yes", "No"])),
                false,
            ),
            col(
                "Number of Section 47 Enquiries in the last 12 months",
                Kind::Number,
                true,
            ),
            col("Number of ICPCs in the last 12 months", Kind::Number, true),
            col("Allocated Team", Kind::Text, false),
            col("Allocated Worker", Kind::Text, false),
        ],
        rec.s47s
            .iter()
            .filter(|s| cx.in_6(s.started))
            .map(|s| {
                let theirs = s47_by_child.get(&s.child).map(Vec::as_slice).unwrap_or(&[]);
                let n47 = theirs.iter().filter(|x| cx.in_12(x.started)).count();
                let nicpc = theirs
                    .iter()
                    .filter(|x| x.icpc.is_some_and(|(d, _)| cx.in_12(d)))
                    .count();
                let icpc = s.icpc.filter(|(d, _)| *d <= as_at);
                let unnecessary = match (icpc, s.completed.filter(|d| *d <= as_at)) {
                    (Some(_), _) => yes_no(false),
                    (None, Some(_)) => yes_no(s.outcome.as_deref() != Some("icpc")),
                    (None, None) => Cell::Empty,
                };
                let mut row = cx.common(s.child);
                row.extend([
                    cx.disabled(s.child),
                    Cell::Date(s.strategy),
                    unnecessary,
                    date(icpc.map(|i| i.0)),
                    icpc.map(|i| yes_no(i.1)).unwrap_or(Cell::Empty),
                    Cell::Number(n47 as i64),
                    Cell::Number(nicpc as i64),
                ]);
                row.extend(cx.team_worker(s.child));
                (s.child, row)
            })
            .collect(),
        &[
            (
                "Date of Birth",
                "Strategy discussion initiating Section 47 Enquiry Start Date",
            ),
            (
                "Strategy discussion initiating Section 47 Enquiry Start Date",
                "Date of Initial Child Protection Conference",
            ),
        ],
        vec![],
    ));

    // List 6: children in need (episodes from an assessed referral).
    let cin_by_referral = group(rec.cin_plans.iter(), |p| p.1);
    let status = |child: Uuid, referral: &super::record::Referral| -> &'static str {
        if referral.closed.is_some_and(|c| c <= as_at) {
            return "e) Closed episode";
        }
        if in_care_at(child, as_at) {
            return "a) Looked after child";
        }
        if cp_by_child.get(&child).is_some_and(|ps| {
            ps.iter()
                .any(|p| p.started <= as_at && p.ended.is_none_or(|e| e > as_at))
        }) {
            return "b) Child protection plan";
        }
        if cin_by_referral.get(&referral.id).is_some_and(|ps| {
            ps.iter()
                .any(|p| p.2 <= as_at && p.3.is_none_or(|e| e > as_at))
        }) {
            return "c) Child in need plan";
        }
        "d) Open assessment"
    };
    lists.push(list(
        6,
        "Children in Need",
        format!(
            "Children receiving services as children in need at some time {six} (episodes from an assessed referral; care leavers and referrals alone are not on it)"
        ),
        vec![
            col("Does the Child have a Disability", Kind::Codes(strs(&["Yes", "No"])), true),
            col("CIN Start Date", Kind::Date, true),
            col("Primary Need Code", Kind::Codes(codes_of(crate::codes::primary_need())), true),
            col("Date Child Was Last Seen", Kind::Date, false),
            col("CIN Closure Date", Kind::Date, false),
            col("Reason for Closure", Kind::Codes(codes_of(crate::codes::closure_reason())), false),
            col(
                "Case Status",
                Kind::Codes(strs(&[
                    "a) Looked after child",
                    "b) Child protection plan",
                    "c) Child in need plan",
                    "d) Open assessment",
                    "e) Closed episode",
                ])),
                true,
            ),
            col("Allocated Team", Kind::Text, false),
            col("Allocated Worker", Kind::Text, false),
        ],
        rec.referrals
            .iter()
            .filter(|r| {
                assessments_by_referral.contains_key(&r.id)
                    && cx.open_in_6(r.date, r.closed)
            })
            .map(|r| {
                let closed = r.closed.filter(|c| *c <= as_at);
                // The need recorded with the child in need plan, else the category of need of
                // care that began on the referral; else N0, not stated (as the CIN census is
                // written when the record holds none).
                let need = r
                    .primary_need
                    .clone()
                    .or_else(|| {
                        periods_by_child.get(&r.child).and_then(|ps| {
                            ps.iter()
                                .filter(|p| p.1 >= r.date && r.closed.is_none_or(|c| p.1 <= c))
                                .map(|p| p.3.clone())
                                .next()
                        })
                    })
                    .or(Some("N0".into()));
                let mut row = cx.common(r.child);
                row.extend([
                    cx.disabled(r.child),
                    Cell::Date(r.date),
                    text(need.unwrap_or_default()),
                    date(last_seen(r.child, r.date, closed.unwrap_or(as_at)).map(|s| s.0)),
                    date(closed),
                    text(closed.and(r.closure_reason.clone()).unwrap_or_default()),
                    text(status(r.child, r)),
                ]);
                row.extend(cx.team_worker(r.child));
                (r.child, row)
            })
            .collect(),
        &[
            ("Date of Birth", "CIN Start Date"),
            ("CIN Start Date", "CIN Closure Date"),
            ("CIN Start Date", "Date Child Was Last Seen"),
        ],
        vec![(
            "Primary Need Code",
            "where no child in need plan or period of care recorded the need (an episode that went straight to child protection, or an assessment still open), N0 (not stated) is written, as in the CIN census",
        )],
    ));

    // List 7: child protection.
    let category = |c: &str| match c {
        "NEG" => "a) Neglect",
        "PHY" => "b) Physical abuse",
        "EMO" => "c) Emotional abuse",
        "SAB" => "d) Sexual abuse",
        "MUL" => "e) Multiple",
        _ => "",
    };
    let categories = strs(&[
        "a) Neglect",
        "b) Physical abuse",
        "c) Emotional abuse",
        "d) Sexual abuse",
        "e) Multiple",
    ]);
    lists.push(list(
        7,
        "Child Protection",
        format!(
            "Children on a child protection plan on {}, or whose plan ended {six}",
            as_at.format("%-d %B %Y")
        ),
        vec![
            col("Does the Child have a Disability", Kind::Codes(strs(&["Yes", "No"])), true),
            col("Child Protection Plan Start Date", Kind::Date, true),
            col("Initial Category of Abuse", Kind::Codes(categories.clone()), true),
            col("Latest Category of Abuse", Kind::Codes(categories), true),
            col("Date of the Last Statutory Visit", Kind::Date, false),
            col("Was the Child Seen Alone?", Kind::Codes(strs(&["Yes", "No"])), false),
            col("Date of latest review conference", Kind::Date, false),
            col("Child Protection Plan End Date", Kind::Date, false),
            col(
                "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)",
                Kind::Codes(strs(&["Yes", "No"])),
                true,
            ),
            col("Number of Previous Child Protection Plans", Kind::Number, true),
            col("Allocated Team", Kind::Text, false),
            col("Allocated Worker", Kind::Text, false),
        ],
        rec.cp_plans
            .iter()
            .filter(|p| cx.open_in_6(p.started, p.ended))
            .map(|p| {
                let ended = p.ended.filter(|e| *e <= as_at);
                let visit = last_seen(p.child, p.started, ended.unwrap_or(as_at));
                let review = p.reviews.iter().filter(|r| **r <= as_at).max().copied();
                let protected = episodes_by_child.get(&p.child).is_some_and(|es| {
                    es.iter().any(|e| {
                        matches!(e.legal_status.as_str(), "L1" | "L2")
                            && cx.open_in_6(e.started, e.ended)
                    })
                });
                let previous = cp_by_child
                    .get(&p.child)
                    .map(|ps| ps.iter().filter(|q| q.started < p.started).count())
                    .unwrap_or(0);
                let mut row = cx.common(p.child);
                row.extend([
                    cx.disabled(p.child),
                    Cell::Date(p.started),
                    text(category(&p.initial_category)),
                    text(category(&p.latest_category)),
                    date(visit.map(|v| v.0)),
                    visit.map(|v| yes_no(v.1)).unwrap_or(Cell::Empty),
                    date(review),
                    date(ended),
                    yes_no(protected),
                    Cell::Number(previous as i64),
                ]);
                row.extend(cx.team_worker(p.child));
                (p.child, row)
            })
            .collect(),
        &[
            ("Date of Birth", "Child Protection Plan Start Date"),
            ("Child Protection Plan Start Date", "Child Protection Plan End Date"),
            ("Child Protection Plan Start Date", "Date of latest review conference"),
        ],
        vec![],
    ));

    // List 8: children in care.
    let reviews_by_child = group(rec.cla_reviews.iter().filter(|r| r.1 <= as_at), |r| r.0);
    let health_by_child = group(rec.health_checks.iter().filter(|h| h.2 <= as_at), |h| h.0);
    let missing_by_child = group(rec.missing.iter().filter(|m| m.started <= as_at), |m| {
        m.child
    });
    let permanence_by_child = group(rec.permanence.iter().filter(|p| p.2 <= as_at), |p| p.0);
    let permanence = |plan: &str| match plan {
        "return_to_family" => "a) Return to family",
        "adoption" => "b) Adoption",
        "special_guardianship" | "child_arrangements" => "c) SGO/CAO",
        "supported_living" => "d) Supported living in the community",
        "residential" => "e) Long-term residential placement",
        "long_term_fostering" => "f) Long-term fostering",
        _ => "g) Other",
    };
    let yn = strs(&["Yes", "No"]);
    lists.push(list(
        8,
        "Children in Care",
        format!(
            "Children looked after on {}, or who ceased to be looked after {six}",
            as_at.format("%-d %B %Y")
        ),
        vec![
            col("UASC within last 12 months", Kind::Codes(yn.clone()), true),
            col("Does the Child have a Disability", Kind::Codes(yn.clone()), true),
            col("Date Started to be Looked After", Kind::Date, true),
            col("Child's Category of Need", Kind::Codes(codes_of(crate::looked_after::care::category_of_need())), true),
            col("Was this child looked after for a second or subsequent time within 12 months", Kind::Codes(yn.clone()), true),
            col("Start date of Child's Current Legal Status", Kind::Date, true),
            col("Child's Legal Status", Kind::Codes(codes_of(crate::looked_after::care::legal_status())), true),
            col("Date of Latest Statutory Review", Kind::Date, false),
            col("Date of Last Social Work Visit", Kind::Date, false),
            col(
                "Permanence Plan",
                Kind::Codes(strs(&[
                    "a) Return to family",
                    "b) Adoption",
                    "c) SGO/CAO",
                    "d) Supported living in the community",
                    "e) Long-term residential placement",
                    "f) Long-term fostering",
                    "g) Other",
                ])),
                false,
            ),
            col("Date of Last IRO Visit / Contact with Child", Kind::Date, false),
            col("Date of Last Health Assessment", Kind::Date, false),
            col("Date of Last Dental Check", Kind::Date, false),
            col("Number of Placements in Last 12 Months", Kind::Number, true),
            col("Date Ceased to be Looked After", Kind::Date, false),
            col("Reason Ceased to be Looked After", Kind::Codes(codes_of(crate::looked_after::care::reason_ceased())), false),
            col("Start Date of Most Recent Placement", Kind::Date, true),
            col("Placement Type", Kind::Codes(codes_of(crate::looked_after::care::placement_type())), true),
            col("Placement Provider", Kind::Codes(codes_of(crate::looked_after::care::provider())), false),
            col("Placement Postcode", Kind::Text, false),
            col("Unique Reference Number (URN) of Placement", Kind::Text, false),
            col("Placement Location (In/Out of LA Boundary)", Kind::Codes(strs(&["In", "Out"])), false),
            col("LA of Placement", Kind::Text, false),
            col("Number of Missing Episodes in Last 12 Months", Kind::Number, true),
            col("Number of Absent Episodes in Last 12 Months", Kind::Number, true),
            col("Offered a Return Interview after Last Missing Episode", Kind::Codes(yn.clone()), false),
            col("Accepted a Return Interview after Last Missing Episode", Kind::Codes(yn.clone()), false),
            col("Allocated Team", Kind::Text, false),
            col("Allocated Worker", Kind::Text, false),
        ],
        rec.cla_periods
            .iter()
            .filter(|p| {
                p.1 <= as_at && p.2.is_none_or(|e| e >= as_at || e >= cx.from_6)
            })
            .map(|(child, started, ended, need)| {
                let child = *child;
                let ended = ended.filter(|e| *e <= as_at);
                let mut eps: Vec<_> = episodes_by_child
                    .get(&child)
                    .map(|es| {
                        es.iter()
                            .filter(|e| e.started >= *started && ended.is_none_or(|x| e.started <= x) && e.started <= as_at)
                            .copied()
                            .collect()
                    })
                    .unwrap_or_default();
                eps.sort_by_key(|e| e.started);
                let last = eps.last();
                // The current legal status began with the earliest episode of an unbroken run
                // of episodes with that status.
                let status_from = last.map(|l| {
                    eps.iter()
                        .rev()
                        .take_while(|e| e.legal_status == l.legal_status)
                        .last()
                        .map(|e| e.started)
                        .unwrap_or(l.started)
                });
                // A placement begins with every episode but a change of legal status alone (L).
                let placement_from = eps
                    .iter()
                    .rev()
                    .find(|e| e.reason_new != "L")
                    .or(eps.first())
                    .map(|e| e.started);
                let placements_12 = eps
                    .iter()
                    .filter(|e| e.reason_new != "L" && cx.in_12(e.started))
                    .count()
                    + usize::from(eps.iter().any(|e| {
                        e.started < cx.from_12 && e.ended.is_none_or(|x| x >= cx.from_12)
                    }));
                let second = periods_by_child.get(&child).is_some_and(|ps| {
                    ps.iter().any(|q| {
                        q.2.is_some_and(|e| e < *started && e >= months_before(*started, 12))
                    })
                });
                let latest = |kind: &[&str]| {
                    health_by_child.get(&child).and_then(|hs| {
                        hs.iter().filter(|h| kind.contains(&h.1.as_str())).map(|h| h.2).max()
                    })
                };
                let missing: Vec<_> = missing_by_child
                    .get(&child)
                    .map(|ms| ms.iter().filter(|m| cx.in_12(m.started)).copied().collect())
                    .unwrap_or_default();
                let last_missing = missing
                    .iter()
                    .filter(|m| m.kind == "M")
                    .max_by_key(|m| m.started);
                let uasc = cx.children.get(&child).is_some_and(|c| c.uasc);
                let mut row = cx.common(child);
                row.extend([
                    yes_no(uasc),
                    cx.disabled(child),
                    Cell::Date(*started),
                    text(need.clone()),
                    yes_no(second),
                    date(status_from),
                    text(last.map(|l| l.legal_status.clone()).unwrap_or_default()),
                    date(reviews_by_child.get(&child).and_then(|rs| rs.iter().map(|r| r.1).filter(|d| *d >= *started).max())),
                    date(last_seen(child, *started, ended.unwrap_or(as_at)).map(|v| v.0)),
                    text(
                        permanence_by_child
                            .get(&child)
                            .and_then(|ps| ps.iter().max_by_key(|p| p.2))
                            .map(|p| permanence(&p.1))
                            .unwrap_or_default(),
                    ),
                    Cell::Empty,
                    date(latest(&["initial", "review"])),
                    date(latest(&["dental"])),
                    Cell::Number(placements_12 as i64),
                    date(ended),
                    text(ended.and(last.and_then(|l| l.reason_ceased.clone())).unwrap_or_default()),
                    date(placement_from),
                    text(last.map(|l| l.placement.clone()).unwrap_or_default()),
                    text(last.and_then(|l| l.provider.clone()).unwrap_or_default()),
                    text(last.and_then(|l| l.postcode.clone()).unwrap_or_default()),
                    text(last.and_then(|l| l.urn.clone()).unwrap_or_default()),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Number(missing.iter().filter(|m| m.kind == "M").count() as i64),
                    Cell::Number(missing.iter().filter(|m| m.kind == "A").count() as i64),
                    last_missing.map(|m| yes_no(m.interview_offered)).unwrap_or(Cell::Empty),
                    last_missing.and_then(|m| m.interview_accepted).map(yes_no).unwrap_or(Cell::Empty),
                ]);
                row.extend(cx.team_worker(child));
                (child, row)
            })
            .collect(),
        &[
            ("Date of Birth", "Date Started to be Looked After"),
            ("Date Started to be Looked After", "Start date of Child's Current Legal Status"),
            ("Date Started to be Looked After", "Start Date of Most Recent Placement"),
            ("Date Started to be Looked After", "Date Ceased to be Looked After"),
            ("Start Date of Most Recent Placement", "Date Ceased to be Looked After"),
        ],
        vec![
            ("Date of Last IRO Visit / Contact with Child", "Hearth records the IRO's reviews (Date of Latest Statutory Review), not the IRO's visits or contacts between them"),
            ("Placement Location (In/Out of LA Boundary)", "needs the council's boundary: a placement postcode is held, not the local authority it lies in"),
            ("LA of Placement", "needs an ONS postcode-to-local-authority lookup, which Hearth does not hold"),
        ],
    ));

    // List 9: care leavers.
    lists.push(list(
        9,
        "Care Leavers",
        format!(
            "Young people receiving leaving care services on {} (with a personal adviser or a keeping-in-touch record)",
            as_at.format("%-d %B %Y")
        ),
        vec![
            col("Does the Child have a Disability", Kind::Codes(yn.clone()), true),
            col("Allocated Team", Kind::Text, false),
            col("Allocated Worker", Kind::Text, false),
            col("Eligibility Category", Kind::Codes(strs(&["a) Relevant", "b) Former relevant", "c) Qualifying"])), false),
            col("LA in Touch", Kind::Codes(strs(&["Yes", "No", "Died", "Refu", "NREQ", "RHOM"])), true),
            col("Type of Accommodation", Kind::Codes(strs(&["B", "C", "D", "E", "G", "H", "K", "R", "S", "T", "U", "V", "W", "X", "Y", "Z"])), false),
            col("Suitability of Accommodation", Kind::Codes(strs(&["Suitable", "Unsuitable"])), false),
            col("Activity Status", Kind::Codes(strs(&["F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5", "G4", "G5", "G6", "F3", "P3", "G1", "G2"])), false),
        ],
        rec.leavers
            .iter()
            .map(|l| {
                let touch = l.in_touch.as_deref().map(|t| match t {
                    "YES" => "Yes",
                    "NO" => "No",
                    "DIED" => "Died",
                    "REFU" => "Refu",
                    other => other,
                });
                // A relevant child still looked after is in touch through their social worker.
                let touch = touch.or_else(|| in_care_at(l.child, as_at).then_some("Yes"));
                let mut row = cx.common(l.child);
                row.push(cx.disabled(l.child));
                row.extend(cx.team_worker(l.child));
                row.extend([
                    Cell::Empty,
                    text(touch.unwrap_or_default()),
                    text(l.accommodation.clone().unwrap_or_default()),
                    l.suitable
                        .map(|s| text(if s { "Suitable" } else { "Unsuitable" }))
                        .unwrap_or(Cell::Empty),
                    text(l.activity.clone().unwrap_or_default()),
                ]);
                (l.child, row)
            })
            .collect(),
        &[],
        vec![(
            "Eligibility Category",
            "Hearth holds the young person's time in care and leaving date, but does not yet derive relevant, former relevant or qualifying",
        )],
    ));

    // List 10: adoption.
    lists.push(list(
        10,
        "Adoption",
        format!(
            "Children adopted, with a decision that they should be placed for adoption, or with that decision reversed, {twelve}"
        ),
        vec![
            col("Family Identifier", Kind::Text, false),
            col("Does the Child have a Disability", Kind::Codes(yn.clone()), true),
            col("Date the Child Entered Care", Kind::Date, false),
            col("Date of Decision that Child Should be Placed for Adoption", Kind::Date, true),
            col("Date of Placement Order", Kind::Date, false),
            col("Date of Matching Child and Prospective Adopters", Kind::Date, false),
            col("Date Placed for Adoption", Kind::Date, false),
            col("Date of Adoption Order", Kind::Date, false),
            col("Date of Decision that Child Should No Longer be Placed for Adoption", Kind::Date, false),
            col("Reason Why Child No Longer Placed for Adoption", Kind::Codes(codes_of(crate::looked_after::adoption::reason_no_longer_placed())), false),
            col("Date the Child was Placed in Fostering for Adoption or Concurrent Planning Placement", Kind::Date, false),
        ],
        rec.adoption
            .iter()
            .filter_map(|a| {
                let eps = episodes_by_child.get(&a.child).map(Vec::as_slice).unwrap_or(&[]);
                let first = |f: &dyn Fn(&super::record::Episode) -> bool| {
                    eps.iter().filter(|e| e.started <= as_at && f(e)).map(|e| e.started).min()
                };
                let order = first(&|e| e.legal_status == "E1");
                let placed = first(&|e| matches!(e.placement.as_str(), "A3" | "A4" | "A5" | "A6"));
                let adopted = eps
                    .iter()
                    .filter(|e| matches!(e.reason_ceased.as_deref(), Some("E11" | "E12")))
                    .filter_map(|e| e.ended)
                    .filter(|d| *d <= as_at)
                    .min();
                let ceased = a.ceased.filter(|d| *d <= as_at);
                let relevant = cx.in_12(a.decided)
                    || adopted.is_some_and(|d| cx.in_12(d))
                    || ceased.is_some_and(|d| cx.in_12(d));
                if !relevant || a.decided > as_at {
                    return None;
                }
                let entered = periods_by_child.get(&a.child).and_then(|ps| {
                    ps.iter().filter(|p| p.1 <= a.decided).map(|p| p.1).max()
                });
                let matched = a.matched.filter(|m| m.1 <= as_at);
                let mut row = cx.common(a.child);
                row.extend([
                    text(matched.map(|m| m.0.simple().to_string()[..8].to_uppercase()).unwrap_or_default()),
                    cx.disabled(a.child),
                    date(entered),
                    Cell::Date(a.decided),
                    date(order),
                    date(matched.map(|m| m.1)),
                    date(placed),
                    date(adopted),
                    date(ceased),
                    text(ceased.and(a.reason_ceased.clone()).unwrap_or_default()),
                    Cell::Empty,
                ]);
                Some((a.child, row))
            })
            .collect(),
        &[
            ("Date the Child Entered Care", "Date of Decision that Child Should be Placed for Adoption"),
            ("Date of Decision that Child Should be Placed for Adoption", "Date of Matching Child and Prospective Adopters"),
            ("Date of Matching Child and Prospective Adopters", "Date Placed for Adoption"),
            ("Date Placed for Adoption", "Date of Adoption Order"),
        ],
        vec![(
            "Date the Child was Placed in Fostering for Adoption or Concurrent Planning Placement",
            "the permanence plan records early permanence as planned, not the day of the placement",
        )],
    ));

    // List 11: adopters. The record holds matches with adopters, not the adoption agency's
    // work with them.
    let mut adopters = list(
        11,
        "Adopters",
        format!("Adopters in contact with the adoption agency {twelve}"),
        vec![
            col("Individual Adopter Identifier", Kind::Text, true),
            col("Family Identifier", Kind::Text, true),
            col(
                "Is the (prospective) adopter fostering for adoption?",
                Kind::Codes(yn),
                false,
            ),
            col("Date enquiry received", Kind::Date, false),
            col("Date Stage 1 started", Kind::Date, false),
            col("Date Stage 1 ended", Kind::Date, false),
            col("Date Stage 2 started", Kind::Date, false),
            col("Date Stage 2 ended", Kind::Date, false),
            col("Date application submitted", Kind::Date, false),
            col("Date application approved", Kind::Date, false),
            col("Date adopter matched with child(ren)", Kind::Date, false),
            col(
                "Date child/children placed with adopter(s)",
                Kind::Date,
                false,
            ),
            col("No. of children placed", Kind::Number, false),
            col("Date of Adoption Order", Kind::Date, false),
            col("Date of leaving adoption process", Kind::Date, false),
            col(
                "Reason for leaving adoption process",
                Kind::Codes(strs(&["1", "2", "3"])),
                false,
            ),
        ],
        vec![],
        &[],
        vec![(
            "every column",
            "Hearth holds children's records; prospective adopters are the adoption agency's (often a regional adoption agency's) record. The agency supplies this list",
        )],
    );
    // The adopters' list describes adults: its first columns are the adopter's, not a child's.
    adopters.columns[0].heading = "Adopter Unique ID";
    adopters.columns[3].heading = "Adopter Date of Birth";
    adopters.columns[4].heading = "Adopter Age (Years)";
    lists.push(adopters);

    AnnexA {
        as_at,
        from_6: cx.from_6,
        from_12: cx.from_12,
        lists,
    }
}
