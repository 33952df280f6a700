use crate::AppState;
use crate::api::ApiError;
use crate::auth::Session;
use crate::error::AppError;
use crate::work::work_for;
use axum::Json;
use axum::extract::Query;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::response::Response;
use domain::work::DueItem;
use serde::Deserialize;
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
    let view = work_for(&state, &session, &p.scope, true).await?;
    Ok(Json(view.items).into_response())
}
