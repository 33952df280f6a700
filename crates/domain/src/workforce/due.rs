//! The workforce's work due, for a manager's list: each worker's next supervision (due, or
//! overdue, by the council's frequency standard) and each worker in their ASYE holding more than
//! the protected caseload.

use std::collections::HashMap;

use chrono::NaiveDate;
use uuid::Uuid;

use super::StaffMember;
use super::caseload::{Standards, WorkerCaseload, over_asye_limit};
use super::supervision::{next_due, supervised};
use crate::timescales::Rag;
use crate::work::{DueItem, WorkKind};

/// The work due for the workers `in_scope` picks (by their team) on `today`.
pub fn due_items(
    staff: &[StaffMember],
    last: &HashMap<Uuid, NaiveDate>,
    loads: &[WorkerCaseload],
    standards: &Standards,
    in_scope: impl Fn(&StaffMember) -> bool,
    today: NaiveDate,
) -> Vec<DueItem> {
    let mut items = Vec::new();
    for s in staff
        .iter()
        .filter(|s| s.in_post(today) && supervised(s) && in_scope(s))
    {
        let due = next_due(s, last.get(&s.worker.id).copied(), standards);
        items.push(DueItem {
            kind: WorkKind::Supervision,
            what: if s.in_asye(today) {
                "Supervision (ASYE)".into()
            } else {
                "Supervision".into()
            },
            due,
            rag: Rag::of(due, today),
            child_id: None,
            child_name: String::new(),
            worker_name: Some(s.worker.name.clone()),
            link: format!("/workforce/workers/{}/supervision", s.worker.id),
        });
    }
    for o in over_asye_limit(loads, standards) {
        let Some(s) = staff.iter().find(|s| s.worker.id == o.worker_id) else {
            continue;
        };
        if !in_scope(s) {
            continue;
        }
        items.push(DueItem {
            kind: WorkKind::Allocation,
            what: format!(
                "Protected caseload exceeded: {} children, the ASYE limit is {}",
                o.children, o.limit
            ),
            due: today,
            rag: Rag::Red,
            child_id: None,
            child_name: String::new(),
            worker_name: Some(s.worker.name.clone()),
            link: format!("/workforce/workers/{}", s.worker.id),
        });
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workforce::{OrgRole, Worker};

    #[test]
    fn a_manager_sees_supervision_due_and_an_asye_worker_over_the_limit() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let member = |name: &str, asye: bool, role| StaffMember {
            worker: Worker {
                id: Uuid::now_v7(),
                name: name.into(),
                team_id: None,
                role_title: "Social worker".into(),
                agency: false,
                started: d(1, 5),
                left: None,
            },
            org_role: role,
            fte: 1.0,
            swe_number: Some("SW42".into()),
            asye_started: asye.then(|| d(1, 5)),
            asye_ended: None,
            leaving_reason: None,
            destination: None,
            moves: vec![],
            absences: vec![],
        };
        let nq = member("Nia", true, OrgRole::CaseHolder);
        let old = member("Ola", false, OrgRole::CaseHolder);
        let head = member("Hal", false, OrgRole::MiddleManager);
        let load = |s: &StaffMember, n| WorkerCaseload {
            worker_id: s.worker.id,
            team_id: None,
            children: n,
            co_worked: 0,
            weighted: f64::from(n),
            case_holding: true,
            in_asye: s.in_asye(d(3, 2)),
        };
        let loads = vec![load(&nq, 14), load(&old, 20)];
        let mut last = HashMap::new();
        last.insert(old.worker.id, d(2, 20));
        let staff = vec![nq.clone(), old, head];
        let items = due_items(
            &staff,
            &last,
            &loads,
            &Standards::default(),
            |_| true,
            d(3, 2),
        );
        assert_eq!(items.len(), 3, "no supervision item for a middle manager");
        assert_eq!(items[0].what, "Supervision (ASYE)");
        assert_eq!(
            items[0].due,
            d(1, 19),
            "never supervised: due 14 days from the start"
        );
        assert_eq!(items[0].rag, Rag::Red);
        assert_eq!((items[1].due, items[1].rag), (d(3, 22), Rag::Green));
        assert_eq!(items[2].kind, WorkKind::Allocation);
        assert!(items[2].what.contains("14 children, the ASYE limit is 12"));
        let none = due_items(
            &staff,
            &last,
            &loads,
            &Standards::default(),
            |_| false,
            d(3, 2),
        );
        assert!(none.is_empty());
    }
}
