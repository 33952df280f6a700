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
use chrono::NaiveDate;
use serde::Deserialize;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct StrategyInput {
    pub held_on: NaiveDate,
    pub agencies: Vec<String>,
    pub s47: bool,
    pub notes: String,
}

#[derive(Serialize, ToSchema)]
pub struct StrategyRecorded {
    pub strategy: domain::child_protection::Strategy,
    pub s47: Option<domain::child_protection::S47>,
}

/// Records a strategy discussion on a referral; `s47` starts a section 47 enquiry.
#[utoipa::path(post, path = "/api/referrals/{id}/strategy-discussions", request_body = StrategyInput,
    responses((status = 201, body = StrategyRecorded), (status = 422, body = ValidationErrors), (status = 403, body = ApiError)))]
pub(crate) async fn record_strategy(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Result<Json<StrategyInput>, JsonRejection>,
) -> Result<Response, AppError> {
    let (id, _) = case_child(
        &state,
        &session,
        store::CaseRecord::Referral,
        &id,
        Action::RecordCasework,
        "POST /api/referrals/strategy-discussions",
    )
    .await?;
    let b = body!(body);
    let s = domain::child_protection::NewStrategy {
        referral_id: id,
        held_on: b.held_on,
        agencies: b.agencies,
        s47: b.s47,
        notes: b.notes,
    };
    match state.store.record_strategy(session.actor(), s).await {
        Ok((strategy, s47)) => Ok(created(StrategyRecorded { strategy, s47 })),
        Err(e) => store_field_error(e),
    }
}

/// Records the outcome of a section 47 enquiry.
#[utoipa::path(post, path = "/api/s47/{id}/completion", request_body = domain::child_protection::S47Completion,
    responses((status = 200, body = domain::child_protection::S47), (status = 422, body = ValidationErrors), (status = 403, body = ApiError)))]
pub(crate) async fn complete_s47(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Result<Json<domain::child_protection::S47Completion>, JsonRejection>,
) -> Result<Response, AppError> {
    let (id, _) = case_child(
        &state,
        &session,
        store::CaseRecord::S47,
        &id,
        Action::RecordCasework,
        "POST /api/s47/completion",
    )
    .await?;
    let b = body!(body);
    match state.store.complete_s47(session.actor(), id, b).await {
        Ok(v) => Ok(Json(v).into_response()),
        Err(e) => store_field_error(e),
    }
}

/// Records an initial or review child protection conference.
#[utoipa::path(post, path = "/api/children/{id}/conferences", request_body = domain::child_protection::NewConference,
    responses((status = 201, body = domain::child_protection::Conference), (status = 422, body = ValidationErrors), (status = 403, body = ApiError)))]
pub(crate) async fn record_conference(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Result<Json<domain::child_protection::NewConference>, JsonRejection>,
) -> Result<Response, AppError> {
    let id = parse_id(&id, true)?;
    authorise(
        &state,
        &session,
        id,
        Action::RecordCasework,
        &format!("POST /api/children/{id}/conferences"),
        true,
    )
    .await?;
    let b = body!(body);
    match state.store.record_conference(session.actor(), id, b).await {
        Ok(v) => Ok(created(v)),
        Err(e) => store_field_error(e),
    }
}

/// Records a core group meeting on a child protection plan.
#[utoipa::path(post, path = "/api/cp-plans/{id}/core-groups", request_body = domain::child_protection::NewCoreGroup,
    responses((status = 200, body = domain::child_protection::CpPlan), (status = 422, body = ValidationErrors), (status = 403, body = ApiError)))]
pub(crate) async fn record_core_group(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Result<Json<domain::child_protection::NewCoreGroup>, JsonRejection>,
) -> Result<Response, AppError> {
    let (id, _) = case_child(
        &state,
        &session,
        store::CaseRecord::CpPlan,
        &id,
        Action::RecordCasework,
        "POST /api/cp-plans/core-groups",
    )
    .await?;
    let b = body!(body);
    match state.store.record_core_group(session.actor(), id, b).await {
        Ok(v) => Ok(Json(v).into_response()),
        Err(e) => store_field_error(e),
    }
}
