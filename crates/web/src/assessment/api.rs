use crate::AppState;
use crate::api::ApiError;
use crate::auth::Session;
use crate::error::AppError;
use crate::guard::authorise;
use crate::guard::parse_id;
use crate::policy::Action;
use axum::Json;
use axum::extract::Path;
use axum::extract::State;
use chrono::NaiveDate;
use domain::assessment::Assessment;
use domain::assessment::AssessmentCompletion;
use domain::assessment::AssessmentFramework;
use serde::Deserialize;
use store::StoreError;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
pub struct StartInput {
    pub referral_id: Uuid,
    pub started_on: NaiveDate,
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

#[derive(Deserialize, ToSchema)]
pub struct AuthoriseInput {
    pub version: i64,
    pub authorised_on: NaiveDate,
    /// The manager's comment on the assessment.
    #[serde(default)]
    pub comment: String,
}

/// The assessment as written so far, saved as a draft.
#[derive(Deserialize, ToSchema)]
pub struct DraftInput {
    pub version: i64,
    #[serde(flatten)]
    pub framework: AssessmentFramework,
    #[serde(default)]
    pub summary: String,
}

/// Returning a completed assessment to its worker.
#[derive(Deserialize, ToSchema)]
pub struct ReturnInput {
    pub version: i64,
    /// What the worker should change.
    pub comment: String,
}
