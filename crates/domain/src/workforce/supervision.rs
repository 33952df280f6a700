//! Supervision: each session (when, who supervised, the reflective notes kept to the worker's
//! file, and the cases discussed, each discussion a management oversight entry with its
//! decision and rationale on the child's record), and the council's frequency standard: when
//! the next session is due, and each team's compliance.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::StaffMember;
use super::caseload::Standards;
use crate::validate::FieldError;

/// A case discussed in supervision: the decision and its rationale, which go onto the child's
/// record as management oversight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseDiscussion {
    pub child_id: Uuid,
    pub decision: String,
    pub rationale: String,
}

/// A supervision session as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSupervision {
    pub held_on: NaiveDate,
    /// The supervisor (a worker: the manager recording it).
    pub supervisor_id: Uuid,
    /// Reflective notes, kept to the worker's file: seen by the worker, their supervisor and
    /// their team's manager only.
    pub reflection: String,
    #[serde(default)]
    pub discussions: Vec<CaseDiscussion>,
}

impl NewSupervision {
    pub fn validate(&self, worker: &StaffMember, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        if self.held_on > today {
            e.push(FieldError::new(
                "held_on",
                "The session cannot be in the future",
            ));
        } else if self.held_on < worker.worker.started {
            e.push(FieldError::new(
                "held_on",
                "The session cannot be before the worker started",
            ));
        }
        if self.supervisor_id == worker.worker.id {
            e.push(FieldError::new(
                "supervisor",
                "A worker cannot supervise themselves",
            ));
        }
        if self.reflection.trim().is_empty() {
            e.push(FieldError::new(
                "reflection",
                "Enter the reflective notes of the session",
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        for (i, d) in self.discussions.iter().enumerate() {
            let n = i + 1;
            if !seen.insert(d.child_id) {
                e.push(FieldError::new(
                    &format!("case_{n}"),
                    "Each case is discussed once in a session",
                ));
            }
            if d.decision.trim().is_empty() {
                e.push(FieldError::new(
                    &format!("decision_{n}"),
                    "Enter the decision made about the case",
                ));
            }
            if d.rationale.trim().is_empty() {
                e.push(FieldError::new(
                    &format!("rationale_{n}"),
                    "Enter the rationale for the decision",
                ));
            }
        }
        e
    }
}

/// A recorded session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Supervision {
    pub id: Uuid,
    pub worker_id: Uuid,
    pub supervisor_id: Uuid,
    pub held_on: NaiveDate,
    pub reflection: String,
    /// The children whose cases were discussed, each with the oversight entry it wrote.
    pub cases: Vec<(Uuid, Uuid)>,
}

/// When a worker's next supervision is due: the standard's days (the ASYE's while in it) after
/// the last session, or after they started if none.
pub fn next_due(worker: &StaffMember, last: Option<NaiveDate>, standards: &Standards) -> NaiveDate {
    let from = last.unwrap_or(worker.worker.started);
    let days = if worker.in_asye(from) {
        standards.asye_supervision_days
    } else {
        standards.supervision_days
    };
    from + chrono::Days::new(u64::from(days))
}

/// A team's supervision compliance on a day: of its workers in post (not managers of the
/// service), how many are supervised within the standard.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Compliance {
    pub team_id: Option<Uuid>,
    pub workers: u32,
    pub in_time: u32,
    pub percent: Option<f64>,
}

/// Supervision compliance by team (in the order teams first appear) and for the service: a
/// worker is in time while their next session is not yet overdue on `day`.
pub fn compliance(
    staff: &[StaffMember],
    last: &std::collections::HashMap<Uuid, NaiveDate>,
    standards: &Standards,
    day: NaiveDate,
) -> (Vec<Compliance>, Compliance) {
    let mut teams: Vec<Compliance> = Vec::new();
    let mut all = Compliance {
        team_id: None,
        workers: 0,
        in_time: 0,
        percent: None,
    };
    for s in staff.iter().filter(|s| s.in_post(day) && supervised(s)) {
        let ok = next_due(s, last.get(&s.worker.id).copied(), standards) >= day;
        let i = match teams.iter().position(|t| t.team_id == s.worker.team_id) {
            Some(i) => i,
            None => {
                teams.push(Compliance {
                    team_id: s.worker.team_id,
                    workers: 0,
                    in_time: 0,
                    percent: None,
                });
                teams.len() - 1
            }
        };
        for c in [&mut teams[i], &mut all] {
            c.workers += 1;
            c.in_time += u32::from(ok);
        }
    }
    for c in teams.iter_mut().chain(std::iter::once(&mut all)) {
        c.percent = (c.workers > 0).then(|| 100.0 * f64::from(c.in_time) / f64::from(c.workers));
    }
    (teams, all)
}

/// Whether the frequency standard applies: registered social workers (their Social Work
/// England number recorded) in practice roles, whom their team's manager supervises; managers
/// are supervised outside it, and a worker with no registration recorded is not a registered
/// social worker as far as the record knows.
pub fn supervised(s: &StaffMember) -> bool {
    s.swe_number.is_some()
        && matches!(
            s.org_role,
            super::OrgRole::CaseHolder
                | super::OrgRole::SeniorPractitioner
                | super::OrgRole::QualifiedWithoutCases
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workforce::{OrgRole, Worker};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn member(team: u128, asye: bool) -> StaffMember {
        StaffMember {
            worker: Worker {
                id: Uuid::now_v7(),
                name: "W".into(),
                team_id: Some(Uuid::from_u128(team)),
                role_title: "Social worker".into(),
                agency: false,
                started: d(2025, 9, 1),
                left: None,
            },
            org_role: OrgRole::CaseHolder,
            fte: 1.0,
            swe_number: Some("SW1".into()),
            asye_started: asye.then(|| d(2025, 9, 1)),
            asye_ended: asye.then(|| d(2026, 8, 31)),
            leaving_reason: None,
            destination: None,
            moves: vec![],
            absences: vec![],
        }
    }

    #[test]
    fn sessions_are_due_by_the_standard_and_compliance_counts_them() {
        let s = Standards::default();
        let asye = member(1, true);
        let other = member(1, false);
        let far = member(2, false);
        let mut unregistered = member(2, false);
        unregistered.swe_number = None;
        assert_eq!(next_due(&asye, Some(d(2026, 1, 5)), &s), d(2026, 1, 19));
        assert_eq!(next_due(&other, Some(d(2026, 1, 5)), &s), d(2026, 2, 4));
        assert_eq!(next_due(&other, None, &s), d(2025, 10, 1));
        let mut last = std::collections::HashMap::new();
        last.insert(asye.worker.id, d(2026, 1, 5));
        last.insert(other.worker.id, d(2026, 1, 5));
        let staff = vec![asye, other, far, unregistered];
        let (teams, all) = compliance(&staff, &last, &s, d(2026, 1, 25));
        assert_eq!(
            (teams[0].workers, teams[0].in_time),
            (2, 1),
            "the ASYE worker is overdue"
        );
        assert_eq!(teams[1].percent, Some(0.0), "never supervised");
        assert_eq!((all.workers, all.in_time), (3, 1));
    }

    #[test]
    fn a_session_needs_notes_and_whole_discussions() {
        let w = member(1, true);
        let ok = NewSupervision {
            held_on: d(2026, 1, 5),
            supervisor_id: Uuid::now_v7(),
            reflection: "Talked about managing a heavy week and what helped".into(),
            discussions: vec![CaseDiscussion {
                child_id: Uuid::now_v7(),
                decision: "Step up to a strategy discussion".into(),
                rationale: "New injury unexplained".into(),
            }],
        };
        assert!(ok.validate(&w, d(2026, 1, 6)).is_empty());
        let mut bad = ok.clone();
        bad.reflection = " ".into();
        bad.discussions.push(CaseDiscussion {
            rationale: String::new(),
            ..ok.discussions[0].clone()
        });
        bad.supervisor_id = w.worker.id;
        let f: Vec<String> = bad
            .validate(&w, d(2026, 1, 4))
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            f,
            [
                "held_on",
                "supervisor",
                "reflection",
                "case_2",
                "rationale_2"
            ]
        );
    }
}
