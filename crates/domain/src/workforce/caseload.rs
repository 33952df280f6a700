//! Caseloads: the children each worker holds on a day (from the allocations open then), each
//! team's, and the average per case-holding worker as the census counts it (children held by
//! case-holding workers in post, per such worker).

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
    /// Children allocated to the worker.
    pub children: u32,
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
}

/// Each worker in post on `day` with the children allocated to them then (`held`: worker,
/// child, as the store's `cases_held` gives them).
pub fn worker_caseloads(
    staff: &[StaffMember],
    held: &[(Uuid, Uuid, String)],
    day: NaiveDate,
) -> Vec<WorkerCaseload> {
    let mut children: BTreeMap<Uuid, BTreeSet<Uuid>> = BTreeMap::new();
    for (w, c, _) in held {
        children.entry(*w).or_default().insert(*c);
    }
    staff
        .iter()
        .filter(|s| s.in_post(day))
        .map(|s| WorkerCaseload {
            worker_id: s.worker.id,
            team_id: s.worker.team_id,
            children: children.get(&s.worker.id).map_or(0, |c| c.len() as u32),
            case_holding: s.case_holding(),
            in_asye: s.in_asye(day),
        })
        .collect()
}

fn average(children: u32, holders: u32) -> Option<f64> {
    (holders > 0).then(|| f64::from(children) / f64::from(holders))
}

/// Each team's caseload (in the order the workers' teams first appear), and the service's.
pub fn team_caseloads(loads: &[WorkerCaseload]) -> (Vec<TeamCaseload>, TeamCaseload) {
    let mut teams: Vec<TeamCaseload> = Vec::new();
    let mut all = TeamCaseload {
        team_id: None,
        case_holders: 0,
        children: 0,
        average: None,
    };
    for l in loads.iter().filter(|l| l.case_holding) {
        let t = match teams.iter_mut().position(|t| t.team_id == l.team_id) {
            Some(i) => &mut teams[i],
            None => {
                teams.push(TeamCaseload {
                    team_id: l.team_id,
                    case_holders: 0,
                    children: 0,
                    average: None,
                });
                teams.last_mut().expect("just pushed")
            }
        };
        t.case_holders += 1;
        t.children += l.children;
        all.case_holders += 1;
        all.children += l.children;
    }
    for t in &mut teams {
        t.average = average(t.children, t.case_holders);
    }
    all.average = average(all.children, all.case_holders);
    (teams, all)
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
        let mut held = Vec::new();
        for n in 0..10 {
            held.push((a.worker.id, kid(n), "social_worker".to_string()));
        }
        held.push((a.worker.id, kid(0), "co_worker".to_string()));
        for n in 10..15 {
            held.push((b.worker.id, kid(n), "social_worker".to_string()));
        }
        held.push((m.worker.id, kid(20), "social_worker".to_string()));
        held.push((c.worker.id, kid(21), "social_worker".to_string()));
        let staff = vec![a.clone(), b, m, gone, c];
        let loads = worker_caseloads(&staff, &held, day);
        assert_eq!(loads.len(), 4, "the leaver is not in post");
        assert_eq!(loads[0].children, 10, "a child counts once for a worker");
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
        assert_eq!(team_caseloads(&[]).1.average, None);
    }
}
