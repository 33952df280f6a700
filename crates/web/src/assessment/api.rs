use crate::AppState;
use crate::api::ApiError;
use crate::api::ValidationErrors;
use crate::api::body;
use crate::api::store_field_error;
use crate::api::unprocessable;
use crate::auth::Session;
use crate::error::AppError;
use crate::guard::authorise;
use crate::guard::parse_id;
use crate::policy::Action;
use axum::Json;
use axum::extract::Path;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use chrono::NaiveDate;
use domain::assessment::Assessment;
use domain::assessment::AssessmentCompletion;
use domain::calendar::uk_now;
use serde::Deserialize;
use store::StoreError;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
pub struct StartInput {
    pub referral_id: Uuid,
    pub started_on: NaiveDate,
}

/// Starts a single assessment on one of the child's referrals; due 45 working days from it.
#[utoipa::path(post, path = "/api/children/{id}/assessments", request_body = StartInput,
    responses((status = 201, body = Assessment), (status = 422, body = ValidationErrors), (status = 403, body = ApiError)))]
pub(crate) async fn start_assessment(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Result<Json<StartInput>, JsonRejection>,
) -> Result<Response, AppError> {
    let id = parse_id(&id, true)?;
    authorise(
        &state,
        &session,
        id,
        Action::RecordCasework,
        &format!("POST /api/children/{id}/assessments"),
        true,
    )
    .await?;
    let input = body!(body);
    let rec = state
        .store
        .view_child_record(session.actor(), id, "POST /api/children/assessments")
        .await?;
    if !rec
        .front_door
        .referrals
        .iter()
        .any(|r| r.id == input.referral_id)
    {
        return Ok(unprocessable(vec![domain::validate::FieldError::new(
            "referral_id",
            "This child has no referral with that id",
        )]));
    }
    match state
        .store
        .start_assessment(session.actor(), input.referral_id, input.started_on)
        .await
    {
        Ok(a) => Ok((StatusCode::CREATED, Json(a)).into_response()),
        Err(e) => store_field_error(e),
    }
}

pub(crate) async fn assessment_checked(
    state: &AppState,
    session: &Session,
    id: &str,
    action: Action,
    what: &str,
) -> Result<Assessment, AppError> {
    let id = parse_id(id, true)?;
    let a = match state.store.get_assessment(id).await {
        Ok(a) => a,
        Err(StoreError::NotFound(_)) => return Err(AppError::NotFound { api: true }),
        Err(e) => return Err(e.into()),
    };
    authorise(
        state,
        session,
        a.child_id,
        action,
        &format!("{what} /api/assessments/{id}"),
        true,
    )
    .await?;
    Ok(a)
}

/// An assessment (an access entry on the child's record).
#[utoipa::path(get, path = "/api/assessments/{id}",
    responses((status = 200, body = Assessment), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub(crate) async fn get_assessment(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Json<Assessment>, AppError> {
    let a = assessment_checked(&state, &session, &id, Action::ViewRecord, "GET").await?;
    state
        .store
        .record_event(
            session.actor(),
            domain::access::AuditAction::View,
            Some(a.child_id),
            &format!("GET /api/assessments/{}", a.id),
        )
        .await?;
    Ok(Json(a))
}

#[derive(Deserialize, ToSchema)]
pub struct CompletionInput {
    pub version: i64,
    #[serde(flatten)]
    pub completion: AssessmentCompletion,
}

/// Completes an assessment: date, CIN census factors, outcome and summary.
#[utoipa::path(post, path = "/api/assessments/{id}/completion", request_body = CompletionInput,
    responses((status = 200, body = Assessment), (status = 422, body = ValidationErrors), (status = 403, body = ApiError), (status = 409, body = ApiError)))]
pub(crate) async fn complete_assessment(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Result<Json<CompletionInput>, JsonRejection>,
) -> Result<Response, AppError> {
    let a = assessment_checked(
        &state,
        &session,
        &id,
        Action::RecordCasework,
        "POST completion",
    )
    .await?;
    let input = body!(body);
    let errors = input.completion.validate(a.started_on, uk_now().date());
    if !errors.is_empty() {
        return Ok(unprocessable(errors));
    }
    match state
        .store
        .complete_assessment(session.actor(), a.id, input.version, input.completion)
        .await
    {
        Ok(a) => Ok(Json(a).into_response()),
        Err(e) => store_field_error(e),
    }
}

#[derive(Deserialize, ToSchema)]
pub struct AuthoriseInput {
    pub version: i64,
    pub authorised_on: NaiveDate,
}

/// A manager authorises a completed assessment.
#[utoipa::path(post, path = "/api/assessments/{id}/authorisation", request_body = AuthoriseInput,
    responses((status = 200, body = Assessment), (status = 422, body = ValidationErrors), (status = 403, body = ApiError), (status = 409, body = ApiError)))]
pub(crate) async fn authorise_assessment(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Result<Json<AuthoriseInput>, JsonRejection>,
) -> Result<Response, AppError> {
    let a =
        assessment_checked(&state, &session, &id, Action::Oversee, "POST authorisation").await?;
    let input = body!(body);
    match state
        .store
        .authorise_assessment(session.actor(), a.id, input.version, input.authorised_on)
        .await
    {
        Ok(a) => Ok(Json(a).into_response()),
        Err(e) => store_field_error(e),
    }
}
