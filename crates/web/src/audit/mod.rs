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

#[derive(Deserialize, Default)]
pub struct AuditParams {
    #[serde(default)]
    person: String,
    /// A username.
    #[serde(default)]
    user: String,
    #[serde(default)]
    action: String,
    /// YYYY-MM-DD, inclusive.
    #[serde(default)]
    from: String,
    /// YYYY-MM-DD, inclusive.
    #[serde(default)]
    to: String,
    /// The next page: entries older than this place in the logs ([`store::AuditCursor`]).
    #[serde(default)]
    before: String,
}

/// Entries a page.
const PAGE: u32 = 100;

/// The audit and access log, searched by child, user, action and dates, newest first, a page at
/// a time, each entry naming its child. For administrators and team managers; every search is
/// itself in the log.
pub async fn list(
    State(state): State<AppState>,
    session: Session,
    Query(p): Query<AuditParams>,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    if let Err(d) = check_role(&session.user, Action::ViewAuditLog) {
        return Err(deny(&state, &session, None, "GET /audit", d.0, false).await);
    }
    let mut errors: Vec<(&str, &str)> = Vec::new();
    let person_id = match p.person.trim() {
        "" => None,
        s => uuid::Uuid::parse_str(s)
            .map_err(|_| errors.push(("person", "Enter the child's record id")))
            .ok(),
    };
    let users = state.store.list_users().await?;
    let actor = match p.user.trim() {
        "" => None,
        u => users
            .iter()
            .find(|x| x.username.eq_ignore_ascii_case(u))
            .map(|x| x.id)
            .or_else(|| {
                errors.push(("user", "There is no account with that username"));
                None
            }),
    };
    let action = match p.action.as_str() {
        "" => None,
        a => AuditAction::parse(a).or_else(|| {
            errors.push(("action", "Select an action"));
            None
        }),
    };
    let day = |s: &str, field: &'static str, errors: &mut Vec<(&str, &str)>| match s.trim() {
        "" => None,
        d => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| {
                errors.push((
                    field,
                    "Enter the date as YYYY-MM-DD, for example 2026-03-27",
                ))
            })
            .ok(),
    };
    let before = match p.before.trim() {
        "" => None,
        b => store::AuditCursor::parse(b).or_else(|| {
            errors.push((
                "before",
                "The page asked for is not a place in the log: start again",
            ));
            None
        }),
    };
    let from = day(&p.from, "from", &mut errors);
    let to = day(&p.to, "to", &mut errors);
    let midnight = |d: chrono::NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    let entries = if errors.is_empty() {
        state
            .store
            .audit_entries(&AuditQuery {
                person_id,
                actor,
                action,
                from: from.and_then(midnight),
                until: to.and_then(|d| d.succ_opt()).and_then(midnight),
                before,
                limit: PAGE,
            })
            .await?
    } else {
        Vec::new()
    };
    let mut detail = "GET /audit: the audit log".to_string();
    for (k, v) in [
        ("user", &p.user),
        ("action", &p.action),
        ("from", &p.from),
        ("to", &p.to),
    ] {
        if !v.trim().is_empty() {
            detail.push_str(&format!(
                " {k}={}",
                crate::guard::quoted_for_audit(v.trim(), 64)
            ));
        }
    }
    let children: Vec<uuid::Uuid> = entries.iter().filter_map(|e| e.person_id).collect();
    crate::guard::log_disclosure(
        &state,
        &session,
        "audit_log",
        person_id.into_iter().chain(children.iter().copied()),
        &detail,
    )
    .await?;
    let names: HashMap<uuid::Uuid, String> = users
        .iter()
        .map(|u| (u.id, format!("{} ({})", u.display_name, u.username)))
        .collect();
    let child_names = child_names(&state, &children).await;
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
                who => e.actor.map(|a| names.get(&a).cloned().unwrap_or_else(|| a.to_string())).unwrap_or_else(|| "System".into()),
                action => e.action.as_str().replace('_', " "),
                tag_class,
                entity_type => e.entity_type.clone(),
                person_id => e.person_id.map(|p| p.to_string()),
                child => e.person_id.and_then(|p| child_names.get(&p).cloned()),
                detail => e.detail.clone(),
            }
        })
        .collect();
    let next = (entries.len() == PAGE as usize)
        .then(|| entries.last().map(store::AuditCursor::of))
        .flatten()
        .map(|cursor| {
            let q = [
                ("person", &p.person),
                ("user", &p.user),
                ("action", &p.action),
                ("from", &p.from),
                ("to", &p.to),
            ]
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", crate::error::url_encode(v)))
            .chain(std::iter::once(format!("before={}", cursor.to_param())))
            .collect::<Vec<_>>()
            .join("&");
            format!("/audit?{q}")
        });
    let mut actions =
        vec![context! { value => "", text => "Any action", selected => action.is_none() }];
    for a in [
        AuditAction::View,
        AuditAction::Create,
        AuditAction::Update,
        AuditAction::Denied,
        AuditAction::BreakGlass,
        AuditAction::SignIn,
        AuditAction::SignInFailed,
        AuditAction::SignInLocked,
        AuditAction::SignOut,
    ] {
        actions.push(context! { value => a.as_str(), text => a.as_str().replace('_', " "), selected => action == Some(a) });
    }
    let error_list: Vec<_> = errors
        .iter()
        .map(|(f, m)| context! { text => *m, href => format!("#{f}") })
        .collect();
    let field_errors: HashMap<&str, &str> = errors.iter().copied().collect();
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let html = state.templates.page(
        "audit/list.html",
        Some(&session),
        context! {
            title => "Audit log",
            entries => rows,
            q => context! { person => p.person, user => p.user, from => p.from, to => p.to },
            actions,
            error_list,
            errors => field_errors,
            next,
            paged => before.is_some(),
            child_name => person_id.and_then(|p| child_names.get(&p).cloned()),
        },
    )?;
    Ok((status, html).into_response())
}

/// The names of the children entries are about (a record that cannot be read is named by id).
async fn child_names(state: &AppState, ids: &[uuid::Uuid]) -> HashMap<uuid::Uuid, String> {
    let mut names = HashMap::new();
    for id in ids {
        if !names.contains_key(id) {
            let name = match state.store.get_person(*id).await {
                Ok(p) => p.full_name(),
                Err(_) => id.to_string(),
            };
            names.insert(*id, name);
        }
    }
    names
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
    let names = child_names(&state, &children).await;
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
