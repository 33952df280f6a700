//! Unaccompanied asylum-seeking children: the UASC flag (105, 303), which only the XML form
//! carries, and the UASC status and date it ceased against last year's return (205A, 205B,
//! 205C; 205D is with the other year-on-year Header rules in `rules_previous`).
//!
//! A child's UASC status in a return is its `UASC` flag being 1 in the XML form, and its having a
//! row in the UASC table in the CSV form (as the spec, §1.2, says DfE's tools derive it). The date
//! status ceased (DUC) is in the child's UASC row in both forms (the XML reader gives a child with
//! a DUC a UASC row; see `xml`).
//!
//! How 205A-C are read from their texts (the DfE texts say what is inconsistent, not how the
//! dates are compared; this is Hearth's reading):
//! - 205A, UASC last year and not this year: status must have ceased before this year, so last
//!   year's DUC is a date before 1 April of this year; and this year's DUC, where given, is the
//!   same date.
//! - 205B, UASC both years: status cannot have ceased before this year, so neither year's DUC is
//!   a date before 1 April of this year.
//! - 205C, UASC neither year: neither year has a DUC.
//!
//! They compare children in both years' Header, and run only when both returns can say who is
//! UASC (the XML form, or a CSV return with a UASC table).

use foldhash::{HashMap, HashSet};

use super::facts::{Facts, cell};
use super::rules::{Out, date};
use super::{Return, Table};

/// Why 105 and 303 are not run on a CSV return.
const NO_FLAG: &str = "needs the UASC flag of the XML form; the CSV form has none";

/// The rules not run on this return, with why: 105 and 303 on the CSV form.
pub(super) fn skipped(ret: &Return) -> Vec<(&'static str, String)> {
    if ret.uasc_flags.is_some() {
        Vec::new()
    } else {
        vec![("105", NO_FLAG.to_string()), ("303", NO_FLAG.to_string())]
    }
}

/// The children who are UASC in a return (by its flags where it has them, else by the UASC
/// table), or None where the return cannot say (a CSV return without a UASC table).
pub(super) fn uasc_children(ret: &Return) -> Option<HashSet<&str>> {
    let h = Table::Header;
    match &ret.uasc_flags {
        Some(flags) => Some(
            ret.rows(h)
                .iter()
                .zip(flags)
                .filter(|(_, f)| f.trim() == "1")
                .map(|(r, _)| cell(h, r, "CHILD"))
                .collect(),
        ),
        None if ret.tables.contains_key(&Table::Uasc) => Some(
            ret.rows(Table::Uasc)
                .iter()
                .map(|r| cell(Table::Uasc, r, "CHILD"))
                .collect(),
        ),
        None => None,
    }
}

/// Each child's DUC as written (from its first UASC row).
fn ducs(ret: &Return) -> HashMap<&str, &str> {
    let u = Table::Uasc;
    let mut m = HashMap::default();
    for r in ret.rows(u) {
        m.entry(cell(u, r, "CHILD")).or_insert(cell(u, r, "DUC"));
    }
    m
}

pub(super) fn check(f: &Facts, o: &mut Out<'_>) {
    let h = Table::Header;
    let ret = f.ret;
    let duc_now = ducs(ret);
    if let Some(flags) = &ret.uasc_flags {
        for (i, r) in ret.rows(h).iter().enumerate() {
            let child = cell(h, r, "CHILD");
            let flag = flags.get(i).map(|f| f.trim()).unwrap_or("");
            // 105: the flag is 0 or 1.
            if flag != "0" && flag != "1" {
                o.push("105", h, i, child, &["UASC"]);
            }
            // 303: a date status ceased only with the flag 1.
            if flag != "1" && duc_now.get(child).is_some_and(|d| !d.is_empty()) {
                o.push("303", h, i, child, &["UASC", "DUC"]);
            }
        }
    }
    let Some(prev) = f.prev else {
        return;
    };
    let (Some(now), Some(then)) = (uasc_children(ret), uasc_children(prev)) else {
        return;
    };
    let last: HashSet<&str> = prev.rows(h).iter().map(|r| cell(h, r, "CHILD")).collect();
    let duc_then = ducs(prev);
    let start = f.ctx.start;
    for (i, r) in ret.rows(h).iter().enumerate() {
        let child = cell(h, r, "CHILD");
        if !last.contains(child) {
            continue;
        }
        let (d_now, d_then) = (
            duc_now.get(child).copied().unwrap_or(""),
            duc_then.get(child).copied().unwrap_or(""),
        );
        let before_year = |d: &str| date(d).is_some_and(|d| d < start);
        let code = match (then.contains(child), now.contains(child)) {
            // 205A: no longer UASC; it ceased last year, as both years say.
            (true, false) => {
                let ceased =
                    before_year(d_then) && (d_now.is_empty() || date(d_now) == date(d_then));
                (!ceased).then_some("205A")
            }
            // 205B: still UASC; it had not ceased before this year.
            (true, true) => (before_year(d_then) || before_year(d_now)).then_some("205B"),
            // 205C: never UASC, so no date it ceased.
            (false, false) => (!d_now.is_empty() || !d_then.is_empty()).then_some("205C"),
            // UASC this year only: 205D's concern.
            (false, true) => None,
        };
        if let Some(code) = code {
            o.push(code, h, i, child, &["UASC", "DUC"]);
        }
    }
}
