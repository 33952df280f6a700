use crate::AppState;
use crate::api::ApiError;
use crate::auth::Session;
use crate::auth::deny;
use crate::error::AppError;
use crate::policy::Action;
use crate::policy::check_record;
use crate::policy::check_role;
use axum::Json;
use axum::extract::Query;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::response::Response;
use domain::access::Role;
use domain::calendar::uk_now;
use domain::work::DueItem;
use serde::Deserialize;
use store::WorkScope;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
pub struct WorkParams {
    /// "mine" (the default for social workers), "team" (the default for managers) or "all"
    /// (managers only).
    #[serde(default)]
    pub scope: String,
}

/// Work due and overdue, soonest first, for the user, their team or the service.
#[utoipa::path(get, path = "/api/work", params(WorkParams),
    responses((status = 200, body = [DueItem]), (status = 403, body = ApiError)))]
pub(crate) async fn work_due(
    State(state): State<AppState>,
    session: Session,
    Query(p): Query<WorkParams>,
) -> Result<Response, AppError> {
    if let Err(d) = check_role(&session.user, Action::ViewWorkDue) {
        return Err(deny(&state, &session, None, "GET /api/work", d.0, true).await);
    }
    let manager = session.user.role == Role::TeamManager;
    let workers = state.store.list_workers().await?;
    let me = session
        .user
        .worker_id
        .and_then(|w| workers.into_iter().find(|x| x.id == w));
    let scope = match (p.scope.as_str(), &me) {
        ("all", _) if manager => Some(WorkScope::All),
        ("all", _) => {
            return Err(deny(
                &state,
                &session,
                None,
                "GET /api/work?scope=all",
                "only managers see the whole service's work".into(),
                true,
            )
            .await);
        }
        ("team", Some(w)) | ("", Some(w)) if manager => {
            w.team_id.map(WorkScope::Team).or(Some(WorkScope::All))
        }
        ("", None) | ("team", None) if manager => Some(WorkScope::All),
        (_, Some(w)) => Some(WorkScope::Worker(w.id)),
        (_, None) => None,
    };
    let items = match scope {
        Some(s) => {
            let today = uk_now().date();
            let mut items = state.store.work_due(s, today).await?;
            items.extend(
                state
                    .store
                    .visits_due(s, today, state.config.visit_standards)
                    .await?,
            );
            items.sort_by(|a, b| {
                a.due
                    .cmp(&b.due)
                    .then_with(|| a.child_name.cmp(&b.child_name))
            });
            items
        }
        None => Vec::new(),
    };
    let mut out = Vec::with_capacity(items.len());
    for i in items {
        if !manager && i.what == "Front-door decision" {
            continue;
        }
        if let Some(child) = i.child_id {
            let facts = state.store.access_facts(child).await?;
            if check_record(&session.user, Action::ViewRecord, &facts).is_err() {
                continue;
            }
        }
        out.push(i);
    }
    Ok(Json(out).into_response())
}
