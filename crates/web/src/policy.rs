//! Who may do what. Every route asks here before it touches a record; a refusal is audited.

use domain::access::Role;
use domain::access::User;
use domain::person::PersonKind;
use store::AccessFacts;

/// Something a user may ask to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    SearchRecords,
    ViewRecord,
    CreateRecord,
    EditRecord,
    ViewAuditLog,
    /// See the front-door queue of contacts waiting for a decision.
    ViewFrontDoor,
    /// Record a contact, and the checks made with partners about it.
    RecordContact,
    /// Record the front-door decision: a manager's decision, with direction and rationale.
    DecideContact,
    /// Start and complete assessments; record visits and case notes.
    RecordCasework,
    /// Authorise assessments and record management oversight.
    Oversee,
    /// See a list of work due.
    ViewWorkDue,
    /// Allocate a child to a worker: a team manager's decision.
    Allocate,
    /// Record a looked-after review and the IRO's recommendations (IROs only).
    RecordReview,
    /// Mark an IRO's recommendation done (IROs, social workers, managers).
    TrackRecommendation,
    /// Manage accounts: roles, deactivation, passwords, sessions (administrators only).
    ManageUsers,
    /// See case file audit programmes, their audits and the themes.
    ViewAudits,
    /// Set up audit programmes and change the audit template (auditors and managers).
    RunAudits,
    /// Record and moderate case file audits and their learning actions.
    RecordAudit,
    /// Mark a learning action done (its owner: a worker or manager).
    CompleteLearningAction,
    /// See the workforce: teams, workers' files, caseloads and the workforce's figures.
    ViewWorkforce,
    /// Record joiners, movers, leavers and absences (administrators and workforce leads).
    ManageWorkforce,
}

/// Why a request was refused, in words for the audit log and the 403 page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denied(pub String);

/// May `user` do `action` at all (before looking at any particular record)?
pub fn check_role(user: &User, action: Action) -> Result<(), Denied> {
    let ok = match action {
        // An auditor opens the records of the children they audit, from the audit: no search.
        Action::SearchRecords => user.role.can_view_records() && user.role != Role::Auditor,
        Action::ViewRecord => user.role.can_view_records(),
        Action::CreateRecord | Action::EditRecord => user.role.can_edit_records(),
        Action::ViewAuditLog => matches!(user.role, Role::Administrator | Role::TeamManager),
        Action::ViewFrontDoor | Action::RecordContact => {
            matches!(user.role, Role::FrontDoor | Role::TeamManager)
        }
        Action::DecideContact | Action::Oversee => user.role == Role::TeamManager,
        Action::RecordCasework => matches!(user.role, Role::SocialWorker | Role::TeamManager),
        Action::ViewWorkDue => matches!(user.role, Role::SocialWorker | Role::TeamManager),
        Action::Allocate => user.role == Role::TeamManager,
        Action::RecordReview => user.role == Role::Iro,
        Action::TrackRecommendation => matches!(
            user.role,
            Role::Iro | Role::SocialWorker | Role::TeamManager
        ),
        Action::ManageUsers => user.role == Role::Administrator,
        Action::ViewAudits | Action::RunAudits | Action::RecordAudit => {
            matches!(user.role, Role::Auditor | Role::TeamManager)
        }
        Action::CompleteLearningAction => {
            matches!(user.role, Role::SocialWorker | Role::TeamManager)
        }
        Action::ViewWorkforce => matches!(
            user.role,
            Role::Administrator | Role::Workforce | Role::TeamManager
        ),
        Action::ManageWorkforce => matches!(user.role, Role::Administrator | Role::Workforce),
    };
    if ok {
        Ok(())
    } else {
        Err(Denied(format!(
            "role {} may not {}",
            user.role.as_str(),
            describe(action)
        )))
    }
}

fn describe(action: Action) -> &'static str {
    match action {
        Action::SearchRecords => "search case records",
        Action::ViewRecord => "view case records",
        Action::CreateRecord => "create case records",
        Action::EditRecord => "change case records",
        Action::ViewAuditLog => "view the audit log",
        Action::ViewFrontDoor => "see the front-door queue",
        Action::RecordContact => "record contacts",
        Action::DecideContact => "record front-door decisions (a manager's decision)",
        Action::RecordCasework => "record assessments, visits or case notes",
        Action::Oversee => "authorise assessments or record management oversight",
        Action::ViewWorkDue => "see work due",
        Action::Allocate => "allocate workers (only team managers allocate workers)",
        Action::RecordReview => "record looked-after reviews (an IRO's record)",
        Action::TrackRecommendation => "record progress on review recommendations",
        Action::ManageUsers => "manage accounts (administrators only)",
        Action::ViewAudits => "see case file audits",
        Action::RunAudits => "set up case file audit programmes",
        Action::RecordAudit => "record case file audits",
        Action::CompleteLearningAction => "record learning actions done",
        Action::ViewWorkforce => "see the workforce's records",
        Action::ManageWorkforce => {
            "record joiners, movers, leavers or absences (administrators and workforce leads)"
        }
    }
}

/// May `user` do `action` on this record? Restricted records are open only to the workers
/// allocated to the child and to team managers.
pub fn check_record(user: &User, action: Action, facts: &AccessFacts) -> Result<(), Denied> {
    check_role(user, action)?;
    // An IRO reviews children in care: their records only, while they are looked after.
    if user.role == Role::Iro && facts.kind == PersonKind::Child && !facts.in_care {
        return Err(Denied(
            "an IRO may open the records of children in care only".into(),
        ));
    }
    // An auditor reads the records of the children in the samples they audit, and only those.
    if user.role == Role::Auditor
        && facts.kind == PersonKind::Child
        && !facts.auditors.contains(&user.id)
    {
        return Err(Denied(
            "an auditor may open the records of children in the audit samples they are assigned to only".into(),
        ));
    }
    if facts.kind == PersonKind::Child && facts.restricted {
        let allocated = user
            .worker_id
            .is_some_and(|w| facts.allocated_workers.contains(&w));
        if !allocated && !user.role.sees_restricted_records() {
            return Err(Denied(
                "the record is restricted to the allocated worker and managers".into(),
            ));
        }
    }
    Ok(())
}

/// Need-to-know (a council's setting, [`crate::Config::need_to_know`]): may `user` open this
/// child's record as part of their work? Social workers: children allocated to them or to a
/// worker in their team (`team`). Front-door workers: children with a contact waiting for a
/// decision. Managers, IROs and what the role checks already limit are not affected. Anyone
/// else opens the record through break-glass, giving a reason that managers review.
pub fn check_need_to_know(
    user: &User,
    team: Option<uuid::Uuid>,
    facts: &AccessFacts,
) -> Result<(), Denied> {
    let allocated = user
        .worker_id
        .is_some_and(|w| facts.allocated_workers.contains(&w));
    let ok = match user.role {
        Role::SocialWorker => allocated || team.is_some_and(|t| facts.allocated_teams.contains(&t)),
        Role::FrontDoor => allocated || facts.open_contact,
        _ => true,
    };
    if ok || facts.kind != PersonKind::Child {
        Ok(())
    } else {
        Err(Denied(
            "the child is not allocated to you or your team (need to know)".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn user(role: Role, worker: Option<Uuid>) -> User {
        User {
            id: Uuid::now_v7(),
            username: "u".into(),
            display_name: "U".into(),
            role,
            worker_id: worker,
            active: true,
        }
    }

    fn facts(restricted: bool, workers: Vec<Uuid>) -> AccessFacts {
        AccessFacts {
            kind: PersonKind::Child,
            restricted,
            allocated_workers: workers,
            in_care: false,
            allocated_teams: vec![],
            open_contact: false,
            auditors: vec![],
        }
    }

    #[test]
    fn need_to_know_is_the_allocated_worker_their_team_or_the_front_doors_open_contacts() {
        let (me, mate, team) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let sw = user(Role::SocialWorker, Some(me));
        let mine = facts(false, vec![me]);
        assert!(check_need_to_know(&sw, Some(team), &mine).is_ok());
        let mut teams = facts(false, vec![mate]);
        teams.allocated_teams = vec![team];
        assert!(check_need_to_know(&sw, Some(team), &teams).is_ok());
        assert!(check_need_to_know(&sw, None, &teams).is_err());
        let other = facts(false, vec![]);
        assert!(check_need_to_know(&sw, Some(team), &other).is_err());
        let fd = user(Role::FrontDoor, None);
        assert!(check_need_to_know(&fd, None, &other).is_err());
        let mut open = facts(false, vec![]);
        open.open_contact = true;
        assert!(check_need_to_know(&fd, None, &open).is_ok());
        assert!(check_need_to_know(&user(Role::TeamManager, None), None, &other).is_ok());
    }

    #[test]
    fn roles_that_may_not_see_records() {
        for role in [Role::PerformanceAnalyst, Role::Administrator] {
            let u = user(role, None);
            assert!(check_role(&u, Action::ViewRecord).is_err());
            assert!(check_record(&u, Action::ViewRecord, &facts(false, vec![])).is_err());
            assert!(check_role(&u, Action::CreateRecord).is_err());
        }
        for role in [Role::SocialWorker, Role::TeamManager, Role::FrontDoor] {
            assert!(
                check_record(&user(role, None), Action::EditRecord, &facts(false, vec![])).is_ok()
            );
        }
    }

    #[test]
    fn restricted_records() {
        let w = Uuid::now_v7();
        let f = facts(true, vec![w]);
        assert!(check_record(&user(Role::SocialWorker, Some(w)), Action::ViewRecord, &f).is_ok());
        let other = check_record(
            &user(Role::SocialWorker, Some(Uuid::now_v7())),
            Action::ViewRecord,
            &f,
        );
        assert_eq!(
            other.unwrap_err().0,
            "the record is restricted to the allocated worker and managers"
        );
        assert!(check_record(&user(Role::FrontDoor, None), Action::ViewRecord, &f).is_err());
        assert!(check_record(&user(Role::TeamManager, None), Action::ViewRecord, &f).is_ok());
    }

    #[test]
    fn front_door_decisions_and_oversight_are_for_managers() {
        let f = facts(false, vec![]);
        let fd = user(Role::FrontDoor, None);
        assert!(check_record(&fd, Action::RecordContact, &f).is_ok());
        assert!(check_role(&fd, Action::ViewFrontDoor).is_ok());
        assert!(check_record(&fd, Action::DecideContact, &f).is_err());
        assert!(check_record(&fd, Action::RecordCasework, &f).is_err());
        let sw = user(Role::SocialWorker, None);
        assert!(check_record(&sw, Action::RecordCasework, &f).is_ok());
        assert!(check_record(&sw, Action::Oversee, &f).is_err());
        assert!(check_role(&sw, Action::ViewFrontDoor).is_err());
        let tm = user(Role::TeamManager, None);
        for a in [
            Action::DecideContact,
            Action::Oversee,
            Action::RecordContact,
            Action::RecordCasework,
        ] {
            assert!(check_record(&tm, a, &f).is_ok(), "{a:?}");
        }
        let pa = user(Role::PerformanceAnalyst, None);
        assert!(check_role(&pa, Action::ViewWorkDue).is_err());
        // A restricted record stays closed to a front-door worker even for a contact.
        assert!(check_record(&fd, Action::RecordContact, &facts(true, vec![])).is_err());
    }

    #[test]
    fn iros_review_children_in_care_only() {
        let iro = user(Role::Iro, None);
        let not_in_care = facts(false, vec![]);
        let in_care = AccessFacts {
            in_care: true,
            ..facts(false, vec![])
        };
        assert!(check_record(&iro, Action::ViewRecord, &in_care).is_ok());
        assert!(check_record(&iro, Action::RecordReview, &in_care).is_ok());
        assert!(check_record(&iro, Action::TrackRecommendation, &in_care).is_ok());
        assert!(check_record(&iro, Action::ViewRecord, &not_in_care).is_err());
        assert!(check_record(&iro, Action::RecordCasework, &in_care).is_err());
        assert!(check_record(&iro, Action::EditRecord, &in_care).is_err());
        let restricted = AccessFacts {
            in_care: true,
            ..facts(true, vec![])
        };
        assert!(check_record(&iro, Action::ViewRecord, &restricted).is_err());
        for role in [
            Role::SocialWorker,
            Role::TeamManager,
            Role::PerformanceAnalyst,
        ] {
            assert!(check_role(&user(role, None), Action::RecordReview).is_err());
        }
    }

    #[test]
    fn auditors_read_the_records_they_audit_and_change_no_casework() {
        let auditor = user(Role::Auditor, None);
        let theirs = AccessFacts {
            auditors: vec![auditor.id],
            ..facts(false, vec![])
        };
        let not_theirs = AccessFacts {
            auditors: vec![Uuid::now_v7()],
            ..facts(false, vec![])
        };
        assert!(check_record(&auditor, Action::ViewRecord, &theirs).is_ok());
        assert!(check_record(&auditor, Action::ViewRecord, &not_theirs).is_err());
        assert!(check_role(&auditor, Action::SearchRecords).is_err());
        for a in [
            Action::EditRecord,
            Action::CreateRecord,
            Action::RecordCasework,
            Action::Oversee,
            Action::RecordContact,
            Action::Allocate,
            Action::RecordReview,
            Action::TrackRecommendation,
            Action::CompleteLearningAction,
        ] {
            assert!(check_record(&auditor, a, &theirs).is_err(), "{a:?}");
        }
        for a in [Action::ViewAudits, Action::RunAudits, Action::RecordAudit] {
            assert!(check_role(&auditor, a).is_ok(), "{a:?}");
            assert!(
                check_role(&user(Role::SocialWorker, None), a).is_err(),
                "{a:?}"
            );
        }
        // Other roles are not limited by the auditors of a record.
        let sw = user(Role::SocialWorker, None);
        assert!(check_record(&sw, Action::ViewRecord, &not_theirs).is_ok());
    }

    #[test]
    fn audit_log_is_for_administrators_and_managers() {
        assert!(check_role(&user(Role::Administrator, None), Action::ViewAuditLog).is_ok());
        assert!(check_role(&user(Role::TeamManager, None), Action::ViewAuditLog).is_ok());
        assert!(check_role(&user(Role::SocialWorker, None), Action::ViewAuditLog).is_err());
    }
}

/// Performance analysts, team managers and administrators see the report (aggregates only).
pub fn may_see_report(role: Role) -> bool {
    matches!(
        role,
        Role::PerformanceAnalyst | Role::TeamManager | Role::Administrator
    )
}

/// Performance analysts, team managers and administrators validate returns.
pub fn may_validate_role(role: Role) -> bool {
    matches!(
        role,
        Role::PerformanceAnalyst | Role::TeamManager | Role::Administrator
    )
}
