//! Children looked after and care leavers, from the journeys: children on child protection and
//! child in need plans (and, less often, other children in need) come into care; their periods of
//! care are made of episodes (a new one on each change of legal status or placement: police
//! protection and interim orders move on to accommodation or a care order, placements move,
//! temporary placements come and go); reviews at 20 working days, 3 months and then 6-monthly;
//! health assessments, dental checks, immunisations and SDQs for the children looked after for a
//! year at 31 March; missing episodes; and leaving care (home, special guardianship, adoption, the
//! 18th birthday), after which care leavers' status is recorded in the years of their 18th to
//! 21st birthdays.
//!
//! The council's record begins `Spec::years` before `as_at`, but children already in care then
//! came into care earlier: so that the number in care holds steady through the history, entries
//! are simulated from 18 years before the record begins, at the same rate, and only the periods
//! that reach into the record's years are written (their children are taken from those on the
//! record, of the right age). Every rate is a `Spec` setting (England's figures in
//! specs/performance-indicators.md §1c–1e); how long children stay is solved so that starts and
//! stays give the setting's number in care (in a steady state, in care = starts × mean stay).

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, Days, Months, NaiveDate};
use domain::care_leavers::{KeepingInTouch, LeavingCareStatus};
use domain::looked_after::{Episode, HealthYear, Missing, Pep, Period, Review};
use uuid::Uuid;

use crate::ssda903::{Place, postcode};
use crate::{Council, Rng};

/// Age at entry to care, England 2025 (years; shares of starts): under 1 19%, 1–4 14%, 5–9 14%,
/// 10–15 35%, 16–17 18%.
const AGE_AT_ENTRY: &[(u32, u32, u32)] = &[
    (0, 1, 19),
    (1, 5, 14),
    (5, 10, 14),
    (10, 16, 35),
    (16, 18, 18),
];

/// Category of need at entry (abuse or neglect about two thirds).
const NEED: &[(&str, u32)] = &[
    ("N1", 65),
    ("N2", 3),
    ("N3", 3),
    ("N4", 13),
    ("N5", 6),
    ("N6", 1),
    ("N7", 1),
    ("N8", 8),
];
const PLACE_CHANGE: &[(&str, u32)] = &[
    ("CARPL", 30),
    ("CHILD", 15),
    ("LAREQ", 20),
    ("CREQB", 8),
    ("CREQO", 7),
    ("STAND", 6),
    ("OTHER", 14),
];
const EET: &[(&str, u32)] = &[
    ("F1", 25),
    ("P1", 6),
    ("F2", 30),
    ("P2", 10),
    ("F4", 8),
    ("P4", 4),
    ("F5", 12),
    ("P5", 5),
];
const NEET: &[(&str, u32)] = &[("G4", 50), ("G5", 25), ("G6", 25)];
/// Accommodation codes the 903 allows (rule 133), leaving out foyers (T, not under 18: 347) and
/// former foster carers (Z, not at 17: 3001).
const SUITABLE: &[(&str, u32)] = &[
    ("B1", 15),
    ("C1", 8),
    ("D1", 25),
    ("E1", 10),
    ("K1", 8),
    ("U1", 30),
    ("Y1", 4),
];
const UNSUITABLE: &[(&str, u32)] = &[("B2", 20), ("S2", 30), ("V2", 20), ("X2", 20), ("Y2", 10)];

fn id(rng: &mut Rng) -> Uuid {
    let a = rng.next_u64().to_le_bytes();
    let b = rng.next_u64().to_le_bytes();
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&a);
    bytes[8..].copy_from_slice(&b);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

fn birthday(dob: NaiveDate, n: u32) -> NaiveDate {
    dob.checked_add_months(Months::new(12 * n))
        .expect("a date in range")
}

/// The collection year's end (31 March) for a day.
fn year_end_of(d: NaiveDate) -> NaiveDate {
    let y = if d.month() >= 4 {
        d.year() + 1
    } else {
        d.year()
    };
    NaiveDate::from_ymd_opt(y, 3, 31).expect("a date")
}

fn uniform(rng: &mut Rng, lo: u64, hi: u64) -> u64 {
    lo + rng.below(hi.saturating_sub(lo).max(1))
}

/// A placement for a child aged `age` under legal status `ls`: foster care for most (England
/// 67% of children in care at 31 March, indicator 27), children's homes for more of the
/// teenagers (England 12% in homes; with no supported accommodation here, some 16- and
/// 17-year-olds who would be there are in homes), placed with parents only under a care order.
fn placement(rng: &mut Rng, age: u32, ls: &str, foster: f64) -> Place {
    let p = |code, provider, urn| Place {
        code,
        provider,
        urn,
    };
    let (foster, home) = match age {
        0..=11 => ((foster + 0.22).min(0.97), 0.02),
        12..=15 => (foster, 0.26),
        _ => (foster - 0.12, 0.40),
    };
    let x = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    if x < foster {
        let code = rng.weighted(&[
            ("U1", 10),
            ("U2", 1),
            ("U3", 14),
            ("U4", 30),
            ("U5", 2),
            ("U6", 43),
        ]);
        let provider = if matches!(code, "U1" | "U2" | "U3") || rng.chance(0.6) {
            "PR1"
        } else {
            "PR4"
        };
        p(code, provider, true)
    } else if x < foster + home || !matches!(ls, "C1" | "C2") {
        p("K2", if rng.chance(0.2) { "PR1" } else { "PR4" }, true)
    } else {
        p("P1", "PR0", false)
    }
}

/// How a period of care ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    Home,
    Guardianship,
    Adoption,
    /// Stays until the 18th birthday.
    Eighteen,
}

/// The route out of care and the day it happens (capped at the 18th birthday), for a child
/// entering at `age` (days) with the long-stay factor `f`.
fn route(rng: &mut Rng, age_days: u64, f: f64) -> (Route, u64) {
    let years = age_days / 365;
    // Shares of adoption, guardianship, home and staying to 18 by age at entry (younger children
    // leave for adoption and special guardianship; older ones stay or go home).
    let (adopt, sgo, home, stay) = match years {
        0 => (0.30, 0.20, 0.25, 0.25),
        1..=4 => (0.18, 0.20, 0.32, 0.30),
        5..=9 => (0.0, 0.14, 0.43, 0.43),
        10..=15 => (0.0, 0.05, 0.45, 0.50),
        _ => (0.0, 0.0, 0.30, 0.70),
    };
    let stay2 = (stay * f).min(0.97);
    let scale = (1.0 - stay2) / (1.0 - stay);
    let x = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let to_eighteen = (365 * 18 + 4u64).saturating_sub(age_days).max(1);
    let (r, days) = if x < adopt * scale {
        (Route::Adoption, uniform(rng, 420, 1100))
    } else if x < (adopt + sgo) * scale {
        (Route::Guardianship, uniform(rng, 240, 1200))
    } else if x < (adopt + sgo + home) * scale {
        // Many go home within weeks; some after a year or two.
        let u = ((rng.next_u64() >> 11) as f64 + 1.0) / (1u64 << 53) as f64;
        (Route::Home, (3.0 - u.ln() * 240.0) as u64)
    } else {
        (Route::Eighteen, to_eighteen)
    };
    if days >= to_eighteen {
        (Route::Eighteen, to_eighteen)
    } else {
        (r, days)
    }
}

/// Solves the long-stay factor so that the mean stay is `target` days (bisection on a fixed,
/// seeded sample of entries: deterministic).
fn long_stay_factor(target: f64) -> f64 {
    let mean = |f: f64| {
        let mut rng = Rng::new(0xC1A);
        let n = 20_000;
        let mut sum = 0u64;
        for _ in 0..n {
            let age = entry_age(&mut rng);
            sum += route(&mut rng, age, f).1;
        }
        sum as f64 / n as f64
    };
    let (mut lo, mut hi) = (0.05, 4.0);
    for _ in 0..30 {
        let mid = (lo + hi) / 2.0;
        if mean(mid) < target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo + hi) / 2.0
}

/// An age at entry (days) from England's shares.
fn entry_age(rng: &mut Rng) -> u64 {
    let total: u32 = AGE_AT_ENTRY.iter().map(|x| x.2).sum();
    let mut x = rng.below(u64::from(total)) as u32;
    for &(lo, hi, w) in AGE_AT_ENTRY {
        if x < w {
            return uniform(rng, u64::from(lo) * 365 + 1, u64::from(hi) * 365 - 2);
        }
        x -= w;
    }
    365 * 10
}

/// A child coming into care: who, when, and their route out.
struct Entry {
    child: Uuid,
    dob: NaiveDate,
    on: NaiveDate,
    route: Route,
    ends: NaiveDate,
}

/// Adds the children looked after and care leavers to the council's record.
pub fn looked_after(c: &mut Council) {
    let spec = c.spec.clone();
    let mut rng = Rng::new(spec.seed ^ 0xC1A0_1005);
    let as_at = spec.as_at;
    let start = as_at
        .checked_sub_months(Months::new(12 * spec.years))
        .expect("a date in range");
    let f = long_stay_factor(spec.cla_per_10k / spec.cla_starts_per_10k * 365.25);

    // Children on the record with a date of birth, in the record's order.
    let kids: Vec<(Uuid, NaiveDate)> = c
        .record
        .people
        .iter()
        .filter(|p| p.details.kind == domain::person::PersonKind::Child)
        .filter_map(|p| p.details.date_of_birth.map(|d| (p.id, d)))
        .collect();
    let dob_of: std::collections::HashMap<Uuid, NaiveDate> = kids.iter().copied().collect();
    let mut used: HashSet<Uuid> = HashSet::new();
    let mut entries: Vec<Entry> = Vec::new();
    let starts_per_year = |pop: usize| spec.cla_starts_per_10k * pop as f64 / 10_000.0;

    // Within the record's years: children on plans (mostly), or in need, come into care. Each
    // age band's chance is set so that starts follow England's ages at entry.
    struct Candidate {
        child: Uuid,
        dob: NaiveDate,
        on: NaiveDate,
        weight: f64,
    }
    let mut cands: Vec<Candidate> = Vec::new();
    let mut seen: HashSet<Uuid> = HashSet::new();
    let plans = c
        .record
        .cp_plans
        .iter()
        .map(|p| (p.child_id, p.started_on, 6.0))
        .chain(
            c.record
                .cin_plans
                .iter()
                .map(|p| (p.child_id, p.started_on, 2.0)),
        )
        .chain(
            c.record
                .referrals
                .iter()
                .map(|r| (r.referral.child_id, r.referral.referral_date, 0.4)),
        );
    for (child, on, weight) in plans {
        if on < start || on > as_at || !seen.insert(child) {
            continue;
        }
        if let Some(&dob) = dob_of.get(&child)
            && dob < on
            && on < birthday(dob, 18) - Days::new(30)
        {
            cands.push(Candidate {
                child,
                dob,
                on,
                weight,
            });
        }
    }
    let band = |dob: NaiveDate, on: NaiveDate| {
        let y = ((on - dob).num_days() / 365) as u32;
        AGE_AT_ENTRY
            .iter()
            .position(|&(lo, hi, _)| y >= lo && y < hi)
            .unwrap_or(AGE_AT_ENTRY.len() - 1)
    };
    let total_share: u32 = AGE_AT_ENTRY.iter().map(|x| x.2).sum();
    let mid = |y: i32| NaiveDate::from_ymd_opt(y, 9, 30).expect("a date");
    let window_starts: f64 = (0..spec.years as i32)
        .map(|k| starts_per_year(c.population_on(mid(as_at.year() - 1 - k))))
        .sum();
    let mut weight_by_band = vec![0.0; AGE_AT_ENTRY.len()];
    for x in &cands {
        weight_by_band[band(x.dob, x.on)] += x.weight;
    }
    for x in &cands {
        let b = band(x.dob, x.on);
        let want = window_starts * f64::from(AGE_AT_ENTRY[b].2) / f64::from(total_share);
        let p = (want * x.weight / weight_by_band[b].max(1e-9)).min(1.0);
        if !rng.chance(p) {
            continue;
        }
        let on = x.on + Days::new(rng.below(if x.weight > 1.0 { 60 } else { 120 }));
        if on > as_at || on >= birthday(x.dob, 18) {
            continue;
        }
        let age = (on - x.dob).num_days() as u64;
        let (route, days) = route(&mut rng, age, f);
        used.insert(x.child);
        entries.push(Entry {
            child: x.child,
            dob: x.dob,
            on,
            route,
            ends: on + Days::new(days.max(1)),
        });
    }

    // Before the record's years: the same rate of starts, and children of the right age from
    // the record for the periods that reach into its years (or whose care leavers do).
    let mut by_dob: BTreeMap<NaiveDate, Vec<Uuid>> = BTreeMap::new();
    for &(k, d) in &kids {
        if !used.contains(&k) {
            by_dob.entry(d).or_default().push(k);
        }
    }
    let pop = c.population_on(start);
    let before = (starts_per_year(pop) * 18.0).round() as u64;
    for _ in 0..before {
        let on = start - Days::new(1 + rng.below(365 * 18));
        let age = entry_age(&mut rng);
        let (route, days) = route(&mut rng, age, f);
        let ends = on + Days::new(days.max(1));
        let dob = on - Days::new(age);
        let reaches = ends >= start || (route == Route::Eighteen && birthday(dob, 22) > start);
        if !reaches {
            continue;
        }
        // The unused child born nearest that day (within two months).
        let near = by_dob
            .range(dob - Days::new(60)..=dob + Days::new(60))
            .flat_map(|(d, ks)| ks.iter().map(move |k| (*d, *k)))
            .min_by_key(|(d, _)| (*d - dob).num_days().abs());
        let Some((d, k)) = near else { continue };
        if let Some(v) = by_dob.get_mut(&d) {
            v.retain(|x| *x != k);
            if v.is_empty() {
                by_dob.remove(&d);
            }
        }
        let ends = if route == Route::Eighteen || ends > birthday(d, 18) {
            birthday(d, 18)
        } else {
            ends
        };
        let route = if ends == birthday(d, 18) {
            Route::Eighteen
        } else {
            route
        };
        entries.push(Entry {
            child: k,
            dob: d,
            on: on.max(d + Days::new(1)),
            route,
            ends,
        });
    }
    entries.sort_by_key(|e| (e.on, e.child));
    for e in &entries {
        period(c, &mut rng, e, start, as_at);
    }
    adoption_and_permanence(&mut c.record);
    pathway_plans(&mut c.record, as_at, spec.seed);
}

/// Needs assessments and pathway plans for young people in care from 16 and care leavers to 21,
/// as a leaving care service would have recorded them: the assessment from 16, the plan from
/// 16 years 3 months, reviewed about every six months (now and then late) and superseded by
/// each review; two actions a plan, the earlier plans' mostly done. Drawn from a generator of
/// their own, so the rest of the council is as it was.
fn pathway_plans(out: &mut store::BulkCouncil, as_at: NaiveDate, seed: u64) {
    use domain::care_leavers::{NeedsAssessment, PathwayAction, PathwayPlan};
    let mut rng = Rng::new(seed ^ 0x9A7B_2025);
    let born: std::collections::HashMap<Uuid, NaiveDate> = out
        .people
        .iter()
        .filter_map(|p| p.details.date_of_birth.map(|d| (p.id, d)))
        .collect();
    const ACTIONS: &[(&str, &str)] = &[
        (
            "Apply for the college course",
            "Young person with their personal adviser",
        ),
        (
            "Open a bank account and set up a budget",
            "Personal adviser",
        ),
        ("Register with a GP near the new flat", "Young person"),
        (
            "Find an apprenticeship with the council's scheme",
            "Personal adviser",
        ),
        ("Get a provisional driving licence and ID", "Young person"),
        ("Move into supported lodgings", "Leaving care team"),
    ];
    let mut plans = Vec::new();
    for p in &out.cla_periods {
        let Some(&dob) = born.get(&p.child_id) else {
            continue;
        };
        let leaver =
            domain::care_leavers::left_care_as_care_leaver(dob, [(p.started_on, p.ended_on)])
                .is_some();
        let in_care = p.ended_on.is_none();
        if !leaver && !in_care {
            continue;
        }
        let last = as_at.min(birthday(dob, 21) - Days::new(1));
        let assessed = birthday(dob, 16).max(p.started_on + Days::new(14));
        if assessed > last {
            continue;
        }
        out.leaving_care_needs.push(NeedsAssessment {
            id: id(&mut rng),
            child_id: p.child_id,
            assessed_on: assessed,
            areas: vec![
                "education".into(),
                "skills".into(),
                "finance".into(),
                "accommodation".into(),
            ],
            findings:
                "Doing well at school; needs help with budgeting and cooking before living alone."
                    .into(),
            views: "I want to stay near my friends and go to college.".into(),
        });
        let mut on = (birthday(dob, 16) + Months::new(3)).max(p.started_on + Days::new(28));
        let mut child_plans: Vec<PathwayPlan> = Vec::new();
        while on <= last {
            let next = on + Days::new(150 + rng.below(60));
            let first = rng.below(ACTIONS.len() as u64) as usize;
            let actions = (0..2)
                .map(|k| {
                    let (action, owner) = ACTIONS[(first + k) % ACTIONS.len()];
                    let due_on = on + Days::new(30 + rng.below(90));
                    let done = next <= last || due_on < as_at && rng.chance(0.5);
                    PathwayAction {
                        id: id(&mut rng),
                        action: action.into(),
                        owner: owner.into(),
                        due_on,
                        status: if done { "done" } else { "in_progress" }.into(),
                        progress: if done {
                            "Finished, with their adviser's help."
                        } else {
                            "Started."
                        }
                        .into(),
                        version: 1,
                    }
                })
                .collect();
            if let Some(prev) = child_plans.last_mut() {
                prev.superseded_on = Some(on);
            }
            child_plans.push(PathwayPlan {
                id: id(&mut rng),
                child_id: p.child_id,
                plan_date: on,
                views: "I want my own flat near college, and to see my brother more.".into(),
                goals:
                    "College or an apprenticeship; a tenancy with support by 18; managing money."
                        .into(),
                review_due: on + Months::new(6),
                actions,
                superseded_by: None,
                superseded_on: None,
            });
            on = next;
        }
        // Each plan is superseded by the next (on its date, above).
        for k in 1..child_plans.len() {
            child_plans[k - 1].superseded_by = Some(child_plans[k].id);
        }
        plans.extend(child_plans);
    }
    // The newest first, so a superseded plan's successor is written before it.
    plans.sort_by(|a, b| b.plan_date.cmp(&a.plan_date).then(a.id.cmp(&b.id)));
    out.pathway_plans = plans;
}

/// A small number from an id (for details that follow from the episodes, such as the day of an
/// adoption decision before the placement order): deterministic.
fn from_id(id: Uuid, n: u64) -> u64 {
    (id.as_u128() % u128::from(n)) as u64
}

/// What the record holds beside the episodes, as a worker would have recorded it: the home's
/// postcode as the placement's for a child placed with parents; previous
/// permanence on entering care from April 2016 (about 85% none, the rest adoption, special
/// guardianship or a child arrangements order); for a child with a placement order or placed
/// for adoption, the decision to place (20 to 79 days before the first of them, not before care
/// began), the match (a few days before the adoptive placement) and, for a child who left care
/// other than by adoption, the decision that they should no longer be placed.
fn adoption_and_permanence(out: &mut store::BulkCouncil) {
    use domain::looked_after::PreviousPermanence;
    // A child placed with parents (P1) lives at home: the placement's postcode is the home's.
    let mut home: std::collections::HashMap<Uuid, String> = std::collections::HashMap::new();
    for a in out.addresses.iter().filter(|a| a.to.is_none()) {
        home.insert(a.person_id, a.postcode.clone());
    }
    for e in out
        .cla_episodes
        .iter_mut()
        .filter(|e| e.placement == "P1" && e.placement_postcode.is_none())
    {
        e.placement_postcode = home.get(&e.child_id).cloned();
    }
    use domain::looked_after::adoption::{AdoptionDecision, AdoptionMatch};
    let from = NaiveDate::from_ymd_opt(2016, 4, 1).expect("a real date");
    let mut by_period: std::collections::HashMap<Uuid, Vec<&Episode>> =
        std::collections::HashMap::new();
    for e in &out.cla_episodes {
        by_period.entry(e.period_id).or_default().push(e);
    }
    let mut previous = Vec::new();
    let mut adoption = Vec::new();
    for p in &out.cla_periods {
        if p.started_on >= from {
            let code = match from_id(p.id, 100) {
                0..=84 => "Z1",
                85..=89 => "P1",
                90..=93 => "P2",
                _ => "P3",
            };
            let on =
                (code != "Z1").then(|| p.started_on - Days::new(200 + from_id(p.child_id, 700)));
            previous.push(PreviousPermanence {
                period_id: p.id,
                child_id: p.child_id,
                code: code.into(),
                la: on.map(|_| "800".into()),
                on,
            });
        }
        let mut eps = by_period.get(&p.id).cloned().unwrap_or_default();
        eps.sort_by_key(|e| e.started_on);
        let adoptive = |e: &&Episode| matches!(e.placement.as_str(), "A3" | "A4" | "A5" | "A6");
        let Some(first) = eps.iter().find(|e| e.legal_status == "E1" || adoptive(e)) else {
            continue;
        };
        let decided = (first.started_on - Days::new(20 + from_id(first.id, 60))).max(p.started_on);
        let placed = eps.iter().find(|e| adoptive(e));
        let last = eps.last().expect("a period has episodes");
        let adopted = matches!(last.reason_ceased.as_deref(), Some("E11" | "E12"));
        let decision = Uuid::from_u128(p.id.as_u128() ^ 0xADD0_0000_0000_0000_0000_0000_0000_0001);
        let matched = placed.map(|a| {
            let (sex, ls, n) = [
                ("MF", "L11", 2),
                ("MF", "L11", 2),
                ("MF", "L3", 2),
                ("FF", "L12", 2),
                ("MM", "L2", 2),
                ("F1", "L0", 1),
            ][from_id(a.id, 6) as usize];
            AdoptionMatch {
                id: Uuid::from_u128(decision.as_u128() ^ 2),
                decision_id: decision,
                matched_on: (a.started_on - Days::new(1 + from_id(a.id, 20))).max(decided),
                adopters: n,
                adopters_sex: sex.into(),
                adopters_legal_status: ls.into(),
                foster_carers: matches!(a.placement.as_str(), "A3" | "A5"),
            }
        });
        // Left care other than by adoption: the plan changed first.
        let ceased = p.ended_on.filter(|_| !adopted).map(|e| e.max(decided));
        adoption.push(AdoptionDecision {
            id: decision,
            child_id: p.child_id,
            decided_on: decided,
            ceased_on: ceased,
            reason_ceased: ceased.map(|_| if placed.is_some() { "RD4" } else { "RD1" }.into()),
            matched,
        });
    }
    out.cla_previous_permanence = previous;
    out.cla_adoption = adoption;
}

/// Writes one period of care: episodes, reviews, health, missing, care leaving.
fn period(c: &mut Council, rng: &mut Rng, e: &Entry, start: NaiveDate, as_at: NaiveDate) {
    let spec = c.spec.clone();
    let out = &mut c.record;
    let eighteen = birthday(e.dob, 18);
    let ends = e.ends.min(eighteen);
    let ended = ends <= as_at;
    let stop = if ended { ends } else { as_at };
    let pid = id(rng);
    let age_on = |d: NaiveDate| ((d - e.dob).num_days() / 365) as u32;
    let need = rng.weighted(NEED).to_string();
    out.cla_periods.push(Period {
        id: pid,
        child_id: e.child,
        started_on: e.on,
        ended_on: ended.then_some(ends),
        category_of_need: need,
    });

    // Legal status through the period: police protection moves to accommodation within days,
    // an interim order to a full order within months; adoption ends under a placement order.
    let first_ls = if age_on(e.on) >= 16 {
        *rng.pick(&["V2", "V2", "V2", "C1"])
    } else if matches!(e.route, Route::Adoption | Route::Guardianship) {
        *rng.pick(&["C1", "C1", "C1", "V2"])
    } else if age_on(e.on) >= 10 {
        rng.weighted(&[("V2", 45), ("C1", 40), ("L1", 10), ("J2", 5)])
    } else {
        rng.weighted(&[("V2", 45), ("C1", 43), ("L1", 12)])
    };
    // (day, new legal status, new placement?, temporary?)
    let mut events: Vec<(NaiveDate, Option<&'static str>, bool)> = Vec::new();
    match first_ls {
        "L1" => events.push((e.on + Days::new(1 + rng.below(3)), Some("V2"), false)),
        // Detained under PACE: accommodated by the council overnight at most.
        "J2" => events.push((e.on + Days::new(1), Some("V2"), false)),
        "C1" => events.push((e.on + Days::new(60 + rng.below(240)), Some("C2"), false)),
        _ => {
            if rng.chance(0.25) {
                let d = e.on + Days::new(90 + rng.below(300));
                events.push((d, Some("C1"), false));
                events.push((d + Days::new(60 + rng.below(200)), Some("C2"), false));
            }
        }
    }
    let mut adoption_placed = None;
    if e.route == Route::Adoption {
        let placed = ends - Days::new(uniform(rng, 90, 250));
        let order = placed - Days::new(uniform(rng, 30, 150));
        events.retain(|x| x.0 < order);
        events.push((order.max(e.on + Days::new(2)), Some("E1"), false));
        adoption_placed = Some(placed.max(e.on + Days::new(4)));
    }
    // Placement moves.
    let mut d = e.on;
    loop {
        // Placements settle: moves are likelier in the first months, rarer after two years.
        let rate = if d < e.on + Days::new(180) {
            spec.cla_move_rate * 2.2
        } else if d < e.on + Days::new(730) {
            spec.cla_move_rate
        } else {
            spec.cla_move_rate * 0.6
        };
        let u = ((rng.next_u64() >> 11) as f64 + 1.0) / (1u64 << 53) as f64;
        d = d + Days::new(1 + (-u.ln() / rate * 365.25) as u64);
        if d >= stop || adoption_placed.is_some_and(|p| d >= p) {
            break;
        }
        events.push((d, None, true));
    }
    events.retain(|x| x.0 > e.on && x.0 < stop);
    events.sort_by_key(|x| x.0);
    events.dedup_by_key(|x| x.0);

    fn ls_now(ls: &'static str) -> &'static str {
        if ls == "L1" || ls == "J2" { "V2" } else { ls }
    }
    let mut ls: &'static str = first_ls;
    let mut place = placement(rng, age_on(e.on), ls_now(ls), spec.cla_foster_share);
    let mut eps: Vec<Episode> = Vec::new();
    let new_episode = |rng: &mut Rng, at: NaiveDate, rne: &str, ls: &str, pl: Place| Episode {
        id: id(rng),
        period_id: pid,
        child_id: e.child,
        started_on: at,
        ended_on: None,
        reason_new: rne.into(),
        legal_status: ls.into(),
        placement: pl.code.into(),
        provider: (!pl.code.starts_with('T')).then(|| pl.provider.to_string()),
        placement_postcode: (pl.code != "P1").then(|| postcode(rng)),
        urn: pl
            .urn
            .then(|| format!("SC{:06}", 100_000 + rng.below(900_000))),
        reason_ceased: None,
        reason_place_change: None,
    };
    eps.push(new_episode(rng, e.on, "S", ls, place));
    let close = |eps: &mut Vec<Episode>, at: NaiveDate, rec: &str, change: Option<&str>| {
        let last = eps.last_mut().expect("an episode");
        last.ended_on = Some(at);
        last.reason_ceased = Some(rec.into());
        last.reason_place_change = change.map(str::to_string);
    };
    for (at, new_ls, moves) in events {
        if let Some(n) = new_ls {
            ls = n;
            close(&mut eps, at, "X1", None);
            // The same placement, provider, postcode and URN under the new legal status.
            let prev = eps.last().expect("an episode").clone();
            eps.push(Episode {
                id: id(rng),
                started_on: at,
                ended_on: None,
                reason_new: "L".into(),
                legal_status: ls.into(),
                reason_ceased: None,
                reason_place_change: None,
                ..prev
            });
        } else if moves {
            let mut next = placement(rng, age_on(at), ls_now(ls), spec.cla_foster_share);
            if next.code == place.code && next.code == "P1" {
                next = Place {
                    code: "U4",
                    provider: "PR1",
                    urn: true,
                };
            }
            let why = rng.weighted(PLACE_CHANGE);
            close(&mut eps, at, "X1", Some(why));
            place = next;
            eps.push(new_episode(rng, at, "P", ls, place));
        }
    }
    if let Some(placed) = adoption_placed
        && placed < stop
    {
        place = Place {
            code: if rng.chance(0.15) { "A5" } else { "A6" },
            provider: "PR1",
            urn: true,
        };
        close(&mut eps, placed, "X1", Some("PLACE"));
        // With the current foster carers (A5) the carer stays the same.
        let rne = if place.code == "A5" { "T" } else { "P" };
        eps.push(new_episode(rng, placed, rne, ls, place));
    }
    // A temporary placement (holiday, hospital) and back, for a few.
    let last_start = eps.last().expect("an episode").started_on;
    if stop > last_start + Days::new(60) && rng.chance(spec.cla_temporary_rate) {
        let from =
            last_start + Days::new(uniform(rng, 20, (stop - last_start).num_days() as u64 - 20));
        let to = from + Days::new(2 + rng.below(5));
        if to < stop && !place.code.starts_with('A') {
            let back = place;
            let t = Place {
                code: ["T0", "T1", "T2", "T3", "T4"][rng.below(5) as usize],
                provider: "",
                urn: false,
            };
            close(&mut eps, from, "X1", None);
            let mut temp = new_episode(rng, from, "P", ls, t);
            temp.ended_on = Some(to);
            temp.reason_ceased = Some("X1".into());
            eps.push(temp);
            let mut again = new_episode(rng, to, "P", ls, back);
            again.placement_postcode = eps[eps.len() - 2].placement_postcode.clone();
            again.urn = eps[eps.len() - 2].urn.clone();
            eps.push(again);
        }
    }
    if ended {
        let foster = place.code.starts_with('U');
        let rec = match e.route {
            Route::Adoption if place.code.starts_with('A') => {
                if rng.chance(0.8) {
                    "E11"
                } else {
                    "E12"
                }
            }
            Route::Guardianship => {
                if foster {
                    *rng.pick(&["E45", "E46", "E41"])
                } else {
                    *rng.pick(&["E47", "E48", "E41"])
                }
            }
            _ if ends == eighteen => {
                rng.weighted(&[("E5", 35), ("E6", 10), ("E17", 30), ("E8", 5)])
            }
            _ => rng.weighted(&[("E4A", 60), ("E4B", 8), ("E13", 20), ("E41", 7), ("E8", 5)]),
        };
        // An E8 at 18 is only for a child missing then; call it staying put otherwise.
        let rec = if rec == "E8" && ends == eighteen {
            "E17"
        } else {
            rec
        };
        close(&mut eps, ends, rec, None);
    }
    // The period's episodes are all kept (the 903 needs the period's history); reviews, health
    // and missing episodes only from the record's start.
    let out = &mut c.record;
    out.cla_episodes.extend(eps.iter().cloned());

    // Reviews: 20 working days, 3 months, then 6-monthly; most on time.
    let mut prev: Option<(NaiveDate, u32)> = None;
    loop {
        let due = domain::timescales::cla_review_due(e.on, prev).unwrap_or_else(|_| {
            prev.map_or(e.on, |p| p.0) + Days::new(if prev.is_none() { 28 } else { 182 })
        });
        let held = if rng.chance(spec.cla_review_on_time) {
            due - Days::new(rng.below(10))
        } else {
            due + Days::new(1 + rng.below(30))
        };
        let held = held.max(e.on + Days::new(1));
        if held >= stop {
            break;
        }
        if held >= start {
            let code = if birthday(e.dob, 4) > held {
                "PN0"
            } else {
                rng.weighted(&[
                    ("PN1", 60),
                    ("PN2", 10),
                    ("PN3", 8),
                    ("PN4", 7),
                    ("PN5", 6),
                    ("PN6", 7),
                    ("PN7", 2),
                ])
            };
            out.cla_reviews.push(Review {
                id: id(rng),
                child_id: e.child,
                held_on: held,
                participation: code.into(),
            });
        }
        prev = Some((held, prev.map_or(1, |p| p.1 + 1)));
    }

    // Personal education plans, reviewed termly for a child of school age (from the September
    // after their 4th birthday to the August after their 16th). Drawn from the child's own
    // stream of numbers so that the rest of the council is unchanged by them.
    {
        let mut prng = Rng::new(e.child.as_u128() as u64 ^ 0x5045_5052);
        let fourth = birthday(e.dob, 4);
        let school_from =
            NaiveDate::from_ymd_opt(fourth.year() + i32::from(fourth.month() >= 9), 9, 1)
                .unwrap_or(fourth);
        let sixteenth = birthday(e.dob, 16);
        let school_to =
            NaiveDate::from_ymd_opt(sixteenth.year() + i32::from(sixteenth.month() >= 9), 8, 31)
                .unwrap_or(sixteenth);
        let from = e.on.max(school_from).max(start);
        let to = stop.min(school_to).min(as_at);
        let mut term = domain::looked_after::school_term(from);
        while term.0 <= to {
            let earliest = term.0.max(e.on + Days::new(10));
            let latest = term.1.min(to);
            if earliest <= latest && prng.chance(spec.cla_pep_termly) {
                let span = (latest - earliest).num_days().max(0) as u64;
                let on = earliest + Days::new(prng.below(span.min(60) + 1));
                out.peps.push(Pep {
                    id: id(&mut prng),
                    child_id: e.child,
                    reviewed_on: on,
                });
            }
            match term.1.succ_opt() {
                Some(next) => term = domain::looked_after::school_term(next),
                None => break,
            }
        }
    }

    // Health, for each 31 March at which the child had been looked after for a year (in care
    // from 1 April before it, as the 903's rules read "continuously for 12 months").
    let first = if (e.on.month(), e.on.day()) <= (4, 1) {
        e.on.year()
    } else {
        e.on.year() + 1
    };
    let mut ye = NaiveDate::from_ymd_opt(first + 1, 3, 31).expect("a real date");
    while ye <= as_at && ye < stop {
        if ye >= start {
            let year_start = ye - Days::new(364);
            let day = |rng: &mut Rng| year_start + Days::new(rng.below(364));
            let age = age_on(ye);
            let sdq_due = (4..=16).contains(&age);
            // No SDQ, and no reason for none, for a child under 4.
            let too_young = age < 4;
            let score = (sdq_due && rng.chance(spec.cla_sdq_completion))
                .then(|| (2 + rng.below(14) + rng.below(14)) as i32);
            out.cla_health.push(HealthYear {
                id: id(rng),
                child_id: e.child,
                year: ye.year(),
                health_assessment: rng.chance(spec.cla_health_assessment).then(|| day(rng)),
                dental_check: rng.chance(spec.cla_dental_check).then(|| day(rng)),
                immunisations_up_to_date: rng.chance(spec.cla_immunisations),
                sdq_score: score,
                sdq_reason: if score.is_some() || too_young {
                    None
                } else if !sdq_due {
                    Some("SDQ1".into())
                } else {
                    Some(
                        rng.weighted(&[("SDQ2", 20), ("SDQ3", 10), ("SDQ4", 50), ("SDQ5", 20)])
                            .into(),
                    )
                },
            });
        }
        ye = NaiveDate::from_ymd_opt(ye.year() + 1, 3, 31).expect("a date");
    }

    // Missing episodes: in each collection year in care, some children (mostly older) go
    // missing, often more than once; each ends within days and before care ends.
    let mut ye = year_end_of(e.on);
    while ye - Days::new(364) <= stop {
        let from = (ye - Days::new(364)).max(e.on).max(start);
        let to = ye.min(stop);
        if from < to && to > start {
            let teen = age_on(to) >= 11;
            let p = if teen {
                spec.cla_missing_rate * 1.7
            } else {
                spec.cla_missing_rate * 0.08
            };
            if rng.chance(p) {
                let n = 1 + rng.below(6) + rng.below(5);
                let mut days: Vec<NaiveDate> = (0..n)
                    .map(|_| from + Days::new(rng.below((to - from).num_days() as u64)))
                    .collect();
                days.sort();
                let mut free = from;
                for s in days {
                    if s < free {
                        continue;
                    }
                    let end = s + Days::new(rng.below(3));
                    if end >= to || end >= stop {
                        break;
                    }
                    out.cla_missing.push(Missing {
                        id: id(rng),
                        child_id: e.child,
                        started_on: s,
                        ended_on: Some(end),
                        kind: if rng.chance(0.85) { "M" } else { "A" }.into(),
                    });
                    free = end + Days::new(1);
                }
            }
        }
        ye = NaiveDate::from_ymd_opt(ye.year() + 1, 3, 31).expect("a date");
    }

    // Care leavers (looked after for 13 weeks since their 14th birthday, leaving at 16 or
    // later): around each 17th to 21st birthday after leaving care, up to `as_at`, the personal
    // adviser is in touch (a contact in the window), or refused, or no longer needed; or nobody
    // was in touch (no contact in the window). When in touch, the activity and accommodation
    // they found are recorded as changes from a day before the birthday, so the 903's OC3 row,
    // derived from the record, has what was true on the birthday.
    let periods = [(e.on, ended.then_some(ends))];
    if let Some(left) = domain::care_leavers::left_care_as_care_leaver(e.dob, periods) {
        let mut last_from = left;
        for n in 17..=21u32 {
            let b = birthday(e.dob, n);
            if b > as_at || b <= left {
                continue;
            }
            let in_touch = rng.weighted(&[("YES", 90), ("NO", 5), ("REFU", 3), ("NREQ", 2)]);
            let (eet_target, suitable) = if n <= 18 {
                (spec.care_leaver_eet_17_18, spec.care_leaver_suitable_17_18)
            } else {
                (spec.care_leaver_eet_19_21, spec.care_leaver_suitable_19_21)
            };
            if in_touch == "NO" {
                continue;
            }
            // The contact: up to three months before the birthday or one after, never before
            // leaving care or after today.
            let on = (b - Days::new(90) + Days::new(rng.below(121)))
                .max(left + Days::new(1))
                .min(as_at);
            let place = rng.weighted(&[
                ("At their flat", 45),
                ("At college or work", 20),
                ("In a café in town", 15),
                ("By phone", 20),
            ]);
            out.leaving_care_contacts.push(KeepingInTouch {
                id: id(rng),
                child_id: e.child,
                contact_on: on,
                seen: place != "By phone",
                place: place.into(),
                words: rng
                    .weighted(&[
                        ("I'm doing alright, college is hard work but I like it.", 3),
                        ("I want to find somewhere closer to my job.", 2),
                        ("Money is tight this month.", 2),
                        ("I'm fine, I don't need anything right now.", 2),
                    ])
                    .into(),
                in_touch: in_touch.into(),
            });
            if in_touch != "YES" {
                continue;
            }
            let activity = if rng.chance(eet_target / 0.90) {
                rng.weighted(EET)
            } else {
                rng.weighted(NEET)
            };
            let accommodation = if !rng.chance(suitable / 0.90) {
                rng.weighted(UNSUITABLE)
            } else if n >= 18 && rng.chance(0.12) {
                // Staying put with former foster carers.
                "Z1"
            } else {
                rng.weighted(SUITABLE)
            };
            let mut from = (b - Days::new(rng.below(180))).max(last_from + Days::new(1));
            if accommodation == "Z1" {
                // Staying put is from 18.
                from = from.max(birthday(e.dob, 18));
            }
            let from = from.min(b);
            last_from = from;
            let (letter, digit) = accommodation.split_at(1);
            out.leaving_care_statuses.push(LeavingCareStatus {
                id: id(rng),
                child_id: e.child,
                from,
                activity: Some(activity.into()),
                accommodation: Some(letter.into()),
                suitable: Some(digit == "1"),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::{Spec, generate};

    fn council() -> Council {
        generate(&Spec::demo(
            20_000,
            NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
        ))
    }

    #[test]
    fn periods_are_made_of_contiguous_episodes_that_end_as_the_period_does() {
        let c = council();
        let r = &c.record;
        assert!(r.cla_periods.len() > 100, "{}", r.cla_periods.len());
        let dob: HashMap<Uuid, NaiveDate> = r
            .people
            .iter()
            .filter_map(|p| p.details.date_of_birth.map(|d| (p.id, d)))
            .collect();
        let mut by_period: HashMap<Uuid, Vec<&Episode>> = HashMap::new();
        for e in &r.cla_episodes {
            by_period.entry(e.period_id).or_default().push(e);
        }
        let mut children = HashSet::new();
        let mut ended_at_18 = 0;
        for p in &r.cla_periods {
            assert!(children.insert(p.child_id), "one period a child");
            let b = dob[&p.child_id];
            assert!(p.started_on > b && p.started_on < birthday(b, 18));
            assert!(
                p.ended_on
                    .is_none_or(|e| e <= birthday(b, 18) && e <= c.spec.as_at)
            );
            let eps = &by_period[&p.id];
            assert_eq!(eps[0].started_on, p.started_on);
            assert_eq!(eps[0].reason_new, "S");
            for w in eps.windows(2) {
                assert_eq!(w[0].ended_on, Some(w[1].started_on), "contiguous");
                assert_eq!(w[0].reason_ceased.as_deref(), Some("X1"));
                assert_ne!(w[1].reason_new, "S");
                if w[1].reason_new == "L" {
                    assert_ne!(w[0].legal_status, w[1].legal_status);
                    assert_eq!(w[0].placement, w[1].placement);
                } else {
                    assert!(
                        w[0].reason_place_change.is_some()
                            || w[0].placement.starts_with('T')
                            || w[1].placement.starts_with('T')
                            || w[1].placement.starts_with('A')
                    );
                }
            }
            let last = eps.last().unwrap();
            assert_eq!(last.ended_on, p.ended_on);
            match last.reason_ceased.as_deref() {
                None => assert!(p.ended_on.is_none()),
                Some("E11" | "E12") => assert!(last.placement.starts_with('A')),
                Some("E45" | "E46") => assert!(last.placement.starts_with('U')),
                Some("E5" | "E6" | "E17") => {
                    ended_at_18 += 1;
                    assert_eq!(p.ended_on, Some(birthday(b, 18)));
                }
                Some(x) => assert_ne!(x, "X1"),
            }
            // Providers only for placements that have them.
            for e in eps {
                assert_eq!(e.provider.is_none(), e.placement.starts_with('T'));
            }
        }
        assert!(ended_at_18 > 10, "{ended_at_18}");
        // Reviews, health, missing episodes and care leavers belong to children who were in care.
        for child in r
            .cla_reviews
            .iter()
            .map(|x| x.child_id)
            .chain(r.cla_health.iter().map(|x| x.child_id))
            .chain(r.cla_missing.iter().map(|x| x.child_id))
            .chain(r.leaving_care_contacts.iter().map(|x| x.child_id))
            .chain(r.leaving_care_statuses.iter().map(|x| x.child_id))
        {
            assert!(children.contains(&child));
        }
        let leavers = r.care_leaver_years(c.spec.as_at);
        assert!(!leavers.is_empty() && !r.cla_missing.is_empty());
        for h in &r.cla_health {
            assert!(h.sdq_score.is_none() || h.sdq_reason.is_none());
            assert!(h.sdq_score.is_none_or(|s| (0..=40).contains(&s)));
        }
        // Derived from the contacts and the dated activity and accommodation: coded whenever
        // in touch (903 rule 345), "0" otherwise; staying put among them.
        for l in &leavers {
            assert!(l.activity.is_some() && l.accommodation.is_some());
            assert_eq!(
                l.activity.as_deref() == Some("0"),
                l.in_touch != "YES",
                "{l:?}"
            );
            assert_eq!(
                l.accommodation.as_deref() == Some("0"),
                l.in_touch != "YES",
                "{l:?}"
            );
        }
        assert!(
            leavers
                .iter()
                .any(|l| l.accommodation.as_deref() == Some("Z1"))
        );
        // Pathway plans from 16 years 3 months, each superseded by the next, as the form
        // checks them; a needs assessment before each young person's first plan.
        assert!(!r.pathway_plans.is_empty() && !r.leaving_care_needs.is_empty());
        for p in &r.pathway_plans {
            let dob = r
                .people
                .iter()
                .find(|x| x.id == p.child_id)
                .unwrap()
                .details
                .date_of_birth
                .unwrap();
            assert!(p.plan_date >= birthday(dob, 16) + Months::new(3), "{p:?}");
            assert!(p.review_due > p.plan_date && p.review_due <= p.plan_date + Months::new(6));
            assert_eq!(p.superseded_by.is_some(), p.superseded_on.is_some());
            if let Some(next) = p.superseded_by {
                let n = r.pathway_plans.iter().find(|x| x.id == next).unwrap();
                assert_eq!(
                    (n.child_id, Some(n.plan_date)),
                    (p.child_id, p.superseded_on)
                );
            }
            assert_eq!(p.actions.len(), 2);
        }
        // Staying put is from 18 (as the form checks).
        for x in r
            .leaving_care_statuses
            .iter()
            .filter(|x| x.accommodation.as_deref() == Some("Z"))
        {
            let dob = r
                .people
                .iter()
                .find(|p| p.id == x.child_id)
                .unwrap()
                .details
                .date_of_birth
                .unwrap();
            assert!(x.from >= birthday(dob, 18), "{x:?}");
        }
        // Every status change is on or after leaving care, and every contact after it.
        for k in &r.leaving_care_contacts {
            let p = r
                .cla_periods
                .iter()
                .find(|p| p.child_id == k.child_id)
                .unwrap();
            assert!(p.ended_on.is_some_and(|e| k.contact_on > e));
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_children_in_care() {
        let (a, b) = (council(), council());
        assert_eq!(a.record.cla_periods, b.record.cla_periods);
        assert_eq!(a.record.cla_episodes, b.record.cla_episodes);
        assert_eq!(a.record.cla_reviews, b.record.cla_reviews);
        assert_eq!(a.record.cla_health, b.record.cla_health);
        assert_eq!(a.record.cla_missing, b.record.cla_missing);
        assert_eq!(
            a.record.leaving_care_contacts,
            b.record.leaving_care_contacts
        );
        assert_eq!(
            a.record.leaving_care_statuses,
            b.record.leaving_care_statuses
        );
        let mut spec = a.spec.clone();
        spec.seed += 1;
        assert_ne!(generate(&spec).record.cla_periods, a.record.cla_periods);
    }

    #[test]
    fn reviews_follow_the_timescales_and_missing_episodes_do_not_overlap() {
        let c = council();
        let r = &c.record;
        let mut reviews: HashMap<Uuid, Vec<NaiveDate>> = HashMap::new();
        for x in &r.cla_reviews {
            reviews.entry(x.child_id).or_default().push(x.held_on);
        }
        for d in reviews.values() {
            for w in d.windows(2) {
                let gap = (w[1] - w[0]).num_days();
                assert!((40..=230).contains(&gap), "{gap}");
            }
        }
        let mut missing: HashMap<Uuid, Vec<&Missing>> = HashMap::new();
        for m in &r.cla_missing {
            missing.entry(m.child_id).or_default().push(m);
        }
        for ms in missing.values() {
            for w in ms.windows(2) {
                assert!(w[0].ended_on.unwrap() < w[1].started_on);
            }
        }
    }

    #[test]
    fn the_settings_move_the_rates() {
        let as_at = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let year_end = crate::rates::last_year_end(as_at);
        let base = crate::rates::rates(&generate(&Spec::demo(50_000, as_at)), year_end);
        let mut spec = Spec::demo(50_000, as_at);
        spec.cla_per_10k = 100.0;
        spec.cla_starts_per_10k = 40.0;
        spec.cla_sdq_completion = 0.5;
        let more = crate::rates::rates(&generate(&spec), year_end);
        println!(
            "in care {:.1} -> {:.1}; starts {:.1} -> {:.1}; SDQ {:.2} -> {:.2}",
            base.cla_31_march_per_10k,
            more.cla_31_march_per_10k,
            base.cla_starts_per_10k,
            more.cla_starts_per_10k,
            base.sdq_completion,
            more.sdq_completion
        );
        assert!((more.cla_31_march_per_10k - 100.0).abs() < 15.0);
        assert!((more.cla_starts_per_10k - 40.0).abs() < 8.0);
        assert!(more.sdq_completion < base.sdq_completion - 0.15);
    }

    #[test]
    fn the_long_stay_factor_gives_the_mean_stay_asked_for() {
        let f = long_stay_factor(900.0);
        let mut rng = Rng::new(1);
        let n = 40_000;
        let mean = (0..n)
            .map(|_| {
                let age = entry_age(&mut rng);
                route(&mut rng, age, f).1
            })
            .sum::<u64>() as f64
            / n as f64;
        assert!((mean - 900.0).abs() < 30.0, "{mean}");
        assert!(long_stay_factor(1200.0) > f);
    }
}
