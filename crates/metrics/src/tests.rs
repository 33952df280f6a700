//! Each indicator on a small hand-made dataset with a known answer; and published national
//! counts run through the definitions reproduce the published figures.

use chrono::{NaiveDate, NaiveDateTime};

use crate::catalogue::{Source, find};
use crate::compute::{Context, Outcome, Period, compute};
use crate::events::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}
fn at(y: i32, m: u32, day: u32, h: u32) -> NaiveDateTime {
    d(y, m, day).and_hms_opt(h, 0, 0).unwrap()
}

/// The collection year 2025/26.
fn year() -> Period {
    Period::new(d(2025, 4, 1), d(2026, 3, 31))
}

/// A population of 10,000, so that a rate per 10,000 is the count.
fn ctx() -> Context {
    Context {
        population: Some(10_000.0),
        cp_visit_days: 10,
    }
}

fn ev(sources: &[Source]) -> Events {
    Events {
        sources: sources.iter().copied().collect(),
        ..Default::default()
    }
}

fn value(id: &str, e: &Events) -> f64 {
    match compute(find(id).unwrap(), e, year(), &ctx()) {
        Outcome::Value(f) => (f.value * 10.0).round() / 10.0,
        Outcome::Unavailable(why) => panic!("indicator {id}: {why}"),
    }
}

fn children(id: &str, e: &Events) -> Vec<String> {
    match compute(find(id).unwrap(), e, year(), &ctx()) {
        Outcome::Value(f) => f.children,
        Outcome::Unavailable(why) => panic!("indicator {id}: {why}"),
    }
}

fn contact(
    child: &str,
    received: NaiveDateTime,
    due: NaiveDate,
    decided: Option<NaiveDateTime>,
    outcome: &str,
) -> Contact {
    Contact {
        children: vec![child.into()],
        received,
        due,
        decided,
        outcome: decided.map(|_| outcome.to_string()),
    }
}

#[test]
fn front_door_contacts_decisions_and_conversion() {
    let mut e = ev(&[Source::Record]);
    e.contacts = vec![
        contact(
            "A",
            at(2025, 6, 2, 9),
            d(2025, 6, 3),
            Some(at(2025, 6, 3, 16)),
            "referral",
        ),
        contact(
            "B",
            at(2025, 6, 2, 9),
            d(2025, 6, 3),
            Some(at(2025, 6, 5, 9)),
            "nfa",
        ),
        contact("C", at(2026, 3, 2, 9), d(2026, 3, 3), None, ""),
        contact("D", at(2026, 3, 31, 9), d(2026, 4, 1), None, ""),
        contact(
            "E",
            at(2025, 3, 31, 9),
            d(2025, 4, 1),
            Some(at(2025, 4, 1, 9)),
            "strategy",
        ),
    ];
    assert_eq!(value("1", &e), 4.0, "four contacts received in the year");
    // A in time; B late; C overdue and waiting; D not yet due (left out).
    assert_eq!(value("2", &e), 33.3);
    assert_eq!(children("2", &e), ["A"]);
    // Decided in the year: A (referral), B (nfa), E (strategy): 2 of 3 referred.
    assert_eq!(value("3", &e), 66.7);
    e.early_help = vec![("A".into(), d(2025, 9, 1)), ("B".into(), d(2024, 9, 1))];
    assert_eq!(value("4", &e), 1.0);
}

fn referral(
    child: &str,
    date: NaiveDate,
    closed: Option<NaiveDate>,
    reason: Option<&str>,
    nfa: bool,
) -> Referral {
    Referral {
        child: child.into(),
        date,
        closed,
        closure_reason: reason.map(String::from),
        nfa,
    }
}

#[test]
fn referrals_re_referrals_outcomes_and_children_in_need() {
    let mut e = ev(&[Source::Cin]);
    e.referrals = vec![
        referral("X", d(2025, 1, 10), Some(d(2025, 2, 1)), Some("RC8"), false),
        referral("X", d(2025, 6, 1), None, None, false),
        referral("Y", d(2024, 1, 1), Some(d(2024, 2, 1)), Some("RC7"), false),
        referral("Y", d(2025, 5, 1), Some(d(2025, 5, 2)), None, true),
        referral("Z", d(2025, 7, 1), Some(d(2025, 9, 1)), Some("RC9"), false),
        referral("W", d(2026, 1, 1), Some(d(2026, 2, 1)), Some("RC8"), false),
    ];
    assert_eq!(value("5", &e), 4.0);
    // X's June referral is within 12 months of January; Y's is more than 12 months after 2024.
    assert_eq!(value("6", &e), 25.0);
    assert_eq!(children("6", &e), ["X"]);
    assert_eq!(value("7", &e), 25.0);
    assert_eq!(value("8", &e), 50.0);
    // Open at 31 March 2026: X's June referral only.
    assert_eq!(value("10", &e), 1.0);
}

#[test]
fn assessments_within_45_working_days() {
    let mut e = ev(&[Source::Record]);
    e.assessments = vec![
        // 45 working days from 3 November 2025 is 8 January 2026.
        Assessment {
            child: "A".into(),
            start: d(2025, 11, 3),
            authorised: Some(d(2026, 1, 8)),
        },
        Assessment {
            child: "B".into(),
            start: d(2025, 11, 3),
            authorised: Some(d(2026, 1, 9)),
        },
        Assessment {
            child: "C".into(),
            start: d(2025, 11, 3),
            authorised: None,
        },
        Assessment {
            child: "D".into(),
            start: d(2025, 1, 3),
            authorised: Some(d(2025, 2, 1)),
        },
    ];
    assert_eq!(value("9", &e), 50.0);
    assert_eq!(children("9", &e), ["A"]);
}

fn plan(
    child: &str,
    start: NaiveDate,
    end: Option<NaiveDate>,
    cat: &str,
    repeat: bool,
    reviews: &[NaiveDate],
) -> CpPlan {
    CpPlan {
        child: child.into(),
        start,
        end,
        initial_category: cat.into(),
        repeat,
        reviews: reviews.to_vec(),
    }
}

#[test]
fn child_protection_enquiries_conferences_and_plans() {
    let mut e = ev(&[Source::Record]);
    e.s47s = vec![
        // 15 working days from 4 November 2025 is 25 November.
        S47 {
            child: "A".into(),
            start: d(2025, 11, 4),
            icpc: Some(d(2025, 11, 25)),
        },
        S47 {
            child: "B".into(),
            start: d(2025, 11, 4),
            icpc: Some(d(2025, 11, 26)),
        },
        S47 {
            child: "C".into(),
            start: d(2025, 12, 1),
            icpc: None,
        },
        S47 {
            child: "D".into(),
            start: d(2026, 1, 5),
            icpc: None,
        },
    ];
    assert_eq!(value("11", &e), 4.0);
    assert_eq!(value("12", &e), 50.0);
    assert_eq!(value("13", &e), 50.0);
    e.cp_plans = vec![
        plan("A", d(2025, 11, 25), None, "NEG", false, &[d(2026, 2, 20)]),
        plan(
            "E",
            d(2023, 1, 10),
            None,
            "EMO",
            false,
            &[
                d(2023, 4, 1),
                d(2023, 10, 1),
                d(2024, 4, 1),
                d(2024, 10, 1),
                d(2025, 4, 1),
                d(2025, 10, 1),
            ],
        ),
        plan("F", d(2023, 6, 1), Some(d(2025, 7, 1)), "PHY", false, &[]),
        plan("F", d(2025, 9, 1), None, "NEG", false, &[]),
        plan(
            "G",
            d(2025, 5, 1),
            Some(d(2025, 12, 1)),
            "SAB",
            true,
            &[d(2025, 7, 30)],
        ),
    ];
    // Started in the year: A, F (second), G: 3 plans from 2 ICPCs.
    assert_eq!(value("14", &e), 150.0);
    assert_eq!(value("15", &e), 3.0);
    // Open at 31 March 2026: A, E, F's second.
    assert_eq!(value("16", &e), 3.0);
    assert_eq!(value("17", &e), 66.7, "A and F's second under neglect");
    assert_eq!(
        value("18", &e),
        66.7,
        "F's second (earlier plan) and G (flagged repeat)"
    );
    assert_eq!(
        value("19", &e),
        33.3,
        "E has been on a plan more than two years"
    );
    assert_eq!(
        value("19b", &e),
        50.0,
        "F's first plan ended after two years; G's before"
    );
    // On a plan 3 months or more at 31 March: A (review 20 Feb, on time), E (reviews on time;
    // next due 1 April 2026, not yet), F's second (first review due 1 December 2025: none).
    assert_eq!(value("20", &e), 66.7);
    e.visits = vec![("A".into(), d(2026, 3, 25)), ("E".into(), d(2026, 2, 1))];
    // Seen within 10 working days of 31 March: A only (F never seen).
    assert_eq!(value("21", &e), 33.3);
}

fn episode(
    child: &str,
    start: NaiveDate,
    end: Option<NaiveDate>,
    rne: &str,
    ls: &str,
    place: &str,
    rec: &str,
) -> Episode {
    Episode {
        child: child.into(),
        start,
        end,
        rne: rne.into(),
        ls: ls.into(),
        place: place.into(),
        rec: rec.into(),
    }
}

#[test]
fn children_looked_after_stability_and_missing() {
    let mut e = ev(&[Source::Ssda903]);
    e.episodes = vec![
        // A: in care since 2022, one placement throughout.
        episode("A", d(2022, 6, 1), None, "S", "C2", "U1", ""),
        // B: started this year, three placements.
        episode(
            "B",
            d(2025, 5, 1),
            Some(d(2025, 7, 1)),
            "S",
            "C2",
            "U4",
            "X1",
        ),
        episode(
            "B",
            d(2025, 7, 1),
            Some(d(2025, 10, 1)),
            "P",
            "C2",
            "K2",
            "X1",
        ),
        episode("B", d(2025, 10, 1), None, "P", "C2", "U5", ""),
        // C: short breaks only: not counted as looked after.
        episode("C", d(2025, 6, 1), None, "S", "V3", "U1", ""),
        // D: in care since 2021, legal status change in 2025 (same placement), then a move in 2024.
        episode(
            "D",
            d(2021, 1, 1),
            Some(d(2024, 1, 1)),
            "S",
            "C1",
            "U4",
            "X1",
        ),
        episode(
            "D",
            d(2024, 1, 1),
            Some(d(2025, 6, 1)),
            "P",
            "C1",
            "K2",
            "X1",
        ),
        episode("D", d(2025, 6, 1), None, "L", "C2", "K2", ""),
        // E: left care this year.
        episode(
            "E",
            d(2024, 9, 1),
            Some(d(2025, 8, 1)),
            "S",
            "V2",
            "R1",
            "E13",
        ),
    ];
    e.dob = [
        ("A", d(2012, 1, 1)),
        ("B", d(2015, 1, 1)),
        ("D", d(2011, 1, 1)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(value("22", &e), 3.0, "A, B and D");
    assert_eq!(value("23", &e), 2.0, "B and C started in the year");
    assert_eq!(value("24", &e), 33.3, "B had three placements");
    // Under 16, in care 2.5 years or more: A (same placement since 2022) and D (placement since
    // January 2024: 2 years 3 months, the legal status change is not a move).
    assert_eq!(value("25", &e), 100.0);
    assert_eq!(
        value("27", &e),
        66.7,
        "A (U1) and B (U5) are fostered; D is in a children's home (K2)"
    );
    e.missing = vec![("B".into(), d(2025, 8, 1)), ("E".into(), d(2024, 12, 1))];
    // Looked after at some time in the year: A, B, C, D, E; B went missing in the year.
    assert_eq!(value("28", &e), 20.0);
    e.social_workers = vec![
        ("B".into(), "SW1".into(), d(2025, 5, 1), Some(d(2025, 6, 1))),
        ("B".into(), "SW2".into(), d(2025, 6, 1), Some(d(2025, 9, 1))),
        ("B".into(), "SW3".into(), d(2025, 9, 1), None),
        ("A".into(), "SW4".into(), d(2022, 6, 1), None),
    ];
    assert_eq!(value("29", &e), 33.3);
}

#[test]
fn health_checks_sdqs_and_care_leavers_from_the_return() {
    let mut e = ev(&[Source::Ssda903]);
    let oc2 = |c: &str, dob, h, t, i, sdq| Oc2 {
        year_end: d(2026, 3, 31),
        child: c.into(),
        dob: Some(dob),
        health_assessment: h,
        teeth: t,
        immunisations: i,
        sdq,
    };
    e.oc2 = vec![
        oc2("A", d(2014, 5, 1), true, true, true, Some(12)),
        oc2("B", d(2012, 5, 1), true, false, true, Some(20)),
        oc2("C", d(2008, 5, 1), false, false, true, None),
        oc2("D", d(2023, 5, 1), true, true, false, None),
    ];
    assert_eq!(value("31", &e), 75.0);
    assert_eq!(value("32", &e), 50.0);
    assert_eq!(value("33", &e), 75.0);
    // Aged 5-16 at 31 March 2026: A (11), B (13), C (17: no), D (2: no): both have an SDQ.
    assert_eq!(value("34", &e), 100.0);
    assert_eq!(value("35", &e), 16.0);
    let oc3 = |c: &str, dob, a: &str, acc: &str| Oc3 {
        year_end: d(2026, 3, 31),
        child: c.into(),
        dob: Some(dob),
        activity: a.into(),
        accommodation: acc.into(),
    };
    e.oc3 = vec![
        oc3("L1", d(2008, 6, 1), "F2", "D1"),
        oc3("L2", d(2008, 1, 1), "G5", "E2"),
        oc3("L3", d(2005, 9, 1), "F5", "B1"),
        oc3("L4", d(2006, 2, 1), "G6", "0"),
    ];
    // 17-18 at their birthday in the year: L1 (17), L2 (18); 19-21: L3 (20), L4 (20).
    assert_eq!(value("37", &e), 50.0);
    assert_eq!(value("38", &e), 50.0);
    assert_eq!(value("39", &e), 50.0);
    assert_eq!(value("40", &e), 50.0);
    // Outside the period the cohort is not shown.
    let other = compute(
        find("31").unwrap(),
        &e,
        Period::new(d(2024, 4, 1), d(2025, 3, 31)),
        &ctx(),
    );
    assert!(matches!(other, Outcome::Unavailable(_)));
}

#[test]
fn personal_education_plans_up_to_date() {
    let mut e = ev(&[Source::Record]);
    e.episodes = vec![
        episode("A", d(2024, 1, 1), None, "S", "C2", "U4", ""),
        episode("B", d(2024, 1, 1), None, "S", "C2", "U4", ""),
        episode("C", d(2024, 1, 1), None, "S", "C2", "U4", ""),
        episode("D", d(2024, 1, 1), None, "S", "C2", "U4", ""),
    ];
    e.dob = [
        ("A", d(2014, 1, 1)),
        ("B", d(2012, 1, 1)),
        ("C", d(2023, 1, 1)),
        ("D", d(2009, 1, 1)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    // 31 March 2026 is in the spring term (January to Easter); last term was the autumn.
    e.peps = vec![
        ("A".into(), d(2026, 2, 10)),
        ("B".into(), d(2025, 7, 1)),
        ("C".into(), d(2026, 2, 1)),
    ];
    // School age: A (12) and B (14); C is 3 and D is 17. A's PEP is this term; B's is two terms old.
    assert_eq!(value("36", &e), 50.0);
    assert_eq!(children("36", &e), ["A"]);
}

#[test]
fn adoption_timeliness_and_workforce() {
    let mut e = ev(&[Source::Ssda903, Source::Record]);
    e.episodes = vec![
        episode(
            "A",
            d(2024, 1, 1),
            Some(d(2025, 3, 1)),
            "S",
            "C2",
            "U1",
            "X1",
        ),
        episode(
            "A",
            d(2025, 3, 1),
            Some(d(2025, 11, 1)),
            "P",
            "E1",
            "A4",
            "E11",
        ),
    ];
    e.placed_for_adoption = vec![("A".into(), d(2025, 1, 1))];
    assert_eq!(value("41", &e), 366.0);
    let w = |id: &str, sw: bool, agency: bool, left: Option<NaiveDate>| Worker {
        id: id.into(),
        social_worker: sw,
        agency,
        started: d(2020, 1, 1),
        left,
    };
    e.workers = vec![
        w("W1", true, false, None),
        w("W2", true, true, None),
        w("W3", true, false, Some(d(2025, 9, 30))),
        w("M1", false, false, None),
    ];
    e.allocations = vec![
        ("K1".into(), "W1".into(), d(2025, 1, 1), None),
        ("K2".into(), "W1".into(), d(2025, 1, 1), None),
        ("K3".into(), "W2".into(), d(2025, 1, 1), None),
        (
            "K4".into(),
            "W3".into(),
            d(2025, 1, 1),
            Some(d(2025, 9, 30)),
        ),
    ];
    assert_eq!(
        value("44", &e),
        1.5,
        "3 children for 2 social workers in post"
    );
    assert_eq!(value("45", &e), 50.0);
    assert_eq!(value("46", &e), 50.0, "one leaver for two in post");
}

#[test]
fn indicators_without_data_say_why() {
    let e = ev(&[Source::Cin]);
    let why = |id: &str| match compute(find(id).unwrap(), &e, year(), &ctx()) {
        Outcome::Unavailable(w) => w,
        Outcome::Value(_) => panic!("{id} has a value"),
    };
    assert!(
        why("2").contains("the case record"),
        "front-door timeliness is in the record only"
    );
    assert!(why("22").contains("SSDA903"));
    assert!(why("47").contains("no source Hearth holds"));
    let mut e = ev(&[Source::Cin]);
    e.referrals = vec![referral("A", d(2025, 6, 1), None, None, false)];
    let no_pop = compute(
        find("5").unwrap(),
        &e,
        year(),
        &Context {
            population: None,
            cp_visit_days: 10,
        },
    );
    assert!(matches!(no_pop, Outcome::Unavailable(w) if w.contains("population")));
}

/// National counts for England 2024-25 (CIN census tables C4, D1, D3 [S1]) through the
/// definitions give the published percentages.
#[test]
fn published_england_counts_reproduce_the_published_figures() {
    let mut e = ev(&[Source::Cin]);
    let (s47s, icpcs, plans, repeats) = (230_590, 72_100, 61_840, 15_130);
    for i in 0..s47s {
        e.s47s.push(S47 {
            child: format!("S{i}"),
            start: d(2025, 6, 2),
            icpc: (i < icpcs).then(|| d(2025, 6, 20)),
        });
    }
    for i in 0..plans {
        e.cp_plans.push(plan(
            &format!("S{i}"),
            d(2025, 6, 20),
            None,
            "NEG",
            i < repeats,
            &[],
        ));
    }
    assert_eq!(value("12", &e), 31.3, "S47 to ICPC, England 2025");
    assert_eq!(value("14", &e), 85.8, "ICPC to plan, England 2025");
    assert_eq!(value("18", &e), 24.5, "repeat plans, England 2025");
    // Referrals per 10,000: England 632,830 referrals over 12,183,800 children aged 0-17 (the
    // population implied by the published rate) is 519.4.
    let mut e = ev(&[Source::Cin]);
    for i in 0..632_830 {
        e.referrals
            .push(referral(&format!("R{i}"), d(2025, 6, 2), None, None, false));
    }
    let f = compute(
        find("5").unwrap(),
        &e,
        year(),
        &Context {
            population: Some(12_183_800.0),
            cp_visit_days: 10,
        },
    );
    assert_eq!((f.value().unwrap() * 10.0).round() / 10.0, 519.4);
}

#[test]
fn private_fostering_notifications_and_visits() {
    let pf = |child: &str, notified, starts, ended, seen: &[NaiveDate]| PrivateFostering {
        child: child.into(),
        notified,
        starts,
        ended,
        seen: seen.to_vec(),
    };
    let mut e = ev(&[Source::Record]);
    e.private_fostering = vec![
        // Running before the notification (Monday 1 September 2025): initial visit due 10
        // September, made 9 September; then every visit within 6 weeks of the one before.
        pf(
            "A",
            d(2025, 9, 1),
            d(2025, 8, 1),
            None,
            &[
                d(2025, 9, 9),
                d(2025, 10, 20),
                d(2025, 12, 1),
                d(2026, 1, 12),
                d(2026, 2, 20),
            ],
        ),
        // Proposed: notified 2 February 2026, initial visit due 11 February, made 16 February
        // (late); the next, due 30 March, was made on 6 April (late).
        pf(
            "B",
            d(2026, 2, 2),
            d(2026, 4, 1),
            None,
            &[d(2026, 2, 16), d(2026, 4, 6)],
        ),
        // Notified 20 March 2026: the initial visit is due on 31 March, not yet overdue.
        pf("C", d(2026, 3, 20), d(2026, 3, 1), None, &[]),
        // Notified the year before: the visit due 1 May was made that day; the next, due 12
        // June, never was before the arrangement ended on 1 July.
        pf(
            "D",
            d(2025, 2, 3),
            d(2025, 2, 3),
            Some(d(2025, 7, 1)),
            &[d(2025, 2, 7), d(2025, 3, 20), d(2025, 5, 1)],
        ),
        // Ended two days after the notification, before any visit was due.
        pf(
            "E",
            d(2025, 6, 10),
            d(2025, 6, 1),
            Some(d(2025, 6, 12)),
            &[],
        ),
    ];
    assert_eq!(value("43a", &e), 4.0);
    assert_eq!(children("43a", &e), ["A", "B", "C", "E"]);
    // Initial visits due: A (in time) and B (late).
    assert_eq!(value("43", &e), 50.0);
    assert_eq!(children("43", &e), ["A"]);
    // Statutory visits due in the year: A (all in time), B and D (one late or missed each).
    assert_eq!(value("43b", &e), 33.3);
    assert_eq!(children("43b", &e), ["A"]);

    // From the returns alone there is no figure, and the report says why.
    let returns = ev(&[Source::Cin, Source::Ssda903]);
    for id in ["43", "43a", "43b"] {
        match compute(find(id).unwrap(), &returns, year(), &ctx()) {
            Outcome::Unavailable(why) => assert!(why.contains("stopped in 2016"), "{why}"),
            other => panic!("{id}: {other:?}"),
        }
    }
}

#[test]
fn small_numbers_are_withheld_with_what_is_made_from_them() {
    use crate::report::{SUPPRESSED, build, suppress_small_numbers};
    let mut e = ev(&[Source::Record]);
    // Three contacts, one decided in time: counts of 3 and 1, a rate from them.
    e.contacts = vec![
        contact(
            "A",
            at(2025, 6, 2, 9),
            d(2025, 6, 3),
            Some(at(2025, 6, 3, 16)),
            "referral",
        ),
        contact(
            "B",
            at(2025, 6, 2, 9),
            d(2025, 6, 3),
            Some(at(2025, 6, 5, 9)),
            "nfa",
        ),
        contact(
            "C",
            at(2025, 7, 1, 9),
            d(2025, 7, 2),
            Some(at(2025, 7, 4, 9)),
            "nfa",
        ),
    ];
    let full = build(&e, year(), &ctx());
    let shown = suppress_small_numbers(full.clone());
    let row = |r: &crate::report::Report, id: &str| {
        r.rows
            .iter()
            .find(|x| x.indicator.id == id)
            .unwrap()
            .clone()
    };
    for id in ["1", "2", "3"] {
        assert!(
            matches!(row(&full, id).outcome, Outcome::Value(_)),
            "{id} computed"
        );
        let s = row(&shown, id);
        assert!(s.suppressed, "{id} withheld");
        assert!(matches!(&s.outcome, Outcome::Unavailable(w) if w == SUPPRESSED));
        assert_eq!(s.rag_england, None);
        assert!(
            s.trend.iter().any(|p| p.small),
            "{id}'s trend has small months"
        );
        assert!(
            s.trend
                .iter()
                .filter(|p| p.small)
                .all(|p| p.value.is_none()),
            "{id}'s trend too"
        );
        assert!(
            row(&full, id)
                .trend
                .iter()
                .filter(|p| p.small)
                .all(|p| p.value.is_some()),
            "{id}: the full report keeps them"
        );
    }
    // Many contacts: shown; a count of 0 is no small number.
    e.contacts = (0..12)
        .map(|i| {
            let child = format!("K{i}");
            contact(
                &child,
                at(2025, 6, 2, 9),
                d(2025, 6, 3),
                Some(at(2025, 6, 3, 10)),
                "referral",
            )
        })
        .collect();
    let shown = suppress_small_numbers(build(&e, year(), &ctx()));
    for id in ["1", "2", "3"] {
        let s = row(&shown, id);
        assert!(!s.suppressed, "{id}: 12 of 12");
        assert!(matches!(s.outcome, Outcome::Value(_)));
    }
}

/// The report fixes of issue 22, each against what an analyst or councillor found.
mod report_fixes {
    use super::*;
    use crate::Figure;
    use crate::catalogue::Rag;
    use crate::report::{
        build, numbers_text, period_note, refuse_future, suppress_small_numbers, to_xlsx,
    };

    fn row<'a>(r: &'a crate::report::Report, id: &str) -> &'a crate::report::Row {
        r.rows.iter().find(|x| x.indicator.id == id).unwrap()
    }

    /// `n` referrals for different children in the month before `to`, all decided in time.
    fn busy(n: usize, on: NaiveDate) -> Events {
        let mut e = ev(&[Source::Record]);
        e.referrals = (0..n)
            .map(|i| referral(&format!("R{i}"), on, None, None, false))
            .collect();
        e.contacts = (0..n)
            .map(|i| {
                let day = on.and_hms_opt(9, 0, 0).unwrap();
                contact(&format!("R{i}"), day, on, Some(day), "referral")
            })
            .collect();
        e
    }

    #[test]
    fn a_period_beyond_today_is_refused() {
        let today = d(2026, 12, 8);
        let p = Period::parse("2030-01..2030-03").unwrap();
        let err = refuse_future(p, today).unwrap_err();
        assert!(err.contains("after today"), "{err}");
        assert!(refuse_future(Period::new(d(2026, 1, 1), today), today).is_ok());
        assert!(refuse_future(Period::new(d(2026, 1, 1), d(2026, 12, 9)), today).is_err());
    }

    #[test]
    fn averages_read_as_values_over_their_cases_not_as_fractions() {
        let adopt = find("41").unwrap();
        let f = Figure {
            numerator: 62_694.0,
            denominator: 129.0,
            value: 486.0,
            children: vec![],
        };
        let t = numbers_text(adopt, &f).unwrap();
        assert_eq!(t, "average across 129: children adopted in the period");
        assert!(
            !t.contains("62"),
            "the sum of days is no number to read: {t}"
        );
        let pc = find("9").unwrap();
        let f = Figure {
            numerator: 1970.0,
            denominator: 2300.0,
            value: 85.7,
            children: vec![],
        };
        assert_eq!(numbers_text(pc, &f).unwrap(), "1,970 of 2,300");
        assert_eq!(
            numbers_text(
                find("5").unwrap(),
                &Figure {
                    numerator: 1970.0,
                    denominator: 51_800.0,
                    value: 380.3,
                    children: vec![]
                }
            )
            .unwrap(),
            "1,970 in a population of 51,800"
        );
        assert_eq!(
            numbers_text(
                find("43a").unwrap(),
                &Figure {
                    numerator: 7.0,
                    denominator: 1.0,
                    value: 7.0,
                    children: vec![]
                }
            ),
            None
        );
    }

    #[test]
    fn a_one_day_period_is_computed_but_not_set_against_annual_figures() {
        let day = d(2026, 3, 2);
        let e = busy(8, day);
        let p = Period::new(day, day);
        let r = build(&e, p, &ctx());
        // 8 referrals that day: a value, but no "better/worse than England" for a day's
        // rate against England's rate for a year.
        let referrals = row(&r, "5");
        assert_eq!(referrals.outcome.value(), Some(8.0));
        // (5 is neutral: no RAG at all; the decisions indicator, a percentage, is compared.)
        assert_eq!(referrals.rag_england, None);
        let note = period_note(p).unwrap();
        assert!(note.starts_with("This period is one day"), "{note}");
        assert_eq!(period_note(year()), None);
        // One contact on a day: "1 of 1" is not compared, and an analyst does not see it.
        let one = busy(1, day);
        let r = build(&one, p, &ctx());
        let decisions = row(&r, "2");
        assert_eq!(decisions.outcome.value(), Some(100.0));
        assert_eq!(decisions.rag_england, None);
        let shown = suppress_small_numbers(r.clone());
        assert!(row(&shown, "2").suppressed);
        assert_eq!(row(&shown, "2").outcome.value(), None);
    }

    #[test]
    fn too_few_cases_are_not_compared_and_a_material_difference_is_needed() {
        // Re-referrals (lower is better, England 22.6%, tolerance 2 points): of 10 referrals,
        // of 14 referrals 3 within 12 months of an earlier one is 21.4% — similar to England,
        // not better; but worse than the neighbours' median (18.6%) by more than 2 points.
        let mut e = ev(&[Source::Record]);
        e.referrals = (0..14)
            .map(|i| referral(&format!("C{i}"), d(2025, 9, 1), None, None, false))
            .chain((0..3).map(|i| {
                referral(
                    &format!("C{i}"),
                    d(2025, 3, 1),
                    Some(d(2025, 4, 1)),
                    None,
                    false,
                )
            }))
            .collect();
        let r = build(&e, year(), &ctx());
        let re = row(&r, "6");
        assert_eq!(re.outcome.value().map(|v| v.round()), Some(21.0));
        assert_eq!(re.rag_england, Some(Rag::Similar));
        assert_eq!(re.rag_neighbours, Some(Rag::Red), "neighbours' median 18.6");
        assert_eq!(re.not_compared, None);
        // Two referrals only: fewer than 6 cases are not compared at all.
        e.referrals.truncate(2);
        let r = build(&e, year(), &ctx());
        let re = row(&r, "6");
        assert_eq!(re.rag_england, None);
        assert!(re.not_compared.as_deref().unwrap().contains("fewer than 6"));
    }

    #[test]
    fn small_numbers_under_six_are_withheld_in_the_workbook_too() {
        let r = suppress_small_numbers(build(&busy(3, d(2025, 9, 1)), year(), &ctx()));
        let bytes = to_xlsx(&r).unwrap();
        let cells = sheet_cells(&bytes, "Indicators");
        let five = cells
            .iter()
            .position(|row| row.first().map(String::as_str) == Some("5"))
            .unwrap();
        assert_eq!(cells[five][4], "fewer than 6");
        assert!(!cells[five].iter().any(|c| c == "3"), "{:?}", cells[five]);
    }

    /// Every row of a sheet as strings (calamine).
    fn sheet_cells(bytes: &[u8], sheet: &str) -> Vec<Vec<String>> {
        use calamine::Reader;
        let mut wb: calamine::Xlsx<_> =
            calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let range = wb.worksheet_range(sheet).unwrap();
        range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    /// One part of the workbook's zip, as text.
    fn part(bytes: &[u8], name: &str) -> String {
        use std::io::Read;
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut s = String::new();
        z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn the_workbook_has_units_comparators_in_columns_number_formats_and_a_frozen_header() {
        let r = build(&busy(40, d(2025, 9, 1)), year(), &ctx());
        let bytes = to_xlsx(&r).unwrap();
        let cells = sheet_cells(&bytes, "Indicators");
        let head = &cells[2];
        for want in [
            "Unit",
            "Value",
            "England",
            "Yorkshire and the Humber",
            "Statistical neighbours (mean)",
            "Statistical neighbours (median)",
            "Against England",
            "Tolerance (a smaller difference is similar)",
        ] {
            assert!(
                head.iter().any(|h| h == want),
                "{want} missing from {head:?}"
            );
        }
        let col = |name: &str| head.iter().position(|h| h == name).unwrap();
        let nine = cells.iter().find(|row| row[0] == "9").unwrap();
        assert_eq!(nine[col("Unit")], "%");
        // Percentages are stored as fractions, shown with a % format.
        assert_eq!(nine[col("England")], "0.857");
        let five = cells.iter().find(|row| row[0] == "5").unwrap();
        assert_eq!(five[col("Unit")], "per 10,000 children");
        assert_eq!(five[col("Value")], "40");
        assert_eq!(five[col("England")], "519.4");
        let styles = part(&bytes, "xl/styles.xml");
        assert!(styles.contains("formatCode=\"0.0%\""), "{styles}");
        let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
        assert!(sheet.contains("state=\"frozen\""), "frozen panes");
        assert!(sheet.contains("ySplit=\"3\""), "below the heading row");
        assert!(sheet.contains("<autoFilter"), "filtered headings");
    }
}
