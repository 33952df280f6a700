//! A synthetic CIN census: children's episodes of need with assessments, section 47 enquiries,
//! conferences, child protection plans and child in need plans, shaped like a council's return,
//! with a small share of the mistakes real returns contain (so validation has work to do).

use chrono::{Days, Months, NaiveDate};
use returns::cin::model::*;

use crate::Rng;

const SOURCES: &[(&str, u32)] = &[
    ("6", 29),
    ("2A", 18),
    ("3A", 4),
    ("3B", 3),
    ("3E", 3),
    ("3F", 4),
    ("5A", 4),
    ("5D", 5),
    ("1A", 7),
    ("1C", 1),
    ("1D", 2),
    ("4", 2),
    ("7", 2),
    ("8", 4),
    ("9", 1),
    ("10", 11),
];
const NEED: &[(&str, u32)] = &[
    ("N1", 57),
    ("N2", 3),
    ("N3", 4),
    ("N4", 13),
    ("N5", 2),
    ("N6", 4),
    ("N7", 1),
    ("N8", 6),
    ("N0", 10),
];
const FACTORS: &[&str] = &[
    "1B", "2B", "3A", "3B", "4A", "4B", "5A", "6B", "7A", "10A", "11A", "14A", "15A", "16A", "17A",
    "18B", "18C", "19C", "22A", "24A",
];
const CATEGORY: &[(&str, u32)] = &[("NEG", 50), ("EMO", 38), ("PHY", 6), ("SAB", 4), ("MUL", 2)];

fn upn(rng: &mut Rng) -> Option<String> {
    // LA codes 370 to 373 are among those a UPN may carry (rule 1530).
    let la = 370 + rng.below(4);
    domain::person::identifiers::upn_with_check_letter(&format!(
        "{la}{:04}{:05}",
        rng.below(10_000),
        rng.below(100_000)
    ))
}

/// A census of `children` children for the year ending `reference_date` (31 March).
pub fn census(seed: u64, children: usize, reference_date: NaiveDate) -> Census {
    let mut rng = Rng::new(seed);
    let start = reference_date.checked_sub_months(Months::new(12)).unwrap() + Days::new(1);
    let day_in_year = |rng: &mut Rng, from: NaiveDate| {
        from + Days::new(rng.below(((reference_date - from).num_days().max(1)) as u64))
    };
    let mut out = Vec::with_capacity(children);
    for i in 0..children {
        let dob = reference_date - Days::new(30 + rng.below(365 * 17));
        let unborn = rng.chance(0.01);
        let mut c = Child {
            la_child_id: Some(format!("C{i:07}")),
            upn: if (reference_date - dob).num_days() > 365 * 5 && !unborn {
                upn(&mut rng)
            } else {
                None
            },
            upn_unknown: None,
            birth_date: (!unborn).then_some(dob),
            expected_birth_date: unborn.then(|| reference_date + Days::new(20 + rng.below(150))),
            sex: Some(
                if unborn {
                    "U"
                } else if rng.chance(0.5) {
                    "M"
                } else {
                    "F"
                }
                .into(),
            ),
            ethnicity: Some(
                rng.weighted(&[
                    ("WBRI", 70),
                    ("WOTH", 5),
                    ("MWBC", 3),
                    ("APKN", 4),
                    ("BAFR", 3),
                    ("AOTH", 2),
                    ("NOBT", 2),
                    ("OOTH", 2),
                ])
                .into(),
            ),
            has_disabilities: true,
            disabilities: vec![Coded {
                row: 0,
                code: if rng.chance(0.1) {
                    rng.pick(&["MOB", "LD", "AUT", "COMM", "BEH", "HEAR"])
                        .to_string()
                } else {
                    "NONE".into()
                },
            }],
            ..Default::default()
        };
        if c.upn.is_none() && !unborn && (reference_date - dob).num_days() > 365 * 5 {
            c.upn_unknown = Some("UN2".into());
        }
        let earliest = match c.expected_birth_date {
            Some(edd) => start.max(edd - Days::new(270)),
            None => start.max(dob),
        };
        let referral = day_in_year(&mut rng, earliest);
        let mut e = CinDetails {
            referral_date: Some(referral),
            referral_source: Some(rng.weighted(SOURCES).into()),
            referral_nfa: Some(false),
            primary_need_code: Some(rng.weighted(NEED).into()),
            ..Default::default()
        };
        let kind = rng.below(100);
        if kind < 8 {
            // No further action.
            e.referral_nfa = Some(true);
            e.primary_need_code = None;
        } else {
            let a_start = referral + Days::new(rng.below(5));
            let duration = 10 + rng.below(55);
            let auth = a_start + Days::new(duration);
            let authorised = auth <= reference_date;
            let mut factors: Vec<String> = (0..1 + rng.below(3))
                .map(|_| rng.pick(FACTORS).to_string())
                .collect();
            factors.sort();
            factors.dedup();
            e.assessments.push(Assessment {
                start: Some(a_start),
                authorisation: authorised.then_some(auth),
                has_factors: authorised,
                factors: if authorised { factors } else { vec![] },
                ..Default::default()
            });
            if kind >= 70 && authorised {
                // Section 47, conference and a child protection plan.
                let s47 = a_start + Days::new(1);
                let icpc = domain::calendar::Calendar::england()
                    .add_working_days(s47, 10 + rng.below(8) as u32)
                    .ok()
                    .filter(|d| *d <= reference_date);
                let target = domain::calendar::Calendar::england()
                    .add_working_days(s47, 15)
                    .ok();
                e.section47.push(Section47 {
                    start: Some(s47),
                    initial_cpc_target: target,
                    date_of_initial_cpc: icpc,
                    icpc_not_required: Some(icpc.is_none() && rng.chance(0.5)),
                    ..Default::default()
                });
                if let Some(icpc) = icpc {
                    let end = (icpc + Days::new(90 + rng.below(300)))
                        .min(reference_date + Days::new(400));
                    let ended = end <= reference_date;
                    let review = icpc
                        .checked_add_months(Months::new(3))
                        .filter(|r| *r <= reference_date && (!ended || *r < end));
                    let cat = rng.weighted(CATEGORY).to_string();
                    e.cpps.push(ChildProtectionPlan {
                        start: Some(icpc),
                        end: ended.then_some(end),
                        initial_category: Some(cat.clone()),
                        latest_category: Some(cat),
                        previous_plans: Some(if rng.chance(0.23) { 1 } else { 0 }),
                        has_reviews: review.is_some(),
                        reviews: review
                            .map(|d| Review {
                                row: 0,
                                date: Some(d),
                            })
                            .into_iter()
                            .collect(),
                        ..Default::default()
                    });
                    if ended {
                        e.plans.push(CinPlan {
                            start: Some(end),
                            end: None,
                            ..Default::default()
                        });
                    }
                }
            } else if kind >= 40 && authorised {
                e.plans.push(CinPlan {
                    start: Some(auth),
                    end: None,
                    ..Default::default()
                });
            } else if authorised && rng.chance(0.6) {
                e.closure_date = Some(auth);
                e.reason_for_closure = Some(if rng.chance(0.5) { "RC8" } else { "RC7" }.into());
            }
        }
        // A few of the mistakes real returns contain.
        match rng.below(200) {
            0 => c.ethnicity = Some("WBR".into()),
            1 => e.referral_source = None,
            2 => c.sex = None,
            3 => e.closure_date = e.referral_date.map(|r| r - Days::new(3)),
            4 => c.la_child_id = Some(format!("C{:07}", i.saturating_sub(1))),
            5 => c.upn = Some("A123456789012".into()),
            _ => {}
        }
        c.cin_details.push(e);
        out.push(c);
    }
    let mut census = Census {
        header: Header {
            collection: Some("CIN".into()),
            year: Some(reference_date.format("%Y").to_string()),
            reference_date: Some(reference_date),
            source_level: Some("L".into()),
            lea: Some("999".into()),
            software_code: Some("Hearth synthetic".into()),
            release: Some("1".into()),
            serial_no: Some("001".into()),
            date_time: Some(format!("{}T09:00:00", reference_date.format("%Y-%m-%d"))),
        },
        children: out,
    };
    census.renumber();
    census
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_synthetic_census_is_mostly_valid_and_deterministic() {
        let r = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
        let a = census(7, 2000, r);
        assert_eq!(a, census(7, 2000, r));
        let v = returns::cin::validate(&a);
        let children_with_errors: std::collections::HashSet<_> = v
            .findings
            .iter()
            .filter(|f| f.severity == returns::findings::Severity::Error)
            .filter_map(|f| f.child.clone())
            .collect();
        // About 3% of children carry a deliberate mistake.
        assert!(
            children_with_errors.len() < 200,
            "{} children with errors: {:?}",
            children_with_errors.len(),
            returns::findings::summary_by_rule(&v.findings)
                .iter()
                .take(8)
                .map(|s| (&s.rule_code, s.findings))
                .collect::<Vec<_>>()
        );
        assert!(children_with_errors.len() > 10);
    }
}
