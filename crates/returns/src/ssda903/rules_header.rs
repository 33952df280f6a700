//! Header and Reviews rules across records: the UPN, motherhood details and review participation
//! against age.

use foldhash::HashMap;

use super::Table;
use super::facts::{Facts, SHORT_BREAKS, cell, is, plus_years};
use super::rules::{Out, date};
use super::rules_fields::{OC3_ITEMS, any};

const UNKNOWN_UPN: &[&str] = &["UN1", "UN2", "UN3", "UN4", "UN5"];

pub(super) fn check(f: &Facts, o: &mut Out<'_>) {
    let ret = f.ret;
    let (h, e, rv) = (Table::Header, Table::Episodes, Table::Reviews);
    let (start, end) = (f.ctx.start, f.ctx.end);

    // 440 / 441: PN0 is for under-4s at the review, the other codes for 4 and over.
    for (i, r) in ret.rows(rv).iter().enumerate() {
        let child = cell(rv, r, "CHILD");
        let (Some(review), Some(dob)) = (
            date(cell(rv, r, "REVIEW")),
            f.dob_of(child, cell(rv, r, "DOB")),
        ) else {
            continue;
        };
        let code = cell(rv, r, "REVIEW_CODE");
        if is(code, &["PN0"]) && review > plus_years(dob, 4) {
            o.push("440", rv, i, child, &["REVIEW_CODE", "REVIEW", "DOB"]);
        }
        if is(code, &["PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"])
            && review < plus_years(dob, 4)
        {
            o.push("441", rv, i, child, &["REVIEW_CODE", "REVIEW", "DOB"]);
        }
    }

    // Each child's episode rows (all of them, whatever their dates).
    let eps = super::facts::ByChild::new(
        ret.rows(e)
            .iter()
            .enumerate()
            .map(|(i, r)| (cell(e, r, "CHILD"), (i, r.as_slice()))),
    );
    let mut upns: HashMap<std::borrow::Cow<str>, usize> = HashMap::default();
    for r in ret.rows(h) {
        let upn = super::facts::upper(cell(h, r, "UPN"));
        if !upn.is_empty() && !is(&upn, UNKNOWN_UPN) {
            *upns.entry(upn).or_default() += 1;
        }
    }
    let oc3: foldhash::HashSet<&str> = ret
        .rows(Table::Oc3)
        .iter()
        .filter(|r| any(Table::Oc3, r, OC3_ITEMS))
        .map(|r| cell(Table::Oc3, r, "CHILD"))
        .collect();

    for (i, r) in ret.rows(h).iter().enumerate() {
        let child = cell(h, r, "CHILD");
        let g = |c: &str| cell(h, r, c);
        let mine = eps.get(child).map(Vec::as_slice).unwrap_or(&[]);
        let looked_after = mine
            .iter()
            .any(|(_, x)| !is(cell(e, x, "LS"), SHORT_BREAKS));
        // 442: a UPN (or an unknown-UPN code) for a child looked after.
        if g("UPN").is_empty() && looked_after {
            o.push("442", h, i, child, &["UPN"]);
        }
        // 444: a UPN belongs to one child.
        if upns
            .get(&*super::facts::upper(g("UPN")))
            .is_some_and(|n| *n > 1)
        {
            o.push("444", h, i, child, &["UPN"]);
        }
        let (mother, mc_dob) = (g("MOTHER"), g("MC_DOB"));
        let female = is(g("SEX"), &["F"]);
        // 607: a girl who left care in the year (other than short breaks) has MOTHER completed.
        if female && mother.is_empty() {
            for (j, x) in mine {
                let left = date(cell(e, x, "DEC")).is_some_and(|d| d >= start && d <= end)
                    && !cell(e, x, "REC").is_empty()
                    && !is(cell(e, x, "REC"), &["X1"])
                    && !is(cell(e, x, "LS"), SHORT_BREAKS);
                if left {
                    o.push("607", h, i, child, &["MOTHER"]);
                    o.push("607", e, *j, child, &["DEC", "REC"]);
                }
            }
        }
        // 611: a mother has her first child's date of birth; 612: a girl who is not a mother
        // has none.
        if mother == "1" && mc_dob.is_empty() {
            o.push("611", h, i, child, &["MOTHER", "MC_DOB"]);
        }
        if (mother.is_empty() || mother == "0") && female && !mc_dob.is_empty() {
            o.push("612", h, i, child, &["MOTHER", "MC_DOB"]);
        }
        let dob = date(g("DOB"));
        // 620: a mother is at least 11 at the start of the year.
        if mother == "1" && dob.is_some_and(|d| plus_years(d, 11) > start) {
            o.push("620", h, i, child, &["MOTHER", "DOB"]);
        }
        // 621: the mother is born before her child.
        if let (Some(mc), Some(d)) = (date(mc_dob), dob)
            && mc <= d
        {
            o.push("621", h, i, child, &["MC_DOB", "DOB"]);
        }
        // 625: her child is born by the end of the year and by the time she left care.
        if let Some(mc) = date(mc_dob) {
            // The end of care: the latest episode, if it ended other than with X1.
            let last_end = f
                .episodes(child)
                .last()
                .filter(|x| !x.is("REC", &["X1"]))
                .and_then(|x| x.dec.map(|d| (d, x.i)));
            if mc > end || last_end.is_some_and(|(d, _)| mc > d) {
                o.push("625", h, i, child, &["MC_DOB"]);
                if let Some((_, j)) = last_end {
                    o.push("625", e, j, child, &["DEC"]);
                }
            }
        }
        // 628: no motherhood details for a care leaver not looked after in the year.
        if mine.is_empty() && oc3.contains(child) && !mother.is_empty() {
            o.push("628", h, i, child, &["MOTHER"]);
        }
    }
}
