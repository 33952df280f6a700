//! Field-validity and single-table rules: AD1, PlacedAdoption, OC2, OC3, UASC and the Header's
//! dates and unknown-UPN codes.

use super::Table;
use super::facts::{Facts, cell, is, plus_years};
use super::rules::{Out, code_rule, date, date_rule};

const FOSTER_CARE: &[&str] = &["0", "1"];
const NB_ADOPTR: &[&str] = &["1", "2"];
const SEX_ADOPTR: &[&str] = &["M1", "F1", "MM", "FF", "MF"];
const LS_ADOPTR: &[&str] = &["L0", "L11", "L12", "L2", "L3", "L4"];
const REASON_PLACED_CEASED: &[&str] = &["RD1", "RD2", "RD3", "RD4"];
const IN_TOUCH: &[&str] = &["YES", "NO", "DIED", "REFU", "NREQ", "RHOM"];
const ACTIV: &[&str] = &[
    "F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5", "G4", "G5", "G6", "0",
];
const ACCOM: &[&str] = &[
    "B1", "B2", "C1", "C2", "D1", "D2", "E1", "E2", "G1", "G2", "H1", "H2", "K1", "K2", "R1", "R2",
    "S2", "T1", "T2", "U1", "U2", "V1", "V2", "W1", "W2", "X2", "Y1", "Y2", "Z1", "Z2", "0",
];
pub(super) const AD1_ITEMS: &[&str] = &[
    "DATE_INT",
    "DATE_MATCH",
    "FOSTER_CARE",
    "NB_ADOPTR",
    "SEX_ADOPTR",
    "LS_ADOPTR",
];
pub(super) const OC3_ITEMS: &[&str] = &["IN_TOUCH", "ACTIV", "ACCOM"];
pub(super) const OC2_ITEMS: &[&str] = &[
    "CONVICTED",
    "HEALTH_CHECK",
    "IMMUNISATIONS",
    "TEETH_CHECK",
    "HEALTH_ASSESSMENT",
    "SUBSTANCE_MISUSE",
    "INTERVENTION_RECEIVED",
    "INTERVENTION_OFFERED",
];

/// Whether any of the columns has a value.
pub(super) fn any(t: Table, r: &[String], cols: &[&str]) -> bool {
    cols.iter().any(|c| !cell(t, r, c).is_empty())
}

/// Whether every one of the columns has a value.
fn all(t: Table, r: &[String], cols: &[&str]) -> bool {
    cols.iter().all(|c| !cell(t, r, c).is_empty())
}

pub(super) fn check(f: &Facts, o: &mut Out<'_>) {
    let ret = f.ret;
    let (ad1, pa, oc2, oc3, h) = (
        Table::Ad1,
        Table::PlacedAdoption,
        Table::Oc2,
        Table::Oc3,
        Table::Header,
    );
    date_rule(ret, o, "112", ad1, "DATE_INT", false);
    date_rule(ret, o, "113", ad1, "DATE_MATCH", false);
    code_rule(ret, o, "114", ad1, "FOSTER_CARE", FOSTER_CARE, false);
    date_rule(ret, o, "115", pa, "DATE_PLACED", false);
    date_rule(ret, o, "116", pa, "DATE_PLACED_CEASED", false);
    code_rule(
        ret,
        o,
        "120",
        pa,
        "REASON_PLACED_CEASED",
        REASON_PLACED_CEASED,
        false,
    );
    code_rule(ret, o, "131", oc3, "IN_TOUCH", IN_TOUCH, false);
    code_rule(ret, o, "132", oc3, "ACTIV", ACTIV, false);
    code_rule(ret, o, "133", oc3, "ACCOM", ACCOM, false);
    code_rule(ret, o, "175", ad1, "NB_ADOPTR", NB_ADOPTR, false);
    code_rule(ret, o, "176", ad1, "SEX_ADOPTR", SEX_ADOPTR, false);
    code_rule(ret, o, "177", ad1, "LS_ADOPTR", LS_ADOPTR, false);

    // 119: a decision to stop placing for adoption needs both its date and its reason.
    for (i, r) in ret.rows(pa).iter().enumerate() {
        let (d, why) = (
            cell(pa, r, "DATE_PLACED_CEASED"),
            cell(pa, r, "REASON_PLACED_CEASED"),
        );
        if d.is_empty() != why.is_empty() {
            o.push(
                "119",
                pa,
                i,
                cell(pa, r, "CHILD"),
                &["DATE_PLACED_CEASED", "REASON_PLACED_CEASED"],
            );
        }
    }

    // 151: the adoption items are all completed or all blank.
    for (i, r) in ret.rows(ad1).iter().enumerate() {
        if any(ad1, r, AD1_ITEMS) && !all(ad1, r, AD1_ITEMS) {
            o.push("151", ad1, i, cell(ad1, r, "CHILD"), AD1_ITEMS);
        }
    }
    // 134: no adoption data for a child in the care leavers (OC3) cohort.
    let oc3_children: foldhash::HashSet<&str> = ret
        .rows(oc3)
        .iter()
        .filter(|r| any(oc3, r, OC3_ITEMS))
        .map(|r| cell(oc3, r, "CHILD"))
        .collect();
    for (i, r) in ret.rows(ad1).iter().enumerate() {
        let child = cell(ad1, r, "CHILD");
        if any(ad1, r, AD1_ITEMS) && oc3_children.contains(child) {
            o.push("134", ad1, i, child, AD1_ITEMS);
        }
    }

    // OC3: all or none (153); what DIED/RHOM (344) and YES (345) allow; foyers (347); age (391).
    for (i, r) in ret.rows(oc3).iter().enumerate() {
        let child = cell(oc3, r, "CHILD");
        if any(oc3, r, OC3_ITEMS) && !all(oc3, r, OC3_ITEMS) {
            o.push("153", oc3, i, child, OC3_ITEMS);
        }
        let (touch, activ, accom) = (
            cell(oc3, r, "IN_TOUCH"),
            cell(oc3, r, "ACTIV"),
            cell(oc3, r, "ACCOM"),
        );
        let completed = |v: &str| !v.is_empty() && v != "0";
        if is(touch, &["DIED", "RHOM"]) && (completed(activ) || completed(accom)) {
            o.push("344", oc3, i, child, OC3_ITEMS);
        }
        if is(touch, &["YES"]) && (activ == "0" || accom == "0") {
            o.push("345", oc3, i, child, OC3_ITEMS);
        }
        let dob = f.dob_of(child, cell(oc3, r, "DOB"));
        if let Some(dob) = dob {
            if accom.to_uppercase().starts_with('T') && plus_years(dob, 18) > f.ctx.start {
                o.push("347", oc3, i, child, &["ACCOM", "DOB"]);
            }
            if plus_years(dob, 17) > f.ctx.end && any(oc3, r, OC3_ITEMS) {
                o.push("391", oc3, i, child, &["DOB", "IN_TOUCH", "ACTIV", "ACCOM"]);
            }
        }
    }

    // OC2 items: 0 or 1 (181); the health items together (182); substance misuse (158, 159, 192,
    // 193); an SDQ score or a reason for none, not both (197a).
    for (i, r) in ret.rows(oc2).iter().enumerate() {
        let child = cell(oc2, r, "CHILD");
        let v = |c: &str| cell(oc2, r, c);
        if OC2_ITEMS
            .iter()
            .any(|c| !v(c).is_empty() && !is(v(c), &["0", "1"]))
        {
            o.push("181", oc2, i, child, OC2_ITEMS);
        }
        let core = [
            "IMMUNISATIONS",
            "TEETH_CHECK",
            "HEALTH_ASSESSMENT",
            "SUBSTANCE_MISUSE",
        ];
        let others = [
            "CONVICTED",
            "HEALTH_CHECK",
            "INTERVENTION_RECEIVED",
            "INTERVENTION_OFFERED",
        ];
        if core.iter().any(|c| v(c).is_empty()) && any(oc2, r, &others) {
            o.push("182", oc2, i, child, OC2_ITEMS);
        }
        let (misuse, received, offered) = (
            v("SUBSTANCE_MISUSE"),
            v("INTERVENTION_RECEIVED"),
            v("INTERVENTION_OFFERED"),
        );
        if received == "1" && !offered.is_empty() {
            o.push(
                "158",
                oc2,
                i,
                child,
                &["INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"],
            );
        }
        if misuse == "1" && received == "0" && offered.is_empty() {
            o.push(
                "159",
                oc2,
                i,
                child,
                &[
                    "SUBSTANCE_MISUSE",
                    "INTERVENTION_RECEIVED",
                    "INTERVENTION_OFFERED",
                ],
            );
        }
        if misuse == "1" && received.is_empty() {
            o.push(
                "192",
                oc2,
                i,
                child,
                &["SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED"],
            );
        }
        if (misuse.is_empty() || misuse == "0") && (!received.is_empty() || !offered.is_empty()) {
            o.push(
                "193",
                oc2,
                i,
                child,
                &[
                    "SUBSTANCE_MISUSE",
                    "INTERVENTION_RECEIVED",
                    "INTERVENTION_OFFERED",
                ],
            );
        }
        if !v("SDQ_SCORE").is_empty() && !v("SDQ_REASON").is_empty() {
            o.push("197a", oc2, i, child, &["SDQ_SCORE", "SDQ_REASON"]);
        }
    }

    // UASC status ceased on or before the 18th birthday (304).
    let u = Table::Uasc;
    for (i, r) in ret.rows(u).iter().enumerate() {
        let child = cell(u, r, "CHILD");
        let dob = date(cell(u, r, "DOB")).or_else(|| f.dob.get(child).copied());
        if let (Some(duc), Some(dob)) = (date(cell(u, r, "DUC")), dob)
            && duc > plus_years(dob, 18)
        {
            o.push("304", u, i, child, &["DUC", "DOB"]);
        }
    }

    // Header: born after the year (301); over 25 at its start (351); UN1 at school age (209);
    // UN4 for a child looked after for more than a week at 31 March (210).
    let school_ref =
        chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&f.ctx.start) - 1, 8, 31)
            .expect("valid");
    let week_before_end = f.ctx.end - chrono::Days::new(7);
    let uasc: foldhash::HashSet<&str> = ret
        .rows(Table::Uasc)
        .iter()
        .map(|r| cell(Table::Uasc, r, "CHILD"))
        .collect();
    for (i, r) in ret.rows(h).iter().enumerate() {
        let child = cell(h, r, "CHILD");
        let upn = cell(h, r, "UPN");
        // 232 (query): sex reported as unknown.
        if is(cell(h, r, "SEX"), &["U"]) {
            o.push("232", h, i, child, &["SEX"]);
        }
        // 231 (query): a UASC child under 11 at the end of the year.
        if uasc.contains(child)
            && date(cell(h, r, "DOB")).is_some_and(|d| plus_years(d, 11) > f.ctx.end)
        {
            o.push("231", h, i, child, &["DOB"]);
        }
        if let Some(dob) = date(cell(h, r, "DOB")) {
            if dob > f.ctx.end {
                o.push("301", h, i, child, &["DOB"]);
            }
            if f.ctx.start > plus_years(dob, 25) {
                o.push("351", h, i, child, &["DOB"]);
            }
            if is(upn, &["UN1"]) && school_ref >= plus_years(dob, 4) {
                o.push("209", h, i, child, &["UPN", "DOB"]);
            }
        }
        if is(upn, &["UN4"]) {
            // The current period of care: from the latest start (RNE S) to an open episode.
            let eps = f.episodes(child);
            let open = eps
                .last()
                .is_some_and(|e| e.dec.is_none_or(|d| d > f.ctx.end));
            let began = eps
                .iter()
                .rev()
                .find(|e| e.is("RNE", &["S"]))
                .or(eps.first())
                .map(|e| e.decom);
            if open && began.is_some_and(|b| b < week_before_end) {
                o.push("210", h, i, child, &["UPN"]);
            }
        }
    }
}
