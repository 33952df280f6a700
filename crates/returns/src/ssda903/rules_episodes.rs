//! Episode rules: placement and legal-status consistency within an episode, ages for placement
//! types, how long legal statuses and temporary placements last, and the sequence of a child's
//! episodes.

use foldhash::HashMap;

use chrono::NaiveDate;

use super::Table;
use super::facts::{
    ADOPTED, Ep, Facts, PLACED_FOR_ADOPTION, SHORT_BREAKS, TEMPORARY, cell, is, plus_days,
    plus_years, same_squashed, upper,
};
use super::rules::{Out, date};

const E: Table = Table::Episodes;

/// Placement types with no Ofsted URN.
const NO_URN: &[&str] = &[
    "P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z11", "Z12", "Z13", "Z14",
];
/// Placement types with no placement provider.
const NO_PROVIDER: &[&str] = &["T0", "T1", "T2", "T3", "T4", "Z11", "Z12", "Z13", "Z14"];
/// Reasons for a placement change.
const PLACE_CHANGE: &[&str] = &[
    "CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHILD", "LAREQ", "PLACE",
    "CUSTOD", "OTHER",
];
/// Foster placements.
const FOSTER: &[&str] = &["U1", "U2", "U3", "U4", "U5", "U6"];

fn push(o: &mut Out<'_>, code: &'static str, e: &Ep, fields: &[&str]) {
    o.push(code, E, e.i, e.child(), fields);
}

/// Whether a value is a UK postcode by the standard's format and letter rules (rule 392c): the
/// one check, shared with the care forms that refuse such a postcode at entry.
pub(super) use domain::person::postcode_well_formed;

pub(super) fn check(f: &Facts, o: &mut Out<'_>) {
    let ret = f.ret;
    let (start, end) = (f.ctx.start, f.ctx.end);
    let uasc: foldhash::HashSet<&str> = ret
        .rows(Table::Uasc)
        .iter()
        .map(|r| cell(Table::Uasc, r, "CHILD"))
        .collect();

    // Rules on one episode row, whatever its dates.
    for (i, r) in ret.rows(E).iter().enumerate() {
        let g = |c: &str| cell(E, r, c);
        let child = g("CHILD");
        let place = g("PLACE");
        let ls = g("LS");
        let short = is(ls, SHORT_BREAKS);
        let temp = is(place, TEMPORARY);
        let mut p = |code: &'static str, fields: &[&str]| o.push(code, E, i, child, fields);
        // 213: no provider for temporary and Z1x placements.
        if is(place, NO_PROVIDER) && !g("PLACE_PROVIDER").is_empty() {
            p("213", &["PLACE", "PLACE_PROVIDER"]);
        }
        // 214 / 398: no placement postcode or URN for short breaks; no postcodes either.
        if short && (!g("PL_POST").is_empty() || !g("URN").is_empty()) {
            p("214", &["LS", "PL_POST", "URN"]);
        }
        if short && (!g("HOME_POST").is_empty() || !g("PL_POST").is_empty()) {
            p("398", &["LS", "HOME_POST", "PL_POST"]);
        }
        // 217: placed for adoption with current foster carers since April 2015 needs RNE S, T or U.
        if is(place, &["A3", "A5"])
            && date(g("DECOM"))
                .is_some_and(|d| d >= NaiveDate::from_ymd_opt(2015, 4, 1).expect("valid"))
            && !is(g("RNE"), &["S", "T", "U"])
        {
            p("217", &["PLACE", "DECOM", "RNE"]);
        }
        // 218: a URN is required for a placement type that has one (short breaks excepted: 214),
        // for episodes open at or ending after the start of the year. Hearth has no placement
        // LA from postcodes, so placements outside England are not exempted here.
        let current = g("DEC").is_empty() || date(g("DEC")).is_some_and(|d| d >= start);
        if !place.is_empty() && !is(place, NO_URN) && !short && g("URN").is_empty() && current {
            p("218", &["URN", "PLACE"]);
        }
        // 222: no URN (other than XXXXXXX) for placement types without one.
        if is(place, NO_URN) && !g("URN").is_empty() && !g("URN").eq_ignore_ascii_case("XXXXXXX") {
            p("222", &["URN", "PLACE"]);
        }
        // 353: no episode starts before 14 October 1991; 354: none after the year; 385: none ends
        // after the year.
        if date(g("DECOM"))
            .is_some_and(|d| d < NaiveDate::from_ymd_opt(1991, 10, 14).expect("valid"))
        {
            p("353", &["DECOM"]);
        }
        if date(g("DECOM")).is_some_and(|d| d > end) {
            p("354", &["DECOM"]);
        }
        if date(g("DEC")).is_some_and(|d| d > end) {
            p("385", &["DEC"]);
        }
        // 366: a short break (V3) is an episode of its own, starting with RNE S.
        if is(ls, &["V3"]) && !is(g("RNE"), &["S"]) {
            p("366", &["LS", "RNE"]);
        }
        // 378: a child placed with parents is not accommodated under s20 (V2).
        if is(place, &["P1"]) && is(ls, &["V2"]) {
            p("378", &["PLACE", "LS"]);
        }
        // 380: a temporary placement starts with a placement change (RNE P or B); 381: care does
        // not end in one; 382: short breaks are not temporary placements.
        if temp && !is(g("RNE"), &["P", "B"]) {
            p("380", &["PLACE", "RNE"]);
        }
        if temp && !g("REC").is_empty() && !is(g("REC"), &["X1"]) {
            p("381", &["PLACE", "REC"]);
        }
        if temp && short {
            p("382", &["LS", "PLACE"]);
        }
        // 384: short breaks are not long-term foster placements.
        if short && is(place, &["U1", "U4"]) {
            p("384", &["LS", "PLACE"]);
        }
        // 390: adopted children were placed for adoption.
        if is(g("REC"), ADOPTED) && !is(place, PLACED_FOR_ADOPTION) {
            p("390", &["REC", "PLACE"]);
        }
        // 392b: postcodes for every looked-after episode but short breaks (UASC children excepted);
        // 392c: postcodes well formed; 392d: home and placement postcodes differ unless P1.
        let (home, pl) = (g("HOME_POST"), g("PL_POST"));
        if !short && !uasc.contains(child) && (home.is_empty() || pl.is_empty()) {
            p("392b", &["HOME_POST", "PL_POST"]);
        }
        if (!home.is_empty() && !postcode_well_formed(home))
            || (!pl.is_empty() && !postcode_well_formed(pl))
        {
            p("392c", &["HOME_POST", "PL_POST"]);
        }
        if !home.is_empty() && same_squashed(home, pl) && !is(place, &["P1"]) {
            p("392d", &["HOME_POST", "PL_POST", "PLACE"]);
        }
        // 1009: a valid reason for a placement change; 233: none on an episode still open.
        let reason = g("REASON_PLACE_CHANGE");
        if !reason.is_empty() && !is(reason, PLACE_CHANGE) {
            p("1009", &["REASON_PLACE_CHANGE"]);
        }
        if !reason.is_empty() && g("DEC").is_empty() {
            p("233", &["REASON_PLACE_CHANGE", "DEC"]);
        }
        // 234: no move into custody (CUSTOD) for a child under 10 at the change.
        if is(reason, &["CUSTOD"])
            && let Some(dob) = f.dob.get(child)
            && let Some(on) = date(g("DEC")).or(date(g("DECOM")))
            && on < plus_years(*dob, 10)
        {
            p("234", &["REASON_PLACE_CHANGE", "DEC"]);
        }
        // 408: placed for adoption under a placement order (A5/A6) needs the order (LS E1).
        if is(place, &["A5", "A6"]) && !is(ls, &["E1"]) {
            p("408", &["PLACE", "LS"]);
        }
        // 446: no placement order (E1) before December 2005.
        if is(ls, &["E1"])
            && date(g("DECOM"))
                .is_some_and(|d| d < NaiveDate::from_ymd_opt(2005, 12, 1).expect("valid"))
        {
            p("446", &["LS", "DECOM"]);
        }
        // 516: a special guardianship order to former foster carers (E45/E46) ends a foster
        // placement.
        if is(g("REC"), &["E45", "E46"]) && !is(place, FOSTER) {
            p("516", &["REC", "PLACE"]);
        }
        // 526: a provider for every placement type that has one; 527-531 and 550: providers that
        // cannot run a placement type.
        let provider = g("PLACE_PROVIDER");
        if !place.is_empty() && !is(place, NO_PROVIDER) && provider.is_empty() {
            p("526", &["PLACE_PROVIDER", "PLACE"]);
        }
        let bad = |code: &str, places: &[&str]| is(provider, &[code]) && is(place, places);
        let foster_etc = [
            "A3", "A4", "A5", "A6", "K1", "K2", "P1", "U1", "U2", "U3", "U4", "U5", "U6",
        ];
        for (code, pr, places) in [
            ("527", "PR1", &["P1", "R2", "R5"][..]),
            ("528", "PR2", &["P1", "R2", "R5"][..]),
            ("529", "PR3", &foster_etc[..]),
            ("530", "PR4", &["P1"][..]),
            ("531", "PR5", &["P1"][..]),
        ] {
            if bad(pr, places) {
                p(code, &["PLACE_PROVIDER", "PLACE"]);
            }
        }
        if is(provider, &["PR0"]) && !is(place, &["P1"]) {
            p("550", &["PLACE_PROVIDER", "PLACE"]);
        }
    }

    for (child, eps) in &f.eps {
        let child = *child;
        let dob = f.dob.get(child).copied();
        for (k, e) in eps.iter().enumerate() {
            let prev = k.checked_sub(1).map(|j| &eps[j]);
            let next = eps.get(k + 1);
            if let Some(p) = prev {
                let same = |c: &str| e.get(c).eq_ignore_ascii_case(p.get(c));
                let place_same = ["PLACE", "PL_POST", "URN", "PLACE_PROVIDER"]
                    .iter()
                    .all(|c| same(c));
                // 431: a new period of care (S) starts after the previous episode ended.
                if e.is("RNE", &["S"]) && p.dec.is_some_and(|d| e.decom <= d) {
                    push(o, "431", e, &["RNE", "DECOM"]);
                }
                // 432: after care ended (a REC other than X1) the next episode starts care (S).
                if !p.get("REC").is_empty() && !p.is("REC", &["X1"]) && !e.is("RNE", &["S"]) {
                    push(o, "432", e, &["RNE"]);
                }
                // 433: a continuation episode starts the day the one before ends.
                if e.is("RNE", &["P", "L", "T", "U", "B"]) && p.dec != Some(e.decom) {
                    push(o, "433", e, &["RNE", "DECOM"]);
                }
                // 434: L changes the legal status only; 435: P and T change the placement only;
                // 436: U and B change both.
                if e.is("RNE", &["L"]) && (same("LS") || !place_same) {
                    push(o, "434", e, &["RNE", "LS", "PLACE"]);
                }
                if e.is("RNE", &["P", "T"]) && (!same("LS") || place_same) {
                    push(o, "435", e, &["RNE", "LS", "PLACE"]);
                }
                if e.is("RNE", &["U", "B"]) && (same("LS") || place_same) {
                    push(o, "436", e, &["RNE", "LS", "PLACE"]);
                }
                // 501: no episode starts before the previous one ended.
                if p.dec.is_some_and(|d| e.decom < d) {
                    push(o, "501", e, &["DECOM"]);
                }
                // 504: the category of need stays the same through a period of care.
                if p.is("REC", &["X1"]) && p.dec == Some(e.decom) && !same("CIN") {
                    push(o, "504", e, &["CIN"]);
                }
            }
            // 437: no episodes after the child died (E2) or was assessed as an adult (E15).
            if e.is("REC", &["E2", "E15"]) && next.is_some() {
                push(o, "437", e, &["REC"]);
            }
            // 407: special guardianship orders end care before the 18th birthday.
            if let (Some(dob), Some(dec)) = (dob, e.dec)
                && e.is("REC", &["E45", "E46", "E47", "E48"])
                && plus_years(dob, 18) < dec
            {
                push(o, "407", e, &["REC", "DEC"]);
                if let Some(h) = f.header_row.get(child) {
                    o.push("407", Table::Header, *h, child, &["DOB"]);
                }
            }
            // 225: a placement change records its reason on the episode that ends.
            if let Some(n) = next
                && e.is("REC", &["X1"])
                && e.get("REASON_PLACE_CHANGE").is_empty()
                && !e.is("PLACE", TEMPORARY)
                && n.is("RNE", &["P", "B", "T", "U"])
                && !n.is("PLACE", TEMPORARY)
            {
                push(o, "225", e, &["REASON_PLACE_CHANGE"]);
            }
            // 226: no reason for a change into or out of a temporary placement.
            if e.is("PLACE", TEMPORARY)
                && (!e.get("REASON_PLACE_CHANGE").is_empty()
                    || prev.is_some_and(|p| !p.get("REASON_PLACE_CHANGE").is_empty()))
            {
                push(o, "226", e, &["PLACE", "REASON_PLACE_CHANGE"]);
            }
            // 383: after a temporary placement the child returns (RNE P) to the placement before.
            if let (Some(p), Some(before)) = (prev, k.checked_sub(2).map(|j| &eps[j]))
                && p.is("PLACE", TEMPORARY)
                && (!e.is("RNE", &["P"])
                    || !e.get("PLACE").eq_ignore_ascii_case(before.get("PLACE"))
                    || !e.get("PL_POST").eq_ignore_ascii_case(before.get("PL_POST")))
            {
                push(o, "383", e, &["RNE", "PLACE", "PL_POST"]);
            }
            // 388: X1 means the next episode starts the day this one ends, and only X1 does.
            match (e.dec, next) {
                (Some(d), Some(n)) if e.is("REC", &["X1"]) && d != n.decom => {
                    push(o, "388", e, &["REC", "DEC"])
                }
                (Some(d), Some(n))
                    if !e.get("REC").is_empty() && !e.is("REC", &["X1"]) && d == n.decom =>
                {
                    push(o, "388", e, &["REC", "DEC"])
                }
                // The latest episode coded X1 has no continuation, whether or not it has an end
                // date.
                (_, None) if e.is("REC", &["X1"]) => push(o, "388", e, &["REC", "DEC"]),
                _ => {}
            }
            // 365: a short break (V3) lasts at most 17 days.
            if e.is("LS", &["V3"]) && e.dec_or(end) > plus_days(e.decom, 17) {
                push(o, "365", e, &["LS", "DECOM", "DEC"]);
            }
            // 375 / 376 / 379: how long temporary placements may last (open ones to 31 March).
            let limit = match &*upper(e.get("PLACE")) {
                "T1" => Some(("375", 42)),
                "T3" => Some(("376", 21)),
                "T4" => Some(("379", 7)),
                _ => None,
            };
            if let Some((code, days)) = limit
                && e.dec_or(end) > plus_days(e.decom, days)
            {
                push(o, code, e, &["PLACE", "DECOM", "DEC"]);
            }
            if let Some(dob) = dob {
                // 371-374: minimum ages for placement types, at the episode's start.
                let min_age = match &*upper(e.get("PLACE")) {
                    "K3" => Some(("371", 16)),
                    "R5" => Some(("372", 10)),
                    "S1" => Some(("373", 4)),
                    "P3" => Some(("374", 14)),
                    _ => None,
                };
                if let Some((code, years)) = min_age
                    && e.decom < plus_years(dob, years)
                {
                    push(o, code, e, &["PLACE", "DECOM"]);
                }
                // 359: looked after past 18 only under s20 (V2) in a children's home (K2).
                if plus_years(dob, 18) < end
                    && e.get("DEC").is_empty()
                    && !(e.is("LS", &["V2"]) && e.is("PLACE", &["K2"]))
                {
                    push(o, "359", e, &["LS", "PLACE", "DEC"]);
                }
            }
        }
        if let Some(first) = eps.first() {
            // 357: a child's first episode, if it starts in the year, starts care (RNE S).
            if first.decom >= start && !first.is("RNE", &["S"]) {
                push(o, "357", first, &["RNE"]);
            }
            // 302: the first episode starts after the child's birth.
            if dob.is_some_and(|d| first.decom < d) {
                push(o, "302", first, &["DECOM"]);
                if let Some(h) = f.header_row.get(child) {
                    o.push("302", Table::Header, *h, child, &["DOB"]);
                }
            }
        }
        // 361-364: continuous runs of a legal status no longer than the law allows.
        for (code, ls, days) in [
            ("361", "L1", 3),
            ("362", "L2", 21),
            ("363", "L3", 7),
            ("364", "J2", 21),
        ] {
            for run in runs(eps, |e| e.is("LS", &[ls])) {
                let from = run[0].decom;
                let to = run.iter().map(|e| e.dec_or(end)).max().unwrap_or(from);
                if to > plus_days(from, days) {
                    for e in run {
                        push(o, code, e, &["LS", "DECOM", "DEC"]);
                    }
                }
            }
        }
        // 367: at most 75 days of short breaks (V3) in the year.
        let v3: Vec<&Ep> = eps.iter().filter(|e| e.is("LS", &["V3"])).collect();
        let total: i64 = v3
            .iter()
            .map(|e| {
                let to = e.dec_or(end).min(end);
                let from = e.decom.max(start);
                (to - from).num_days().max(0)
            })
            .sum();
        if total > 75 {
            for e in v3 {
                push(o, "367", e, &["LS", "DECOM", "DEC"]);
            }
        }
        // 377: at most two T3 placements in the year.
        let t3: Vec<&Ep> = eps.iter().filter(|e| e.is("PLACE", &["T3"])).collect();
        if t3.len() > 2 {
            for e in t3 {
                push(o, "377", e, &["PLACE"]);
            }
        }
        // 426: short breaks are recorded as V3 or as V4, not both, in a year.
        if eps.iter().any(|e| e.is("LS", &["V3"])) && eps.iter().any(|e| e.is("LS", &["V4"])) {
            for e in eps.iter().filter(|e| e.is("LS", SHORT_BREAKS)) {
                push(o, "426", e, &["LS"]);
            }
        }
        // 199: a child adopted from care is not looked after again under the same CHILD.
        let mut adopted = f
            .prev_eps
            .get(child)
            .is_some_and(|v| v.iter().any(|e| e.is("REC", ADOPTED)));
        for e in eps {
            if adopted {
                push(o, "199", e, &["CHILD", "REC"]);
            }
            adopted |= e.is("REC", ADOPTED);
        }
    }

    // 393: a girl looked after (other than short breaks) has MOTHER completed; 399: a child only
    // on short breaks has neither MOTHER nor reviews.
    let h = Table::Header;
    let mut short_only: HashMap<&str, bool> = HashMap::default();
    for r in ret.rows(E) {
        let s = short_only.entry(cell(E, r, "CHILD")).or_insert(true);
        *s &= is(cell(E, r, "LS"), SHORT_BREAKS);
    }
    let mut reviews: HashMap<&str, Vec<usize>> = HashMap::default();
    for (j, rv) in ret.rows(Table::Reviews).iter().enumerate() {
        reviews
            .entry(cell(Table::Reviews, rv, "CHILD"))
            .or_default()
            .push(j);
    }
    for (i, r) in ret.rows(h).iter().enumerate() {
        let child = cell(h, r, "CHILD");
        let mother = cell(h, r, "MOTHER");
        let only_short = short_only.get(child).copied();
        if is(cell(h, r, "SEX"), &["F"]) && mother.is_empty() && only_short == Some(false) {
            o.push("393", h, i, child, &["MOTHER"]);
        }
        let revs = reviews.get(child).map(Vec::as_slice).unwrap_or(&[]);
        if only_short == Some(true) && (!mother.is_empty() || !revs.is_empty()) {
            o.push("399", h, i, child, &["MOTHER"]);
            for j in revs {
                o.push("399", Table::Reviews, *j, child, &["REVIEW", "REVIEW_CODE"]);
            }
        }
    }
}

/// Maximal runs of consecutive episodes that all match and each start the day the one before ends.
fn runs<'e, 'a>(eps: &'e [Ep<'a>], matches: impl Fn(&Ep) -> bool) -> Vec<&'e [Ep<'a>]> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < eps.len() {
        if !matches(&eps[k]) {
            k += 1;
            continue;
        }
        let from = k;
        while k + 1 < eps.len() && matches(&eps[k + 1]) && eps[k].dec == Some(eps[k + 1].decom) {
            k += 1;
        }
        out.push(&eps[from..=k]);
        k += 1;
    }
    out
}
