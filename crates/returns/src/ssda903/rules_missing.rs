//! Missing and away-from-placement periods (the Missing table) against each other and against
//! the episodes of care.

use std::collections::BTreeMap;

use super::Table;
use super::facts::{Facts, cell, is, periods, plus_years};
use super::rules::{Out, code_rule, date, date_rule};

pub(super) fn check(f: &Facts, o: &mut Out<'_>) {
    let m = Table::Missing;
    date_rule(f.ret, o, "1004", m, "MIS_START", true);
    date_rule(f.ret, o, "1005", m, "MIS_END", false);
    code_rule(f.ret, o, "1006", m, "MISSING", &["M", "A"], false);
    let (start, end) = (f.ctx.start, f.ctx.end);
    let mut by_child: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, r) in f.ret.rows(m).iter().enumerate() {
        let child = cell(m, r, "CHILD");
        by_child.entry(child).or_default().push(i);
        let (kind, from_s, to_s) = (
            cell(m, r, "MISSING"),
            cell(m, r, "MIS_START"),
            cell(m, r, "MIS_END"),
        );
        let (from, to) = (date(from_s), date(to_s));
        // 564-566: a period has its type (M or A) and its start.
        if is(kind, &["M", "A"]) && from_s.is_empty() {
            o.push("564", m, i, child, &["MISSING", "MIS_START"]);
        }
        if !from_s.is_empty() && kind.is_empty() {
            o.push("565", m, i, child, &["MISSING", "MIS_START"]);
        }
        if !to_s.is_empty() && kind.is_empty() {
            o.push("566", m, i, child, &["MISSING", "MIS_END"]);
        }
        // 567: it ends on or after it starts; 570: it starts by the end of the year; 571: it
        // ends within the year.
        if let (Some(a), Some(b)) = (from, to)
            && a > b
        {
            o.push("567", m, i, child, &["MIS_START", "MIS_END"]);
        }
        if from.is_some_and(|a| a > end) {
            o.push("570", m, i, child, &["MIS_START"]);
        }
        if to.is_some_and(|b| b < start || b > end) {
            o.push("571", m, i, child, &["MIS_END"]);
        }
        let dob = f.dob_of(child, cell(m, r, "DOB"));
        // 586: it starts after the child was born.
        if let (Some(a), Some(d)) = (from, dob)
            && a <= d
        {
            o.push("586", m, i, child, &["MIS_START", "DOB"]);
        }
        let eps = f.episodes(child);
        let Some(a) = from else { continue };
        // 575: when the placement the child went missing from ends, the missing period has
        // ended too.
        if to_s.is_empty()
            && eps
                .iter()
                .any(|e| e.decom <= a && e.dec.is_some_and(|d| a <= d))
        {
            o.push("575", m, i, child, &["MIS_END"]);
        }
        // 580: missing at the 18th birthday when care ended then: care ends with E8.
        if let (Some(b), Some(d)) = (to, dob)
            && b == plus_years(d, 18)
        {
            for e in eps
                .iter()
                .filter(|e| e.dec == Some(b) && !e.is("REC", &["E8"]))
            {
                o.push("580", Table::Episodes, e.i, child, &["REC", "DEC"]);
            }
        }
        if eps.is_empty() {
            continue;
        }
        let pocs = periods(eps);
        // 577: an open missing period belongs to a period of care still open.
        if to_s.is_empty() && !pocs.iter().any(|p| p.end.is_none() && p.start <= a) {
            o.push("577", m, i, child, &["MIS_END"]);
        }
        // 578: it starts while the child is looked after, not after care ended.
        let within = |p: &super::facts::Period| a >= p.start && p.end.is_none_or(|e| a <= e);
        if !pocs.iter().any(within) && pocs.iter().any(|p| p.end.is_some_and(|e| a > e)) {
            o.push("578", m, i, child, &["MIS_START"]);
        }
        // 581: nor before the child started to be looked after.
        if a < eps[0].decom {
            o.push("581", m, i, child, &["MIS_START"]);
        }
    }
    // 574: periods do not overlap, and a new one starts only after the one before ended.
    let rows = f.ret.rows(m);
    for (child, idx) in by_child {
        let mut v: Vec<(usize, Option<chrono::NaiveDate>, Option<chrono::NaiveDate>)> = idx
            .iter()
            .map(|i| {
                let r = &rows[*i];
                (
                    *i,
                    date(cell(m, r, "MIS_START")),
                    date(cell(m, r, "MIS_END")),
                )
            })
            .filter(|(_, a, _)| a.is_some())
            .collect();
        v.sort_by_key(|(i, a, b)| (b.or(*a), *a, *i));
        for w in v.windows(2) {
            let ((_, _, prev_end), (i, a, _)) = (w[0], w[1]);
            if prev_end.is_none() || a < prev_end {
                o.push("574", m, i, child, &["MIS_START", "MIS_END"]);
            }
        }
    }
}
