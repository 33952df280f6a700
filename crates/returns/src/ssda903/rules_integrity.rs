//! Integrity checks between the tables (DfE's INT rules and EPI): every child in a table is in
//! the Header, with the same date of birth and sex, once where a table has one row per child, and
//! with episodes.

use foldhash::{HashMap, HashSet};

use super::Table;
use super::facts::{Facts, cell};
use super::rules::{Out, date};

pub(super) fn check(f: &Facts, o: &mut Out<'_>) {
    let ret = f.ret;
    let h = Table::Header;
    if ret.tables.contains_key(&h) {
        let header: HashMap<&str, &[String]> = ret
            .rows(h)
            .iter()
            .map(|r| (cell(h, r, "CHILD"), r.as_slice()))
            .collect();
        // INT01-09: the child is in the Header; INT11-18: with the same date of birth.
        let tables: [(Table, &'static str, Option<&'static str>); 9] = [
            (Table::Ad1, "INT01", Some("INT11")),
            (Table::PlacedAdoption, "INT02", Some("INT12")),
            (Table::Episodes, "INT03", None),
            (Table::Missing, "INT04", Some("INT13")),
            (Table::Oc2, "INT05", Some("INT14")),
            (Table::Oc3, "INT06", Some("INT15")),
            (Table::PrevPerm, "INT07", Some("INT16")),
            (Table::Reviews, "INT08", Some("INT17")),
            (Table::Uasc, "INT09", Some("INT18")),
        ];
        for (t, missing, dob_code) in tables {
            for (i, r) in ret.rows(t).iter().enumerate() {
                let child = cell(t, r, "CHILD");
                let Some(hr) = header.get(child) else {
                    o.push(missing, t, i, child, &["CHILD"]);
                    continue;
                };
                if let Some(code) = dob_code
                    && let (Some(a), Some(b)) = (date(cell(t, r, "DOB")), date(cell(h, hr, "DOB")))
                    && a != b
                {
                    o.push(code, t, i, child, &["DOB"]);
                }
                // INT21: the same sex in UASC as in the Header.
                if t == Table::Uasc {
                    let (a, b) = (cell(t, r, "SEX"), cell(h, hr, "SEX"));
                    if !a.is_empty() && !b.is_empty() && !a.eq_ignore_ascii_case(b) {
                        o.push("INT21", t, i, child, &["SEX"]);
                    }
                }
            }
        }
        // EPI (warning): a child in the Header needs episodes, unless only a care leaver.
        let with_eps: HashSet<&str> = ret
            .rows(Table::Episodes)
            .iter()
            .map(|r| cell(Table::Episodes, r, "CHILD"))
            .collect();
        let leavers: HashSet<&str> = ret
            .rows(Table::Oc3)
            .iter()
            .map(|r| cell(Table::Oc3, r, "CHILD"))
            .collect();
        for (i, r) in ret.rows(h).iter().enumerate() {
            let child = cell(h, r, "CHILD");
            if !with_eps.contains(child) && !leavers.contains(child) {
                o.push("EPI", h, i, child, &["CHILD"]);
            }
        }
    }
    // INT31-36: one row per child in these tables.
    for (t, code) in [
        (Table::Ad1, "INT31"),
        (Table::Header, "INT32"),
        (Table::Oc2, "INT33"),
        (Table::Oc3, "INT34"),
        (Table::PrevPerm, "INT35"),
        (Table::Uasc, "INT36"),
    ] {
        let mut count: HashMap<&str, usize> =
            HashMap::with_capacity_and_hasher(ret.rows(t).len(), Default::default());
        for r in ret.rows(t) {
            *count.entry(cell(t, r, "CHILD")).or_default() += 1;
        }
        for (i, r) in ret.rows(t).iter().enumerate() {
            let child = cell(t, r, "CHILD");
            if count[child] > 1 {
                o.push(code, t, i, child, &["CHILD"]);
            }
        }
    }
}
