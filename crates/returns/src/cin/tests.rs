//! Tests of the CIN census: a baseline return that passes every rule, and for every rule a change
//! to it, derived from the rule's text, that makes the rule fail. Reading, writing (round trip)
//! and bad input.

use chrono::NaiveDate;
use proptest::prelude::*;

use super::model::*;
use super::*;

fn d(s: &str) -> Option<NaiveDate> {
    Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
}

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

fn upn(rest: &str) -> String {
    domain::person::identifiers::upn_with_check_letter(rest).unwrap()
}

/// A child with one closed episode that went through assessment, S47, conference, a child
/// protection plan, and a child in need plan: valid against every rule.
fn child(id: &str) -> Child {
    Child {
        row: 0,
        la_child_id: s(id),
        upn: Some(upn(&format!(
            "8202001{:05}",
            id.bytes().map(u32::from).sum::<u32>()
        ))),
        former_upn: None,
        upn_unknown: None,
        birth_date: d("2015-06-01"),
        expected_birth_date: None,
        sex: s("F"),
        death_date: None,
        ethnicity: s("WBRI"),
        has_disabilities: true,
        disabilities: vec![Coded {
            row: 0,
            code: "NONE".into(),
        }],
        cin_details: vec![CinDetails {
            row: 0,
            referral_date: d("2025-05-01"),
            referral_source: s("2A"),
            primary_need_code: s("N1"),
            closure_date: d("2025-12-01"),
            reason_for_closure: s("RC7"),
            date_of_initial_cpc: None,
            referral_nfa: Some(false),
            assessments: vec![Assessment {
                row: 0,
                start: d("2025-05-02"),
                internal_review: None,
                authorisation: d("2025-06-02"),
                has_factors: true,
                factors: vec!["16A".into(), "3B".into()],
            }],
            plans: vec![CinPlan {
                row: 0,
                start: d("2025-11-27"),
                end: d("2025-12-01"),
            }],
            section47: vec![Section47 {
                row: 0,
                start: d("2025-05-06"),
                initial_cpc_target: d("2025-05-28"),
                date_of_initial_cpc: d("2025-05-27"),
                icpc_not_required: Some(false),
            }],
            cpps: vec![ChildProtectionPlan {
                row: 0,
                start: d("2025-05-27"),
                end: d("2025-11-27"),
                initial_category: s("NEG"),
                latest_category: s("EMO"),
                previous_plans: Some(0),
                has_reviews: true,
                reviews: vec![Review {
                    row: 0,
                    date: d("2025-08-20"),
                }],
            }],
        }],
    }
}

fn baseline() -> Census {
    let mut c = Census {
        header: Header {
            collection: s("CIN"),
            year: s("2026"),
            reference_date: d("2026-03-31"),
            source_level: s("L"),
            lea: s("999"),
            software_code: s("Hearth"),
            release: s("1"),
            serial_no: s("001"),
            date_time: s("2026-04-02T10:00:00"),
        },
        children: vec![child("C1"), child("C2")],
    };
    // The return uses more than 7 disability codes, and one child has several (2887Q, 2888Q).
    c.children[1].disabilities = ["MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS"]
        .iter()
        .map(|code| Coded {
            row: 0,
            code: code.to_string(),
        })
        .collect();
    c.renumber();
    c
}

fn codes(v: &Validation) -> Vec<&str> {
    v.findings.iter().map(|f| f.rule_code.as_str()).collect()
}

#[test]
fn the_baseline_passes_every_rule() {
    let v = validate(&baseline());
    assert!(v.findings.is_empty(), "{:#?}", v.findings);
    assert_eq!(v.children, 2);
}

fn c0(x: &mut Census) -> &mut Child {
    &mut x.children[0]
}
fn e0(x: &mut Census) -> &mut CinDetails {
    &mut x.children[0].cin_details[0]
}
fn a0(x: &mut Census) -> &mut Assessment {
    &mut x.children[0].cin_details[0].assessments[0]
}
fn s0(x: &mut Census) -> &mut Section47 {
    &mut x.children[0].cin_details[0].section47[0]
}
fn p0(x: &mut Census) -> &mut ChildProtectionPlan {
    &mut x.children[0].cin_details[0].cpps[0]
}
fn plan0(x: &mut Census) -> &mut CinPlan {
    &mut x.children[0].cin_details[0].plans[0]
}
/// Makes the first episode a no-further-action referral with nothing else on it.
fn nfa(x: &mut Census) -> &mut CinDetails {
    let e = e0(x);
    e.referral_nfa = Some(true);
    e.assessments.clear();
    e.section47.clear();
    e.cpps.clear();
    e.plans.clear();
    e.primary_need_code = None;
    e.closure_date = None;
    e.reason_for_closure = None;
    e
}
/// Leaves the first episode with only an assessment, open.
fn open_simple(x: &mut Census) -> &mut CinDetails {
    let e = e0(x);
    e.section47.clear();
    e.cpps.clear();
    e.plans.clear();
    e.closure_date = None;
    e.reason_for_closure = None;
    e
}

type Mutation = fn(&mut Census);

/// For each rule, a change to the baseline that breaks it.
fn failing_cases() -> Vec<(&'static str, Mutation)> {
    vec![
        ("100", |x| x.header.reference_date = d("2026-03-30")),
        ("1103", |x| a0(x).start = d("2025-04-30")),
        ("1104", |x| {
            s0(x).start = d("2025-04-20");
            s0(x).date_of_initial_cpc = d("2025-04-28");
            p0(x).start = d("2025-04-28");
        }),
        ("1105", |x| {
            p0(x).start = d("2025-04-29");
        }),
        ("1510", |x| {
            let u = c0(x).upn.as_mut().unwrap();
            let first = if u.starts_with('A') { "B" } else { "A" };
            u.replace_range(0..1, first);
        }),
        ("1520", |x| x.children[1].upn = x.children[0].upn.clone()),
        ("1530", |x| c0(x).upn = Some(upn("999200100001"))),
        ("1540", |x| c0(x).upn = s("A8202X0100001")),
        ("1550", |x| c0(x).upn = s("A82020010000!")),
        ("1560Q", |x| c0(x).former_upn = s("12345")),
        ("1570", |x| c0(x).la_child_id = s("C123456789012345678901")),
        ("1580", |x| c0(x).la_child_id = s("C-1")),
        ("2883", |x| {
            // A second plan starting in the year with no conference behind it.
            let mut p = p0(x).clone();
            p.start = d("2025-11-28");
            p.end = None;
            e0(x).cpps.push(p);
            x.renumber();
        }),
        ("2884", |x| e0(x).date_of_initial_cpc = d("2025-05-27")),
        ("2885", |x| p0(x).start = d("2025-05-29")),
        ("2886Q", |x| c0(x).sex = s("U")),
        ("2887Q", |x| {
            x.children[1].disabilities.truncate(7);
            x.renumber();
        }),
        ("2888Q", |x| {
            // Eight codes across the return, but one a child.
            let codes: Vec<Coded> = x.children[1].disabilities.drain(..).collect();
            x.children[1].disabilities = vec![codes[0].clone()];
            for (i, code) in codes.into_iter().skip(1).enumerate() {
                let mut extra = child(&format!("X{i}"));
                extra.upn = None;
                extra.upn_unknown = s("UN2");
                extra.disabilities = vec![code];
                x.children.push(extra);
            }
            x.renumber();
        }),
        ("2889", |x| s0(x).start = d("2025-04-30")),
        ("2990", |x| e0(x).reason_for_closure = s("RC8")),
        ("2991Q", |x| e0(x).assessments.clear()),
        ("4000", |x| {
            nfa(x).plans.push(CinPlan {
                row: 0,
                start: d("2025-05-02"),
                end: None,
            });
            x.renumber();
        }),
        ("4001", |x| {
            let e = open_simple(x);
            e.plans.push(CinPlan {
                row: 0,
                start: d("2025-06-03"),
                end: None,
            });
            e.cpps.push(ChildProtectionPlan {
                row: 0,
                start: d("2025-06-01"),
                end: None,
                ..Default::default()
            });
            x.renumber();
        }),
        ("4003", |x| p0(x).reviews[0].date = d("2025-11-28")),
        ("4004", |x| {
            let e = open_simple(x);
            e.plans.push(CinPlan {
                row: 0,
                start: d("2025-06-03"),
                end: None,
            });
            e.plans.push(CinPlan {
                row: 0,
                start: d("2025-06-04"),
                end: None,
            });
            x.renumber();
        }),
        ("4008", |x| c0(x).death_date = d("2025-11-20")),
        ("4009Q", |x| {
            c0(x).death_date = d("2025-11-30");
            p0(x).end = d("2025-11-26");
            p0(x).reviews[0].date = d("2025-08-20");
        }),
        ("4010", |x| plan0(x).start = None),
        ("4011", |x| plan0(x).end = d("2025-11-26")),
        ("4012Q", |x| plan0(x).end = d("2025-11-27")),
        ("4013", |x| {
            plan0(x).end = d("2026-04-02");
        }),
        ("4014", |x| {
            e0(x).plans.push(CinPlan {
                row: 0,
                start: d("2025-11-28"),
                end: d("2025-11-30"),
            });
            x.renumber();
        }),
        ("4015", |x| plan0(x).start = d("2025-04-30")),
        ("4016", |x| plan0(x).start = d("2025-11-26")),
        ("4017", |x| {
            e0(x).plans.insert(
                0,
                CinPlan {
                    row: 0,
                    start: d("2025-05-20"),
                    end: d("2025-06-10"),
                },
            );
            x.renumber();
        }),
        ("4180", |x| c0(x).sex = s("X")),
        ("4220", |x| c0(x).ethnicity = s("XXXX")),
        ("8500", |x| c0(x).la_child_id = None),
        ("8510", |x| x.children[1].la_child_id = s("C1")),
        ("8520", |x| c0(x).birth_date = d("2026-04-01")),
        ("8525Q", |x| c0(x).expected_birth_date = d("2026-05-01")),
        ("8530Q", |x| {
            let c = c0(x);
            c.birth_date = None;
            c.sex = s("U");
            c.expected_birth_date = d("2027-03-01");
        }),
        ("8535Q", |x| {
            c0(x).death_date = d("2015-05-01");
        }),
        ("8540", |x| c0(x).disabilities[0].code = "XYZ".into()),
        ("8545Q", |x| c0(x).death_date = d("2026-04-05")),
        ("8555Q", |x| c0(x).death_date = d("2025-04-20")),
        ("8565", |x| {
            // The plan ended on 27 November, after the episode was closed on the 26th.
            e0(x).closure_date = d("2025-11-26");
            plan0(x).start = d("2025-11-20");
            plan0(x).end = d("2025-11-26");
        }),
        ("8568", |x| e0(x).referral_nfa = None),
        ("8569Q", |x| nfa(x).referral_date = d("2025-03-20")),
        ("8585Q", |x| e0(x).reason_for_closure = s("RC2")),
        ("8590", |x| c0(x).cin_details.clear()),
        ("8600", |x| e0(x).referral_date = None),
        ("8606", |x| {
            let c = c0(x);
            c.birth_date = None;
            c.sex = s("U");
            c.upn = None;
            c.expected_birth_date = d("2026-04-30");
            let e = nfa(x);
            e.referral_date = d("2025-06-01");
        }),
        ("8608", |x| a0(x).authorisation = d("2025-05-01")),
        ("8610", |x| e0(x).primary_need_code = None),
        ("8614", |x| {
            open_simple(x);
            a0(x).authorisation = None;
            a0(x).start = d("2026-03-20");
        }),
        ("8615", |x| s0(x).start = d("2025-05-28")),
        ("8620", |x| e0(x).closure_date = d("2026-04-01")),
        ("8630", |x| {
            let e = nfa(x);
            e.closure_date = d("2025-04-30");
            e.reason_for_closure = s("RC7");
        }),
        ("8640", |x| e0(x).reason_for_closure = s("RC99")),
        ("8650", |x| e0(x).primary_need_code = s("N99")),
        ("8670Q", |x| {
            open_simple(x);
            let a = a0(x);
            a.authorisation = None;
            a.has_factors = false;
            a.factors.clear();
            a.start = d("2026-01-05");
        }),
        ("8675Q", |x| {
            let e = open_simple(x);
            e.section47.push(Section47 {
                row: 0,
                start: d("2026-02-02"),
                initial_cpc_target: None,
                date_of_initial_cpc: None,
                icpc_not_required: Some(false),
            });
            x.renumber();
        }),
        ("8696", |x| {
            a0(x).start = d("2025-03-01");
            a0(x).authorisation = d("2025-03-20");
            e0(x).referral_date = d("2025-02-01");
        }),
        ("8715", |x| {
            e0(x).referral_date = d("2025-03-01");
            a0(x).start = d("2025-03-02");
            s0(x).start = d("2025-03-03");
            s0(x).date_of_initial_cpc = d("2025-03-20");
            p0(x).start = d("2025-03-20");
        }),
        ("8720", |x| p0(x).start = None),
        ("8730", |x| p0(x).previous_plans = None),
        ("8736", |x| {
            open_simple(x);
            e0(x).referral_date = d("2025-03-01");
            let a = a0(x);
            a.authorisation = None;
            a.has_factors = false;
            a.factors.clear();
            a.start = d("2025-03-10");
        }),
        ("8740", |x| {
            let e = open_simple(x);
            e.referral_date = d("2025-03-01");
            e.assessments[0].start = d("2025-03-02");
            e.assessments[0].authorisation = d("2025-04-02");
            e.section47.push(Section47 {
                row: 0,
                start: d("2025-03-10"),
                initial_cpc_target: None,
                date_of_initial_cpc: None,
                icpc_not_required: None,
            });
            x.renumber();
        }),
        ("8750", |x| {
            let c = c0(x);
            c.birth_date = None;
            c.expected_birth_date = d("2026-05-01");
        }),
        ("8770Q", |x| c0(x).upn = None),
        ("8772", |x| c0(x).upn_unknown = s("UN7")),
        ("8775Q", |x| {
            c0(x).birth_date = d("2000-01-01");
            e0(x).closure_date = None;
            e0(x).reason_for_closure = None;
        }),
        ("8790", |x| {
            c0(x).disabilities.push(Coded {
                row: 0,
                code: "MOB".into(),
            });
            x.renumber();
        }),
        ("8794", |x| {
            c0(x).disabilities = vec![
                Coded {
                    row: 0,
                    code: "MOB".into(),
                },
                Coded {
                    row: 0,
                    code: "MOB".into(),
                },
            ];
            x.renumber();
        }),
        ("8805", |x| e0(x).reason_for_closure = None),
        ("8810", |x| {
            open_simple(x).reason_for_closure = s("RC7");
        }),
        ("8815", |x| {
            open_simple(x);
            let mut e2 = e0(x).clone();
            e2.referral_date = d("2025-10-01");
            e2.assessments.clear();
            c0(x).cin_details.push(e2);
            x.renumber();
        }),
        ("8816", |x| {
            open_simple(x);
            let mut e2 = nfa(&mut x.clone()).clone();
            e2.referral_date = d("2025-10-01");
            e2.closure_date = d("2025-10-01");
            e2.reason_for_closure = s("RC7");
            c0(x).cin_details.push(e2);
            x.renumber();
        }),
        ("8820", |x| {
            let mut e2 = e0(x).clone();
            e2.referral_date = d("2025-07-01");
            e2.assessments.clear();
            e2.section47.clear();
            e2.cpps.clear();
            e2.plans.clear();
            e2.referral_nfa = Some(true);
            e2.primary_need_code = None;
            e2.closure_date = None;
            e2.reason_for_closure = None;
            c0(x).cin_details.push(e2);
            x.renumber();
        }),
        ("8825Q", |x| {
            let e = e0(x);
            e.section47.clear();
            e.cpps.clear();
            e.plans.clear();
            e.assessments.clear();
            e.reason_for_closure = s("RC8");
        }),
        ("8831", |x| {
            let e = nfa(x);
            e.assessments.push(Assessment {
                row: 0,
                start: d("2025-05-02"),
                ..Default::default()
            });
            x.renumber();
        }),
        ("8832", |x| {
            let e = nfa(x);
            e.cpps.push(ChildProtectionPlan {
                row: 0,
                start: d("2025-06-01"),
                previous_plans: Some(0),
                initial_category: s("NEG"),
                latest_category: s("NEG"),
                ..Default::default()
            });
            x.renumber();
        }),
        ("8839", |x| {
            let e = open_simple(x);
            for day in ["2025-05-06", "2025-05-07"] {
                e.section47.push(Section47 {
                    row: 0,
                    start: d(day),
                    initial_cpc_target: None,
                    date_of_initial_cpc: None,
                    icpc_not_required: Some(false),
                });
            }
            x.renumber();
        }),
        ("8840", |x| {
            p0(x).end = d("2025-05-27");
            p0(x).reviews.clear();
            p0(x).has_reviews = false;
        }),
        ("8841", |x| p0(x).reviews[0].date = d("2025-05-27")),
        ("8842Q", |x| p0(x).reviews[0].date = None),
        ("8863Q", |x| {
            e0(x).assessments.push(Assessment {
                row: 0,
                start: d("2025-05-20"),
                authorisation: d("2025-06-20"),
                has_factors: true,
                factors: vec!["16A".into()],
                ..Default::default()
            });
            x.renumber();
        }),
        ("8866", |x| e0(x).referral_source = s("11")),
        ("8867", |x| {
            let a = a0(x);
            a.authorisation = None;
            a.has_factors = false;
            a.factors.clear();
        }),
        ("8868", |x| {
            s0(x).date_of_initial_cpc = None;
            e0(x).date_of_initial_cpc = d("2025-05-27");
        }),
        ("8869", |x| a0(x).factors.push("21".into())),
        ("8870Q", |x| s0(x).initial_cpc_target = d("2025-05-31")),
        ("8873Q", |x| {
            let e = e0(x);
            e.section47.clear();
            e.cpps.clear();
            e.plans.clear();
            e.assessments[0].factors = vec!["21".into()];
            e.reason_for_closure = s("RC7");
        }),
        ("8875", |x| {
            s0(x).date_of_initial_cpc = d("2025-05-31");
            p0(x).start = d("2025-05-31");
        }),
        ("8890", |x| {
            e0(x).section47.push(Section47 {
                row: 0,
                start: d("2025-05-10"),
                initial_cpc_target: None,
                date_of_initial_cpc: None,
                icpc_not_required: Some(true),
            });
            x.renumber();
        }),
        ("8896", |x| {
            let e = open_simple(x);
            e.assessments[0].authorisation = None;
            e.assessments[0].factors.clear();
            e.assessments[0].has_factors = false;
            e.assessments[0].start = d("2026-03-20");
            e.assessments.push(Assessment {
                row: 0,
                start: d("2026-03-25"),
                ..Default::default()
            });
            x.renumber();
        }),
        ("8897Q", |x| {
            a0(x).factors.clear();
            a0(x).has_factors = false;
        }),
        ("8898", |x| a0(x).factors.push("16A".into())),
        ("8905", |x| p0(x).initial_category = s("ABC")),
        ("8910", |x| p0(x).latest_category = None),
        ("8915", |x| {
            c0(x).death_date = d("2025-05-20");
        }),
        ("8920", |x| {
            c0(x).death_date = d("2025-11-26");
        }),
        ("8925", |x| {
            p0(x).end = d("2025-05-26");
            p0(x).reviews.clear();
            p0(x).has_reviews = false;
        }),
        ("8930", |x| {
            p0(x).end = d("2026-04-01");
            e0(x).closure_date = d("2026-04-01");
        }),
        ("8935", |x| {
            let e = open_simple(x);
            for day in ["2025-06-01", "2025-06-02"] {
                e.cpps.push(ChildProtectionPlan {
                    row: 0,
                    start: d(day),
                    previous_plans: Some(0),
                    initial_category: s("NEG"),
                    latest_category: s("NEG"),
                    ..Default::default()
                });
            }
            x.renumber();
        }),
        ("8940", |x| {
            let mut p = p0(x).clone();
            p.start = d("2025-06-01");
            p.end = d("2025-06-10");
            p.reviews.clear();
            p.has_reviews = false;
            e0(x).cpps.push(p);
            x.renumber();
        }),
        ("8945Q", |x| a0(x).factors.push("18A".into())),
        ("8950Q", |x| a0(x).factors.push("19A".into())),
    ]
}

#[test]
fn every_implemented_rule_fails_on_its_own_case_and_names_the_child_and_fields() {
    let cases = failing_cases();
    let messages = rules::rule_messages();
    for code in rules::IMPLEMENTED {
        assert!(messages.contains_key(code), "{code} is not a 2025/26 rule");
        assert!(
            cases.iter().any(|(c, _)| c == code),
            "no failing case for rule {code}"
        );
    }
    for (code, mutate) in cases {
        let mut x = baseline();
        mutate(&mut x);
        let v = validate(&x);
        let found: Vec<&Finding> = v.findings.iter().filter(|f| f.rule_code == code).collect();
        assert!(
            !found.is_empty(),
            "rule {code} did not fire; findings: {:?}",
            codes(&v)
        );
        let f = found[0];
        assert_eq!(f.message, messages[code], "{code}");
        assert!(!f.fields.is_empty(), "{code} names its fields");
        assert_eq!(
            f.severity == crate::findings::Severity::Query,
            code.ends_with('Q'),
            "{code}"
        );
        let la_level = ["2883", "2886Q", "2887Q", "2888Q"].contains(&code);
        assert_eq!(
            f.child.is_none(),
            la_level || code == "100" || code == "8500",
            "{code} child: {:?}",
            f.child
        );
    }
}

#[test]
fn all_109_rules_are_implemented_or_said_not_run() {
    let messages = rules::rule_messages();
    assert_eq!(messages.len(), 109);
    for code in messages.keys() {
        let implemented = rules::IMPLEMENTED.contains(code);
        let not_run = rules::NOT_RUN.iter().any(|(c, _)| c == code);
        assert!(
            implemented != not_run,
            "rule {code}: implemented {implemented}, listed as not run {not_run}"
        );
    }
    assert!(validate(&baseline()).not_run.is_empty());
}

#[test]
fn write_then_read_gives_the_same_census_and_the_same_findings() {
    let mut x = baseline();
    c0(&mut x).upn_unknown = s("UN1");
    c0(&mut x).former_upn = s("A & <B>");
    let mut xml = Vec::new();
    write(&mut xml, &x).unwrap();
    let back = read(&xml[..]).unwrap();
    assert_eq!(back, x);
    let streamed = validate_stream(&xml[..]).unwrap();
    assert_eq!(streamed.findings, validate(&x).findings);
}

#[test]
fn rows_count_within_each_module_in_file_order() {
    let mut x = baseline();
    let mut xml = Vec::new();
    failing_cases()
        .into_iter()
        .find(|(c, _)| *c == "8794")
        .unwrap()
        .1(&mut x);
    write(&mut xml, &x).unwrap();
    let back = read(&xml[..]).unwrap();
    assert_eq!(back.children[1].row, 1);
    assert_eq!(back.children[0].disabilities[1].row, 1);
    assert_eq!(back.children[1].disabilities[0].row, 2);
    assert_eq!(back.children[1].cin_details[0].row, 1);
    assert_eq!(back.children[1].cin_details[0].cpps[0].reviews[0].row, 1);
    let v = validate(&back);
    let f = v.findings.iter().find(|f| f.rule_code == "8794").unwrap();
    assert_eq!(
        (f.table.as_str(), f.row, f.child.as_deref()),
        ("Disabilities", Some(1), Some("C1"))
    );
}

#[test]
fn unreadable_files_are_clear_errors() {
    let mut good = Vec::new();
    write(&mut good, &baseline()).unwrap();
    let text = String::from_utf8(good.clone()).unwrap();
    let half = &text[..text.len() / 2];
    let truncated = &half[..half.rfind('\n').unwrap()];
    let e = read(truncated.as_bytes()).unwrap_err();
    assert!(e.reason.contains("truncated"), "{e}");
    let bad_date = text.replacen(
        "<CINreferralDate>2025-05-01<",
        "<CINreferralDate>2025-13-01<",
        1,
    );
    let e = read(bad_date.as_bytes()).unwrap_err();
    assert_eq!(e.child.as_deref(), Some("C1"));
    assert!(
        e.path.ends_with("Child[1]/CINdetails[1]/CINreferralDate"),
        "{}",
        e.path
    );
    assert!(
        e.to_string().contains("\"2025-13-01\" is not a date"),
        "{e}"
    );
    let bad_bool = text.replacen("<ReferralNFA>false<", "<ReferralNFA>no<", 1);
    assert!(
        read(bad_bool.as_bytes())
            .unwrap_err()
            .reason
            .contains("not true, false")
    );
    let wrong_root = text.replace("Message>", "Envelope>");
    assert!(
        read(wrong_root.as_bytes())
            .unwrap_err()
            .reason
            .contains("expected <Message>")
    );
    let mismatched = text.replacen("</LAchildID>", "</UPN>", 1);
    assert!(read(mismatched.as_bytes()).is_err());
    assert!(read(&b""[..]).is_err());
    // A namespace prefix is accepted (elements are matched by local name).
    let prefixed = text
        .replace(
            "<Message>",
            "<c:Message xmlns:c=\"http://www.dfes.gov.uk/CoreSchemas\">",
        )
        .replace("</Message>", "</c:Message>");
    assert_eq!(read(prefixed.as_bytes()).unwrap(), baseline());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// The reader never panics: arbitrary bytes, and valid files cut or corrupted at any point,
    /// give a census or an error.
    #[test]
    fn the_reader_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let _ = read(&bytes[..]);
        let _ = validate_stream(&bytes[..]);
    }

    #[test]
    fn the_reader_never_panics_on_damaged_files(cut in 0usize..4000, pos in 0usize..4000, byte in any::<u8>()) {
        let mut xml = Vec::new();
        write(&mut xml, &baseline()).unwrap();
        let mut damaged = xml.clone();
        let p = pos % damaged.len();
        damaged[p] = byte;
        let _ = validate_stream(&damaged[..]);
        let c = cut % xml.len();
        let _ = validate_stream(&xml[..c]);
    }
}

mod fidelity;
