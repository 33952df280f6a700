//! The CIN census from a synthetic council's record: every child with a child in need episode
//! open at some time in the collection year, with the episode's assessments, plans, section 47
//! enquiries and child protection plans as they stood on the reference date (31 March). Written
//! with `returns::cin::write`, and checked with Hearth's own validator in the tests.

use std::collections::HashMap;

use chrono::{Days, Months, NaiveDate};
use domain::child_protection::ConferenceKind;
use returns::cin::model::*;
use uuid::Uuid;

use crate::Council;

/// The census for the year ending `reference_date` (31 March), for local authority `lea`.
pub fn cin_census(c: &Council, reference_date: NaiveDate, lea: &str) -> Census {
    let r = &c.record;
    let start = reference_date
        .checked_sub_months(Months::new(12))
        .expect("a date in range")
        + Days::new(1);
    let known = |d: Option<NaiveDate>| d.filter(|d| *d <= reference_date);
    let people: HashMap<Uuid, &domain::person::Person> =
        r.people.iter().map(|p| (p.id, p)).collect();
    let mut by_child: HashMap<Uuid, Vec<&store::bulk::BulkReferral>> = HashMap::new();
    for b in &r.referrals {
        let x = &b.referral;
        if x.referral_date <= reference_date && x.closed_on.is_none_or(|d| d >= start) {
            by_child.entry(x.child_id).or_default().push(b);
        }
    }
    let mut assessments: HashMap<Uuid, Vec<&domain::assessment::Assessment>> = HashMap::new();
    for a in &r.assessments {
        assessments.entry(a.referral_id).or_default().push(a);
    }
    let mut cin_plans: HashMap<Uuid, Vec<&domain::child_in_need::CinPlan>> = HashMap::new();
    for p in &r.cin_plans {
        cin_plans.entry(p.referral_id).or_default().push(p);
    }
    let strategy_referral: HashMap<Uuid, Uuid> =
        r.strategies.iter().map(|s| (s.id, s.referral_id)).collect();
    let mut s47s: HashMap<Uuid, Vec<&domain::child_protection::S47>> = HashMap::new();
    for s in &r.s47s {
        if let Some(rid) = strategy_referral.get(&s.strategy_id) {
            s47s.entry(*rid).or_default().push(s);
        }
    }
    let mut icpc_of: HashMap<Uuid, NaiveDate> = HashMap::new();
    let mut reviews: HashMap<Uuid, Vec<NaiveDate>> = HashMap::new();
    for b in &r.conferences {
        match b.conference.kind {
            ConferenceKind::Initial => {
                if let Some(s) = b.s47_id {
                    icpc_of.insert(s, b.conference.held_on);
                }
            }
            ConferenceKind::Review => {
                if let Some(p) = b.conference.plan_id {
                    reviews.entry(p).or_default().push(b.conference.held_on);
                }
            }
        }
    }
    let mut cpps: HashMap<Uuid, Vec<&domain::child_protection::CpPlan>> = HashMap::new();
    for p in &r.cp_plans {
        cpps.entry(p.child_id).or_default().push(p);
    }

    let mut ids: Vec<&Uuid> = by_child.keys().collect();
    ids.sort_by_key(|id| {
        people[*id]
            .details
            .identifiers
            .council_child_id
            .clone()
            .unwrap_or_default()
    });
    let mut children = Vec::new();
    for id in ids {
        let p = &people[id].details;
        let mut eps = by_child[id].clone();
        eps.sort_by_key(|b| b.referral.referral_date);
        let disabled: Vec<Coded> = p
            .disabilities
            .iter()
            .filter(|d| d.as_str() != "NONE")
            .map(|d| Coded {
                row: 0,
                code: d.clone(),
            })
            .collect();
        let mut child = Child {
            la_child_id: p.identifiers.council_child_id.clone(),
            upn: p.identifiers.upn.clone(),
            former_upn: p.identifiers.former_upn.clone(),
            // Children of school age without a UPN: "UN2" (not yet assigned by a school).
            upn_unknown: (p.identifiers.upn.is_none()
                && p.date_of_birth
                    .is_some_and(|b| reference_date >= b + Days::new(365 * 6)))
            .then(|| "UN2".to_string()),
            birth_date: p.date_of_birth,
            expected_birth_date: p.expected_date_of_birth,
            sex: Some(p.sex.clone()),
            ethnicity: Some(p.ethnicity.clone()),
            has_disabilities: !disabled.is_empty(),
            disabilities: disabled,
            ..Default::default()
        };
        for b in eps {
            let x = &b.referral;
            let closed = known(x.closed_on);
            let a_list = assessments.get(&x.id).cloned().unwrap_or_default();
            let s_list = s47s.get(&x.id).cloned().unwrap_or_default();
            let nfa = a_list.is_empty() && s_list.is_empty() && closed.is_some();
            // The episode's own plans: those starting between its referral and its closure.
            let until = closed.unwrap_or(reference_date);
            let mut e = CinDetails {
                referral_date: Some(x.referral_date),
                referral_source: Some(x.source.clone()),
                primary_need_code: Some(b.primary_need.clone().unwrap_or_else(|| "N0".into())),
                closure_date: closed,
                reason_for_closure: closed.and(x.closure_reason.clone()),
                referral_nfa: Some(nfa),
                ..Default::default()
            };
            // Activity in the year: assessments authorised in it or still open; plans and
            // enquiries open in it; conferences and reviews held in it.
            let in_year = |d: Option<NaiveDate>| d.is_none_or(|d| d >= start);
            for a in a_list
                .iter()
                .filter(|a| a.started_on <= reference_date && in_year(known(a.authorised_on)))
            {
                let auth = known(a.authorised_on);
                e.assessments.push(Assessment {
                    start: Some(a.started_on),
                    authorisation: auth,
                    has_factors: auth.is_some(),
                    factors: if auth.is_some() {
                        a.factors.clone()
                    } else {
                        vec![]
                    },
                    ..Default::default()
                });
            }
            for p in cin_plans
                .get(&x.id)
                .into_iter()
                .flatten()
                .filter(|p| p.started_on <= reference_date && in_year(known(p.ended_on)))
            {
                e.plans.push(CinPlan {
                    start: Some(p.started_on),
                    end: known(p.ended_on),
                    ..Default::default()
                });
            }
            for s in s_list.iter().filter(|s| {
                s.started_on <= reference_date
                    && match known(icpc_of.get(&s.id).copied()) {
                        Some(icpc) => icpc >= start,
                        None => {
                            s.started_on >= start
                                || known(s.completed_on).is_none_or(|d| d >= start)
                        }
                    }
            }) {
                let icpc = known(icpc_of.get(&s.id).copied());
                let done = known(s.completed_on).is_some();
                e.section47.push(Section47 {
                    start: Some(s.started_on),
                    initial_cpc_target: Some(s.icpc_due),
                    date_of_initial_cpc: icpc,
                    icpc_not_required: Some(done && s.outcome.as_deref() != Some("icpc")),
                    ..Default::default()
                });
            }
            let all_plans = cpps.get(id).cloned().unwrap_or_default();
            for p in all_plans.iter().filter(|p| {
                p.started_on >= x.referral_date
                    && p.started_on <= until
                    && in_year(known(p.ended_on))
            }) {
                let earlier = all_plans
                    .iter()
                    .filter(|q| q.started_on < p.started_on)
                    .count();
                let rv: Vec<Review> = reviews
                    .get(&p.id)
                    .into_iter()
                    .flatten()
                    .filter(|d| **d <= reference_date && **d >= start)
                    .map(|d| Review {
                        row: 0,
                        date: Some(*d),
                    })
                    .collect();
                let ended = known(p.ended_on);
                e.cpps.push(ChildProtectionPlan {
                    start: Some(p.started_on),
                    end: ended,
                    initial_category: Some(p.initial_category.clone()),
                    latest_category: Some(p.latest_category.clone()),
                    // A repeat plan may follow one from before the record began.
                    previous_plans: Some((earlier as i64).max(i64::from(p.repeat))),
                    has_reviews: !rv.is_empty(),
                    reviews: rv,
                    ..Default::default()
                });
            }
            child.cin_details.push(e);
        }
        children.push(child);
    }
    let mut census = Census {
        header: Header {
            collection: Some("CIN".into()),
            year: Some(reference_date.format("%Y").to_string()),
            reference_date: Some(reference_date),
            source_level: Some("L".into()),
            lea: Some(lea.into()),
            software_code: Some("Hearth".into()),
            release: Some("1".into()),
            serial_no: Some("001".into()),
            date_time: Some(format!("{}T09:00:00", reference_date.format("%Y-%m-%d"))),
        },
        children,
    };
    census.renumber();
    census
}
