//! Who may open which record: the role and restriction checks behind every page and API route
//! that touches a child's record (each refusal audited), and loading the record after them.

use crate::AppState;
use crate::auth::Session;
use crate::auth::deny;
use crate::error::AppError;
use crate::policy::Action;
use crate::policy::check_record;
use crate::policy::check_role;
use domain::person::PersonKind;
use store::CaseRecord;
use store::StoreError;
use uuid::Uuid;

/// Text written into an audit entry (a username, search terms): quoted, escaped and at most
/// `max` characters, so that requests cannot fill the log.
pub fn quoted_for_audit(text: &str, max: usize) -> String {
    let count = text.chars().count();
    if count <= max {
        format!("{text:?}")
    } else {
        let head: String = text.chars().take(max).collect();
        format!("{head:?}… ({count} characters)")
    }
}

/// Records in the access log that a list, queue or form disclosed these children's details to
/// the user (one entry per child; one naming no child when it showed none).
pub async fn log_disclosure(
    state: &AppState,
    session: &Session,
    what: &'static str,
    children: impl IntoIterator<Item = Uuid>,
    detail: &str,
) -> Result<(), AppError> {
    let mut seen = std::collections::HashSet::new();
    let ids: Vec<Uuid> = children.into_iter().filter(|c| seen.insert(*c)).collect();
    Ok(state
        .store
        .record_views(session.actor(), what, &ids, detail)
        .await?)
}

/// The user may see this child's name in a list (restricted children are named only to those
/// who may open their record).
pub(crate) fn may_see(session: &Session, restricted: bool) -> bool {
    !restricted || session.user.role.sees_restricted_records()
}

/// The child's record behind a form, after the role and restriction checks (the view is audited).
pub(crate) async fn child_for(
    state: &AppState,
    session: &Session,
    child: Uuid,
    action: Action,
    what: &str,
) -> Result<store::ChildRecord, AppError> {
    authorise(
        state,
        session,
        child,
        action,
        &format!("{what} /children/{child}"),
        false,
    )
    .await?;
    let mut rec = state
        .store
        .view_child_record(session.actor(), child, purpose_of(session, what))
        .await?;
    withhold_restricted(session, &mut rec);
    Ok(rec)
}

/// The child a casework record belongs to, and their record after the checks.
pub(crate) async fn record_of(
    state: &AppState,
    session: &Session,
    kind: CaseRecord,
    id: &str,
    action: Action,
    what: &str,
) -> Result<(Uuid, store::ChildRecord), AppError> {
    let id = parse_id(id, false)?;
    let child = match state.store.case_record_child(kind, id).await {
        Ok(c) => c,
        Err(StoreError::NotFound(_)) => return Err(AppError::NotFound { api: false }),
        Err(e) => return Err(e.into()),
    };
    Ok((id, child_for(state, session, child, action, what).await?))
}

/// Reads a record id from the path; anything that is not an id is a page that does not exist.
pub fn parse_id(s: &str, api: bool) -> Result<Uuid, AppError> {
    Uuid::parse_str(s).map_err(|_| AppError::NotFound { api })
}

/// Checks the user may do `action` on the child `id`, auditing a refusal. Adults' records and
/// missing records are "not found" on children's routes.
pub async fn authorise(
    state: &AppState,
    session: &Session,
    id: Uuid,
    action: Action,
    what: &str,
    api: bool,
) -> Result<(), AppError> {
    if let Err(d) = check_role(&session.user, action) {
        return Err(deny(state, session, Some(id), what, d.0, api).await);
    }
    let facts = match state.store.access_facts(id).await {
        Ok(f) => f,
        Err(StoreError::NotFound(_)) => return Err(AppError::NotFound { api }),
        Err(e) => return Err(e.into()),
    };
    if facts.kind != PersonKind::Child {
        return Err(AppError::NotFound { api });
    }
    if let Err(d) = check_record(&session.user, action, &facts) {
        return Err(deny(state, session, Some(id), what, d.0, api).await);
    }
    // Recording a contact is how a child comes to the front door: never held back.
    if state.config.need_to_know && action != Action::RecordContact {
        let team = match session.user.worker_id {
            Some(w) => state
                .store
                .list_workers()
                .await?
                .into_iter()
                .find(|x| x.id == w)
                .and_then(|x| x.team_id),
            None => None,
        };
        if let Err(d) = crate::policy::check_need_to_know(&session.user, team, &facts) {
            let since = chrono::Utc::now() - chrono::Duration::hours(BREAK_GLASS_HOURS);
            if !state
                .store
                .broke_glass_since(session.user.id, id, since)
                .await?
            {
                return match deny(state, session, Some(id), what, d.0.clone(), api).await {
                    AppError::Forbidden { .. } => Err(AppError::NeedToKnow {
                        child: id,
                        reason: d.0,
                        api,
                    }),
                    other => Err(other),
                };
            }
        }
    }
    Ok(())
}

/// The purpose an access entry records: an auditor opens a record only for a case file audit.
pub(crate) fn purpose_of<'a>(session: &Session, purpose: &'a str) -> &'a str {
    if session.user.role == domain::access::Role::Auditor {
        CASE_FILE_AUDIT
    } else {
        purpose
    }
}

/// The purpose of an auditor's view of a record.
pub const CASE_FILE_AUDIT: &str = "case file audit";

/// How long a break-glass reason opens a record for the user who gave it.
pub const BREAK_GLASS_HOURS: i64 = 8;

/// The child's record for a child named in the path, after the role and restriction checks (the
/// view is audited as `what`).
pub(crate) async fn casework_record(
    state: &AppState,
    session: &Session,
    id: &str,
    action: Action,
    what: &str,
) -> Result<store::ChildRecord, AppError> {
    let id = parse_id(id, false)?;
    authorise(
        state,
        session,
        id,
        action,
        &format!("{what} /children/{id}"),
        false,
    )
    .await?;
    let mut rec = state
        .store
        .view_child_record(session.actor(), id, purpose_of(session, what))
        .await?;
    withhold_restricted(session, &mut rec);
    Ok(rec)
}

/// The referral `id` on the child's record, or not found.
pub(crate) fn referral_of(
    rec: &store::ChildRecord,
    id: &str,
) -> Result<domain::front_door::Referral, AppError> {
    rec.front_door
        .referrals
        .iter()
        .find(|r| r.id.to_string() == id)
        .cloned()
        .ok_or(AppError::NotFound { api: false })
}

/// Opens a child's whole record for viewing (`id` from the path): the role and restriction
/// checks, then the record with its access entry (`purpose`). The child's page and the API's
/// views of the record all open it here.
pub(crate) async fn open_child(
    state: &AppState,
    session: &Session,
    id: &str,
    route: &str,
    purpose: &str,
    api: bool,
) -> Result<store::ChildRecord, AppError> {
    let id = parse_id(id, api)?;
    authorise(
        state,
        session,
        id,
        Action::ViewRecord,
        &format!("GET {}", route.replace("{id}", &id.to_string())),
        api,
    )
    .await?;
    let mut rec = state
        .store
        .view_child_record(session.actor(), id, purpose_of(session, purpose))
        .await?;
    withhold_restricted(session, &mut rec);
    Ok(rec)
}

/// How a child the user may not open is named wherever another record mentions them.
pub const RESTRICTED_NAME: (&str, &str) = ("Restricted", "record");
/// What stands in for text the user may not see.
pub const WITHHELD: &str = "Withheld: this is also about a restricted record";

/// Withholds from a record the user may open what it shows of children whose records they may
/// not open (issue 20): a restricted sibling in the family list becomes "Restricted record"
/// with no date of birth, identifier or link (the nil id), and a contact also about a
/// restricted child keeps only its date, source and outcome — its text, the partners' checks,
/// the decision's words and the chronology's lines for it are withheld. Every view of a child's
/// record (page, API, forms) is opened through here.
pub(crate) fn withhold_restricted(session: &Session, rec: &mut store::ChildRecord) {
    let user = &session.user;
    let sees_all = user.role.sees_restricted_records();
    let may_open = |restricted: bool, allocated: Option<Uuid>| {
        !restricted || sees_all || (user.worker_id.is_some() && user.worker_id == allocated)
    };
    for r in &mut rec.relationships {
        if r.other.kind == PersonKind::Child
            && !may_open(r.other.restricted, r.other.allocated_worker_id)
        {
            r.other = store::PersonSummary {
                id: Uuid::nil(),
                kind: PersonKind::Child,
                given_name: RESTRICTED_NAME.0.into(),
                family_name: RESTRICTED_NAME.1.into(),
                date_of_birth: None,
                expected_date_of_birth: None,
                council_child_id: None,
                restricted: true,
                allocated_worker_id: None,
                allocated_worker_name: None,
            };
        }
    }
    let me = rec.person.id;
    let mut withheld = Vec::new();
    for c in &mut rec.front_door.contacts {
        // The contact's children carry no allocation: only managers see a restricted sibling's.
        if !c
            .children
            .iter()
            .any(|k| k.person_id != me && k.restricted && !sees_all)
        {
            continue;
        }
        withheld.push(("Contact", c.received_at.and_utc()));
        c.contact_name = WITHHELD.into();
        c.contact_agency = WITHHELD.into();
        c.reason = WITHHELD.into();
        for k in &mut c.children {
            if k.person_id != me && k.restricted && !sees_all {
                k.name = format!("{} {}", RESTRICTED_NAME.0, RESTRICTED_NAME.1);
                k.person_id = Uuid::nil();
            }
        }
        for check in &mut c.checks {
            check.summary = WITHHELD.into();
        }
        if let Some(d) = &mut c.decision {
            withheld.push(("Front-door decision", d.decided_at.and_utc()));
            d.direction = WITHHELD.into();
            d.rationale = WITHHELD.into();
            d.quality_comment = WITHHELD.into();
        }
    }
    for e in &mut rec.chronology {
        if withheld.contains(&(e.category.as_str(), e.at)) {
            e.summary = format!("{}: {WITHHELD}", e.category);
        }
    }
}
