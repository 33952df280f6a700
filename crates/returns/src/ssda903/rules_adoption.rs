//! Adoption rules: the AD1 and PlacedAdoption dates against each other, the child's birth and the
//! episodes of care.

use super::Table;
use std::collections::BTreeMap;

use super::facts::{ADOPTED, Facts, PLACED_FOR_ADOPTION, SHORT_BREAKS, cell, is};
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
        // 1003: not decided before the child first started to be looked after.
        if let (Some(p), Some(s)) = (placed, eps.iter().find(|x| x.is("RNE", &["S"])))
            && p < s.decom
        {
            o.push("1003", pa, i, child, &["DATE_PLACED"]);
            o.push("1003", e, s.i, child, &["DECOM"]);
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
    for (_, eps) in &f.eps {
        for w in eps.windows(2) {
            if w[1].is("PLACE", &["A3", "A4"]) && !w[0].is("PLACE", &before) {
                o.push("336", e, w[1].i, w[1].child(), &["PLACE"]);
            }
        }
    }
    adopters(f, o);
    decisions(f, o);
}

fn ceased(r: &[String]) -> &str {
    cell(Table::PlacedAdoption, r, "DATE_PLACED_CEASED")
}

/// AD1: the adopters' number, sexes and legal status agree (511-524).
fn adopters(f: &Facts, o: &mut Out<'_>) {
    let ad1 = Table::Ad1;
    for (i, r) in f.ret.rows(ad1).iter().enumerate() {
        let child = cell(ad1, r, "CHILD");
        let (nb, sex, ls) = (
            cell(ad1, r, "NB_ADOPTR"),
            cell(ad1, r, "SEX_ADOPTR"),
            cell(ad1, r, "LS_ADOPTR"),
        );
        if sex.is_empty() {
            continue;
        }
        let single = is(sex, &["M1", "F1"]);
        if nb == "2" && single {
            o.push("511", ad1, i, child, &["NB_ADOPTR", "SEX_ADOPTR"]);
        }
        let checks: [(&'static str, &str, &[&str]); 6] = [
            ("514", "L0", &["M1", "F1"]),
            ("517", "L3", &["MF"]),
            ("518", "L4", &["MM", "FF"]),
            ("519", "L2", &["MM", "FF", "MF"]),
            ("520", "L11", &["MF"]),
            ("524", "L12", &["MM", "FF"]),
        ];
        for (code, status, sexes) in checks {
            if is(ls, &[status]) && !is(sex, sexes) {
                o.push(code, ad1, i, child, &["LS_ADOPTR", "SEX_ADOPTR"]);
            }
        }
    }
}

/// The decisions to place for adoption (PlacedAdoption) against AD1 and the episodes.
fn decisions(f: &Facts, o: &mut Out<'_>) {
    let ret = f.ret;
    let (ad1, pa, e) = (Table::Ad1, Table::PlacedAdoption, Table::Episodes);
    let (start, end) = (f.ctx.start, f.ctx.end);
    let mut pa_rows: BTreeMap<&str, Vec<(usize, &[String])>> = BTreeMap::new();
    for (i, r) in ret.rows(pa).iter().enumerate() {
        pa_rows
            .entry(cell(pa, r, "CHILD"))
            .or_default()
            .push((i, r.as_slice()));
    }
    let mut ad1_rows: BTreeMap<&str, (usize, &[String])> = BTreeMap::new();
    for (i, r) in ret.rows(ad1).iter().enumerate() {
        ad1_rows
            .entry(cell(ad1, r, "CHILD"))
            .or_insert((i, r.as_slice()));
    }
    let placed = |r: &[String]| date(cell(pa, r, "DATE_PLACED"));
    let no_rows: Vec<(usize, &[String])> = Vec::new();

    for (i, r) in ret.rows(pa).iter().enumerate() {
        let child = cell(pa, r, "CHILD");
        // 522: a decision stops on or after it was made.
        if let (Some(p), Some(c)) = (placed(r), date(ceased(r)))
            && c < p
        {
            o.push("522", pa, i, child, &["DATE_PLACED", "DATE_PLACED_CEASED"]);
        }
        // 563: a decision that stopped has its start date.
        if !ceased(r).is_empty()
            && !cell(pa, r, "REASON_PLACED_CEASED").is_empty()
            && cell(pa, r, "DATE_PLACED").is_empty()
        {
            o.push("563", pa, i, child, &["DATE_PLACED"]);
        }
        // 525: a child whose decision was reversed is not adopted in the year (no AD1 data).
        if !ceased(r).is_empty()
            && let Some((j, a)) = ad1_rows.get(child)
            && super::rules_fields::any(ad1, a, super::rules_fields::AD1_ITEMS)
        {
            o.push("525", pa, i, child, &["DATE_PLACED_CEASED"]);
            o.push("525", ad1, *j, child, super::rules_fields::AD1_ITEMS);
        }
    }

    for (child, rows) in &pa_rows {
        let mut sorted: Vec<&(usize, &[String])> = rows.iter().collect();
        sorted.sort_by_key(|(i, r)| (placed(r), *i));
        // 579: decisions do not overlap: each starts after the one before stopped.
        for w in sorted.windows(2) {
            let (prev, cur) = (w[0].1, w[1]);
            let prev_ceased = date(ceased(prev));
            if ceased(prev).is_empty()
                || matches!((placed(cur.1), prev_ceased), (Some(p), Some(c)) if p < c)
            {
                o.push(
                    "579",
                    pa,
                    cur.0,
                    child,
                    &["DATE_PLACED", "DATE_PLACED_CEASED"],
                );
            }
        }
        // 583: only the latest decision may still be open.
        for (i, r) in sorted.iter().rev().skip(1) {
            if ceased(r).is_empty() {
                o.push("583", pa, *i, child, &["DATE_PLACED_CEASED"]);
            }
        }
        // 523: the latest decision is the date adoption was decided to be in the child's best
        // interest (AD1 DATE_INT).
        if let (Some((i, r)), Some((j, a))) = (sorted.last(), ad1_rows.get(child))
            && let (Some(p), Some(int)) = (placed(r), date(cell(ad1, a, "DATE_INT")))
            && p != int
        {
            o.push("523", pa, *i, child, &["DATE_PLACED"]);
            o.push("523", ad1, *j, child, &["DATE_INT"]);
        }
    }

    for (child, eps) in &f.eps {
        let rows = pa_rows.get(child).unwrap_or(&no_rows);
        let latest_decision = rows.iter().filter_map(|(_, r)| placed(r)).max();
        let adoption_eps: Vec<_> = eps
            .iter()
            .filter(|x| x.is("PLACE", PLACED_FOR_ADOPTION))
            .collect();
        // 551: placed for adoption with a decision to place recorded.
        if latest_decision.is_none() {
            for x in &adoption_eps {
                o.push("551", e, x.i, child, &["PLACE"]);
            }
        }
        // 552: the decision comes on or before the first adoptive placement.
        if let (Some(first), Some(d)) = (adoption_eps.first(), latest_decision)
            && first.decom < d
        {
            o.push("552", e, first.i, child, &["DECOM"]);
            for (i, r) in rows.iter().filter(|(_, r)| placed(r) == Some(d)) {
                let _ = r;
                o.push("552", pa, *i, child, &["DATE_PLACED"]);
            }
        }
        // 521: the best-interest decision (AD1 DATE_INT) comes on or before adoptive placements.
        if let Some((j, a)) = ad1_rows.get(child)
            && let Some(int) = date(cell(ad1, a, "DATE_INT"))
        {
            for x in adoption_eps.iter().filter(|x| int > x.decom) {
                o.push("521", e, x.i, child, &["DECOM", "PLACE"]);
                o.push("521", ad1, *j, child, &["DATE_INT"]);
            }
        }
        let e1: Vec<_> = eps.iter().filter(|x| x.is("LS", &["E1"])).collect();
        // 553: a placement order comes with a decision to place, still open while it lasts.
        if rows.is_empty() {
            for x in &e1 {
                o.push("553", e, x.i, child, &["LS"]);
            }
        } else if e1.iter().any(|x| x.get("DEC").is_empty()) {
            for (i, r) in rows {
                if !ceased(r).is_empty() || !cell(pa, r, "REASON_PLACED_CEASED").is_empty() {
                    o.push(
                        "553",
                        pa,
                        *i,
                        child,
                        &["DATE_PLACED_CEASED", "REASON_PLACED_CEASED"],
                    );
                }
            }
        }
        // 554: the decision to place comes on or before the placement order.
        if let Some(first) = e1.first() {
            for (i, r) in rows {
                if placed(r).is_some_and(|p| p > first.decom) {
                    o.push("554", pa, *i, child, &["DATE_PLACED"]);
                    o.push("554", e, first.i, child, &["DECOM", "LS"]);
                }
            }
        }
        for x in eps {
            let rec = x.get("REC");
            // 557: leaving care from an adoptive placement or placement order other than by
            // adoption needs the decision's end recorded.
            if (x.is("PLACE", PLACED_FOR_ADOPTION) || x.is("LS", &["E1"]))
                && !rec.is_empty()
                && !is(rec, &["X1"])
                && !is(rec, ADOPTED)
            {
                let incomplete: Vec<usize> = rows
                    .iter()
                    .filter(|(_, r)| {
                        ceased(r).is_empty() || cell(pa, r, "REASON_PLACED_CEASED").is_empty()
                    })
                    .map(|(i, _)| *i)
                    .collect();
                if rows.is_empty() || !incomplete.is_empty() {
                    o.push("557", e, x.i, child, &["PLACE", "LS", "REC"]);
                    for i in incomplete {
                        o.push(
                            "557",
                            pa,
                            i,
                            child,
                            &["DATE_PLACED_CEASED", "REASON_PLACED_CEASED"],
                        );
                    }
                }
            }
            if is(rec, ADOPTED) {
                // 558: an adopted child's decision to place was not reversed.
                if !rows.is_empty() && rows.iter().all(|(_, r)| !ceased(r).is_empty()) {
                    o.push("558", e, x.i, child, &["REC"]);
                }
                let in_year = x.dec.is_some_and(|d| d >= start && d <= end);
                match ad1_rows.get(child) {
                    Some((j, a)) => {
                        // 582: adopted after the match, not the same day.
                        if x.dec.is_some() && x.dec == date(cell(ad1, a, "DATE_MATCH")) {
                            o.push("582", e, x.i, child, &["DEC"]);
                        }
                        // 601: a child adopted in the year has every AD1 item.
                        let items = super::rules_fields::AD1_ITEMS;
                        if in_year && items.iter().any(|c| cell(ad1, a, c).is_empty()) {
                            o.push("601", ad1, *j, child, items);
                            o.push("601", e, x.i, child, &["REC"]);
                        }
                    }
                    None if in_year => o.push("601", e, x.i, child, &["REC"]),
                    None => {}
                }
            }
        }
    }
    // 602: AD1 data only for a child adopted in the year.
    for (i, r) in ret.rows(ad1).iter().enumerate() {
        let child = cell(ad1, r, "CHILD");
        let adopted_in_year = f
            .episodes(child)
            .iter()
            .any(|x| x.is("REC", ADOPTED) && x.dec.is_some_and(|d| d >= start && d <= end));
        if !adopted_in_year && super::rules_fields::any(ad1, r, super::rules_fields::AD1_ITEMS) {
            o.push("602", ad1, i, child, super::rules_fields::AD1_ITEMS);
        }
    }
}
