use crate::AppState;
use crate::api::ApiError;
use crate::api::ValidationErrors;
use crate::api::body;
use crate::api::created;
use crate::api::store_field_error;
use crate::auth::Session;
use crate::error::AppError;
use crate::guard::authorise;
use crate::guard::case_child;
use crate::guard::parse_id;
use crate::policy::Action;
use axum::Json;
use axum::extract::Path;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::response::IntoResponse;
use axum::response::Response;

/// Starts early help for a child.
#[utoipa::path(post, path = "/api/children/{id}/early-help", request_body = domain::early_help::NewEarlyHelp,
    responses((status = 201, body = domain::early_help::EarlyHelp), (status = 422, body = ValidationErrors), (status = 403, body = ApiError)))]
pub(crate) async fn start_early_help(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Result<Json<domain::early_help::NewEarlyHelp>, JsonRejection>,
) -> Result<Response, AppError> {
    let id = parse_id(&id, true)?;
    authorise(
        &state,
        &session,
        id,
        Action::RecordCasework,
        &format!("POST /api/children/{id}/early-help"),
        true,
    )
    .await?;
    let b = body!(body);
    match state.store.start_early_help(session.actor(), id, b).await {
        Ok(v) => Ok(created(v)),
        Err(e) => store_field_error(e),
    }
}

/// Ends early help; "step_up" sends a contact to the front door.
#[utoipa::path(post, path = "/api/early-help/{id}/end", request_body = domain::early_help::EarlyHelpEnd,
    responses((status = 200, body = domain::early_help::EarlyHelp), (status = 422, body = ValidationErrors), (status = 403, body = ApiError)))]
pub(crate) async fn end_early_help(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Result<Json<domain::early_help::EarlyHelpEnd>, JsonRejection>,
) -> Result<Response, AppError> {
    let (id, _) = case_child(
        &state,
        &session,
        store::CaseRecord::EarlyHelp,
        &id,
        Action::RecordCasework,
        "POST /api/early-help/end",
    )
    .await?;
    let b = body!(body);
    match state.store.end_early_help(session.actor(), id, b).await {
        Ok(v) => Ok(Json(v).into_response()),
        Err(e) => store_field_error(e),
    }
}
