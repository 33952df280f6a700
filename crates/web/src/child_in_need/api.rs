use crate::AppState;
use crate::api::ApiError;
use crate::api::ValidationErrors;
use crate::api::body;
use crate::api::created;
use crate::api::store_field_error;
use crate::auth::Session;
use crate::error::AppError;
use crate::guard::case_child;
use crate::policy::Action;
use axum::Json;
use axum::extract::Path;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::response::IntoResponse;
use axum::response::Response;
use chrono::NaiveDate;
use domain::front_door::Referral;
use serde::Deserialize;
use utoipa::ToSchema;

/// Closes the child in need episode a referral began, with the CIN census reason.
#[utoipa::path(post, path = "/api/referrals/{id}/closure", request_body = domain::child_in_need::EpisodeClosure,
    responses((status = 200, body = Referral), (status = 422, body = ValidationErrors), (status = 403, body = ApiError)))]
pub(crate) async fn close_referral(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Result<Json<domain::child_in_need::EpisodeClosure>, JsonRejection>,
) -> Result<Response, AppError> {
    let (id, _) = case_child(
        &state,
        &session,
        store::CaseRecord::Referral,
        &id,
        Action::RecordCasework,
        "POST /api/referrals/closure",
    )
    .await?;
    let b = body!(body);
    match state.store.close_referral(session.actor(), id, b).await {
        Ok(v) => Ok(Json(v).into_response()),
        Err(e) => store_field_error(e),
    }
}

#[derive(Deserialize, ToSchema)]
pub struct CinPlanInput {
    pub started_on: NaiveDate,
    pub primary_need: String,
}

/// Starts a child in need plan on a referral.
#[utoipa::path(post, path = "/api/referrals/{id}/cin-plans", request_body = CinPlanInput,
    responses((status = 201, body = domain::child_in_need::CinPlan), (status = 422, body = ValidationErrors), (status = 403, body = ApiError)))]
pub(crate) async fn start_cin_plan(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Result<Json<CinPlanInput>, JsonRejection>,
) -> Result<Response, AppError> {
    let (id, _) = case_child(
        &state,
        &session,
        store::CaseRecord::Referral,
        &id,
        Action::RecordCasework,
        "POST /api/referrals/cin-plans",
    )
    .await?;
    let b = body!(body);
    let p = domain::child_in_need::NewCinPlan {
        referral_id: id,
        started_on: b.started_on,
        primary_need: b.primary_need,
    };
    match state.store.start_cin_plan(session.actor(), p).await {
        Ok(v) => Ok(created(v)),
        Err(e) => store_field_error(e),
    }
}

/// Adds a SMART action (need, action, owner, due date) to a plan.
#[utoipa::path(post, path = "/api/cin-plans/{id}/actions", request_body = domain::child_in_need::NewPlanAction,
    responses((status = 200, body = domain::child_in_need::CinPlan), (status = 422, body = ValidationErrors), (status = 403, body = ApiError)))]
pub(crate) async fn add_plan_action(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Result<Json<domain::child_in_need::NewPlanAction>, JsonRejection>,
) -> Result<Response, AppError> {
    let (id, _) = case_child(
        &state,
        &session,
        store::CaseRecord::CinPlan,
        &id,
        Action::RecordCasework,
        "POST /api/cin-plans/actions",
    )
    .await?;
    let b = body!(body);
    match state.store.add_plan_action(session.actor(), id, b).await {
        Ok(v) => Ok(Json(v).into_response()),
        Err(e) => store_field_error(e),
    }
}

/// Records progress on a plan action.
#[utoipa::path(post, path = "/api/plan-actions/{id}/progress", request_body = domain::child_in_need::ActionProgress,
    responses((status = 200, body = domain::child_in_need::CinPlan), (status = 422, body = ValidationErrors), (status = 403, body = ApiError)))]
pub(crate) async fn update_plan_action(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Result<Json<domain::child_in_need::ActionProgress>, JsonRejection>,
) -> Result<Response, AppError> {
    let (id, _) = case_child(
        &state,
        &session,
        store::CaseRecord::PlanAction,
        &id,
        Action::RecordCasework,
        "POST /api/plan-actions/progress",
    )
    .await?;
    let b = body!(body);
    match state.store.update_plan_action(session.actor(), id, b).await {
        Ok(v) => Ok(Json(v).into_response()),
        Err(e) => store_field_error(e),
    }
}

/// Records a review of a child in need plan.
#[utoipa::path(post, path = "/api/cin-plans/{id}/reviews", request_body = domain::child_in_need::PlanReview,
    responses((status = 200, body = domain::child_in_need::CinPlan), (status = 422, body = ValidationErrors), (status = 403, body = ApiError)))]
pub(crate) async fn review_cin_plan(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Result<Json<domain::child_in_need::PlanReview>, JsonRejection>,
) -> Result<Response, AppError> {
    let (id, _) = case_child(
        &state,
        &session,
        store::CaseRecord::CinPlan,
        &id,
        Action::RecordCasework,
        "POST /api/cin-plans/reviews",
    )
    .await?;
    let b = body!(body);
    match state.store.review_cin_plan(session.actor(), id, b).await {
        Ok(v) => Ok(Json(v).into_response()),
        Err(e) => store_field_error(e),
    }
}

#[derive(Deserialize, ToSchema)]
pub struct EndInput {
    pub ended_on: NaiveDate,
}

/// Ends a child in need plan.
#[utoipa::path(post, path = "/api/cin-plans/{id}/end", request_body = EndInput,
    responses((status = 200, body = domain::child_in_need::CinPlan), (status = 422, body = ValidationErrors), (status = 403, body = ApiError)))]
pub(crate) async fn end_cin_plan(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Result<Json<EndInput>, JsonRejection>,
) -> Result<Response, AppError> {
    let (id, _) = case_child(
        &state,
        &session,
        store::CaseRecord::CinPlan,
        &id,
        Action::RecordCasework,
        "POST /api/cin-plans/end",
    )
    .await?;
    let b = body!(body);
    match state
        .store
        .end_cin_plan(session.actor(), id, b.ended_on)
        .await
    {
        Ok(v) => Ok(Json(v).into_response()),
        Err(e) => store_field_error(e),
    }
}
