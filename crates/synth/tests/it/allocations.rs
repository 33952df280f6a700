//! Workers and allocations: children in need, children looked after and care leavers are each
//! held by the right service's workers, one worker at a time, by workers in post.

use std::collections::HashMap;

use chrono::{Datelike, Months, NaiveDate};
use domain::person::Allocation;
use domain::workforce::Worker;
use synth::{Spec, generate};
use uuid::Uuid;

#[test]
fn children_in_care_and_care_leavers_are_allocated_to_their_teams() {
    let as_at = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let c = generate(&Spec::demo(50_000, as_at));
    let r = &c.record;
    let workers: HashMap<Uuid, &Worker> = r.workers.iter().map(|w| (w.id, w)).collect();
    let team: HashMap<Uuid, &str> = r.teams.iter().map(|t| (t.id, t.name.as_str())).collect();
    let team_of = |w: Uuid| team[&workers[&w].team_id.unwrap()];
    let mut by_child: HashMap<Uuid, Vec<&Allocation>> = HashMap::new();
    // Social workers' allocations, and personal advisers' (their own role).
    for a in r.allocations.iter().chain(&r.adviser_allocations) {
        let w = workers[&a.worker_id];
        assert_eq!(
            w.role_title == "Personal adviser",
            r.adviser_allocations.iter().any(|x| x.id == a.id),
            "{a:?} {w:?}"
        );
        // Held by a worker in post (a referral closed on the day it came in: for that day).
        assert!(w.started <= a.from, "{a:?} {w:?}");
        assert!(a.to.is_none_or(|t| a.from <= t), "{a:?}");
        assert!(a.to.is_none_or(|t| t <= as_at), "{a:?}");
        if let Some(l) = w.left {
            assert!(a.to.is_some_and(|t| t <= l), "{a:?} {w:?}");
        }
        assert_ne!(w.role_title, "Team manager");
        by_child.entry(a.child_id).or_default().push(a);
    }
    // One worker at a time.
    for v in by_child.values_mut() {
        v.sort_by_key(|a| a.from);
        for p in v.windows(2) {
            assert!(p[0].to.is_some_and(|t| t < p[1].from), "{:?}", p);
        }
    }
    let current = |child: Uuid| {
        by_child
            .get(&child)
            .and_then(|v| v.iter().find(|a| a.to.is_none()).copied())
    };
    // Children looked after at as_at: a social worker, of a children in care team for all but
    // those who came into care in the last weeks and kept their worker for now.
    let mut in_care = 0;
    let mut in_care_team = 0;
    for p in r.cla_periods.iter().filter(|p| p.ended_on.is_none()) {
        in_care += 1;
        let a = current(p.child_id).unwrap_or_else(|| panic!("{p:?} has no social worker"));
        assert_eq!(workers[&a.worker_id].role_title, "Social worker");
        if team_of(a.worker_id).starts_with("Children in care team") {
            in_care_team += 1;
        } else {
            assert!(p.started_on > as_at - Months::new(4), "{p:?}");
        }
    }
    assert!(in_care > 200, "{in_care}");
    assert!(
        in_care_team * 100 > in_care * 95,
        "{in_care_team} of {in_care}"
    );
    // Care leavers with a status in the current collection year are held by personal advisers
    // of a leaving care team (to their 21st birthday).
    let dob: HashMap<Uuid, NaiveDate> = r
        .people
        .iter()
        .filter_map(|p| p.details.date_of_birth.map(|d| (p.id, d)))
        .collect();
    let year = synth::rates::last_year_end(as_at).year() + 1;
    let mut leavers = 0;
    for l in r.care_leaver_years(as_at).iter().filter(|l| l.year == year) {
        let b = dob[&l.child_id];
        if b + Months::new(12 * 21) <= as_at {
            continue;
        }
        let Some(a) = current(l.child_id) else {
            // Just left care: their social worker is handing over.
            continue;
        };
        let w = workers[&a.worker_id];
        if w.role_title == "Personal adviser" {
            leavers += 1;
            assert!(team_of(w.id).starts_with("Leaving care team"));
        }
    }
    assert!(leavers > 50, "{leavers} care leavers with advisers");
    // Changes of worker during care: some children have had three or more social workers.
    let changed = r
        .cla_periods
        .iter()
        .filter(|p| by_child.get(&p.child_id).is_some_and(|v| v.len() >= 3))
        .count();
    assert!(changed > 20, "{changed}");
    let in_post = |role: &str| {
        r.workers
            .iter()
            .filter(|w| w.role_title == role && w.left.is_none())
            .count()
    };
    println!(
        "{} teams; {} social workers and {} personal advisers in post; {in_care} children in \
         care ({in_care_team} with a children in care team); {leavers} care leavers with advisers; \
         {changed} children in care with 3 or more allocations",
        r.teams.len(),
        in_post("Social worker"),
        in_post("Personal adviser"),
    );
}
