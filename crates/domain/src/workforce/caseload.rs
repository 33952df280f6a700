//! Caseloads: the children each worker holds on a day (from the allocations open then), each
//! team's, and the average per case-holding worker as the census counts it (children held by
//! case-holding workers in post, per such worker); the weighted caseload by the council's
//! weights, co-working counted as the council decides, and the ASYE's protected caseload.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Serialize;
use uuid::Uuid;

use super::StaffMember;

/// One worker's caseload on a day.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkerCaseload {
    pub worker_id: Uuid,
    pub team_id: Option<Uuid>,
    /// Children allocated to the worker as their social worker.
    pub children: u32,
    /// Children the worker co-works (a second worker on the case).
    pub co_worked: u32,
    /// The weighted caseload, by the council's weights ([`weighted`]).
    pub weighted: f64,
    pub case_holding: bool,
    pub in_asye: bool,
}

/// A team's caseload on a day.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamCaseload {
    pub team_id: Option<Uuid>,
    /// Case-holding workers in post.
    pub case_holders: u32,
    /// Children allocated to them.
    pub children: u32,
    /// Children per case-holding worker (none without one).
    pub average: Option<f64>,
    /// Weighted caseload per case-holding worker.
    pub weighted_average: Option<f64>,
}

/// Each worker in post on `day` with the cases they hold then (as the store's `cases_held`
/// gives them), weighted by the council's standards.
pub fn worker_caseloads(
    staff: &[StaffMember],
    held: &[HeldCase],
    siblings: &[(Uuid, Uuid)],
    standards: &Standards,
    day: NaiveDate,
) -> Vec<WorkerCaseload> {
    let mut children: BTreeMap<Uuid, BTreeSet<Uuid>> = BTreeMap::new();
    let mut co: BTreeMap<Uuid, BTreeSet<Uuid>> = BTreeMap::new();
    for h in held {
        let into = if h.co_working { &mut co } else { &mut children };
        into.entry(h.worker_id).or_default().insert(h.child_id);
    }
    staff
        .iter()
        .filter(|s| s.in_post(day))
        .map(|s| WorkerCaseload {
            worker_id: s.worker.id,
            team_id: s.worker.team_id,
            children: children.get(&s.worker.id).map_or(0, |c| c.len() as u32),
            co_worked: co.get(&s.worker.id).map_or(0, |c| c.len() as u32),
            weighted: weighted(s.worker.id, held, siblings, standards),
            case_holding: s.case_holding(),
            in_asye: s.in_asye(day),
        })
        .collect()
}

fn average(children: u32, holders: u32) -> Option<f64> {
    (holders > 0).then(|| f64::from(children) / f64::from(holders))
}

fn per(total: f64, holders: u32) -> Option<f64> {
    (holders > 0).then(|| total / f64::from(holders))
}

/// Each team's caseload (in the order the workers' teams first appear), and the service's.
pub fn team_caseloads(loads: &[WorkerCaseload]) -> (Vec<TeamCaseload>, TeamCaseload) {
    let mut teams: Vec<TeamCaseload> = Vec::new();
    let mut all = TeamCaseload {
        team_id: None,
        case_holders: 0,
        children: 0,
        average: None,
        weighted_average: None,
    };
    let mut weights: BTreeMap<Option<Uuid>, f64> = BTreeMap::new();
    let mut all_weight = 0.0;
    for l in loads.iter().filter(|l| l.case_holding) {
        let t = match teams.iter_mut().position(|t| t.team_id == l.team_id) {
            Some(i) => &mut teams[i],
            None => {
                teams.push(TeamCaseload {
                    team_id: l.team_id,
                    case_holders: 0,
                    children: 0,
                    average: None,
                    weighted_average: None,
                });
                teams.last_mut().expect("just pushed")
            }
        };
        t.case_holders += 1;
        t.children += l.children;
        all.case_holders += 1;
        all.children += l.children;
        *weights.entry(l.team_id).or_default() += l.weighted;
        all_weight += l.weighted;
    }
    for t in &mut teams {
        t.average = average(t.children, t.case_holders);
        t.weighted_average = per(weights[&t.team_id], t.case_holders);
    }
    all.average = average(all.children, all.case_holders);
    all.weighted_average = per(all_weight, all.case_holders);
    (teams, all)
}

/// The council's workforce standards: the weights of its weighted caseload, the protected
/// caseload of a worker in their ASYE, and how often workers are supervised.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Standards {
    /// Added to a case's weight for a child on a child protection plan.
    pub cp_plan: f64,
    /// Added for a child in care proceedings (looked after on an interim care order).
    pub proceedings: f64,
    /// What each further child of a sibling group held by the same worker counts, instead of 1.
    pub sibling: f64,
    /// The share of a case's weight a co-worker (a second worker on it) carries: 0 leaves
    /// co-working out, 1 counts it as the allocated worker's.
    pub co_working: f64,
    /// The most children a worker in their ASYE holds (their protected caseload).
    pub asye_limit: u32,
    /// Days between supervision sessions at most.
    pub supervision_days: u32,
    /// Days between supervision sessions at most in the ASYE.
    pub asye_supervision_days: u32,
}

impl Default for Standards {
    fn default() -> Self {
        Standards {
            cp_plan: 0.5,
            proceedings: 0.5,
            sibling: 0.5,
            co_working: 0.5,
            asye_limit: 12,
            supervision_days: 30,
            asye_supervision_days: 14,
        }
    }
}

impl Standards {
    pub fn validate(&self) -> Vec<crate::validate::FieldError> {
        use crate::validate::FieldError;
        let mut e = Vec::new();
        for (field, v, max, what) in [
            ("cp_plan", self.cp_plan, 5.0, "a child protection plan"),
            ("proceedings", self.proceedings, 5.0, "care proceedings"),
            ("sibling", self.sibling, 1.0, "a further sibling"),
            ("co_working", self.co_working, 1.0, "co-working"),
        ] {
            if !(0.0..=max).contains(&v) {
                e.push(FieldError::new(
                    field,
                    format!("The weight for {what} must be from 0 to {max}"),
                ));
            }
        }
        if !(1..=60).contains(&self.asye_limit) {
            e.push(FieldError::new(
                "asye_limit",
                "The ASYE caseload limit must be from 1 to 60 children",
            ));
        }
        for (field, v) in [
            ("supervision_days", self.supervision_days),
            ("asye_supervision_days", self.asye_supervision_days),
        ] {
            if !(7..=92).contains(&v) {
                e.push(FieldError::new(
                    field,
                    "The days between supervision sessions must be from 7 to 92",
                ));
            }
        }
        if e.is_empty() && self.asye_supervision_days > self.supervision_days {
            e.push(FieldError::new(
                "asye_supervision_days",
                "Workers in their ASYE are supervised at least as often as others",
            ));
        }
        e
    }
}

/// A case held on a day, with what makes it complex.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeldCase {
    pub worker_id: Uuid,
    pub child_id: Uuid,
    /// A second worker on the case (not its allocated social worker).
    pub co_working: bool,
    pub cp_plan: bool,
    pub proceedings: bool,
}

/// A worker's weighted caseload: each case 1 (a further child of a sibling group they hold,
/// the sibling weight instead), plus the weights for a plan or proceedings; a co-worked case
/// carries the co-working share of that. `siblings` are pairs of children who are siblings.
pub fn weighted(worker: Uuid, held: &[HeldCase], siblings: &[(Uuid, Uuid)], s: &Standards) -> f64 {
    let mine: Vec<&HeldCase> = held.iter().filter(|h| h.worker_id == worker).collect();
    // Sibling groups among the worker's children: each child after the group's first (in the
    // order held) counts the sibling weight.
    let ids: BTreeSet<Uuid> = mine.iter().map(|h| h.child_id).collect();
    let mut group: BTreeMap<Uuid, Uuid> = ids.iter().map(|c| (*c, *c)).collect();
    fn root(g: &BTreeMap<Uuid, Uuid>, mut c: Uuid) -> Uuid {
        while g[&c] != c {
            c = g[&c];
        }
        c
    }
    for (a, b) in siblings {
        if ids.contains(a) && ids.contains(b) {
            let (ra, rb) = (root(&group, *a), root(&group, *b));
            if ra != rb {
                group.insert(ra.max(rb), ra.min(rb));
            }
        }
    }
    let mut seen_group: BTreeSet<Uuid> = BTreeSet::new();
    let mut seen_child: BTreeSet<Uuid> = BTreeSet::new();
    let mut total = 0.0;
    for h in mine {
        if !seen_child.insert(h.child_id) {
            continue;
        }
        let base = if seen_group.insert(root(&group, h.child_id)) {
            1.0
        } else {
            s.sibling
        };
        let mut w = base;
        if h.cp_plan {
            w += s.cp_plan;
        }
        if h.proceedings {
            w += s.proceedings;
        }
        if h.co_working {
            w *= s.co_working;
        }
        total += w;
    }
    total
}

/// A worker in their ASYE holding more children than the council's protected caseload.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OverLimit {
    pub worker_id: Uuid,
    pub team_id: Option<Uuid>,
    pub children: u32,
    pub limit: u32,
}

/// Workers in their ASYE over the protected caseload.
pub fn over_asye_limit(loads: &[WorkerCaseload], s: &Standards) -> Vec<OverLimit> {
    loads
        .iter()
        .filter(|l| l.in_asye && l.children > s.asye_limit)
        .map(|l| OverLimit {
            worker_id: l.worker_id,
            team_id: l.team_id,
            children: l.children,
            limit: s.asye_limit,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workforce::{OrgRole, Worker};

    fn member(team: u128, role: OrgRole, left: Option<NaiveDate>) -> StaffMember {
        StaffMember {
            worker: Worker {
                id: Uuid::now_v7(),
                name: "W".into(),
                team_id: Some(Uuid::from_u128(team)),
                role_title: "Social worker".into(),
                agency: false,
                started: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
                left,
            },
            org_role: role,
            fte: 1.0,
            swe_number: None,
            asye_started: None,
            asye_ended: None,
            leaving_reason: None,
            destination: None,
            moves: vec![],
            absences: vec![],
        }
    }

    #[test]
    fn averages_count_case_holders_in_post_and_each_child_once() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let a = member(1, OrgRole::CaseHolder, None);
        let b = member(1, OrgRole::CaseHolder, None);
        let m = member(1, OrgRole::FirstLineManager, None);
        let gone = member(2, OrgRole::CaseHolder, NaiveDate::from_ymd_opt(2026, 1, 1));
        let c = member(2, OrgRole::SeniorPractitioner, None);
        let kid = |n: u128| Uuid::from_u128(100 + n);
        let case = |w: Uuid, n: u128, co: bool| HeldCase {
            worker_id: w,
            child_id: kid(n),
            co_working: co,
            cp_plan: false,
            proceedings: false,
        };
        let mut held = Vec::new();
        for n in 0..10 {
            held.push(case(a.worker.id, n, false));
        }
        held.push(case(a.worker.id, 0, false));
        for n in 10..15 {
            held.push(case(b.worker.id, n, false));
        }
        held.push(case(b.worker.id, 0, true));
        held.push(case(m.worker.id, 20, false));
        held.push(case(c.worker.id, 21, false));
        let staff = vec![a.clone(), b, m, gone, c];
        let loads = worker_caseloads(&staff, &held, &[], &Standards::default(), day);
        assert_eq!(loads.len(), 4, "the leaver is not in post");
        assert_eq!(loads[0].children, 10, "a child counts once for a worker");
        assert_eq!((loads[1].children, loads[1].co_worked), (5, 1));
        assert_eq!(loads[1].weighted, 5.5, "the co-worked case at half");
        let (teams, all) = team_caseloads(&loads);
        assert_eq!(teams[0].case_holders, 2);
        assert_eq!(
            teams[0].average,
            Some(7.5),
            "the manager's case is not a case holder's"
        );
        assert_eq!(teams[1].average, Some(1.0));
        assert_eq!(all.children, 16);
        assert_eq!(all.average, Some(16.0 / 3.0));
        assert_eq!(teams[0].weighted_average, Some(7.75));
        assert_eq!(team_caseloads(&[]).1.average, None);
    }

    #[test]
    fn weighted_caseloads_follow_the_councils_weights() {
        let w = Uuid::from_u128(1);
        let c = |n: u128| Uuid::from_u128(100 + n);
        let case = |n, co, cp, pr| HeldCase {
            worker_id: w,
            child_id: c(n),
            co_working: co,
            cp_plan: cp,
            proceedings: pr,
        };
        let s = Standards::default();
        // Three siblings (one on a plan), one in proceedings, one co-worked on a plan.
        let held = vec![
            case(1, false, true, false),
            case(2, false, false, false),
            case(3, false, false, false),
            case(4, false, false, true),
            case(5, true, true, false),
        ];
        let siblings = vec![(c(1), c(2)), (c(3), c(2))];
        // 1.5 + 0.5 + 0.5 + 1.5 + (1.5 x 0.5)
        assert_eq!(weighted(w, &held, &siblings, &s), 4.75);
        let none = Standards {
            co_working: 0.0,
            sibling: 1.0,
            cp_plan: 0.0,
            proceedings: 0.0,
            ..s
        };
        assert_eq!(weighted(w, &held, &siblings, &none), 4.0);
        assert_eq!(weighted(Uuid::nil(), &held, &siblings, &s), 0.0);
    }

    #[test]
    fn the_protected_caseload_and_the_standards_are_checked() {
        let s = Standards::default();
        assert!(s.validate().is_empty());
        let bad = Standards {
            sibling: 1.5,
            asye_limit: 0,
            asye_supervision_days: 40,
            ..s
        };
        let f: Vec<String> = bad.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(f, ["sibling", "asye_limit"]);
        let slower = Standards {
            asye_supervision_days: 40,
            ..s
        };
        assert_eq!(slower.validate()[0].field, "asye_supervision_days");
        let load = |n, asye| WorkerCaseload {
            worker_id: Uuid::now_v7(),
            team_id: None,
            children: n,
            co_worked: 0,
            weighted: f64::from(n),
            case_holding: true,
            in_asye: asye,
        };
        let loads = [load(13, true), load(12, true), load(20, false)];
        let over = over_asye_limit(&loads, &s);
        assert_eq!(over.len(), 1);
        assert_eq!((over[0].children, over[0].limit), (13, 12));
    }
}
