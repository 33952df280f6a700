//! The performance figures of a generated council, computed from its record the way the DfE
//! computes them from the CIN census and the workforce collection (definitions in
//! specs/performance-indicators.md). The calibration tests compare them with England's.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, Days, Months, NaiveDate};
use domain::calendar::Calendar;
use domain::child_protection::ConferenceKind;
use uuid::Uuid;

use crate::Council;

/// Figures for one CIN collection year (1 April to 31 March), and the workforce at `as_at`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rates {
    /// The year's last day (31 March).
    pub year_end: NaiveDate,
    /// Children aged 0-17 at the middle of the year (the denominator).
    pub population: usize,
    pub contacts: usize,
    /// Share of contacts decided within 1 working day.
    pub front_door_on_time: f64,
    /// Share of contacts becoming referrals.
    pub contact_conversion: f64,
    pub referrals: usize,
    pub referrals_per_10k: f64,
    pub re_referral_rate: f64,
    pub referral_nfa_rate: f64,
    pub not_in_need_rate: f64,
    pub assessments_completed: usize,
    pub assessment_on_time: f64,
    pub cin_31_march_per_10k: f64,
    pub s47s: usize,
    pub s47_per_10k: f64,
    pub icpcs: usize,
    pub s47_to_icpc: f64,
    pub icpc_on_time: f64,
    pub plans_started: usize,
    pub icpc_to_plan: f64,
    pub cp_starts_per_10k: f64,
    pub cp_31_march_per_10k: f64,
    pub repeat_plan_rate: f64,
    /// Shares of new plans by initial category.
    pub categories: HashMap<String, f64>,
    /// Children allocated per social worker in post at `as_at`.
    pub caseload: f64,
    pub agency_rate: f64,
    pub turnover: f64,
    /// Children looked after at 31 March per 10,000 (indicator 22).
    pub cla_31_march_per_10k: f64,
    /// Children starting to be looked after in the year per 10,000 (indicator 23).
    pub cla_starts_per_10k: f64,
    /// Children looked after at 31 March with 3 or more placements in the year (indicator 24).
    pub three_placements: f64,
    /// Children looked after during the year who went missing (indicator 28).
    pub cla_missing: f64,
    /// Of children looked after for 12 months at 31 March: health assessments (31), SDQs
    /// received for ages 5 to 16 (34).
    pub health_assessment: f64,
    pub sdq_completion: f64,
    /// Care leavers in education, employment or training, in the year of their 18th birthday
    /// (indicator 37; the record's care leavers left at 18) and 19th to 21st (indicator 38).
    pub care_leaver_eet_17_18: f64,
    pub care_leaver_eet_19_21: f64,
    /// Children in those cohorts (for pooling).
    pub cla_31_march: usize,
    pub oc2_cohort: usize,
    pub sdq_cohort: usize,
    pub care_leavers_17_18: usize,
    pub care_leavers_19_21: usize,
}

fn share(n: usize, d: usize) -> f64 {
    if d == 0 { 0.0 } else { n as f64 / d as f64 }
}

/// The figures for the collection year ending on `year_end` (a 31 March).
pub fn rates(c: &Council, year_end: NaiveDate) -> Rates {
    let r = &c.record;
    let cal = Calendar::england();
    let start = year_end
        .checked_sub_months(Months::new(12))
        .expect("a date in range")
        + Days::new(1);
    let in_year = |d: NaiveDate| d >= start && d <= year_end;
    let mid = NaiveDate::from_ymd_opt(start.year(), 9, 30).expect("a date");
    let population = c.population_on(mid);
    let per_10k = |n: usize| n as f64 * 10_000.0 / population.max(1) as f64;

    let contacts: Vec<_> = r
        .contacts
        .iter()
        .filter(|x| in_year(x.received_at.date()))
        .collect();
    let decided: Vec<_> = contacts
        .iter()
        .filter_map(|x| x.decision.as_ref().map(|d| (x, d)))
        .collect();
    let on_time = decided
        .iter()
        .filter(|(x, d)| d.decided_at.date() <= x.decision_due)
        .count();
    let converted = decided
        .iter()
        .filter(|(_, d)| matches!(d.outcome.as_str(), "referral" | "strategy"))
        .count();

    let referrals: Vec<_> = r
        .referrals
        .iter()
        .map(|b| &b.referral)
        .filter(|x| in_year(x.referral_date))
        .collect();
    let assessed: HashMap<Uuid, &domain::assessment::Assessment> =
        r.assessments.iter().map(|a| (a.referral_id, a)).collect();
    let strategised: HashSet<Uuid> = r.strategies.iter().map(|s| s.referral_id).collect();
    let nfa = referrals
        .iter()
        .filter(|x| {
            x.closed_on.is_some() && !assessed.contains_key(&x.id) && !strategised.contains(&x.id)
        })
        .count();
    let not_in_need = referrals
        .iter()
        .filter(|x| {
            assessed
                .get(&x.id)
                .and_then(|a| a.outcome.as_deref())
                .is_some_and(|o| matches!(o, "nfa" | "early_help"))
        })
        .count();

    let completed: Vec<_> = r
        .assessments
        .iter()
        .filter(|a| a.authorised_on.is_some_and(in_year))
        .collect();
    let assess_on_time = completed
        .iter()
        .filter(|a| {
            cal.working_days_between(a.started_on, a.authorised_on.expect("authorised"))
                .is_ok_and(|n| n <= 45)
        })
        .count();

    let open_at = |from: NaiveDate, to: Option<NaiveDate>, d: NaiveDate| {
        from <= d && to.is_none_or(|t| t > d)
    };
    let cin_open = r
        .referrals
        .iter()
        .filter(|b| open_at(b.referral.referral_date, b.referral.closed_on, year_end))
        .map(|b| b.referral.child_id)
        .collect::<HashSet<_>>()
        .len();

    let s47s: Vec<_> = r.s47s.iter().filter(|s| in_year(s.started_on)).collect();
    let s47_start: HashMap<Uuid, NaiveDate> = r.s47s.iter().map(|s| (s.id, s.started_on)).collect();
    let icpcs: Vec<_> = r
        .conferences
        .iter()
        .filter(|b| b.conference.kind == ConferenceKind::Initial && in_year(b.conference.held_on))
        .collect();
    let icpc_on_time = icpcs
        .iter()
        .filter(|b| {
            b.s47_id.and_then(|s| s47_start.get(&s)).is_some_and(|s| {
                cal.working_days_between(*s, b.conference.held_on)
                    .is_ok_and(|n| n <= 15)
            })
        })
        .count();
    let plans: Vec<_> = r
        .cp_plans
        .iter()
        .filter(|p| in_year(p.started_on))
        .collect();
    let cp_open = r
        .cp_plans
        .iter()
        .filter(|p| open_at(p.started_on, p.ended_on, year_end))
        .count();
    let mut categories: HashMap<String, f64> = HashMap::new();
    for p in &plans {
        *categories.entry(p.initial_category.clone()).or_default() += 1.0 / plans.len() as f64;
    }

    // The workforce at as_at.
    let as_at = c.spec.as_at;
    let in_post: Vec<_> = r
        .workers
        .iter()
        .filter(|w| {
            w.role_title == "Social worker"
                && w.started <= as_at
                && w.left.is_none_or(|l| l > as_at)
        })
        .collect();
    // Cases held by those social workers (not by personal advisers).
    let social: std::collections::HashSet<Uuid> = in_post.iter().map(|w| w.id).collect();
    let held = r
        .allocations
        .iter()
        .filter(|a| a.to.is_none() && social.contains(&a.worker_id))
        .count();
    let year_ago = as_at.checked_sub_months(Months::new(12)).expect("a date");
    let leavers = r
        .workers
        .iter()
        .filter(|w| {
            w.role_title == "Social worker" && w.left.is_some_and(|l| l > year_ago && l <= as_at)
        })
        .count();

    // Children looked after.
    let cla = cla_rates(c, start, year_end);

    Rates {
        year_end,
        population,
        contacts: contacts.len(),
        front_door_on_time: share(on_time, decided.len()),
        contact_conversion: share(converted, decided.len()),
        referrals: referrals.len(),
        referrals_per_10k: per_10k(referrals.len()),
        re_referral_rate: share(
            referrals.iter().filter(|x| x.re_referral).count(),
            referrals.len(),
        ),
        referral_nfa_rate: share(nfa, referrals.len()),
        not_in_need_rate: share(not_in_need, referrals.len()),
        assessments_completed: completed.len(),
        assessment_on_time: share(assess_on_time, completed.len()),
        cin_31_march_per_10k: per_10k(cin_open),
        s47s: s47s.len(),
        s47_per_10k: per_10k(s47s.len()),
        icpcs: icpcs.len(),
        s47_to_icpc: share(icpcs.len(), s47s.len()),
        icpc_on_time: share(icpc_on_time, icpcs.len()),
        plans_started: plans.len(),
        icpc_to_plan: share(plans.len(), icpcs.len()),
        cp_starts_per_10k: per_10k(plans.len()),
        cp_31_march_per_10k: per_10k(cp_open),
        repeat_plan_rate: share(plans.iter().filter(|p| p.repeat).count(), plans.len()),
        categories,
        caseload: share(held, in_post.len()),
        agency_rate: share(in_post.iter().filter(|w| w.agency).count(), in_post.len()),
        turnover: share(leavers, in_post.len()),
        cla_31_march_per_10k: per_10k(cla.at_end),
        cla_starts_per_10k: per_10k(cla.starts),
        three_placements: share(cla.three_placements, cla.at_end),
        cla_missing: share(cla.missing, cla.during),
        health_assessment: share(cla.assessed, cla.oc2),
        sdq_completion: share(cla.sdq, cla.sdq_cohort),
        care_leaver_eet_17_18: share(cla.eet_18, cla.leavers_18),
        care_leaver_eet_19_21: share(cla.eet_19_21, cla.leavers_19_21),
        cla_31_march: cla.at_end,
        oc2_cohort: cla.oc2,
        sdq_cohort: cla.sdq_cohort,
        care_leavers_17_18: cla.leavers_18,
        care_leavers_19_21: cla.leavers_19_21,
    }
}

#[derive(Default)]
struct ClaCounts {
    at_end: usize,
    starts: usize,
    three_placements: usize,
    during: usize,
    missing: usize,
    oc2: usize,
    assessed: usize,
    sdq_cohort: usize,
    sdq: usize,
    leavers_18: usize,
    eet_18: usize,
    leavers_19_21: usize,
    eet_19_21: usize,
}

/// Counts for the CLA indicators, from the record's periods of care and what goes with them.
fn cla_rates(c: &Council, start: NaiveDate, year_end: NaiveDate) -> ClaCounts {
    let r = &c.record;
    let mut k = ClaCounts::default();
    let dob: HashMap<Uuid, NaiveDate> = r
        .people
        .iter()
        .filter_map(|p| p.details.date_of_birth.map(|d| (p.id, d)))
        .collect();
    let age = |child: &Uuid, on: NaiveDate| {
        dob.get(child)
            .map_or(0, |d| crate::journeys::age_on(*d, on))
    };
    let mut in_care_at_end = HashSet::new();
    let mut during = HashSet::new();
    for p in &r.cla_periods {
        if p.started_on <= year_end && p.ended_on.is_none_or(|e| e > year_end) {
            in_care_at_end.insert(p.child_id);
        }
        if p.started_on <= year_end && p.ended_on.is_none_or(|e| e >= start) {
            during.insert(p.child_id);
        }
        if p.started_on >= start && p.started_on <= year_end {
            k.starts += 1;
        }
    }
    k.at_end = in_care_at_end.len();
    k.during = during.len();
    // Placements in the year: episodes open in the year that began with a new placement (the
    // first open one counts as a placement too).
    let mut placements: HashMap<Uuid, usize> = HashMap::new();
    let mut first_seen: HashSet<Uuid> = HashSet::new();
    let mut eps: Vec<&domain::looked_after::Episode> = r
        .cla_episodes
        .iter()
        .filter(|e| e.started_on <= year_end && e.ended_on.is_none_or(|x| x >= start))
        .collect();
    eps.sort_by_key(|e| (e.child_id, e.started_on));
    for e in eps {
        let first = first_seen.insert(e.child_id);
        if first || e.reason_new != "L" {
            *placements.entry(e.child_id).or_default() += 1;
        }
    }
    k.three_placements = in_care_at_end
        .iter()
        .filter(|c| placements.get(*c).copied().unwrap_or(0) >= 3)
        .count();
    k.missing = r
        .cla_missing
        .iter()
        .filter(|m| m.started_on >= start && m.started_on <= year_end)
        .map(|m| m.child_id)
        .collect::<HashSet<_>>()
        .len();
    for h in r.cla_health.iter().filter(|h| h.year == year_end.year()) {
        k.oc2 += 1;
        k.assessed += usize::from(h.health_assessment.is_some());
        if (5..=16).contains(&age(&h.child_id, year_end)) {
            k.sdq_cohort += 1;
            k.sdq += usize::from(h.sdq_score.is_some());
        }
    }
    for l in r
        .care_leaver_years(c.spec.as_at)
        .iter()
        .filter(|l| l.year == year_end.year())
    {
        let eet = l
            .activity
            .as_deref()
            .is_some_and(|a| a.starts_with('F') || a.starts_with('P'));
        // The age at the birthday in the year.
        let a = dob.get(&l.child_id).map_or(0, |d| {
            year_end.year() - d.year() - i32::from((d.month(), d.day()) > (3, 31))
        });
        if a <= 18 {
            k.leavers_18 += 1;
            k.eet_18 += usize::from(eet);
        } else {
            k.leavers_19_21 += 1;
            k.eet_19_21 += usize::from(eet);
        }
    }
    k
}

/// The last complete collection year's end (31 March) on or before `as_at`.
pub fn last_year_end(as_at: NaiveDate) -> NaiveDate {
    let this = NaiveDate::from_ymd_opt(as_at.year(), 3, 31).expect("a date");
    if this <= as_at {
        this
    } else {
        NaiveDate::from_ymd_opt(as_at.year() - 1, 3, 31).expect("a date")
    }
}
