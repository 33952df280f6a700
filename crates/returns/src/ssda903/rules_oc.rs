//! Outcome rules: OC2 (looked after continuously for 12 months) and OC3 (care leavers), which
//! depend on whether the child was looked after continuously, and on age.

use super::Table;
use super::facts::{Facts, cell, is, plus_years};
use super::rules::Out;
use super::rules_fields::{AD1_ITEMS, OC2_ITEMS, OC3_ITEMS, any};

pub(super) fn check(f: &Facts, o: &mut Out<'_>) {
    let ret = f.ret;
    let (oc2, oc3, ad1) = (Table::Oc2, Table::Oc3, Table::Ad1);
    let (start, end) = (f.ctx.start, f.ctx.end);
    let has_episodes = !ret.rows(Table::Episodes).is_empty();

    let mut oc2_children = foldhash::HashSet::default();
    for (i, r) in ret.rows(oc2).iter().enumerate() {
        let child = cell(oc2, r, "CHILD");
        oc2_children.insert(child);
        let cla = f.cla.contains(child);
        let (score, reason) = (cell(oc2, r, "SDQ_SCORE"), cell(oc2, r, "SDQ_REASON"));
        let neither = score.is_empty() && reason.is_empty();
        // 544 / 547: conviction or health promotion information needs the four health items.
        let core = [
            "IMMUNISATIONS",
            "TEETH_CHECK",
            "HEALTH_ASSESSMENT",
            "SUBSTANCE_MISUSE",
        ];
        let core_missing = core.iter().any(|c| cell(oc2, r, c).is_empty());
        if cell(oc2, r, "CONVICTED") == "1" && core_missing {
            o.push(
                "544",
                oc2,
                i,
                child,
                &[
                    "CONVICTED",
                    "IMMUNISATIONS",
                    "TEETH_CHECK",
                    "HEALTH_ASSESSMENT",
                    "SUBSTANCE_MISUSE",
                ],
            );
        }
        if cell(oc2, r, "HEALTH_CHECK") == "1" && core_missing {
            o.push(
                "547",
                oc2,
                i,
                child,
                &[
                    "HEALTH_CHECK",
                    "IMMUNISATIONS",
                    "TEETH_CHECK",
                    "HEALTH_ASSESSMENT",
                    "SUBSTANCE_MISUSE",
                ],
            );
        }
        if has_episodes {
            // 185 / 198 / 190: OC2 items for a child not looked after continuously.
            if !cla && !score.is_empty() {
                o.push("185", oc2, i, child, &["SDQ_SCORE"]);
            }
            if !cla && !reason.is_empty() {
                o.push("198", oc2, i, child, &["SDQ_REASON"]);
            }
            if !cla && any(oc2, r, OC2_ITEMS) {
                o.push("190", oc2, i, child, OC2_ITEMS);
            }
            // 191: the health items are required for a child looked after continuously.
            let core = [
                "IMMUNISATIONS",
                "TEETH_CHECK",
                "HEALTH_ASSESSMENT",
                "SUBSTANCE_MISUSE",
            ];
            if cla && core.iter().any(|c| cell(oc2, r, c).is_empty()) {
                o.push("191", oc2, i, child, &core);
            }
        }
        let Some(dob) = f.dob_of(child, cell(oc2, r, "DOB")) else {
            continue;
        };
        let (four, sixteen, seventeen) =
            (plus_years(dob, 4), plus_years(dob, 16), plus_years(dob, 17));
        // 157: SDQ1 (under 4 or over 16) given for a child aged 4 to 16 through the year.
        if cla
            && four <= start
            && sixteen >= end
            && score.is_empty()
            && reason.eq_ignore_ascii_case("SDQ1")
        {
            o.push("157", oc2, i, child, &["SDQ_REASON", "DOB"]);
        }
        // 186: an SDQ score or reason is needed for ages 4 (at the start) to 16 (at the end).
        if cla && four <= start && seventeen > end && neither {
            o.push("186", oc2, i, child, &["SDQ_SCORE", "SDQ_REASON", "DOB"]);
        }
        // 197B: likewise for a child who turns 4 or 17 in the year.
        let turns = |d| d >= start && d <= end;
        if cla && (turns(four) || turns(seventeen)) && neither {
            o.push("197B", oc2, i, child, &["SDQ_SCORE", "SDQ_REASON", "DOB"]);
        }
        // 542 / 543: conviction information for children 10 and over at 31 March only, and
        // required for them if looked after continuously.
        let convicted = cell(oc2, r, "CONVICTED");
        let ten = plus_years(dob, 10);
        if ten > end && !convicted.is_empty() {
            o.push("542", oc2, i, child, &["CONVICTED", "DOB"]);
        }
        if cla && end > ten && convicted.is_empty() {
            o.push("543", oc2, i, child, &["CONVICTED", "DOB"]);
        }
        // 545 / 546: health promotion (HEALTH_CHECK) for under-5s at 31 March only.
        let health = cell(oc2, r, "HEALTH_CHECK");
        let five = plus_years(dob, 5);
        if cla && end < five && health.is_empty() {
            o.push("545", oc2, i, child, &["HEALTH_CHECK", "DOB"]);
        }
        if cla && end >= five && !health.is_empty() {
            o.push("546", oc2, i, child, &["HEALTH_CHECK", "DOB"]);
        }
        // 188: under 4 at the end of the year; 189: 17 or over at the start.
        if four > end && !neither {
            o.push("188", oc2, i, child, &["SDQ_SCORE", "SDQ_REASON", "DOB"]);
        }
        if seventeen < start && !neither {
            o.push("189", oc2, i, child, &["SDQ_SCORE", "SDQ_REASON", "DOB"]);
        }
    }
    // 191 also names the first episode of a child looked after continuously with no OC2 row.
    if ret.tables.contains_key(&oc2) {
        for (child, eps) in &f.eps {
            if f.cla.contains(child)
                && !oc2_children.contains(child)
                && let Some(e) = eps.first()
            {
                o.push("191", Table::Episodes, e.i, child, &["CHILD"]);
            }
        }
    }

    // 187: a child looked after continuously has no adoption or care leaver data.
    if has_episodes {
        for (t, items) in [(ad1, AD1_ITEMS), (oc3, OC3_ITEMS)] {
            for (i, r) in ret.rows(t).iter().enumerate() {
                let child = cell(t, r, "CHILD");
                if f.cla.contains(child) && any(t, r, items) {
                    o.push("187", t, i, child, items);
                }
            }
        }
    }

    // 215: a care leaver (OC3 data) with OC2 items completed.
    let oc2_with_items: foldhash::HashMap<&str, usize> = ret
        .rows(oc2)
        .iter()
        .enumerate()
        .filter(|(_, r)| any(oc2, r, OC2_ITEMS))
        .map(|(i, r)| (cell(oc2, r, "CHILD"), i))
        .collect();
    for (i, r) in ret.rows(oc3).iter().enumerate() {
        let child = cell(oc3, r, "CHILD");
        if let Some(j) = oc2_with_items.get(child).filter(|_| any(oc3, r, OC3_ITEMS)) {
            o.push("215", oc3, i, child, OC3_ITEMS);
            o.push("215", oc2, *j, child, OC2_ITEMS);
        }
    }
}

/// Care leaver (OC3) rules against the episodes: 1000, 1007, 1011, 1012, 1014, 1016, 3001.
pub(super) fn care_leavers(f: &Facts, o: &mut Out<'_>) {
    let ret = f.ret;
    let oc3 = Table::Oc3;
    let (start, end) = (f.ctx.start, f.ctx.end);
    let mut no_episode_leavers = foldhash::HashSet::default();
    let with_episodes: foldhash::HashSet<&str> = ret
        .rows(Table::Episodes)
        .iter()
        .map(|e| cell(Table::Episodes, e, "CHILD"))
        .collect();
    let mut uasc_rows: foldhash::HashMap<&str, Vec<usize>> = Default::default();
    for (j, u) in ret.rows(Table::Uasc).iter().enumerate() {
        uasc_rows
            .entry(cell(Table::Uasc, u, "CHILD"))
            .or_default()
            .push(j);
    }
    for (i, r) in ret.rows(oc3).iter().enumerate() {
        let child = cell(oc3, r, "CHILD");
        if !any(oc3, r, OC3_ITEMS) {
            continue;
        }
        let eps = f.episodes(child);
        if !with_episodes.contains(child) {
            no_episode_leavers.insert(child);
        }
        // 1000: a child who died in care (E2) has no care leaver information.
        let died_last_year = f
            .prev_eps
            .get(child)
            .is_some_and(|v| v.iter().any(|e| e.is("REC", &["E2"])));
        if died_last_year || eps.iter().any(|e| e.is("REC", &["E2"])) {
            o.push("1000", oc3, i, child, OC3_ITEMS);
        }
        // 1011: nor one whose care was transferred to another LA (E3) at the end.
        if eps.last().is_some_and(|e| e.is("REC", &["E3"])) {
            o.push("1011", oc3, i, child, OC3_ITEMS);
        }
        if let Some(dob) = f.dob_of(child, cell(oc3, r, "DOB")) {
            // 3001: not with former foster carers (Z1/Z2) around the 17th birthday.
            let seventeen = plus_years(dob, 17);
            if is(cell(oc3, r, "ACCOM"), &["Z1", "Z2"]) && seventeen >= start && seventeen <= end {
                o.push("3001", oc3, i, child, &["ACCOM", "DOB"]);
            }
            // 1007: no care leaver information for a 17- or 18-year-old still looked after on
            // the birthday; 1016: nor for one who left care after it: whose latest episode
            // ended on or after the birthday for a reason other than a change within care
            // (X1), so that a placement move after the birthday is not leaving care.
            let age = super::rules::years_on(dob, end);
            if age == 17 || age == 18 {
                let bday = plus_years(dob, age as u32);
                if eps
                    .iter()
                    .any(|e| e.decom <= bday && e.dec.is_none_or(|d| d > bday))
                {
                    o.push("1007", oc3, i, child, OC3_ITEMS);
                }
                if eps
                    .last()
                    .is_some_and(|e| e.dec.is_some_and(|d| d >= bday) && !e.is("REC", &["X1"]))
                {
                    o.push("1016", oc3, i, child, OC3_ITEMS);
                }
            }
        }
        // 1014: no UASC information for a care leaver not looked after in the year.
        let in_year = eps
            .iter()
            .any(|e| e.decom <= end && e.dec.is_none_or(|d| d >= start));
        if !in_year {
            for j in uasc_rows.get(child).into_iter().flatten() {
                o.push("1014", Table::Uasc, *j, child, &["CHILD"]);
            }
        }
    }
    // 1012: no other tables for a care leaver who had no episodes in the year.
    for t in [
        Table::PlacedAdoption,
        Table::Missing,
        Table::Reviews,
        Table::Ad1,
        Table::PrevPerm,
        Table::Oc2,
    ] {
        for (i, r) in ret.rows(t).iter().enumerate() {
            let child = cell(t, r, "CHILD");
            if no_episode_leavers.contains(child) {
                o.push("1012", t, i, child, &["CHILD"]);
            }
        }
    }
}
