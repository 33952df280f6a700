//! Outcome rules: OC2 (looked after continuously for 12 months) and OC3 (care leavers), which
//! depend on whether the child was looked after continuously, and on age.

use super::Table;
use super::facts::{Facts, cell, plus_years};
use super::rules::Out;
use super::rules_fields::{AD1_ITEMS, OC2_ITEMS, OC3_ITEMS, any};

pub(super) fn check(f: &Facts, o: &mut Out<'_>) {
    let ret = f.ret;
    let (oc2, oc3, ad1) = (Table::Oc2, Table::Oc3, Table::Ad1);
    let (start, end) = (f.ctx.start, f.ctx.end);
    let has_episodes = !ret.rows(Table::Episodes).is_empty();

    let mut oc2_children = std::collections::HashSet::new();
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
    let oc2_with_items: std::collections::HashMap<&str, usize> = ret
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
