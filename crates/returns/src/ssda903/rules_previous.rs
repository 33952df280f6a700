//! Rules comparing the return with the previous year's: what is recorded about a child does not
//! change between years, an episode open at the end of last year continues, and decisions,
//! missing periods and care leavers carry over. Run only when the previous return is given.

use foldhash::HashMap;

use super::facts::{Ep, Facts, SHORT_BREAKS, cell, is, plus_years};
use super::rules::{Out, date};
use super::rules_fields::{OC3_ITEMS, any};
use super::{Return, Table};

const UNKNOWN_UPN: &[&str] = &["UN1", "UN2", "UN3", "UN4", "UN5"];

/// The first row of each child in a table.
fn first_rows(ret: &Return, t: Table) -> HashMap<&str, &[String]> {
    let mut m = HashMap::default();
    for r in ret.rows(t) {
        m.entry(cell(t, r, "CHILD")).or_insert(r.as_slice());
    }
    m
}

pub(super) fn check(f: &Facts, o: &mut Out<'_>) {
    let Some(prev) = f.prev else {
        return;
    };
    header(f, prev, o);
    episodes(f, o);
    decisions(f, prev, o);
    missing(f, prev, o);
    care_leavers(f, prev, o);
}

/// 202, 203, 204, 205D, 207, 208, 624, 626: the Header against last year's.
fn header(f: &Facts, prev: &Return, o: &mut Out<'_>) {
    let h = Table::Header;
    let last = first_rows(prev, h);
    // Who is UASC: by the XML form's flag, else by the UASC table (unknown without one).
    let uasc_now = super::rules_uasc::uasc_children(f.ret).unwrap_or_default();
    let uasc_then = super::rules_uasc::uasc_children(prev);
    for (i, r) in f.ret.rows(h).iter().enumerate() {
        let child = cell(h, r, "CHILD");
        let Some(l) = last.get(child) else {
            continue;
        };
        let now = |c: &str| cell(h, r, c);
        let then = |c: &str| cell(h, l, c);
        let differs = |c: &str| !now(c).eq_ignore_ascii_case(then(c));
        if differs("SEX") {
            o.push("202", h, i, child, &["SEX"]);
        }
        if date(now("DOB")) != date(then("DOB")) || (date(now("DOB")).is_none() && differs("DOB")) {
            o.push("203", h, i, child, &["DOB"]);
        }
        if differs("ETHNIC") {
            o.push("204", h, i, child, &["ETHNIC"]);
        }
        // 205D: a child UASC this year was UASC last year too.
        if uasc_then
            .as_ref()
            .is_some_and(|then| uasc_now.contains(child) && !then.contains(child))
        {
            o.push("205D", h, i, child, &["CHILD"]);
        }
        // 207: a mother last year is still one (for a child with episodes this year).
        if then("MOTHER") == "1" && now("MOTHER") != "1" && !f.episodes(child).is_empty() {
            o.push("207", h, i, child, &["MOTHER"]);
        }
        // 208: a UPN does not change, except from unknown (or UN1, not yet of school age, to
        // another unknown code) to known.
        let (u_now, u_then) = (now("UPN").to_uppercase(), then("UPN").to_uppercase());
        if u_now != u_then {
            let unknown_then = u_then.is_empty() || is(&u_then, UNKNOWN_UPN);
            let known_now = !u_now.is_empty() && !is(&u_now, UNKNOWN_UPN);
            let un1_to_unknown =
                (u_then.is_empty() || u_then == "UN1") && is(&u_now, &["UN2", "UN3", "UN4", "UN5"]);
            if !(un1_to_unknown || (unknown_then && known_now)) {
                o.push("208", h, i, child, &["UPN"]);
            }
        }
        // 624: the first child's date of birth does not change.
        if !then("MC_DOB").is_empty() && date(now("MC_DOB")) != date(then("MC_DOB")) {
            o.push("624", h, i, child, &["MC_DOB"]);
        }
        // 626: a mother this year who was not last year has her first child during this year.
        if now("MOTHER") == "1"
            && then("MOTHER") == "0"
            && date(now("MC_DOB")).is_some_and(|d| d < f.ctx.start)
        {
            o.push("626", h, i, child, &["MOTHER", "MC_DOB"]);
        }
    }
}

/// 502, 503A-F, 562, NoE: this year's first episode against last year's latest.
fn episodes(f: &Facts, o: &mut Out<'_>) {
    let start = f.ctx.start;
    for (child, eps) in &f.eps {
        let first: &Ep = &eps[0];
        let last_eps = f.prev_eps.get(child).map(Vec::as_slice).unwrap_or(&[]);
        // NoE: a child in care before this year has episodes last year.
        if last_eps.is_empty() {
            for e in eps.iter().filter(|e| e.decom < start) {
                o.push("NoE", Table::Episodes, e.i, child, &["DECOM"]);
            }
            continue;
        }
        // 502: an episode open at the end of last year is this year's first.
        if last_eps
            .iter()
            .any(|l| l.get("DEC").is_empty() && l.decom != first.decom)
        {
            o.push("502", Table::Episodes, first.i, child, &["DECOM"]);
        }
        let latest = last_eps.last().expect("not empty");
        // 562: a first episode that began before the year is last year's latest.
        if first.decom < start && latest.decom != first.decom {
            o.push("562", Table::Episodes, first.i, child, &["DECOM"]);
        }
        // 503A-F: the first episode carries on last year's open latest episode.
        if latest.get("DEC").is_empty() {
            for (code, col) in [
                ("503A", "RNE"),
                ("503B", "LS"),
                ("503C", "CIN"),
                ("503D", "PLACE"),
                ("503E", "PLACE_PROVIDER"),
                ("503F", "URN"),
            ] {
                let (now, then) = (first.get(col), latest.get(col));
                // Z1 became Z11-Z14 in 2025/26.
                let renamed =
                    col == "PLACE" && is(then, &["Z1"]) && is(now, &["Z11", "Z12", "Z13", "Z14"]);
                if !now.eq_ignore_ascii_case(then) && !renamed {
                    o.push(code, Table::Episodes, first.i, child, &[col]);
                }
            }
        }
    }
}

/// 559, 560, 561, 584: decisions to place for adoption against last year's.
fn decisions(f: &Facts, prev: &Return, o: &mut Out<'_>) {
    let pa = Table::PlacedAdoption;
    let mut last: HashMap<&str, Vec<&[String]>> = HashMap::default();
    for r in prev.rows(pa) {
        last.entry(cell(pa, r, "CHILD"))
            .or_default()
            .push(r.as_slice());
    }
    let mut now: HashMap<&str, Vec<(usize, &[String])>> = HashMap::default();
    for (i, r) in f.ret.rows(pa).iter().enumerate() {
        now.entry(cell(pa, r, "CHILD"))
            .or_default()
            .push((i, r.as_slice()));
    }
    let placed = |r: &[String]| date(cell(pa, r, "DATE_PLACED"));
    let stopped = |r: &[String]| {
        !cell(pa, r, "DATE_PLACED_CEASED").is_empty()
            || !cell(pa, r, "REASON_PLACED_CEASED").is_empty()
    };
    for (child, rows) in &now {
        let then = last.get(child).map(Vec::as_slice).unwrap_or(&[]);
        for (i, r) in rows {
            // 559: a decision made before this year was in last year's return.
            if placed(r).is_some_and(|d| d < f.ctx.start)
                && !then.iter().any(|l| placed(l).is_some())
            {
                o.push("559", pa, *i, child, &["DATE_PLACED"]);
            }
            // 561: a decision reversed last year is not reported again as this year's.
            if placed(r).is_some() && then.iter().any(|l| stopped(l) && placed(l) == placed(r)) {
                o.push("561", pa, *i, child, &["DATE_PLACED"]);
            }
            // 584: after a reversal last year, a decision this year is a new, later one.
            if then.iter().filter(|l| stopped(l)).any(|l| {
                placed(r).is_none() || placed(r).zip(placed(l)).is_some_and(|(a, b)| a <= b)
            }) {
                o.push("584", pa, *i, child, &["DATE_PLACED"]);
            }
        }
        // 560: a decision still open at the end of last year is reported with the same date.
        for l in then.iter().filter(|l| !stopped(l)) {
            if let Some(d) = placed(l)
                && !rows.iter().any(|(_, r)| placed(r) == Some(d))
            {
                for (i, _) in rows {
                    o.push("560", pa, *i, child, &["DATE_PLACED"]);
                }
            }
        }
    }
}

/// 576: a missing period open at the end of last year starts this year's.
fn missing(f: &Facts, prev: &Return, o: &mut Out<'_>) {
    let m = Table::Missing;
    let mut open_last: HashMap<&str, Option<chrono::NaiveDate>> = HashMap::default();
    for r in prev.rows(m) {
        if cell(m, r, "MIS_END").is_empty() && !cell(m, r, "MIS_START").is_empty() {
            open_last.insert(cell(m, r, "CHILD"), date(cell(m, r, "MIS_START")));
        }
    }
    let mut earliest: HashMap<&str, (Option<chrono::NaiveDate>, usize)> = HashMap::default();
    for (i, r) in f.ret.rows(m).iter().enumerate() {
        let key = (date(cell(m, r, "MIS_START")), i);
        earliest
            .entry(cell(m, r, "CHILD"))
            .and_modify(|e| {
                if key.0.is_some() && (e.0.is_none() || key < *e) {
                    *e = key;
                }
            })
            .or_insert(key);
    }
    for (child, (from, i)) in earliest {
        if let Some(then) = open_last.get(child)
            && from != *then
        {
            o.push("576", m, i, child, &["MIS_START"]);
        }
    }
}

/// 348, 1001, 1002, 1010: care leavers against last year.
fn care_leavers(f: &Facts, prev: &Return, o: &mut Out<'_>) {
    let oc3 = Table::Oc3;
    let last_oc3 = first_rows(prev, oc3);
    let end = f.ctx.end;
    for (i, r) in f.ret.rows(oc3).iter().enumerate() {
        let child = cell(oc3, r, "CHILD");
        // 348: a young person reported as having died stays so.
        if last_oc3
            .get(child)
            .is_some_and(|l| is(cell(oc3, l, "IN_TOUCH"), &["DIED"]))
            && !is(cell(oc3, r, "IN_TOUCH"), &["DIED"])
        {
            o.push("348", oc3, i, child, &["IN_TOUCH"]);
        }
        if !any(oc3, r, OC3_ITEMS) {
            continue;
        }
        let now = f.episodes(child);
        let then = f.prev_eps.get(child).map(Vec::as_slice).unwrap_or(&[]);
        // 1002: a care leaver has episodes this year or last.
        if now.is_empty() && then.is_empty() {
            o.push("1002", oc3, i, child, OC3_ITEMS);
        }
        // 1010: a child whose care was open at the end of last year has episodes this year.
        if now.is_empty() && then.last().is_some_and(|l| l.get("DEC").is_empty()) {
            o.push("1010", oc3, i, child, OC3_ITEMS);
        }
        // 1001: a relevant or former relevant child: not adopted, and looked after at least
        // 13 weeks from age 14, including a day from 16 (as far as these two years show). Only
        // young people under 20 at the end of the year, whose time in care from 14 can mostly be
        // seen in the two returns.
        let Some(dob) = f.dob.get(child).copied() else {
            continue;
        };
        if plus_years(dob, 20) <= end || (now.is_empty() && then.is_empty()) {
            continue;
        }
        // This year's episodes first, so that an episode in both returns counts as this year
        // has it.
        let mut all: Vec<&Ep> = now.iter().chain(then.iter()).collect();
        all.sort_by_key(|e| e.decom);
        all.dedup_by_key(|e| e.decom);
        let adopted = all.last().is_some_and(|e| e.is("REC", &["E11", "E12"]));
        let (fourteen, sixteen) = (plus_years(dob, 14), plus_years(dob, 16));
        let days_from = |from: chrono::NaiveDate| -> i64 {
            all.iter()
                .filter(|e| !e.is("LS", SHORT_BREAKS))
                .map(|e| (e.dec_or(end) - e.decom.max(from)).num_days().max(0))
                .sum()
        };
        if adopted || days_from(fourteen) < 91 || days_from(sixteen) < 1 {
            o.push("1001", oc3, i, child, OC3_ITEMS);
        }
    }
}
