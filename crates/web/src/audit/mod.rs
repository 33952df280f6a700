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

/// Each account's name as the audit pages show it.
async fn user_names(state: &AppState) -> Result<HashMap<uuid::Uuid, String>, AppError> {
    Ok(state
        .store
        .list_users()
        .await?
        .into_iter()
        .map(|u| (u.id, format!("{} ({})", u.display_name, u.username)))
        .collect())
}

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
    let users = user_names(&state).await?;
    let rows: Vec<_> = entries
        .iter()
        .map(|e| {
            let tag_class = match e.action {
                AuditAction::Denied
                | AuditAction::SignInFailed
                | AuditAction::SignInLocked
                | AuditAction::BreakGlass => "govuk-tag--red",
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

/// The break-glass form: why the user needs a record that is not one of their cases.
pub async fn break_glass_form(
    State(state): State<AppState>,
    session: Session,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<axum::response::Response, AppError> {
    let id = may_break_glass(&state, &session, &id).await?;
    render_break_glass(&state, &session, id, "", None)
}

fn render_break_glass(
    state: &AppState,
    session: &Session,
    id: uuid::Uuid,
    reason: &str,
    error: Option<&str>,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    let html = state.templates.page(
        "audit/break_glass.html",
        Some(session),
        context! { title => "Open a record that is not one of your cases", id => id.to_string(), reason, error, hours => crate::guard::BREAK_GLASS_HOURS },
    )?;
    let status = if error.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    Ok((status, html).into_response())
}

/// The role and the record's restriction still apply: break-glass only passes need-to-know.
async fn may_break_glass(
    state: &AppState,
    session: &Session,
    id: &str,
) -> Result<uuid::Uuid, AppError> {
    let id = crate::guard::parse_id(id, false)?;
    let what = format!("break-glass /children/{id}");
    if let Err(d) = check_role(&session.user, Action::ViewRecord) {
        return Err(deny(state, session, Some(id), &what, d.0, false).await);
    }
    let facts = match state.store.access_facts(id).await {
        Ok(f) => f,
        Err(store::StoreError::NotFound(_)) => return Err(AppError::NotFound { api: false }),
        Err(e) => return Err(e.into()),
    };
    if let Err(d) = crate::policy::check_record(&session.user, Action::ViewRecord, &facts) {
        return Err(deny(state, session, Some(id), &what, d.0, false).await);
    }
    Ok(id)
}

#[derive(Deserialize)]
pub struct BreakGlassForm {
    #[serde(default)]
    reason: String,
}

pub async fn break_glass(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    crate::auth::AuthedForm { session, form }: crate::auth::AuthedForm<BreakGlassForm>,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    let id = may_break_glass(&state, &session, &id).await?;
    let reason = form.reason.trim();
    if reason.chars().count() < 10 {
        return render_break_glass(
            &state,
            &session,
            id,
            reason,
            Some("Enter why you need this record, in 10 characters or more"),
        );
    }
    state
        .store
        .record_event(session.actor(), AuditAction::BreakGlass, Some(id), reason)
        .await?;
    Ok(axum::response::Redirect::to(&format!("/children/{id}")).into_response())
}

/// Managers' review of break-glass: who opened which record outside their cases, and why.
pub async fn break_glass_report(
    State(state): State<AppState>,
    session: Session,
) -> Result<Html<String>, AppError> {
    if let Err(d) = check_role(&session.user, Action::ViewAuditLog) {
        return Err(deny(&state, &session, None, "GET /audit/break-glass", d.0, false).await);
    }
    let entries = state
        .store
        .audit_entries(&AuditQuery {
            action: Some(AuditAction::BreakGlass),
            limit: 500,
            ..Default::default()
        })
        .await?;
    let children: Vec<uuid::Uuid> = entries.iter().filter_map(|e| e.person_id).collect();
    crate::guard::log_disclosure(
        &state,
        &session,
        "audit_log",
        children.iter().copied(),
        "GET /audit/break-glass: break-glass review",
    )
    .await?;
    let users = user_names(&state).await?;
    let mut names: HashMap<uuid::Uuid, String> = HashMap::new();
    for c in &children {
        if !names.contains_key(c) {
            let name = match state.store.get_person(*c).await {
                Ok(p) => p.full_name(),
                Err(_) => c.to_string(),
            };
            names.insert(*c, name);
        }
    }
    let rows: Vec<_> = entries
        .iter()
        .map(|e| {
            context! {
                at => e.at.to_rfc3339(),
                who => e.actor.map(|a| users.get(&a).cloned().unwrap_or_else(|| a.to_string())),
                child => e.person_id.map(|p| p.to_string()),
                child_name => e.person_id.and_then(|p| names.get(&p).cloned()),
                reason => e.detail.clone(),
            }
        })
        .collect();
    state.templates.page(
        "audit/break_glass_report.html",
        Some(&session),
        context! { title => "Break-glass review", entries => rows },
    )
}
