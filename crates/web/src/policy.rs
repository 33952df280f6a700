//! Who may do what. Every route asks here before it touches a record; a refusal is audited.

use domain::record::{PersonKind, Role, User};
use store::AccessFacts;

/// Something a user may ask to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    SearchRecords,
    ViewRecord,
    CreateRecord,
    EditRecord,
    ViewAuditLog,
}

/// Why a request was refused, in words for the audit log and the 403 page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denied(pub String);

/// May `user` do `action` at all (before looking at any particular record)?
pub fn check_role(user: &User, action: Action) -> Result<(), Denied> {
    let ok = match action {
        Action::SearchRecords | Action::ViewRecord => user.role.can_view_records(),
        Action::CreateRecord | Action::EditRecord => user.role.can_edit_records(),
        Action::ViewAuditLog => matches!(user.role, Role::Administrator | Role::TeamManager),
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
    }
}

/// May `user` do `action` on this record? Restricted records are open only to the workers
/// allocated to the child and to team managers.
pub fn check_record(user: &User, action: Action, facts: &AccessFacts) -> Result<(), Denied> {
    check_role(user, action)?;
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
        }
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
    fn audit_log_is_for_administrators_and_managers() {
        assert!(check_role(&user(Role::Administrator, None), Action::ViewAuditLog).is_ok());
        assert!(check_role(&user(Role::TeamManager, None), Action::ViewAuditLog).is_ok());
        assert!(check_role(&user(Role::SocialWorker, None), Action::ViewAuditLog).is_err());
    }
}
