//! The audit log, for administrators and team managers.

use crate::AppState;
use crate::auth::Session;
use crate::auth::deny;
use crate::error::AppError;
use crate::policy::Action;
use crate::policy::check_role;
use axum::extract::Query;
use axum::extract::State;
use axum::response::Html;
use domain::access::AuditAction;
use minijinja::context;
use serde::Deserialize;
use std::collections::HashMap;
use store::AuditQuery;

#[derive(Deserialize)]
pub struct AuditParams {
    person: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    session: Session,
    Query(p): Query<AuditParams>,
) -> Result<Html<String>, AppError> {
    if let Err(d) = check_role(&session.user, Action::ViewAuditLog) {
        return Err(deny(&state, &session, None, "GET /audit", d.0, false).await);
    }
    let person_id = p
        .person
        .as_deref()
        .and_then(|s| uuid::Uuid::parse_str(s).ok());
    let entries = state
        .store
        .audit_entries(&AuditQuery {
            person_id,
            limit: 200,
            ..Default::default()
        })
        .await?;
    crate::guard::log_disclosure(
        &state,
        &session,
        "audit_log",
        person_id,
        "GET /audit: the audit log",
    )
    .await?;
    let users: HashMap<uuid::Uuid, String> = state
        .store
        .list_users()
        .await?
        .into_iter()
        .map(|u| (u.id, format!("{} ({})", u.display_name, u.username)))
        .collect();
    let rows: Vec<_> = entries
        .iter()
        .map(|e| {
            let tag_class = match e.action {
                AuditAction::Denied | AuditAction::SignInFailed => "govuk-tag--red",
                AuditAction::View => "govuk-tag--grey",
                AuditAction::Create => "govuk-tag--green",
                AuditAction::Update => "govuk-tag--yellow",
                _ => "govuk-tag--blue",
            };
            context! {
                at => e.at.to_rfc3339(),
                who => e.actor.map(|a| users.get(&a).cloned().unwrap_or_else(|| a.to_string())).unwrap_or_else(|| "System".into()),
                action => e.action.as_str().replace('_', " "),
                tag_class,
                entity_type => e.entity_type.clone(),
                person_id => e.person_id.map(|p| p.to_string()),
                detail => e.detail.clone(),
            }
        })
        .collect();
    state.templates.page("audit/list.html", Some(&session), context! { title => "Audit log", entries => rows, person_id => person_id.map(|p| p.to_string()) })
}
