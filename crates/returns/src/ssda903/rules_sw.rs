//! Social worker episodes (the SWEpisodes table): complete, valid, in sequence, and covering
//! the year for a child looked after at 31 March.

use chrono::{Days, NaiveDate};

use super::facts::{Facts, SHORT_BREAKS, cell, is, periods, plus_days};
use super::rules::Out;
use super::rules_prevperm::perm_date;
use super::{Return, Table};

const SW_REASON: &[&str] = &[
    "MANAGE", "FCONTA", "LEFTRL", "ORGRST", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN", "SWDIED",
    "OTHERS",
];

/// A social worker episode date: dd/mm/yyyy, unknown parts as `zz` taken as the latest possible.
fn sw_date(v: &str) -> Option<NaiveDate> {
    perm_date(v).ok().flatten()
}

/// A social worker episode: its row, start and end.
type SwEp = (usize, Option<NaiveDate>, Option<NaiveDate>);

/// Why the rules were not run where the return has no SWEpisodes table.
pub(super) const NOT_SUPPLIED: &str =
    "needs the social worker episodes table (SWEpisodes), which was not supplied";

/// The rules not run on a return without the SWEpisodes table (none where it has one, even
/// empty: a table given with no rows says the children had no social worker episodes).
pub(super) fn skipped(ret: &Return) -> Vec<(&'static str, String)> {
    if ret.tables.contains_key(&Table::SwEpisodes) {
        Vec::new()
    } else {
        // The SW rules (all of them in this file) need the table.
        super::rules::IMPLEMENTED
            .iter()
            .filter(|c| c.starts_with("SW"))
            .map(|c| (*c, NOT_SUPPLIED.to_string()))
            .collect()
    }
}

pub(super) fn check(f: &Facts, o: &mut Out<'_>) {
    let t = Table::SwEpisodes;
    // Without the table there is nothing to check: SW12 would otherwise fire for every child
    // looked after at 31 March. [`skipped`] reports the rules as not run.
    if !f.ret.tables.contains_key(&t) {
        return;
    }
    let rows = f.ret.rows(t);
    let (start, end) = (f.ctx.start, f.ctx.end);
    let reform = NaiveDate::from_ymd_opt(2023, 4, 1).expect("valid");
    let mut eps: Vec<(&str, SwEp)> = Vec::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        let child = cell(t, r, "CHILD");
        let g = |c: &str| cell(t, r, c);
        let (decom, dec) = (sw_date(g("SW_DECOM")), sw_date(g("SW_DEC")));
        eps.push((child, (i, decom, dec)));
        // SW01a / SW01b: a start date, a worker, and from April 2023 a reason for the change.
        let blank_start = g("SW_DECOM").is_empty();
        if blank_start || (decom.is_some_and(|d| d < reform) && g("SW_ID").is_empty()) {
            o.push("SW01aSTG1", t, i, child, &["SW_DECOM", "SW_ID"]);
        }
        if blank_start
            || (decom.is_some_and(|d| d >= reform)
                && (g("SW_ID").is_empty() || g("SW_REASON").is_empty()))
        {
            o.push(
                "SW01bSTG1",
                t,
                i,
                child,
                &["SW_DECOM", "SW_ID", "SW_REASON"],
            );
        }
        // SW02: the worker's ID begins SW (Social Work England) or XX.
        let id = super::facts::upper(g("SW_ID"));
        if !(id.is_empty() || id.starts_with("SW") || id.starts_with("XX")) {
            o.push("SW02STG1", t, i, child, &["SW_ID"]);
        }
        // SW04 / SW05: valid dates.
        if !blank_start && decom.is_none() && perm_date(g("SW_DECOM")).is_err() {
            o.push("SW04STG1", t, i, child, &["SW_DECOM"]);
        }
        if !g("SW_DEC").is_empty() && perm_date(g("SW_DEC")).is_err() {
            o.push("SW05STG1", t, i, child, &["SW_DEC"]);
        }
        // SW06: starts by the end of the year; SW07: ends from a year before its start to its end.
        if decom.is_some_and(|d| d > end) {
            o.push("SW06STG2", t, i, child, &["SW_DECOM"]);
        }
        let year_before = start
            .checked_sub_months(chrono::Months::new(12))
            .unwrap_or(start);
        if dec.is_some_and(|d| d < year_before || d > end) {
            o.push("SW07STG2", t, i, child, &["SW_DEC"]);
        }
        // SW09: lasts at least a day.
        if decom.is_some() && decom == dec {
            o.push("SW09STG2", t, i, child, &["SW_DECOM", "SW_DEC"]);
        }
        // SW13: a valid reason, required from April 2023.
        let reason = g("SW_REASON");
        if (!reason.is_empty() && !is(reason, SW_REASON))
            || (reason.is_empty() && decom.is_some_and(|d| d >= reform))
        {
            o.push("SW13STG1", t, i, child, &["SW_REASON"]);
        }
    }

    // Each child's episodes, the children in CHILD order.
    let mut by_child = super::facts::ByChild::new(eps);
    for (child, v) in &mut by_child.groups {
        let child: &str = child;
        // As the episodes are ordered: by start, then end with open ones last, then row.
        v.sort_by_key(|(i, decom, dec)| (*decom, dec.is_none(), *dec, *i));
        let n = v.len();
        for k in 0..n {
            let (i, decom, dec) = v[k];
            // SW08: every episode but the latest has ended.
            if k + 1 < n && dec.is_none() && decom.is_some() {
                o.push("SW08STG2", t, i, child, &["SW_DEC"]);
            }
            // SW10: a new worker starts within 7 days of the previous one leaving (first
            // contacts aside).
            if k > 0
                && let (Some(prev_end), Some(d)) = (v[k - 1].2, decom)
                && !is(cell(t, &rows[i], "SW_REASON"), &["FCONTA"])
                && (plus_days(d, 7) < prev_end || d > plus_days(prev_end, 7))
            {
                o.push("SW10STG2", t, i, child, &["SW_DECOM"]);
            }
        }
        // SW11b: an episode ending in the last days of the year is followed by another.
        if let Some((i, _, Some(d))) = v.last()
            && *d >= end - Days::new(5)
            && *d <= end
        {
            o.push("SW11bSTG2", t, *i, child, &["SW_DEC"]);
        }
    }

    // SW12 / SW17: a child looked after at 31 March has social worker episodes covering the
    // year, and one still open. The rule asks for every episode of the year, "even those whilst
    // they were not looked after"; from the return alone Hearth cannot know whether a child who
    // came into care during the year had a social worker before, so it requires cover from the
    // latest of 1 April, birth and the start of the period of care open at 31 March (a child in
    // care always has a social worker). A child in care all year needs cover from 1 April.
    for (child, eps) in &f.eps {
        let Some(open) = eps
            .iter()
            .find(|e| e.dec.is_none_or(|d| d > end) && !e.is("LS", SHORT_BREAKS))
        else {
            continue;
        };
        let care_began = periods(eps)
            .into_iter()
            .rfind(|p| p.start <= open.decom)
            .map_or(open.decom, |p| p.start);
        let from = f
            .dob
            .get(child)
            .map_or(start, |d| (*d).max(start))
            .max(care_began);
        let sw = by_child.get(child).map(Vec::as_slice).unwrap_or(&[]);
        let covered = sw
            .iter()
            .filter_map(|(_, d, _)| *d)
            .min()
            .is_some_and(|d| d <= from);
        if !covered {
            o.push("SW12STG2", Table::Episodes, open.i, child, &["CHILD"]);
        }
        if let Some((i, _, Some(_))) = sw.last() {
            o.push("SW17STG2", t, *i, child, &["SW_DEC"]);
        }
    }
}
