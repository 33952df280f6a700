//! Previous permanence (the PrevPerm table): the option before this period of care, its date and
//! where it was arranged.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};

use super::Table;
use super::facts::{Facts, cell, is};
use super::rules::{Out, date};

const PREV_PERM: &[&str] = &["P1", "P2", "P3", "P4", "Z1"];

/// DfE three-digit local authority codes, and the codes for outside England.
const LA_CODES: &[&str] = &[
    "800", "889", "822", "301", "304", "303", "330", "825", "837", "302", "846", "370", "350",
    "890", "867", "380", "305", "801", "351", "873", "823", "895", "896", "381", "909", "202",
    "908", "331", "306", "841", "830", "831", "878", "371", "835", "332", "840", "307", "308",
    "811", "881", "845", "390", "916", "203", "876", "850", "311", "204", "884", "312", "205",
    "313", "805", "919", "310", "309", "420", "921", "206", "207", "886", "810", "382", "314",
    "340", "888", "208", "856", "383", "855", "209", "925", "341", "201", "821", "352", "806",
    "887", "826", "315", "929", "812", "391", "926", "892", "813", "802", "928", "891", "392",
    "316", "815", "353", "931", "879", "836", "851", "874", "807", "354", "317", "870", "318",
    "372", "857", "333", "935", "343", "803", "373", "342", "893", "356", "355", "871", "394",
    "334", "933", "882", "936", "861", "852", "319", "860", "808", "393", "866", "210", "357",
    "894", "883", "880", "358", "211", "937", "869", "320", "359", "865", "384", "335", "336",
    "212", "868", "872", "885", "344", "877", "213", "938", "816", "999", "WAL", "SCO", "NUK",
    "NIR",
];

/// A DATE_PERM: dd/mm/yyyy, where unknown parts are `zz` (day, or day and month) or `zz/zz/zzzz`
/// (all). An unknown part is taken as the latest it could be; all unknown is no date but valid.
pub(super) fn perm_date(v: &str) -> Result<Option<NaiveDate>, ()> {
    // Most are whole dates, which the parts below would read the same way.
    if let Some(d) = date(v) {
        return Ok(Some(d));
    }
    let parts: Vec<String> = v.trim().split('/').map(str::to_uppercase).collect();
    let [d, m, y] = parts.as_slice() else {
        return Err(());
    };
    match (d.as_str(), m.as_str(), y.as_str()) {
        ("ZZ", "ZZ", "ZZZZ") => Ok(None),
        ("ZZ", "ZZ", y) => date(&format!("31/12/{y}")).map(Some).ok_or(()),
        ("ZZ", m, y) => date(&format!("01/{m}/{y}"))
            .and_then(|f| f.checked_add_months(Months::new(1)))
            .and_then(|n| n.pred_opt())
            .map(Some)
            .ok_or(()),
        _ => date(v).map(Some).ok_or(()),
    }
}

pub(super) fn check(f: &Facts, o: &mut Out<'_>) {
    let pp = Table::PrevPerm;
    let start = f.ctx.start;
    let mut rows: BTreeMap<&str, usize> = BTreeMap::new();
    let april_2016 = NaiveDate::from_ymd_opt(2016, 4, 1).expect("valid");
    for (i, r) in f.ret.rows(pp).iter().enumerate() {
        let child = cell(pp, r, "CHILD");
        rows.entry(child).or_insert(i);
        let (perm, la, when) = (
            cell(pp, r, "PREV_PERM"),
            cell(pp, r, "LA_PERM"),
            cell(pp, r, "DATE_PERM"),
        );
        // 631: a valid option; 633: a valid LA code.
        if !perm.is_empty() && !is(perm, PREV_PERM) {
            o.push("631", pp, i, child, &["PREV_PERM"]);
        }
        if !la.is_empty() && !is(la, LA_CODES) {
            o.push("633", pp, i, child, &["LA_PERM"]);
        }
        // 635: no date or LA for "no previous permanence option" (Z1).
        if is(perm, &["Z1"]) && (!la.is_empty() || !when.is_empty()) {
            o.push("635", pp, i, child, &["PREV_PERM", "LA_PERM", "DATE_PERM"]);
        }
        let eps = f.episodes(child);
        // 632: a valid date, before the child's first episode.
        if !when.is_empty() {
            match perm_date(when) {
                Err(()) => o.push("632", pp, i, child, &["DATE_PERM"]),
                Ok(Some(d)) if eps.first().is_some_and(|e| d >= e.decom) => {
                    o.push("632", pp, i, child, &["DATE_PERM"]);
                    o.push("632", Table::Episodes, eps[0].i, child, &["DECOM"]);
                }
                Ok(_) => {}
            }
        }
        // 634: previous permanence only for a period of care that started on or after
        // 1 April 2016.
        let any_data = !perm.is_empty() || !la.is_empty() || !when.is_empty();
        if let Some(s) = eps.iter().rev().find(|e| e.is("RNE", &["S"]))
            && any_data
            && s.decom < april_2016
        {
            o.push("634", pp, i, child, &["PREV_PERM"]);
            o.push("634", Table::Episodes, s.i, child, &["DECOM", "RNE"]);
        }
    }
    // 630: a child starting care in the year has a previous permanence option; for adoption,
    // SGO or CAO (P1-P3) with its date.
    for (child, eps) in &f.eps {
        for e in eps
            .iter()
            .filter(|e| e.is("RNE", &["S"]) && e.decom >= start)
        {
            let r = rows.get(child).map(|i| &f.ret.rows(pp)[*i]);
            let missing = match r {
                None => true,
                Some(r) => {
                    let perm = cell(pp, r, "PREV_PERM");
                    perm.is_empty()
                        || (is(perm, &["P1", "P2", "P3"]) && cell(pp, r, "DATE_PERM").is_empty())
                }
            };
            if missing {
                o.push("630", Table::Episodes, e.i, child, &["RNE", "DECOM"]);
            }
        }
    }
}
