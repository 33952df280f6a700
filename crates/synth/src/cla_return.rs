//! The council's SSDA903 return from its record: every child looked after at some time in the
//! collection year (1 April to 31 March), with the episodes of their period of care open in the
//! year as they stood at 31 March, their reviews, missing episodes, previous permanence for
//! those starting care, adoption for those placed or adopted, the OC2 cohort (looked after for
//! 12 months at 31 March: health and SDQ from the record), the OC3 care leavers, and their
//! social worker episodes (the record's allocations to social workers in the year). Written for
//! Hearth's own validator and the metrics crate, like the CIN census in [`crate::census`].

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Months, NaiveDate};
use domain::looked_after::Episode;
use domain::person::Allocation;
use domain::workforce::Worker;
use returns::ssda903::from_record::{
    SwWorker, adoption_rows, previous_permanence_row, social_worker_episodes,
};
use returns::ssda903::{Return, Rows, Table};
use uuid::Uuid;

use crate::Council;

fn d(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

fn years(dob: NaiveDate, n: u32) -> NaiveDate {
    dob.checked_add_months(Months::new(12 * n))
        .expect("in range")
}

struct Out {
    tables: BTreeMap<Table, Vec<Vec<String>>>,
}

impl Out {
    fn push(&mut self, t: Table, values: &[(&str, String)]) {
        let row = t
            .columns()
            .iter()
            .map(|c| {
                values
                    .iter()
                    .find(|(k, _)| k == c)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            })
            .collect();
        self.tables.entry(t).or_default().push(row);
    }
}

/// The return for the collection year ending 31 March `year`.
pub fn ssda903(c: &Council, year: i32) -> Return {
    let r = &c.record;
    let start = NaiveDate::from_ymd_opt(year - 1, 4, 1).expect("valid year");
    let end = NaiveDate::from_ymd_opt(year, 3, 31).expect("valid year");
    let mut out = Out {
        tables: Table::ALL.iter().map(|t| (*t, Vec::new())).collect(),
    };
    let people: HashMap<Uuid, &domain::person::Person> =
        r.people.iter().map(|p| (p.id, p)).collect();
    let home: HashMap<Uuid, &str> = r
        .addresses
        .iter()
        .filter(|a| a.to.is_none())
        .map(|a| (a.person_id, a.postcode.as_str()))
        .collect();
    let mut episodes: HashMap<Uuid, Vec<&Episode>> = HashMap::new();
    for e in &r.cla_episodes {
        episodes.entry(e.period_id).or_default().push(e);
    }
    let mut reviews: HashMap<Uuid, Vec<NaiveDate>> = HashMap::new();
    for x in r
        .cla_reviews
        .iter()
        .filter(|x| x.held_on >= start && x.held_on <= end)
    {
        reviews.entry(x.child_id).or_default().push(x.held_on);
    }
    let mut missing: HashMap<Uuid, Vec<&domain::looked_after::Missing>> = HashMap::new();
    for m in r
        .cla_missing
        .iter()
        .filter(|m| m.started_on >= start && m.started_on <= end)
    {
        missing.entry(m.child_id).or_default().push(m);
    }
    let workers: HashMap<Uuid, &Worker> = r.workers.iter().map(|w| (w.id, w)).collect();
    let mut sw_allocations: HashMap<Uuid, Vec<&Allocation>> = HashMap::new();
    for a in &r.allocations {
        if workers
            .get(&a.worker_id)
            .is_some_and(|w| is_social_worker(w))
        {
            sw_allocations.entry(a.child_id).or_default().push(a);
        }
    }
    for v in sw_allocations.values_mut() {
        v.sort_by_key(|a| (a.from, a.id));
    }
    let health: HashMap<Uuid, &domain::looked_after::HealthYear> = r
        .cla_health
        .iter()
        .filter(|h| h.year == year)
        .map(|h| (h.child_id, h))
        .collect();

    let header = |out: &mut Out, p: &domain::person::Person, looked_after: bool| {
        let dob = p
            .details
            .date_of_birth
            .expect("a child with a date of birth");
        let sex = match p.details.sex.as_str() {
            "M" | "F" => p.details.sex.clone(),
            _ => "U".to_string(),
        };
        let upn = match &p.details.identifiers.upn {
            Some(u) => u.clone(),
            None if years(dob, 4) > end => "UN1".to_string(),
            None => "UN2".to_string(),
        };
        out.push(
            Table::Header,
            &[
                ("CHILD", child_id(p)),
                ("SEX", sex.clone()),
                ("DOB", d(dob)),
                ("ETHNIC", p.details.ethnicity.clone()),
                ("UPN", upn),
                (
                    "MOTHER",
                    if sex == "F" && looked_after {
                        "0".into()
                    } else {
                        String::new()
                    },
                ),
            ],
        );
    };

    let previous: HashMap<Uuid, &domain::looked_after::PreviousPermanence> = r
        .cla_previous_permanence
        .iter()
        .map(|x| (x.period_id, x))
        .collect();
    let mut adoption: HashMap<Uuid, Vec<&domain::looked_after::adoption::AdoptionDecision>> =
        HashMap::new();
    for a in &r.cla_adoption {
        adoption.entry(a.child_id).or_default().push(a);
    }
    // Children looked after in the year, in the record's order of periods.
    for p in &r.cla_periods {
        if p.started_on > end || p.ended_on.is_some_and(|e| e < start) {
            continue;
        }
        let Some(person) = people.get(&p.child_id) else {
            continue;
        };
        let Some(dob) = person.details.date_of_birth else {
            continue;
        };
        let id = child_id(person);
        header(&mut out, person, true);
        let home_post = home.get(&p.child_id).copied().unwrap_or("").to_string();
        let eps: Vec<&Episode> = episodes
            .get(&p.id)
            .map(|v| {
                v.iter()
                    .copied()
                    .filter(|e| e.started_on <= end && e.ended_on.is_none_or(|x| x >= start))
                    .collect()
            })
            .unwrap_or_default();
        for e in &eps {
            // As at 31 March: what ends later is open.
            let ended = e.ended_on.filter(|x| *x <= end);
            let temporary = e.placement.starts_with('T');
            out.push(
                Table::Episodes,
                &[
                    ("CHILD", id.clone()),
                    ("DECOM", d(e.started_on)),
                    ("RNE", e.reason_new.clone()),
                    ("LS", e.legal_status.clone()),
                    ("CIN", p.category_of_need.clone()),
                    ("PLACE", e.placement.clone()),
                    ("PLACE_PROVIDER", e.provider.clone().unwrap_or_default()),
                    ("DEC", ended.map(d).unwrap_or_default()),
                    (
                        "REC",
                        ended.and(e.reason_ceased.clone()).unwrap_or_default(),
                    ),
                    (
                        "REASON_PLACE_CHANGE",
                        ended.and(e.reason_place_change.clone()).unwrap_or_default(),
                    ),
                    ("HOME_POST", home_post.clone()),
                    (
                        "PL_POST",
                        e.placement_postcode
                            .clone()
                            .unwrap_or_else(|| home_post.clone()),
                    ),
                    (
                        "URN",
                        if temporary || e.placement == "P1" {
                            String::new()
                        } else {
                            e.urn.clone().unwrap_or_else(|| "XXXXXXX".into())
                        },
                    ),
                ],
            );
        }
        let period_end = p.ended_on.filter(|x| *x <= end);
        // Previous permanence for a child starting care in the year, and adoption, as the
        // record holds them (written as the export from the record writes them).
        if p.started_on >= start
            && let Some(pp) = previous.get(&p.id)
        {
            out.push(Table::PrevPerm, &previous_permanence_row(&id, dob, pp));
        }
        let all = episodes.get(&p.id).cloned().unwrap_or_default();
        let decisions: Vec<_> = adoption
            .get(&p.child_id)
            .into_iter()
            .flatten()
            .copied()
            .filter(|a| a.decided_on >= p.started_on)
            .collect();
        let adopted = all.iter().any(|e| {
            matches!(e.reason_ceased.as_deref(), Some("E11" | "E12"))
                && e.ended_on.is_some_and(|x| x >= start && x <= end)
        });
        let (placed, ad1) = adoption_rows(&id, dob, &decisions, adopted, end);
        for row in &placed {
            out.push(Table::PlacedAdoption, row);
        }
        if let Some(row) = ad1 {
            out.push(Table::Ad1, &row);
        }
        for held in reviews.get(&p.child_id).into_iter().flatten() {
            if *held < p.started_on || period_end.is_some_and(|x| *held > x) {
                continue;
            }
            let code = r
                .cla_reviews
                .iter()
                .find(|x| x.child_id == p.child_id && x.held_on == *held)
                .map(|x| x.participation.clone())
                .unwrap_or_default();
            out.push(
                Table::Reviews,
                &[
                    ("CHILD", id.clone()),
                    ("DOB", d(dob)),
                    ("REVIEW", d(*held)),
                    ("REVIEW_CODE", code),
                ],
            );
        }
        for m in missing.get(&p.child_id).into_iter().flatten() {
            out.push(
                Table::Missing,
                &[
                    ("CHILD", id.clone()),
                    ("DOB", d(dob)),
                    ("MISSING", m.kind.clone()),
                    ("MIS_START", d(m.started_on)),
                    (
                        "MIS_END",
                        m.ended_on.filter(|x| *x <= end).map(d).unwrap_or_default(),
                    ),
                ],
            );
        }
        if let Some(h) = health.get(&p.child_id) {
            let flag = |b: bool| if b { "1" } else { "0" }.to_string();
            out.push(
                Table::Oc2,
                &[
                    ("CHILD", id.clone()),
                    ("DOB", d(dob)),
                    (
                        "SDQ_SCORE",
                        h.sdq_score.map(|s| s.to_string()).unwrap_or_default(),
                    ),
                    ("SDQ_REASON", h.sdq_reason.clone().unwrap_or_default()),
                    (
                        "CONVICTED",
                        if years(dob, 10) <= end {
                            "0".into()
                        } else {
                            String::new()
                        },
                    ),
                    (
                        "HEALTH_CHECK",
                        if years(dob, 5) > end {
                            flag(h.health_assessment.is_some())
                        } else {
                            String::new()
                        },
                    ),
                    ("IMMUNISATIONS", flag(h.immunisations_up_to_date)),
                    ("TEETH_CHECK", flag(h.dental_check.is_some())),
                    ("HEALTH_ASSESSMENT", flag(h.health_assessment.is_some())),
                    ("SUBSTANCE_MISUSE", "0".into()),
                ],
            );
        }
        // Social worker episodes: the child's allocations to social workers in the year (in
        // care or not), from the record.
        let worker = |w: Uuid| {
            workers.get(&w).map(|w| SwWorker {
                left: w.left,
                team_id: w.team_id,
            })
        };
        for sw in social_worker_episodes(
            &sw_allocations,
            worker,
            registration_number,
            p.child_id,
            start,
            end,
        ) {
            out.push(
                Table::SwEpisodes,
                &[
                    ("CHILD", id.clone()),
                    ("DOB", d(dob)),
                    ("SW_ID", sw.id),
                    ("SW_DECOM", d(sw.from)),
                    ("SW_DEC", sw.to.map(d).unwrap_or_default()),
                    ("SW_REASON", sw.reason.into()),
                ],
            );
        }
    }
    // Care leavers in the year of their 17th to 21st birthdays.
    let in_return: std::collections::HashSet<Uuid> = r
        .cla_periods
        .iter()
        .filter(|p| p.started_on <= end && p.ended_on.is_none_or(|e| e >= start))
        .map(|p| p.child_id)
        .collect();
    for l in r
        .care_leaver_years(c.spec.as_at)
        .iter()
        .filter(|l| l.year == year)
    {
        let Some(person) = people.get(&l.child_id) else {
            continue;
        };
        let Some(dob) = person.details.date_of_birth else {
            continue;
        };
        if !in_return.contains(&l.child_id) {
            header(&mut out, person, false);
        }
        out.push(
            Table::Oc3,
            &[
                ("CHILD", child_id(person)),
                ("DOB", d(dob)),
                ("IN_TOUCH", l.in_touch.clone()),
                ("ACTIV", l.activity.clone().unwrap_or_default()),
                ("ACCOM", l.accommodation.clone().unwrap_or_default()),
            ],
        );
    }
    debug_assert_eq!(end.year(), year);
    Return {
        tables: out
            .tables
            .into_iter()
            .map(|(t, rows)| (t, Rows { rows }))
            .collect(),
        uasc_flags: None,
    }
}

/// The council's child id (the CIN census uses the same).
fn child_id(p: &domain::person::Person) -> String {
    p.details
        .identifiers
        .council_child_id
        .clone()
        .unwrap_or_else(|| p.id.simple().to_string()[..10].to_string())
}

/// A synthetic Social Work England registration number for a worker: `SW` and ten digits from
/// the worker's id (the record holds no registration number; the workforce census's form is two
/// letters and ten digits). The same worker always has the same number.
pub use returns::ssda903::from_record::worker_reference as registration_number;

/// Is this worker a social worker (rather than, say, a personal adviser or a manager)?
fn is_social_worker(w: &Worker) -> bool {
    w.role_title.to_lowercase().contains("social worker")
}
