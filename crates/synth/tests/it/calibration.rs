//! Calibration: a default council's figures come out near England's.
//!
//! England's figures are those in specs/performance-indicators.md (§1): the CIN census for the
//! year to 31 March 2025 [S1] and the workforce at 30 September 2025 [S3]; the category shares
//! are DfE CIN table A6 at 31 March 2020 [S10], the last full breakdown. Each figure is
//! measured on the generated record over the last three complete collection years (pooled), for
//! a council of 50,000 children with 5 years of history, and must fall within the tolerance
//! given beside it: relative tolerances for rates per 10,000 (random variation for a council of
//! this size is a few per cent; about 10% allows for it and for the simulation's shape), absolute
//! percentage points for proportions.

use chrono::NaiveDate;
use synth::rates::{Rates, rates};
use synth::{Council, Spec, generate};

/// A large county's child population.
const POPULATION: usize = 200_000;

fn council(spec: &Spec) -> Council {
    generate(spec)
}

fn as_at() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

/// Three complete collection years, pooled (counts summed; proportions weighted).
fn pooled(c: &Council) -> Vec<Rates> {
    let last = synth::rates::last_year_end(c.spec.as_at);
    (0..3)
        .map(|k| {
            rates(
                c,
                NaiveDate::from_ymd_opt(last.year_ce().1 as i32 - k, 3, 31).unwrap(),
            )
        })
        .collect()
}

use chrono::Datelike;

fn mean(rs: &[Rates], f: impl Fn(&Rates) -> f64, w: impl Fn(&Rates) -> usize) -> f64 {
    let tw: usize = rs.iter().map(&w).sum();
    rs.iter().map(|r| f(r) * w(r) as f64).sum::<f64>() / tw.max(1) as f64
}

struct Check {
    name: &'static str,
    england: f64,
    got: f64,
    /// Relative (for rates) or absolute (for proportions) tolerance.
    tolerance: f64,
    relative: bool,
}

fn check(checks: &[Check]) {
    let mut failed = Vec::new();
    println!("{:<48} {:>10} {:>10}", "indicator", "England", "generated");
    for c in checks {
        println!("{:<48} {:>10.3} {:>10.3}", c.name, c.england, c.got);
        let ok = if c.relative {
            (c.got - c.england).abs() <= c.tolerance * c.england
        } else {
            (c.got - c.england).abs() <= c.tolerance
        };
        if !ok {
            failed.push(format!(
                "{}: England {:.3}, generated {:.3}",
                c.name, c.england, c.got
            ));
        }
    }
    assert!(
        failed.is_empty(),
        "outside tolerance:\n{}",
        failed.join("\n")
    );
}

fn figures(c: &Council) -> Vec<Check> {
    let rs = pooled(c);
    let one = |f: fn(&Rates) -> f64| rs.iter().map(f).sum::<f64>() / rs.len() as f64;
    let rel = |name, england, got, tolerance| Check {
        name,
        england,
        got,
        tolerance,
        relative: true,
    };
    let abs = |name, england, got, tolerance| Check {
        name,
        england,
        got,
        tolerance,
        relative: false,
    };
    let cat = |code: &str| {
        mean(
            &rs,
            |r| r.categories.get(code).copied().unwrap_or(0.0),
            |r| r.plans_started,
        )
    };
    let now = rates(c, synth::rates::last_year_end(c.spec.as_at));
    vec![
        rel(
            "Referrals per 10,000 (ind. 5; 519.4)",
            519.4,
            one(|r| r.referrals_per_10k),
            0.10,
        ),
        abs(
            "Re-referrals within 12 months (ind. 6; 22.6%)",
            0.226,
            mean(&rs, |r| r.re_referral_rate, |r| r.referrals),
            0.03,
        ),
        abs(
            "Referrals with no further action (ind. 7; 6.5%)",
            0.065,
            mean(&rs, |r| r.referral_nfa_rate, |r| r.referrals),
            0.02,
        ),
        abs(
            "Assessed not in need (ind. 8; 30.8%)",
            0.308,
            mean(&rs, |r| r.not_in_need_rate, |r| r.referrals),
            0.04,
        ),
        abs(
            "Assessments within 45 working days (ind. 9; 85.7%)",
            0.857,
            mean(&rs, |r| r.assessment_on_time, |r| r.assessments_completed),
            0.03,
        ),
        rel(
            "Children in need at 31 March per 10,000 (ind. 10; 330.3)",
            330.3,
            one(|r| r.cin_31_march_per_10k),
            0.20,
        ),
        rel(
            "S47 enquiries per 10,000 (ind. 11; 189.3)",
            189.3,
            one(|r| r.s47_per_10k),
            0.12,
        ),
        abs(
            "S47 to initial conference (ind. 12; 31.3%)",
            0.313,
            mean(&rs, |r| r.s47_to_icpc, |r| r.s47s),
            0.04,
        ),
        abs(
            "Initial conferences within 15 working days (ind. 13; 81.4%)",
            0.814,
            mean(&rs, |r| r.icpc_on_time, |r| r.icpcs),
            0.05,
        ),
        abs(
            "Initial conference to plan (ind. 14; 85.8%)",
            0.858,
            mean(&rs, |r| r.icpc_to_plan, |r| r.icpcs),
            0.05,
        ),
        rel(
            "CP plans starting per 10,000 (ind. 15; 50.8)",
            50.8,
            one(|r| r.cp_starts_per_10k),
            0.15,
        ),
        rel(
            "CP plans at 31 March per 10,000 (ind. 16; 40.6)",
            40.6,
            one(|r| r.cp_31_march_per_10k),
            0.20,
        ),
        abs(
            "Second or later CP plan (ind. 18; 24.5%)",
            0.245,
            mean(&rs, |r| r.repeat_plan_rate, |r| r.plans_started),
            0.05,
        ),
        abs(
            "Plans for neglect (ind. 17; 50.5%)",
            0.505,
            cat("NEG"),
            0.07,
        ),
        abs(
            "Plans for emotional abuse (ind. 17; 35.7%)",
            0.357,
            cat("EMO"),
            0.07,
        ),
        abs(
            "Plans for physical abuse (ind. 17; 7.4%)",
            0.074,
            cat("PHY"),
            0.03,
        ),
        abs(
            "Plans for sexual abuse (ind. 17; 3.8%)",
            0.038,
            cat("SAB"),
            0.02,
        ),
        abs(
            "Plans for multiple categories (ind. 17; 2.6%)",
            0.026,
            cat("MUL"),
            0.02,
        ),
        rel("Average caseload (ind. 44; 15.2)", 15.2, now.caseload, 0.10),
        abs(
            "Agency social workers (ind. 45; 13.0%)",
            0.13,
            now.agency_rate,
            0.05,
        ),
        abs("Turnover (ind. 46; 11.8%)", 0.118, now.turnover, 0.05),
        // Children looked after (SSDA903 year to 31 March 2025 [S2]). Rates per 10,000 within
        // 12% (a council of 200,000 children has some 1,300 in care and 520 starts a year);
        // proportions within 3-5 points (the cohorts are hundreds, not thousands).
        rel(
            "Children looked after at 31 March per 10,000 (ind. 22; 67)",
            67.0,
            one(|r| r.cla_31_march_per_10k),
            0.12,
        ),
        rel(
            "Children starting care per 10,000 (ind. 23; 26)",
            26.0,
            one(|r| r.cla_starts_per_10k),
            0.12,
        ),
        abs(
            "3 or more placements in the year (ind. 24; 10%)",
            0.10,
            mean(&rs, |r| r.three_placements, |r| r.cla_31_march),
            0.03,
        ),
        abs(
            "Children looked after who went missing (ind. 28; 11%)",
            0.11,
            mean(&rs, |r| r.cla_missing, |r| r.cla_31_march),
            0.03,
        ),
        abs(
            "Annual health assessments (ind. 31; 90%)",
            0.90,
            mean(&rs, |r| r.health_assessment, |r| r.oc2_cohort),
            0.03,
        ),
        abs(
            "SDQs received, ages 5-16 (ind. 34; 78%)",
            0.78,
            mean(&rs, |r| r.sdq_completion, |r| r.sdq_cohort),
            0.04,
        ),
        abs(
            "Care leavers 17-18 in EET (ind. 37; 64%)",
            0.64,
            mean(&rs, |r| r.care_leaver_eet_17_18, |r| r.care_leavers_17_18),
            0.05,
        ),
        abs(
            "Care leavers 19-21 in EET (ind. 38; 54%)",
            0.54,
            mean(&rs, |r| r.care_leaver_eet_19_21, |r| r.care_leavers_19_21),
            0.05,
        ),
    ]
}

#[test]
fn a_default_council_comes_out_near_englands_figures() {
    let c = council(&Spec::demo(POPULATION, as_at()));
    check(&figures(&c));
}

#[test]
fn a_setting_moves_a_rate_high_re_referrals() {
    let mut spec = Spec::demo(POPULATION, as_at());
    spec.re_referral_rate = 0.30;
    let c = council(&spec);
    let rs = pooled(&c);
    let got = mean(&rs, |r| r.re_referral_rate, |r| r.referrals);
    println!("re-referrals with the setting at 30%: {got:.3} (England, the default: 0.226)");
    assert!(
        (got - 0.30).abs() <= 0.03,
        "high re-referral council: {got:.3}"
    );
    // The default council's rate is checked against England's 22.6% above.
    assert!(got > 0.226 + 0.04, "the setting moves the rate: {got:.3}");
    // Referrals per 10,000 stay near the setting.
    let refs = rs.iter().map(|r| r.referrals_per_10k).sum::<f64>() / rs.len() as f64;
    assert!(
        (refs - 519.4).abs() <= 0.12 * 519.4,
        "referrals per 10,000 {refs:.1}"
    );
}
