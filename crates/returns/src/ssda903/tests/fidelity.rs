//! Hearth's reading of the 903 rules where it differs from the data-to-insight reference
//! validator, or where the DfE text is open to two readings, and the fixes of issue 21
//! (docs/validation-differences.md names each test here).

use super::*;
use crate::findings::Finding;
use crate::ssda903::reference::PostcodeDirectory;

fn codes_of(v: &Validation) -> Vec<&str> {
    v.findings.iter().map(|f| f.rule_code.as_str()).collect()
}

fn fires(r: &Return, code: &str) -> bool {
    validate(r, 2026)
        .findings
        .iter()
        .any(|f| f.rule_code == code)
}

/// Findings as comparable tuples, with each Episodes row mapped through `row_of` (the row the
/// episode had in the original file).
fn comparable(v: &Validation, row_of: &dyn Fn(usize) -> usize) -> Vec<String> {
    let mut out: Vec<String> = v
        .findings
        .iter()
        .map(|f: &Finding| {
            let row = f
                .row
                .map(|r| if f.table == "Episodes" { row_of(r) } else { r });
            format!(
                "{} {} {:?} {:?} {:?}",
                f.rule_code, f.table, row, f.child, f.fields
            )
        })
        .collect();
    out.sort();
    out
}

/// The return with its Episodes rows in the order `perm` (new row k holds old row perm[k]).
fn permuted(r: &Return, perm: &[usize]) -> Return {
    let mut out = r.clone();
    let rows = r.rows(Table::Episodes);
    out.tables.get_mut(&Table::Episodes).unwrap().rows =
        perm.iter().map(|i| rows[*i].clone()).collect();
    out
}

fn same_findings_in_any_row_order(r: &Return, what: &str) {
    let n = r.rows(Table::Episodes).len();
    let base = comparable(&validate(r, 2026), &|i| i);
    let reversed: Vec<usize> = (0..n).rev().collect();
    let rotated: Vec<usize> = (0..n).map(|k| (k + 1) % n.max(1)).collect();
    for perm in [reversed, rotated] {
        let v = validate(&permuted(r, &perm), 2026);
        assert_eq!(
            comparable(&v, &|k| perm[k]),
            base,
            "{what}: rows in order {perm:?}"
        );
    }
}

#[test]
fn findings_do_not_depend_on_the_order_of_the_episode_rows() {
    same_findings_in_any_row_order(&baseline(), "baseline");
    for (code, mutate) in failing_cases() {
        let mut r = baseline();
        mutate(&mut r);
        same_findings_in_any_row_order(&r, code);
    }
    same_findings_in_any_row_order(&same_day_starts(), "same-day starts");
}

/// Child 101's open episode is listed before an episode that starts the same day and ends two
/// days later (a placement that lasted two days, recorded after the one that followed it).
fn same_day_starts() -> Return {
    let mut r = baseline();
    let mut short = r.rows(Table::Episodes)[1].clone();
    short[Table::Episodes.col("DEC")] = "12/06/2025".into();
    short[Table::Episodes.col("REC")] = "X1".into();
    short[Table::Episodes.col("REASON_PLACE_CHANGE")] = "CARPL".into();
    r.tables.get_mut(&Table::Episodes).unwrap().rows.push(short);
    r
}

#[test]
fn of_two_episodes_starting_the_same_day_the_open_one_is_the_latest() {
    // Ordered by row, the open episode (row 1) would come first and be "not ended" (142), and
    // the two-day one would be the latest. Ordered by end date with open episodes last, the
    // open one is the latest.
    let r = same_day_starts();
    let v = validate(&r, 2026);
    assert!(
        !v.findings.iter().any(|f| f.rule_code == "142"),
        "{:?}",
        codes_of(&v)
    );
    // 433: the open episode follows the two-day one, which ended on 12 June, not 10 June.
    assert!(
        v.findings
            .iter()
            .any(|f| f.rule_code == "433" && f.row == Some(1)),
        "{:?}",
        codes_of(&v)
    );
}

#[test]
fn sw_rules_are_not_run_without_the_sw_episodes_table() {
    let mut r = baseline();
    r.tables.remove(&Table::SwEpisodes);
    let v = validate(&r, 2026);
    assert!(
        !v.findings.iter().any(|f| f.rule_code.starts_with("SW")),
        "{:?}",
        codes_of(&v)
    );
    let sw: Vec<&(&str, String)> = v
        .skipped
        .iter()
        .filter(|(c, _)| c.starts_with("SW"))
        .collect();
    assert_eq!(sw.len(), 14, "{sw:?}");
    assert!(
        sw.iter()
            .all(|(_, why)| why.contains("SWEpisodes") && why.contains("not supplied"))
    );
    for code in rules::IMPLEMENTED.iter().filter(|c| c.starts_with("SW")) {
        assert!(sw.iter().any(|(c, _)| c == code), "{code} not reported");
    }
}

#[test]
fn sw12_runs_on_a_supplied_sw_episodes_table_even_an_empty_one() {
    let mut r = baseline();
    r.tables.insert(Table::SwEpisodes, Rows::default());
    let v = validate(&r, 2026);
    assert!(v.findings.iter().any(|f| f.rule_code == "SW12STG2"));
    assert!(!v.skipped.iter().any(|(c, _)| c.starts_with("SW")));
}

/// Child 101 turned 18 on 3 February 2026, moved placement (X1) on 10 February and is still
/// looked after, with care leaver information given.
fn moved_after_eighteenth_birthday() -> Return {
    let mut r = baseline();
    set_dob(&mut r, "03/02/2008");
    r.tables.insert(Table::Oc2, table(Table::Oc2, &[]));
    then_ep(
        &mut r,
        "10/02/2026",
        &[
            ("RNE", "P"),
            ("LS", "V2"),
            ("CIN", "N1"),
            ("PLACE", "K2"),
            ("PLACE_PROVIDER", "PR4"),
            ("HOME_POST", "ZX70 2TA"),
            ("PL_POST", "ZX75 3DL"),
            ("URN", "SC654321"),
        ],
    );
    add_oc3(&mut r);
    r
}

#[test]
fn rule_1016_is_the_latest_episode_ending_after_the_birthday_other_than_by_x1() {
    // A placement move after the birthday is not leaving care (1007 is this child's rule).
    let r = moved_after_eighteenth_birthday();
    assert!(!fires(&r, "1016"), "{:?}", codes_of(&validate(&r, 2026)));
    assert!(fires(&r, "1007"));
    // Leaving care (E8) after the birthday is 1016.
    let mut left = r.clone();
    set(&mut left, Table::Episodes, 2, "DEC", "20/03/2026");
    set(&mut left, Table::Episodes, 2, "REC", "E8");
    assert!(fires(&left, "1016"));
    // Leaving care before the birthday is not.
    let mut before = baseline();
    care_leaver(&mut before);
    add_oc3(&mut before);
    assert!(!fires(&before, "1016"));
}

#[test]
fn an_open_episode_is_open_for_every_rule() {
    // The reference's 365 writes 31 March into the shared table's blank end dates; in Hearth
    // an open episode stays open for the rules after it. Still looked after at 18 with care
    // leaver information: 1007, not 1016 (which would see care ending on 31 March).
    let r = moved_after_eighteenth_birthday();
    let v = validate(&r, 2026);
    assert!(!v.findings.iter().any(|f| f.rule_code == "1016"));
    // A child missing from an open placement, with no end to the missing period: not 575 (the
    // placement has not ended) nor 577 (care has not ended).
    let mut m = baseline();
    add_missing(&mut m, "M", "01/03/2026", "");
    let v = validate(&m, 2026);
    for code in ["575", "577"] {
        assert!(
            !v.findings.iter().any(|f| f.rule_code == code),
            "{code}: {:?}",
            codes_of(&v)
        );
    }
    // 365 itself counts an open short break to 31 March.
    let mut short = baseline();
    add_ep(
        &mut short,
        &[
            ("DECOM", "01/03/2026"),
            ("RNE", "S"),
            ("LS", "V3"),
            ("CIN", "N1"),
            ("PLACE", "U1"),
        ],
    );
    assert!(fires(&short, "365"));
}

/// Whether `code` is among the findings of `r` on the Episodes row `row`, or on any row.
fn fires_on(r: &Return, code: &str, row: Option<usize>) -> bool {
    validate(r, 2026)
        .findings
        .iter()
        .any(|f| f.rule_code == code && (row.is_none() || f.table == "Episodes" && f.row == row))
}

#[test]
fn the_rules_the_reference_runs_after_365_see_an_open_episode_as_open() {
    // Child 101's latest episode (row 1) is open. The reference's 365 would end it on 31 March
    // for every rule after it; in Hearth it stays open.
    // 607: a girl whose latest episode is open has not left care, MOTHER blank or not...
    let mut girl = baseline();
    set(&mut girl, Table::Header, 0, "MOTHER", "");
    assert!(
        !fires(&girl, "607"),
        "{:?}",
        codes_of(&validate(&girl, 2026))
    );
    // ...and one who left care (E8) in the year needs it.
    let mut left = girl.clone();
    set(&mut left, Table::Episodes, 1, "DEC", "20/03/2026");
    set(&mut left, Table::Episodes, 1, "REC", "E8");
    assert!(fires_on(&left, "607", Some(1)));
    // 553: a placement order (E1) in an open episode is still in force, so the decision to
    // place must still stand: a ceased decision is flagged; once the order's episode has ended
    // it is not.
    let mut order = baseline();
    set(&mut order, Table::Episodes, 1, "LS", "E1");
    add_pa(&mut order, "01/05/2025", "01/02/2026", "RD1");
    assert!(
        fires(&order, "553"),
        "{:?}",
        codes_of(&validate(&order, 2026))
    );
    let mut ended = order.clone();
    set(&mut ended, Table::Episodes, 1, "DEC", "20/03/2026");
    set(&mut ended, Table::Episodes, 1, "REC", "E8");
    assert!(
        !fires(&ended, "553"),
        "{:?}",
        codes_of(&validate(&ended, 2026))
    );
    // 387: independent living (E5) under 14 (she is 13) is measured at the end date; with no
    // end date there is no age to measure (148 reports the missing DEC), not one on 31 March.
    let mut e5 = baseline();
    set_dob(&mut e5, "03/02/2013");
    set(&mut e5, Table::Episodes, 1, "REC", "E5");
    assert!(!fires(&e5, "387"));
    assert!(fires(&e5, "148"));
    set(&mut e5, Table::Episodes, 1, "DEC", "20/03/2026");
    assert!(fires_on(&e5, "387", Some(1)));
    // 388: an open latest episode with no reason ceased needs no continuation.
    assert!(!fires(&baseline(), "388"));
    // 504: the open episode continues the period of care begun before it (X1 the day it
    // started), so its category of need is compared with the one before.
    let mut cin = baseline();
    set(&mut cin, Table::Episodes, 1, "CIN", "N2");
    assert!(fires_on(&cin, "504", Some(1)));
    // 602: AD1 data for a child whose latest episode is open (not adopted in the year).
    let mut ad1 = baseline();
    add_ad1(&mut ad1);
    assert!(fires(&ad1, "602"));
}

#[test]
fn rule_347_reads_the_foyer_codes_t1_and_t2() {
    // A 17-year-old at the start of the year (DOB 3 Feb 2008) in a Foyer.
    for accom in ["T1", "T2"] {
        let mut r = baseline();
        care_leaver(&mut r);
        add_oc3(&mut r);
        set(&mut r, Table::Oc3, 0, "ACCOM", accom);
        assert!(fires(&r, "347"), "{accom}");
    }
}

#[test]
fn rules_578_and_581_are_missing_after_care_ended_and_before_it_began() {
    let mut before = baseline();
    add_missing(&mut before, "M", "01/01/2024", "02/01/2024");
    let v = validate(&before, 2026);
    assert!(v.findings.iter().any(|f| f.rule_code == "581"));
    assert!(
        !v.findings.iter().any(|f| f.rule_code == "578"),
        "{:?}",
        codes_of(&v)
    );
    let mut after = baseline();
    care_leaver(&mut after);
    add_missing(&mut after, "M", "01/07/2025", "02/07/2025");
    let v = validate(&after, 2026);
    assert!(v.findings.iter().any(|f| f.rule_code == "578"));
    assert!(
        !v.findings.iter().any(|f| f.rule_code == "581"),
        "{:?}",
        codes_of(&v)
    );
}

#[test]
fn rule_577_is_only_for_missing_periods_without_an_end() {
    // Care ended on 20 June 2025; a missing period with an end after that is 578's, not 577's.
    let mut ended = baseline();
    care_leaver(&mut ended);
    add_missing(&mut ended, "M", "01/06/2025", "25/06/2025");
    assert!(!fires(&ended, "577"));
    let mut open = baseline();
    care_leaver(&mut open);
    add_missing(&mut open, "M", "01/06/2025", "");
    assert!(fires(&open, "577"));
}

#[test]
fn rule_601_fires_for_a_child_adopted_in_the_year_with_no_ad1_row() {
    let mut r = baseline();
    adopted(&mut r);
    assert!(!fires(&r, "601"));
    r.tables.insert(Table::Ad1, table(Table::Ad1, &[]));
    let v = validate(&r, 2026);
    assert!(
        v.findings
            .iter()
            .any(|f| f.rule_code == "601" && f.table == "Episodes"),
        "{:?}",
        codes_of(&v)
    );
}

#[test]
fn rule_634_compares_the_start_of_care_with_1_april_2016() {
    // In care since 1 March 2024 in one open episode: before this collection year but after
    // April 2016, so previous permanence may be recorded.
    let one_episode = |decom: &str| {
        let mut r = baseline();
        r.tables.get_mut(&Table::Episodes).unwrap().rows.truncate(1);
        set(&mut r, Table::Episodes, 0, "DECOM", decom);
        set(&mut r, Table::Episodes, 0, "DEC", "");
        set(&mut r, Table::Episodes, 0, "REC", "");
        set(&mut r, Table::Episodes, 0, "REASON_PLACE_CHANGE", "");
        add_pp(&mut r, "Z1", "", "");
        r
    };
    let since_2024 = one_episode("01/03/2024");
    assert!(
        !fires(&since_2024, "634"),
        "{:?}",
        codes_of(&validate(&since_2024, 2026))
    );
    assert!(fires(&one_episode("01/03/2015"), "634"));
}

#[test]
fn rule_389_needs_an_end_date_to_know_the_age() {
    // E7 (to adult social care) with no end date: 148 says the date is missing; the age at the
    // end cannot be known, so not 389.
    let mut r = baseline();
    set(&mut r, Table::Episodes, 1, "REC", "E7");
    let v = validate(&r, 2026);
    assert!(v.findings.iter().any(|f| f.rule_code == "148"));
    assert!(
        !v.findings.iter().any(|f| f.rule_code == "389"),
        "{:?}",
        codes_of(&v)
    );
    set(&mut r, Table::Episodes, 1, "DEC", "20/03/2026");
    assert!(fires(&r, "389"));
}

#[test]
fn rule_234_takes_the_age_on_the_day_of_the_move_into_custody() {
    // Child 101 turns 10 on 3 February 2022; the episode starting before the birthday ends
    // with a move into custody after it: 10 at the move, so not 234.
    let custody = |dec: &str| {
        let mut r = baseline();
        set_dob(&mut r, "03/02/2012");
        set(&mut r, Table::Episodes, 0, "DECOM", "01/01/2022");
        set(&mut r, Table::Episodes, 0, "DEC", dec);
        set(&mut r, Table::Episodes, 0, "REASON_PLACE_CHANGE", "CUSTOD");
        set(&mut r, Table::Episodes, 1, "DECOM", dec);
        r
    };
    assert!(!fires(&custody("10/02/2022"), "234"));
    assert!(fires(&custody("01/02/2022"), "234"));
}

#[test]
fn rule_165_checks_children_with_only_short_break_episodes() {
    let mut r = baseline();
    set(&mut r, Table::Episodes, 0, "LS", "V3");
    set(&mut r, Table::Episodes, 1, "LS", "V4");
    set(&mut r, Table::Header, 0, "MOTHER", "2");
    assert!(fires(&r, "165"));
}

#[test]
fn rules_1007_231_and_233_run_on_awkward_input() {
    // A date of birth on 29 February (the 17th birthday falls on 28 February 2026), a garbled
    // end date, a CSV return (no UASC flag: the UASC table says who is UASC).
    let mut r = baseline();
    set_dob(&mut r, "29/02/2008");
    set(&mut r, Table::Episodes, 0, "DEC", "31/02/2025");
    add_oc3(&mut r);
    let v = validate(&r, 2026);
    assert!(
        v.findings.iter().any(|f| f.rule_code == "1007"),
        "{:?}",
        codes_of(&v)
    );
    assert!(v.findings.iter().any(|f| f.rule_code == "147"));
    // 233: a reason for a placement change on an open episode.
    let mut open = baseline();
    set(
        &mut open,
        Table::Episodes,
        1,
        "REASON_PLACE_CHANGE",
        "CARPL",
    );
    assert!(fires(&open, "233"));
    // 231: a UASC child (UASC table) under 11 at 31 March.
    let mut uasc = baseline();
    set_dob(&mut uasc, "03/02/2016");
    add(
        &mut uasc,
        Table::Uasc,
        &[
            ("CHILD", "101"),
            ("SEX", "F"),
            ("DOB", "03/02/2016"),
            ("DUC", ""),
        ],
    );
    assert!(fires(&uasc, "231"));
}

#[test]
fn rule_558_one_ceased_decision_for_an_adopted_child_fails() {
    let mut r = baseline();
    adopted(&mut r);
    set(
        &mut r,
        Table::PlacedAdoption,
        0,
        "DATE_PLACED_CEASED",
        "01/01/2026",
    );
    set(
        &mut r,
        Table::PlacedAdoption,
        0,
        "REASON_PLACED_CEASED",
        "E11",
    );
    assert!(fires(&r, "558"), "{:?}", codes_of(&validate(&r, 2026)));
    // An earlier decision ceased and the latest still standing: the adoption followed it.
    let mut again = baseline();
    adopted(&mut again);
    add_pa(&mut again, "01/01/2025", "01/03/2025", "RD1");
    assert!(
        !fires(&again, "558"),
        "{:?}",
        codes_of(&validate(&again, 2026))
    );
}

#[test]
fn rule_433_compares_a_continuation_with_the_episode_before_in_start_then_end_order() {
    // Tied starts: the continuation's previous episode is the one that ends first.
    let r = same_day_starts();
    let v = validate(&r, 2026);
    let rows: Vec<Option<usize>> = v
        .findings
        .iter()
        .filter(|f| f.rule_code == "433")
        .map(|f| f.row)
        .collect();
    assert_eq!(rows, [Some(1)], "{:?}", codes_of(&v));
}

#[test]
fn postcodes_follow_the_standards_letter_rules() {
    use super::super::rules_episodes::postcode_well_formed as ok;
    for good in [
        "ZX70 2TA", "zx702ta", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "W1A 1HQ", "EC1A 1BB",
        "S75 3DL",
    ] {
        assert!(ok(good), "{good}");
    }
    for bad in [
        // Q, V, X are never first; I, J, Z never second.
        "QA1 1AB",
        "V1 1AB",
        "X1 1AB",
        "AI1 1AB",
        "AJ1 1AB",
        "ZZ1 1AB",
        "ZZ99 9ZZ",
        // A9A: the third letter only from ABCDEFGHJKSTUW.
        "W1L 1AB",
        "W1Z 1AB",
        // The inward code never uses C, I, K, M, O, V.
        "ZX70 2CA",
        "ZX70 2AI",
        "ZX70 2KA",
        "ZX70 2AM",
        "ZX70 2OA",
        "ZX70 2AV",
        // Shapes.
        "",
        "S75 3D",
        "1AA",
        "ABC1 1AA",
        "ZX70 22A",
        "ZX7 0 2TA!",
        "ZX7A1 2TA",
    ] {
        assert!(!ok(bad), "{bad}");
    }
    let mut r = baseline();
    set(&mut r, Table::Episodes, 1, "PL_POST", "ZX75 3DC");
    assert!(fires(&r, "392c"));
}

#[test]
fn rule_392c_with_a_directory_flags_postcodes_not_in_it() {
    let dir = PostcodeDirectory::from_rows([
        ("ZX70 2TA", Some((440_000, 406_000)), "E08000901"),
        ("ZX71 1AB", Some((441_000, 408_000)), "E08000901"),
        ("ZX75 3DL", Some((430_000, 409_000)), "E08000901"),
    ]);
    let reference = Reference {
        postcodes: Some(dir),
        ..Reference::default()
    };
    let found = |r: &Return| -> Vec<(String, Option<usize>)> {
        validate_full(r, None, &reference, 2026)
            .findings
            .into_iter()
            .filter(|f| f.rule_code == "392c")
            .map(|f| (f.table, f.row))
            .collect()
    };
    assert!(found(&baseline()).is_empty());
    // Well formed, but no such postcode.
    let mut unknown = baseline();
    set(&mut unknown, Table::Episodes, 1, "PL_POST", "ZX75 3DA");
    assert_eq!(found(&unknown), [("Episodes".to_string(), Some(1))]);
    assert!(
        !fires(&unknown, "392c"),
        "without a directory only the form is checked"
    );
    // Malformed: reported once, not again for the directory.
    let mut malformed = baseline();
    set(&mut malformed, Table::Episodes, 1, "PL_POST", "ZX75 3DC");
    assert_eq!(found(&malformed), [("Episodes".to_string(), Some(1))]);
}
