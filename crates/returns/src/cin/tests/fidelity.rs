//! Hearth's reading of the CIN rules where it differs from the data-to-insight reference
//! validator or where the DfE text is open to two readings (docs/validation-differences.md names
//! each test here).

use super::*;

fn fired(x: &Census, code: &str) -> bool {
    validate(x).findings.iter().any(|f| f.rule_code == code)
}

/// An open episode whose only activity is a section 47 enquiry with no conference yet.
fn open_s47(x: &mut Census, start: &str) {
    let e = open_simple(x);
    e.section47.push(Section47 {
        row: 0,
        start: d(start),
        initial_cpc_target: None,
        date_of_initial_cpc: None,
        icpc_not_required: None,
    });
    x.renumber();
}

#[test]
fn cin_8740_an_open_s47_must_start_within_the_census_year_not_only_after_its_start() {
    let mut inside = baseline();
    open_s47(&mut inside, "2026-03-30");
    assert!(!fired(&inside, "8740"));
    // After 31 March: outside the census year, as a start before 1 April is.
    let mut after = baseline();
    open_s47(&mut after, "2026-04-02");
    assert!(fired(&after, "8740"), "{:?}", codes(&validate(&after)));
    let mut before = baseline();
    e0(&mut before).referral_date = d("2025-03-01");
    open_s47(&mut before, "2025-03-10");
    assert!(fired(&before, "8740"));
}

#[test]
fn cin_8565_the_closure_date_is_compared_with_the_cin_plan_dates() {
    // Everything but the CIN plan ends by the closure date (the CP plan ends on it).
    let mut x = baseline();
    e0(&mut x).closure_date = d("2025-11-27");
    plan0(&mut x).start = d("2025-11-27");
    plan0(&mut x).end = d("2025-11-27");
    assert!(!fired(&x, "8565"), "{:?}", codes(&validate(&x)));
    // A CIN plan ending after the closure.
    let mut end = x.clone();
    plan0(&mut end).end = d("2025-11-28");
    assert!(fired(&end, "8565"));
    // A CIN plan starting after the closure.
    let mut start = x.clone();
    plan0(&mut start).start = d("2025-11-28");
    plan0(&mut start).end = d("2025-11-29");
    assert!(fired(&start, "8565"));
}

#[test]
fn cin_8565_episodes_with_nothing_but_a_closure_date_are_checked_without_failing() {
    // The reference stops on an episode whose dates are all blank but the closure; Hearth
    // checks it and finds nothing after the closure.
    let mut x = baseline();
    let e = nfa(&mut x);
    e.referral_date = d("2025-06-01");
    e.closure_date = d("2025-06-01");
    e.reason_for_closure = s("RC8");
    let v = validate(&x);
    assert!(
        !v.findings.iter().any(|f| f.rule_code == "8565"),
        "{:?}",
        codes(&v)
    );
}

#[test]
fn cin_8869_fires_when_21_is_one_of_several_factors_and_not_when_alone() {
    let mut with_others = baseline();
    a0(&mut with_others).factors = vec!["21".into(), "3B".into()];
    assert!(fired(&with_others, "8869"));
    let mut alone = baseline();
    a0(&mut alone).factors = vec!["21".into()];
    assert!(!fired(&alone, "8869"));
}

#[test]
fn cin_8873q_applies_when_21_is_the_only_factor_of_the_only_assessment() {
    let base = |x: &mut Census| {
        let e = e0(x);
        e.section47.clear();
        e.cpps.clear();
        e.plans.clear();
        e.reason_for_closure = s("RC7");
    };
    let mut only = baseline();
    base(&mut only);
    a0(&mut only).factors = vec!["21".into()];
    assert!(fired(&only, "8873Q"));
    // 21 among other factors is 8869's error, not a "no factors identified" assessment.
    let mut among = baseline();
    base(&mut among);
    a0(&mut among).factors = vec!["21".into(), "3B".into()];
    assert!(!fired(&among, "8873Q"));
    assert!(fired(&among, "8869"));
    // RC8 answers the query.
    let mut rc8 = only.clone();
    e0(&mut rc8).reason_for_closure = s("RC8");
    assert!(!fired(&rc8, "8873Q"));
}

#[test]
fn cin_8569q_an_absent_nfa_flag_is_not_flagged_as_no_further_action() {
    let mut flagged = baseline();
    nfa(&mut flagged).referral_date = d("2025-03-20");
    assert!(fired(&flagged, "8569Q"));
    // The same early referral with no ReferralNFA at all: 8568 (the flag is missing), not 8569Q.
    let mut absent = flagged.clone();
    e0(&mut absent).referral_nfa = None;
    assert!(!fired(&absent, "8569Q"));
    assert!(fired(&absent, "8568"));
}

#[test]
fn cin_8670q_exactly_45_working_days_before_the_reference_date_is_not_more_than_45() {
    let unfinished = |start: &str| {
        let mut x = baseline();
        open_simple(&mut x);
        let a = a0(&mut x);
        a.authorisation = None;
        a.has_factors = false;
        a.factors.clear();
        a.start = d(start);
        x
    };
    // Tuesday 27 January 2026 is 45 working days before Tuesday 31 March 2026 (no bank
    // holidays between): not more than 45, so no query.
    assert_eq!(
        domain::calendar::Calendar::england()
            .add_working_days(d("2026-01-27").unwrap(), 45)
            .unwrap(),
        d("2026-03-31").unwrap()
    );
    assert!(!fired(&unfinished("2026-01-27"), "8670Q"));
    assert!(fired(&unfinished("2026-01-26"), "8670Q"));
}
