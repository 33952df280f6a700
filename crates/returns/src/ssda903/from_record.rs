//! The SSDA903 return written from the stored record ([`domain::extract::LookedAfterExport`], the
//! store's `looked_after_export` read): every child looked after at some time in the collection
//! year (1 April to 31 March) with the episodes of their periods of care as they stood at 31
//! March, their reviews and missing episodes in the year, their UASC status, the OC2 cohort's
//! health (looked after continuously for 12 months at 31 March, where the year's health is
//! recorded), the year's care leavers (OC3) and their social worker episodes.
//!
//! Previous permanence (PrevPerm) is the one recorded when the child's period of care starting in
//! the year began; the decisions to place for adoption (PlacedAdoption) are every decision made by
//! 31 March for a child in the return, each with its reversal where that was by 31 March; the
//! adoption details (AD1) are those of the decision and match behind an adoption in the year. The
//! OC2 items on convictions and substance misuse come from what is recorded in the year: the
//! record is where they are kept, so a year with none recorded is 0 (CONVICTED only for children
//! 10 or over at 31 March).
//!
//! Only what the record holds is written. Cells the record does not hold are blank rather than
//! guessed, except where DfE's return has a value for "not held" (a URN of `XXXXXXX`, a UPN of
//! `UN1`/`UN2`, a DATE_PERM of `zz/zz/zzzz`).

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Days, Months, NaiveDate};
use domain::extract::{ExportChild, ExportWorker, LookedAfterExport};
use domain::looked_after::{Episode, Period};
use domain::person::Allocation;
use uuid::Uuid;

use super::{Return, Rows, Table};

/// The tables Hearth cannot write from the record, with why: they are left out of the return.
/// (None now: previous permanence is recorded on entering care, the adoption decision and match
/// on the adoption form.)
pub const NOT_FROM_RECORD: &[(Table, &str)] = &[];

/// What an export wrote, beside the return itself.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExportSummary {
    /// Children in the Header (looked after in the year, or care leavers in it).
    pub children: usize,
    /// Children left out because the record has no date of birth for them.
    pub without_date_of_birth: usize,
}

fn flag(b: bool) -> String {
    if b { "1" } else { "0" }.to_string()
}

fn d(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

fn years(dob: NaiveDate, n: u32) -> NaiveDate {
    dob.checked_add_months(Months::new(12 * n))
        .unwrap_or(NaiveDate::MAX)
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

/// The council's child id for the return: its own id where the record holds one, otherwise the
/// first ten characters of Hearth's id (as the CIN census does).
pub fn child_id(c: &ExportChild) -> String {
    c.council_child_id
        .clone()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| c.id.simple().to_string()[..10].to_string())
}

/// A Social Work England style id for a worker: `SW` and ten digits from Hearth's worker id. The
/// record holds no registration number, so SW_ID is Hearth's reference for the worker in that
/// form (the same worker always has the same one).
pub fn worker_reference(worker: Uuid) -> String {
    format!("SW{:010}", worker.as_u128() % 10_000_000_000)
}

/// Is this worker a social worker (rather than, say, a personal adviser or a manager)?
fn is_social_worker(w: &ExportWorker) -> bool {
    w.role_title.to_lowercase().contains("social worker")
}

/// The return for the collection year of the export (`x.year`), written from the record.
pub fn from_record(x: &LookedAfterExport) -> (Return, ExportSummary) {
    let year = x.year;
    let start = NaiveDate::from_ymd_opt(year - 1, 4, 1).expect("valid year");
    let end = NaiveDate::from_ymd_opt(year, 3, 31).expect("valid year");
    let mut out = Out {
        tables: Table::ALL
            .iter()
            .filter(|t| !NOT_FROM_RECORD.iter().any(|(n, _)| n == *t))
            .map(|t| (*t, Vec::new()))
            .collect(),
    };
    let mut summary = ExportSummary::default();
    let children: HashMap<Uuid, &ExportChild> = x.children.iter().map(|c| (c.id, c)).collect();
    let mut periods: BTreeMap<Uuid, Vec<&Period>> = BTreeMap::new();
    for p in &x.periods {
        if p.started_on <= end && p.ended_on.is_none_or(|e| e >= start) {
            periods.entry(p.child_id).or_default().push(p);
        }
    }
    let mut episodes: HashMap<Uuid, Vec<&Episode>> = HashMap::new();
    for e in &x.episodes {
        episodes.entry(e.period_id).or_default().push(e);
    }
    for v in episodes.values_mut() {
        v.sort_by_key(|e| e.started_on);
    }
    let workers: HashMap<Uuid, &ExportWorker> = x.workers.iter().map(|w| (w.id, w)).collect();
    let mut sw_allocations: HashMap<Uuid, Vec<&Allocation>> = HashMap::new();
    for a in &x.allocations {
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
    let mut decisions: HashMap<Uuid, Vec<&domain::looked_after::adoption::AdoptionDecision>> =
        HashMap::new();
    for a in &x.adoption {
        decisions.entry(a.child_id).or_default().push(a);
    }
    let mut oc2_events: HashMap<Uuid, Vec<domain::looked_after::health::Oc2Event>> = HashMap::new();
    for ev in &x.oc2_events {
        oc2_events.entry(ev.child_id).or_default().push(ev.clone());
    }
    let previous: HashMap<Uuid, &domain::looked_after::PreviousPermanence> = x
        .previous_permanence
        .iter()
        .map(|p| (p.period_id, p))
        .collect();
    let health: HashMap<Uuid, &domain::looked_after::HealthYear> = x
        .health
        .iter()
        .filter(|h| h.year == year)
        .map(|h| (h.child_id, h))
        .collect();

    let header = |out: &mut Out, c: &ExportChild, dob: NaiveDate, looked_after: bool| {
        // M/F/U from 2024/25; a record made before holds the older 1 (male) and 2 (female).
        let sex = match c.sex.as_str() {
            "M" | "1" => "M",
            "F" | "2" => "F",
            _ => "U",
        }
        .to_string();
        let upn = match c.upn.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            Some(u) => u.to_string(),
            None if years(dob, 4) > end => "UN1".to_string(),
            None => "UN2".to_string(),
        };
        // A looked-after girl is a mother where the record holds her as the parent of a child
        // born by 31 March; MC_DOB is her first child's date of birth.
        let first_child = c.own_children_born.iter().copied().find(|b| *b <= end);
        let (mother, mc_dob) = if sex == "F" && looked_after {
            match first_child {
                Some(b) => ("1".to_string(), d(b)),
                None => ("0".to_string(), String::new()),
            }
        } else {
            (String::new(), String::new())
        };
        out.push(
            Table::Header,
            &[
                ("CHILD", child_id(c)),
                ("SEX", sex.clone()),
                ("DOB", d(dob)),
                ("ETHNIC", c.ethnicity.clone()),
                ("UPN", upn),
                ("MOTHER", mother),
                ("MC_DOB", mc_dob),
            ],
        );
        if c.uasc {
            // UASC status ends as recorded, or at 18: the date it ceased, where that is by 31 March.
            let eighteen = c
                .uasc_ceased_on
                .unwrap_or(years(dob, 18))
                .min(years(dob, 18));
            out.push(
                Table::Uasc,
                &[
                    ("CHILD", child_id(c)),
                    ("SEX", sex),
                    ("DOB", d(dob)),
                    (
                        "DUC",
                        if eighteen <= end {
                            d(eighteen)
                        } else {
                            String::new()
                        },
                    ),
                ],
            );
        }
    };

    let mut in_return: HashSet<Uuid> = HashSet::new();
    for c in &x.children {
        let Some(child_periods) = periods.get(&c.id) else {
            continue;
        };
        let Some(dob) = c.date_of_birth else {
            summary.without_date_of_birth += 1;
            continue;
        };
        in_return.insert(c.id);
        let id = child_id(c);
        header(&mut out, c, dob, true);
        let home_post = c.home_postcode.clone().unwrap_or_default();
        for p in child_periods {
            let period_end = p.ended_on.filter(|x| *x <= end);
            for e in episodes.get(&p.id).into_iter().flatten() {
                if e.started_on > end || e.ended_on.is_some_and(|x| x < start) {
                    continue;
                }
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
                        ("PL_POST", e.placement_postcode.clone().unwrap_or_default()),
                        (
                            "URN",
                            if temporary || e.placement == "P1" {
                                String::new()
                            } else {
                                // XXXXXXX: DfE's value for a placement without an Ofsted URN.
                                e.urn.clone().unwrap_or_else(|| "XXXXXXX".into())
                            },
                        ),
                    ],
                );
            }
            for r in x.reviews.iter().filter(|r| r.child_id == c.id) {
                if r.held_on < start.max(p.started_on)
                    || r.held_on > end
                    || period_end.is_some_and(|x| r.held_on > x)
                {
                    continue;
                }
                out.push(
                    Table::Reviews,
                    &[
                        ("CHILD", id.clone()),
                        ("DOB", d(dob)),
                        ("REVIEW", d(r.held_on)),
                        ("REVIEW_CODE", r.participation.clone()),
                    ],
                );
            }
        }
        for m in x
            .missing
            .iter()
            .filter(|m| m.child_id == c.id && m.started_on >= start && m.started_on <= end)
        {
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
        // OC2: looked after continuously for 12 months at 31 March (as the rules read it: in care
        // from 1 April or before, to 31 March or after), with the year's health.
        let cohort = child_periods
            .iter()
            .any(|p| p.started_on <= start && p.ended_on.is_none_or(|x| x >= end));
        if let (true, Some(h)) = (cohort, health.get(&c.id)) {
            let age = domain::looked_after::reviews::age_on(dob, end);
            let items = domain::looked_after::health::oc2_items(
                oc2_events.get(&c.id).map(Vec::as_slice).unwrap_or(&[]),
                start,
                end,
                age,
            );
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
                    ("CONVICTED", items.convicted.map(flag).unwrap_or_default()),
                    ("SUBSTANCE_MISUSE", flag(items.substance_misuse)),
                    (
                        "INTERVENTION_RECEIVED",
                        items.intervention_received.map(flag).unwrap_or_default(),
                    ),
                    (
                        "INTERVENTION_OFFERED",
                        items.intervention_offered.map(flag).unwrap_or_default(),
                    ),
                ],
            );
        }
        // PrevPerm: for the period of care that started in the year, as recorded then.
        if let Some(pp) = child_periods
            .iter()
            .filter(|p| p.started_on >= start && p.started_on <= end)
            .filter_map(|p| previous.get(&p.id))
            .next_back()
        {
            out.push(Table::PrevPerm, &previous_permanence_row(&id, dob, pp));
        }
        let child_decisions: Vec<_> = decisions.get(&c.id).cloned().unwrap_or_default();
        let adopted_in_year = child_periods.iter().any(|p| {
            episodes.get(&p.id).into_iter().flatten().any(|e| {
                e.ended_on.is_some_and(|x| x >= start && x <= end)
                    && e.reason_ceased
                        .as_deref()
                        .is_some_and(|r| r == "E11" || r == "E12")
            })
        });
        let (placed, ad1) = adoption_rows(&id, dob, &child_decisions, adopted_in_year, end);
        for row in &placed {
            out.push(Table::PlacedAdoption, row);
        }
        if let Some(row) = ad1 {
            out.push(Table::Ad1, &row);
        }
        let worker = |w: Uuid| {
            workers.get(&w).map(|w| SwWorker {
                left: w.left,
                team_id: w.team_id,
            })
        };
        for sw in
            social_worker_episodes(&sw_allocations, worker, worker_reference, c.id, start, end)
        {
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
    for l in x.care_leavers.iter().filter(|l| l.year == year) {
        let Some(c) = children.get(&l.child_id) else {
            continue;
        };
        let Some(dob) = c.date_of_birth else {
            if !in_return.contains(&c.id) && !periods.contains_key(&c.id) {
                summary.without_date_of_birth += 1;
            }
            continue;
        };
        if in_return.insert(c.id) {
            header(&mut out, c, dob, false);
        }
        out.push(
            Table::Oc3,
            &[
                ("CHILD", child_id(c)),
                ("DOB", d(dob)),
                ("IN_TOUCH", l.in_touch.clone()),
                ("ACTIV", l.activity.clone().unwrap_or_default()),
                ("ACCOM", l.accommodation.clone().unwrap_or_default()),
            ],
        );
    }
    summary.children = in_return.len();
    (
        Return {
            tables: out
                .tables
                .into_iter()
                .map(|(t, rows)| (t, Rows { rows }))
                .collect(),
            uasc_flags: None,
        },
        summary,
    )
}

/// A row's values by column.
pub type RowValues = Vec<(&'static str, String)>;

/// The PrevPerm row for previous permanence as recorded (LA_PERM and DATE_PERM blank with Z1;
/// a date not known is DfE's `zz/zz/zzzz`).
pub fn previous_permanence_row(
    child: &str,
    dob: NaiveDate,
    pp: &domain::looked_after::PreviousPermanence,
) -> RowValues {
    let (la, on) = if pp.code == "Z1" {
        (String::new(), String::new())
    } else {
        (
            pp.la.clone().unwrap_or_default(),
            pp.on.map(d).unwrap_or_else(|| "zz/zz/zzzz".into()),
        )
    };
    vec![
        ("CHILD", child.to_string()),
        ("DOB", d(dob)),
        ("PREV_PERM", pp.code.clone()),
        ("LA_PERM", la),
        ("DATE_PERM", on),
    ]
}

/// A child's PlacedAdoption rows (every decision made by 31 March `end`, with its reversal if by
/// then) and, for a child adopted in the year, the AD1 row of the decision and match behind the
/// adoption. `decisions` oldest first.
pub fn adoption_rows(
    child: &str,
    dob: NaiveDate,
    decisions: &[&domain::looked_after::adoption::AdoptionDecision],
    adopted_in_year: bool,
    end: NaiveDate,
) -> (Vec<RowValues>, Option<RowValues>) {
    let made: Vec<_> = decisions.iter().filter(|a| a.decided_on <= end).collect();
    let placed = made
        .iter()
        .map(|a| {
            let ceased = a.ceased_on.filter(|x| *x <= end);
            vec![
                ("CHILD", child.to_string()),
                ("DOB", d(dob)),
                ("DATE_PLACED", d(a.decided_on)),
                ("DATE_PLACED_CEASED", ceased.map(d).unwrap_or_default()),
                (
                    "REASON_PLACED_CEASED",
                    ceased.and(a.reason_ceased.clone()).unwrap_or_default(),
                ),
            ]
        })
        .collect();
    let ad1 = adopted_in_year
        .then(|| {
            made.iter()
                .rev()
                .find_map(|a| a.matched.as_ref().map(|m| (a, m)))
        })
        .flatten()
        .map(|(a, m)| {
            vec![
                ("CHILD", child.to_string()),
                ("DOB", d(dob)),
                ("DATE_INT", d(a.decided_on)),
                ("DATE_MATCH", d(m.matched_on)),
                ("FOSTER_CARE", flag(m.foster_carers)),
                ("NB_ADOPTR", m.adopters.to_string()),
                ("SEX_ADOPTR", m.adopters_sex.clone()),
                ("LS_ADOPTR", m.adopters_legal_status.clone()),
            ]
        });
    (placed, ad1)
}

/// One social worker episode of the return.
pub struct SwEpisode {
    pub id: String,
    pub from: NaiveDate,
    /// The last day, if by 31 March.
    pub to: Option<NaiveDate>,
    pub reason: &'static str,
}

/// What a social worker episode needs to know of a worker: when they left, and their team.
#[derive(Debug, Clone, Copy)]
pub struct SwWorker {
    pub left: Option<NaiveDate>,
    pub team_id: Option<Uuid>,
}

/// A child's social worker episodes in the year `start`..=`end`: one for each of their
/// allocations to a social worker overlapping it, with the reason for the change of worker read
/// from the record: a first allocation (or one after a gap of more than 7 days) is a first
/// contact; one following a worker who left then, the worker leaving; one from another team, a
/// transfer by the standard process; otherwise, managing caseloads.
/// `worker` looks a worker up; `id` gives the worker's SW_ID.
pub fn social_worker_episodes(
    by_child: &HashMap<Uuid, Vec<&Allocation>>,
    worker: impl Fn(Uuid) -> Option<SwWorker>,
    id: impl Fn(Uuid) -> String,
    child: Uuid,
    start: NaiveDate,
    end: NaiveDate,
) -> Vec<SwEpisode> {
    let Some(all) = by_child.get(&child) else {
        return Vec::new();
    };
    let mut eps = Vec::new();
    for (k, a) in all.iter().enumerate() {
        if a.from > end || a.to.is_some_and(|t| t < start) {
            continue;
        }
        let prev = k
            .checked_sub(1)
            .map(|j| all[j])
            .filter(|p| p.to.is_some_and(|t| a.from <= t + Days::new(7)));
        let reason = match prev {
            None => "FCONTA",
            Some(p) => {
                let (was, now) = (worker(p.worker_id), worker(a.worker_id));
                if was.and_then(|w| w.left).is_some_and(|l| Some(l) == p.to) {
                    "LEFTRL"
                } else if was.map(|w| w.team_id) != now.map(|w| w.team_id) {
                    "TSPROC"
                } else {
                    "MANAGE"
                }
            }
        };
        eps.push(SwEpisode {
            id: id(a.worker_id),
            from: a.from,
            to: a.to.filter(|t| *t <= end),
            reason,
        });
    }
    eps
}
