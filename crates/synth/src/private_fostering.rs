//! Private fostering in the synthetic council: notifications of arrangements over the years of
//! history, the council's assessment of each, visits (the initial visit within 7 working days
//! of the notification, then every 6 weeks in the first year and 12 weeks after) and the end of
//! the arrangements that have ended by `as_at`.
//!
//! Everything here is drawn from a stream of numbers of its own, after the rest of the council
//! has been generated, so adding it changes no other record and no other figure: it only adds
//! arrangements and visits, people for privately fostered children who were not otherwise on the
//! record, and the "privately fostered" factor (8B to 8F) on the completed assessments of some
//! privately fostered children who were assessed while the arrangement lasted.

use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDate};
use domain::person::{Allocation, Person, PersonKind};
use domain::private_fostering::{Arrangement, Timescales, Visit, VisitKind, first_visit_due};
use uuid::Uuid;

use crate::{Council, Rng};

/// How private fostering goes in the synthetic council.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// New notifications per 10,000 children aged 0-17 a year. An assumption: England had
    /// roughly 1,500 to 1,700 new notifications a year in the last collections (to 2015), about
    /// 1.3 to 1.5 per 10,000 children; specs/performance-indicators.md (indicator 43) does not
    /// give that figure, so it is not confirmed there.
    pub notifications_per_10k: f64,
    /// Share of initial visits within 7 working days of the notification (England 77% in 2009,
    /// the last published figure; indicator 43).
    pub initial_visit_on_time: f64,
    /// Share of later visits made within the interval (no national figure; local).
    pub visit_on_time: f64,
    /// Share of arrangements already running when the council hears of them (local assumption).
    pub existing_share: f64,
    /// Share of arrangements whose child has a children's social care assessment while the
    /// arrangement lasts, recording the "privately fostered" factor (local assumption; England
    /// recorded the factor at 1,950 assessments in 2025).
    pub assessed_share: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            notifications_per_10k: 1.4,
            initial_visit_on_time: 0.77,
            visit_on_time: 0.95,
            existing_share: 0.6,
            assessed_share: 0.35,
        }
    }
}

fn id(rng: &mut Rng) -> Uuid {
    let a = rng.next_u64().to_le_bytes();
    let b = rng.next_u64().to_le_bytes();
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&a);
    bytes[8..].copy_from_slice(&b);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

const WORDS: &[&str] = &[
    "I like it here. I miss my mum but we talk every week.",
    "School is good. I have my own room.",
    "It's OK. Sometimes I want to go home.",
    "They are kind to me. I help with the cooking.",
    "I'm doing my exams this year and they help me revise.",
];

const OBSERVATIONS: &[&str] = &[
    "Relaxed with the carer; showed me their room and school work.",
    "Played happily; went to the carer for comfort when unsure.",
    "Quiet at first, then chatted about friends and football.",
];

const REASONS: &[(&str, u32)] = &[
    (
        "Attending a school in the area while the parents live overseas",
        25,
    ),
    ("Parent in hospital", 10),
    (
        "Family breakdown: the child asked to stay with a friend's family",
        30,
    ),
    ("Parent working away", 20),
    ("Language school student staying with a host family", 15),
];

const RELATIONSHIPS: &[(&str, u32)] = &[
    ("family_friend", 40),
    ("wider_family", 20),
    ("host_family", 15),
    ("partner_family", 10),
    ("other", 15),
];

const NOTIFIERS: &[(&str, u32)] = &[
    ("carer", 25),
    ("parent", 25),
    ("arranger", 10),
    ("professional", 35),
    ("other", 5),
];

const END_REASONS: &[(&str, u32)] = &[
    ("returned_home", 45),
    ("age", 15),
    ("looked_after", 5),
    ("order", 5),
    ("moved", 20),
    ("other", 10),
];

/// The "privately fostered" assessment factors (assumed shares).
const FACTORS: &[(&str, u32)] = &[("8B", 10), ("8C", 10), ("8D", 25), ("8E", 35), ("8F", 20)];

fn age(dob: NaiveDate, on: NaiveDate) -> i64 {
    on.years_since(dob).map_or(-1, i64::from)
}

/// Adds private fostering to a generated council.
pub fn private_fostering(c: &mut Council) {
    let spec = c.spec.clone();
    let s = &spec.private_fostering;
    let t = Timescales::default();
    let mut rng = Rng::new(spec.seed ^ 0x7066_5f73_796e_7468);
    let as_at = spec.as_at;
    let start = as_at - Days::new(365 * u64::from(spec.years));

    // The population's children, and which of them are on the record already.
    let on_record: HashMap<String, Uuid> = c
        .record
        .people
        .iter()
        .filter(|p| p.details.kind == PersonKind::Child)
        .filter_map(|p| {
            p.details
                .identifiers
                .council_child_id
                .clone()
                .map(|k| (k, p.id))
        })
        .collect();
    let population: Vec<_> = c
        .households
        .iter()
        .flat_map(|h| &h.children)
        .filter(|ch| ch.date_of_birth.is_some())
        .cloned()
        .collect();
    let dob: HashMap<Uuid, NaiveDate> = c
        .record
        .people
        .iter()
        .filter_map(|p| p.details.date_of_birth.map(|d| (p.id, d)))
        .collect();
    // A child has one arrangement at a time: until when each child is taken.
    let mut busy: HashMap<Uuid, NaiveDate> = HashMap::new();
    let mut added: HashSet<Uuid> = HashSet::new();

    // One year at a time, a whole number of notifications near the rate for the population.
    let mut from = start;
    while from < as_at {
        let to = (from + Days::new(365)).min(as_at);
        let pop = c.population_on(from + Days::new(((to - from).num_days() / 2) as u64)) as f64;
        let days = (to - from).num_days() as f64;
        let expected = pop * s.notifications_per_10k / 10_000.0 * days / 365.0;
        let mut n = expected.floor() as u64;
        if rng.chance(expected - expected.floor()) {
            n += 1;
        }
        for _ in 0..n {
            let notified = from + Days::new(rng.below((to - from).num_days().max(1) as u64));
            // The child: one being assessed about now (who gets the factor), or anyone of the
            // right age in the population.
            let mut chosen: Option<(Uuid, usize)> = None;
            if rng.chance(s.assessed_share) {
                for _ in 0..40 {
                    let i = rng.below(c.record.assessments.len().max(1) as u64) as usize;
                    let Some(a) = c.record.assessments.get(i) else {
                        break;
                    };
                    let d = (a.started_on - notified).num_days();
                    let ok_age = dob
                        .get(&a.child_id)
                        .is_some_and(|b| (3..15).contains(&age(*b, notified)));
                    if (0..60).contains(&d)
                        && ok_age
                        && busy.get(&a.child_id).is_none_or(|u| *u < notified)
                    {
                        chosen = Some((a.child_id, i));
                        break;
                    }
                }
                // Nobody assessed near that day: the next assessment of a child of the age.
            }
            let child = match chosen {
                Some((child, i)) => {
                    let a = &mut c.record.assessments[i];
                    if !a.factors.is_empty() && !a.factors.iter().any(|f| f.starts_with('8')) {
                        a.factors.push(rng.weighted(FACTORS).to_string());
                    }
                    child
                }
                None => {
                    let mut pick = None;
                    for _ in 0..60 {
                        let ch = &population[rng.below(population.len().max(1) as u64) as usize];
                        let b = ch.date_of_birth.expect("filtered");
                        // Under 16 when the arrangement starts (at most 71 days on).
                        if !(1..16).contains(&age(b, notified + Days::new(80))) {
                            continue;
                        }
                        let key = ch.identifiers.council_child_id.clone().unwrap_or_default();
                        let pid = match on_record.get(&key) {
                            Some(p) => *p,
                            None => uuid::Builder::from_random_bytes(fxhash(&key).to_le_bytes())
                                .into_uuid(),
                        };
                        if busy.get(&pid).is_some_and(|u| *u >= notified) {
                            continue;
                        }
                        if !on_record.contains_key(&key) && added.insert(pid) {
                            let at = notified.and_hms_opt(12, 0, 0).expect("noon").and_utc();
                            c.record.people.push(Person {
                                id: pid,
                                details: ch.clone(),
                                version: 1,
                                created_at: at,
                                updated_at: at,
                            });
                        }
                        pick = Some(pid);
                        break;
                    }
                    match pick {
                        Some(p) => p,
                        None => continue,
                    }
                }
            };
            let a = arrangement(&mut rng, s, &t, child, notified, as_at);
            // A child can be privately fostered again after an arrangement has ended.
            busy.insert(child, a.ended_on.unwrap_or(NaiveDate::MAX));
            c.record.pf_arrangements.push(a);
        }
        from = to;
    }
    c.record
        .pf_arrangements
        .sort_by_key(|a| (a.notified_on, a.id));
    allocate(c, &mut rng);
}

/// Allocates each privately fostered child who has no worker while the arrangement lasts to a
/// social worker in a children in need team, who assesses the arrangement and visits: from the
/// notification to the end of the arrangement, handed on when the worker leaves, and ending the
/// day before any later allocation of the child the journeys made (one worker at a time).
/// The journeys' own allocations are untouched; these are added after them.
fn allocate(c: &mut Council, rng: &mut Rng) {
    let cin_teams: HashSet<Uuid> = c
        .record
        .teams
        .iter()
        .filter(|t| t.name.starts_with("Children in need"))
        .map(|t| t.id)
        .collect();
    let workers: Vec<(Uuid, NaiveDate, Option<NaiveDate>)> = c
        .record
        .workers
        .iter()
        .filter(|w| w.role_title == "Social worker")
        .filter(|w| w.team_id.is_some_and(|t| cin_teams.contains(&t)))
        .map(|w| (w.id, w.started, w.left))
        .collect();
    if workers.is_empty() {
        return;
    }
    let as_at = c.spec.as_at;
    let mut added = Vec::new();
    for a in &c.record.pf_arrangements {
        let day0 = a.notified_on;
        let theirs: Vec<&Allocation> = c
            .record
            .allocations
            .iter()
            .chain(added.iter())
            .filter(|x| x.child_id == a.child_id)
            .collect();
        if theirs
            .iter()
            .any(|x| x.from <= day0 && x.to.is_none_or(|t| t >= day0))
        {
            continue;
        }
        // Until the arrangement ends (or today), and before the child's next allocation.
        let mut until = a.ended_on.unwrap_or(as_at).min(as_at);
        if let Some(next) = theirs.iter().map(|x| x.from).filter(|f| *f > day0).min() {
            until = until.min(next - Days::new(1));
        }
        let mut day = day0;
        while day < until {
            let in_post: Vec<_> = workers
                .iter()
                .filter(|(_, started, left)| {
                    *started <= day && left.is_none_or(|l| l > until.min(day + Days::new(30)))
                })
                .collect();
            let Some((worker, _, left)) = in_post
                .get(rng.below(in_post.len().max(1) as u64) as usize)
                .copied()
            else {
                break;
            };
            let to = match left {
                Some(l) if *l < until => *l,
                _ => until,
            };
            let open = a.ended_on.is_none() && to == until && until == as_at;
            added.push(Allocation {
                id: id(rng),
                child_id: a.child_id,
                worker_id: *worker,
                from: day,
                to: (!open).then_some(to),
            });
            day = to + Days::new(1);
        }
    }
    c.record.allocations.extend(added);
}

/// A stable number from a council child ID, for the ids of children added to the record.
fn fxhash(s: &str) -> u128 {
    let mut h: u128 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u128::from(b);
        h = h.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
    }
    h
}

fn arrangement(
    rng: &mut Rng,
    s: &Settings,
    t: &Timescales,
    child: Uuid,
    notified: NaiveDate,
    as_at: NaiveDate,
) -> Arrangement {
    let existing = rng.chance(s.existing_share);
    let starts = if existing {
        notified - Days::new(rng.below(120))
    } else if rng.chance(0.5) {
        notified + Days::new(42 + rng.below(30))
    } else {
        notified + Days::new(1 + rng.below(41))
    };
    let deemed = starts.max(notified);
    let length = 60 + rng.below(600);
    let planned_end = deemed + Days::new(length);
    let expected_end = rng
        .chance(0.7)
        .then(|| planned_end + Days::new(rng.below(60)) - Days::new(30));
    let ended = (planned_end <= as_at).then_some(planned_end);
    let id = id(rng);

    // Visits: the initial visit on time or late, then each later visit within its interval or
    // late, until the end (or `as_at`).
    let stop = ended.unwrap_or(as_at);
    let mut visits = Vec::new();
    let days = if existing {
        t.first_visit_existing
    } else {
        t.first_visit_proposed
    };
    let mut when = match first_visit_due(notified, days) {
        Ok(due) if rng.chance(s.initial_visit_on_time) => {
            let early = rng.below(4);
            (due - Days::new(early)).max(notified + Days::new(1))
        }
        Ok(due) => due + Days::new(1 + rng.below(14)),
        Err(_) => notified + Days::new(7),
    };
    let dob_known_young = rng.chance(0.15);
    let mut first = true;
    while when <= stop && when <= as_at {
        // Now and then a visit at which the child was not seen comes first.
        if rng.chance(0.03) && when > notified + Days::new(1) {
            visits.push(visit(
                rng,
                id,
                child,
                when - Days::new(1),
                false,
                first,
                true,
            ));
        }
        let alone = !dob_known_young && rng.chance(0.88);
        visits.push(visit(rng, id, child, when, true, first, alone));
        first = false;
        let due = domain::private_fostering::next_visit_due(deemed, when, t);
        let interval = (due - when).num_days() as u64;
        when = if rng.chance(s.visit_on_time) {
            due - Days::new(rng.below(interval.min(21)))
        } else {
            due + Days::new(1 + rng.below(21))
        };
    }
    let assessed = notified + Days::new(10 + rng.below(30));
    let (assessed_on, suitability) = if assessed <= stop {
        let outcome = if rng.chance(0.85) {
            "suitable"
        } else if rng.chance(0.7) {
            "suitable_with_requirements"
        } else {
            "unsuitable"
        };
        (Some(assessed), Some(outcome.to_string()))
    } else {
        (None, None)
    };
    let end_notified = ended.map(|e| {
        let told = e + Days::new(rng.below(4));
        told.min(as_at)
    });
    Arrangement {
        id,
        child_id: child,
        notified_on: notified,
        notified_by: rng.weighted(NOTIFIERS).to_string(),
        starts_on: starts,
        expected_end: expected_end.filter(|e| *e > starts),
        carer_relationship: rng.weighted(RELATIONSHIPS).to_string(),
        carer: format!(
            "{} {}, {}",
            rng.pick(&["Mrs", "Mr", "Ms"]),
            rng.pick(crate::SURNAMES),
            rng.pick(crate::TOWNS)
        ),
        reason: rng.weighted(REASONS).to_string(),
        assessed_on,
        suitability,
        ended_on: ended,
        end_reason: ended.map(|_| rng.weighted(END_REASONS).to_string()),
        end_notified_on: end_notified,
        visits,
    }
}

fn visit(
    rng: &mut Rng,
    arrangement: Uuid,
    child: Uuid,
    on: NaiveDate,
    seen: bool,
    first: bool,
    alone: bool,
) -> Visit {
    let words = seen && alone && rng.chance(0.8);
    Visit {
        id: id(rng),
        arrangement_id: arrangement,
        child_id: child,
        visited_on: on,
        kind: if seen && first {
            VisitKind::Initial
        } else {
            VisitKind::Statutory
        },
        child_seen: seen,
        seen_alone: seen && alone,
        not_alone_reason: if seen && !alone {
            "The child is young and wanted the carer there".into()
        } else {
            String::new()
        },
        childs_words: if words {
            rng.pick(WORDS).to_string()
        } else {
            String::new()
        },
        observation: if seen && !words {
            rng.pick(OBSERVATIONS).to_string()
        } else {
            String::new()
        },
        report: if seen {
            format!(
                "Visit on {}: saw the child's room, spoke with the carer about school, health and contact with the parents.",
                on.format("%-d %B %Y")
            )
        } else {
            "Nobody was at home; a card was left and the visit rearranged.".into()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Spec, generate};

    #[test]
    fn notifications_and_visits_come_out_near_the_settings() {
        let as_at = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let c = generate(&Spec::demo(100_000, as_at));
        let r = &c.record;
        let t = Timescales::default();
        // Notifications per 10,000 a year over the 5 years (about 1.4).
        let per_10k = r.pf_arrangements.len() as f64 / 5.0 * 10_000.0
            / c.population_on(as_at - Days::new(365 * 5 / 2)) as f64;
        assert!((1.1..1.7).contains(&per_10k), "{per_10k:.2} per 10,000");
        // Initial visits within 7 working days (about 77%).
        let due: Vec<bool> = r
            .pf_arrangements
            .iter()
            .filter_map(|a| a.initial_visit_in_time(&t, as_at))
            .collect();
        let on_time = due.iter().filter(|x| **x).count() as f64 / due.len() as f64;
        assert!(
            (0.65..0.89).contains(&on_time),
            "{on_time:.2} on time of {}",
            due.len()
        );
        // Later visits mostly in time (about 95% each).
        let later: Vec<bool> = r
            .pf_arrangements
            .iter()
            .flat_map(|a| a.visits_due(&t, as_at).into_iter().skip(1))
            .map(|v| v.in_time())
            .collect();
        let in_time = later.iter().filter(|x| **x).count() as f64 / later.len() as f64;
        assert!(later.len() > 200, "{}", later.len());
        assert!(
            (0.9..0.99).contains(&in_time),
            "{in_time:.3} of {}",
            later.len()
        );
        println!(
            "{} notifications, {per_10k:.2} per 10,000 a year; initial visits on time {:.1}% of {}; later visits in time {:.1}% of {}",
            r.pf_arrangements.len(),
            100.0 * on_time,
            due.len(),
            100.0 * in_time,
            later.len()
        );
        // Every arrangement follows the record's rules.
        let dob: HashMap<Uuid, NaiveDate> = r
            .people
            .iter()
            .filter_map(|p| p.details.date_of_birth.map(|d| (p.id, d)))
            .collect();
        for a in &r.pf_arrangements {
            assert!(
                a.visits
                    .iter()
                    .all(|v| v.visited_on >= a.notified_on && v.visited_on <= as_at)
            );
            assert!(
                a.ended_on
                    .is_none_or(|e| a.visits.iter().all(|v| v.visited_on <= e))
            );
            assert_eq!(
                a.visits
                    .iter()
                    .filter(|v| v.kind == VisitKind::Initial)
                    .count(),
                usize::from(a.initial_visit().is_some())
            );
            let age = age(dob[&a.child_id], a.starts_on.max(a.notified_on));
            assert!((0..16).contains(&age), "aged {age}");
        }
        // Some assessments record the factor; every child is on the record once.
        let factor = r
            .assessments
            .iter()
            .filter(|a| a.factors.iter().any(|f| f.starts_with('8')))
            .count();
        assert!(factor > 5, "{factor} assessments with the factor");
        let ids: HashSet<Uuid> = r.people.iter().map(|p| p.id).collect();
        let mut by_child: HashMap<Uuid, Vec<&Arrangement>> = HashMap::new();
        for a in &r.pf_arrangements {
            by_child.entry(a.child_id).or_default().push(a);
        }
        for v in by_child.values() {
            for w in v.windows(2) {
                assert!(
                    w[0].ended_on.is_some_and(|e| e < w[1].notified_on),
                    "one at a time"
                );
            }
        }
        assert_eq!(ids.len(), r.people.len());
        assert!(r.pf_arrangements.iter().all(|a| ids.contains(&a.child_id)));
    }

    #[test]
    fn privately_fostered_children_have_a_social_worker_while_the_arrangement_lasts() {
        let as_at = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let c = generate(&Spec::demo(50_000, as_at));
        let r = &c.record;
        let held_on = |child: Uuid, day: NaiveDate| {
            r.allocations
                .iter()
                .filter(|x| x.child_id == child && x.from <= day && x.to.is_none_or(|t| t >= day))
                .count()
        };
        let arrangements = &r.pf_arrangements;
        assert!(arrangements.len() > 20, "{}", arrangements.len());
        for a in arrangements {
            let day = a.notified_on;
            assert_eq!(held_on(a.child_id, day), 1, "{a:?}");
            // Whoever holds the child is in post that day.
            for x in r.allocations.iter().filter(|x| x.child_id == a.child_id) {
                let w = r.workers.iter().find(|w| w.id == x.worker_id).unwrap();
                assert!(w.started <= x.from && w.left.is_none_or(|l| x.to.is_some_and(|t| t <= l)));
            }
        }
    }

    #[test]
    fn the_rest_of_the_council_is_unchanged() {
        let as_at = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let mut spec = Spec::demo(20_000, as_at);
        let with = generate(&spec);
        spec.private_fostering.notifications_per_10k = 0.0;
        let without = generate(&spec);
        assert!(without.record.pf_arrangements.is_empty());
        assert!(!with.record.pf_arrangements.is_empty());
        assert_eq!(with.record.referrals.len(), without.record.referrals.len());
        assert_eq!(with.record.cla_episodes, without.record.cla_episodes);
        // The journeys' allocations come first and are the same; privately fostered children
        // with no worker are allocated after them.
        let n = without.record.allocations.len();
        assert_eq!(with.record.allocations[..n], without.record.allocations[..]);
        assert!(with.record.allocations.len() > n);
        assert_eq!(with.record.contacts.len(), without.record.contacts.len());
        let strip = |c: &Council| -> Vec<Vec<String>> {
            c.record
                .assessments
                .iter()
                .map(|a| {
                    a.factors
                        .iter()
                        .filter(|f| !f.starts_with('8'))
                        .cloned()
                        .collect()
                })
                .collect()
        };
        assert_eq!(strip(&with), strip(&without));
    }
}
