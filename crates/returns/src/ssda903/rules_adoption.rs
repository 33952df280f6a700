//! Adoption rules: the AD1 and PlacedAdoption dates against each other, the child's birth and the
//! episodes of care.

use super::Table;
use super::facts::{ADOPTED, Facts, SHORT_BREAKS, cell};
use super::rules::{Out, date};

pub(super) fn check(f: &Facts, o: &mut Out<'_>) {
    let ret = f.ret;
    let (ad1, pa, e) = (Table::Ad1, Table::PlacedAdoption, Table::Episodes);
    let (start, end) = (f.ctx.start, f.ctx.end);

    for (i, r) in ret.rows(pa).iter().enumerate() {
        let child = cell(pa, r, "CHILD");
        let placed = date(cell(pa, r, "DATE_PLACED"));
        let ceased = date(cell(pa, r, "DATE_PLACED_CEASED"));
        let eps = f.episodes(child);
        // 117: decisions are not after the year or after the child's latest period of care ended.
        let latest = eps.iter().rev().find(|x| !x.is("REC", &["X1"]));
        let after = |d: Option<chrono::NaiveDate>| {
            d.is_some_and(|d| d > end || latest.and_then(|l| l.dec).is_some_and(|dec| d > dec))
        };
        if after(placed) || after(ceased) {
            o.push("117", pa, i, child, &["DATE_PLACED", "DATE_PLACED_CEASED"]);
            if let Some(l) = latest {
                o.push("117", e, l.i, child, &["DEC"]);
            }
        }
        // 118: a decision to stop is not before the year or before the child was first looked
        // after (short breaks aside).
        let first = eps.iter().find(|x| !x.is("LS", SHORT_BREAKS));
        if let Some(c) = ceased
            && (c < start || first.is_some_and(|x| c < x.decom))
        {
            o.push("118", pa, i, child, &["DATE_PLACED_CEASED"]);
            if let Some(x) = first {
                o.push("118", e, x.i, child, &["DECOM"]);
            }
        }
        // 184: not decided before the child was born.
        if let (Some(p), Some(dob)) = (placed, f.dob.get(child))
            && p < *dob
        {
            o.push("184", pa, i, child, &["DATE_PLACED", "DOB"]);
        }
    }

    for (i, r) in ret.rows(ad1).iter().enumerate() {
        let child = cell(ad1, r, "CHILD");
        let (int, matched) = (cell(ad1, r, "DATE_INT"), cell(ad1, r, "DATE_MATCH"));
        let eps = f.episodes(child);
        // 333: the decision to place for adoption comes on or before the match.
        if !matched.is_empty()
            && (int.is_empty() || matches!((date(int), date(matched)), (Some(a), Some(b)) if a > b))
        {
            o.push("333", ad1, i, child, &["DATE_INT", "DATE_MATCH"]);
        }
        // 331: the match comes on or before the adoptive placement (the episode ending E11/E12).
        if let Some(m) = date(matched) {
            for x in eps.iter().filter(|x| x.is("REC", ADOPTED)) {
                if m > x.decom {
                    o.push("331", ad1, i, child, &["DATE_MATCH"]);
                    o.push("331", e, x.i, child, &["DECOM"]);
                }
            }
        }
        // 334: the decision comes on or after the start of the latest period of care.
        if let Some(d) = date(int)
            && let Some(s) = eps.iter().rev().find(|x| x.is("RNE", &["S"]))
            && d < s.decom
        {
            o.push("334", ad1, i, child, &["DATE_INT"]);
            o.push("334", e, s.i, child, &["DECOM"]);
        }
        // 335: adopted by the foster carer (FOSTER_CARE) agrees with the adoptive placement type.
        let foster = cell(ad1, r, "FOSTER_CARE");
        for x in eps.iter().filter(|x| x.is("REC", ADOPTED)) {
            if (x.is("PLACE", &["A3", "A5"]) && foster == "0")
                || (x.is("PLACE", &["A4", "A6"]) && foster == "1")
            {
                o.push("335", e, x.i, child, &["PLACE"]);
                o.push("335", ad1, i, child, &["FOSTER_CARE"]);
            }
        }
    }

    // 336: placement for adoption with consent (A3/A4) follows a foster (or adoptive) placement.
    let before = ["A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6"];
    for eps in f.eps.values() {
        for w in eps.windows(2) {
            if w[1].is("PLACE", &["A3", "A4"]) && !w[0].is("PLACE", &before) {
                o.push("336", e, w[1].i, w[1].child(), &["PLACE"]);
            }
        }
    }
}
