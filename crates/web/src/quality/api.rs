//! The case file audits API (`/api/case-file-audits`): programmes and their samples, the
//! template, audits with their moderations and learning actions, and themes. The same role
//! checks as the pages (refusals audited); the store validates as the domain does.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Json, extract};
use domain::quality::{
    Audit, DomainCounts, DomainGrade, Grade, GradeChange, GradeCounts, LearningAction,
    ModeratedGrade, Moderation, NewLearningAction, NewModeration, NewProgramme, Programme,
    QuarterRow, SampledCase, Sampling, ScopeKind, TemplateDomain, ThemeRow, Weakness,
};

use crate::AppState;
use crate::api::{ApiError, store_field_error};
use crate::auth::Session;
use crate::error::AppError;
use crate::policy::Action;
use crate::quality::themes::Period;
use crate::quality::{allow, open_audit, open_programme};

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        programmes,
        create_programme,
        programme,
        template,
        save_template_domain,
        themes,
        trends,
        audit,
        moderate,
        add_action
    ),
    components(schemas(
        Programme,
        SampledCase,
        NewProgramme,
        Sampling,
        ScopeKind,
        TemplateDomain,
        Audit,
        DomainGrade,
        Grade,
        Moderation,
        GradeChange,
        NewModeration,
        ModeratedGrade,
        LearningAction,
        NewLearningAction,
        ThemeRow,
        GradeCounts,
        Trends,
        QuarterRow,
        DomainCounts,
        Weakness
    ))
)]
pub struct Doc;

fn created<T: serde::Serialize>(v: T) -> Response {
    (StatusCode::CREATED, Json(v)).into_response()
}

/// The programmes the user may see, newest first.
#[utoipa::path(get, path = "/api/case-file-audits/programmes",
    responses((status = 200, body = [Programme]), (status = 403, body = ApiError)))]
pub(crate) async fn programmes(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, AppError> {
    let what = "GET /api/case-file-audits/programmes";
    allow(&state, &session, Action::ViewAudits, what, true).await?;
    let auditor = session.user.role == domain::access::Role::Auditor;
    let list: Vec<Programme> = state
        .store
        .programmes()
        .await?
        .into_iter()
        .filter(|p| !auditor || p.auditors.contains(&session.user.id))
        .collect();
    let children: Vec<uuid::Uuid> = list
        .iter()
        .flat_map(|p| p.sample.iter().map(|c| c.child_id))
        .collect();
    crate::guard::log_disclosure(&state, &session, "audit_sample", children, what).await?;
    Ok(Json(list).into_response())
}

/// Sets up a programme and draws its sample (a random sample from its seed, or chosen cases).
#[utoipa::path(post, path = "/api/case-file-audits/programmes", request_body = NewProgramme,
    responses((status = 201, body = Programme), (status = 422, body = crate::api::ValidationErrors), (status = 403, body = ApiError)))]
pub(crate) async fn create_programme(
    State(state): State<AppState>,
    session: Session,
    body: Result<Json<NewProgramme>, JsonRejection>,
) -> Result<Response, AppError> {
    allow(
        &state,
        &session,
        Action::RunAudits,
        "POST /api/case-file-audits/programmes",
        true,
    )
    .await?;
    let p = crate::api::body!(body);
    match state.store.create_programme(session.actor(), p).await {
        Ok(p) => Ok(created(p)),
        Err(e) => store_field_error(e),
    }
}

/// A programme with its sample and the auditor of each case.
#[utoipa::path(get, path = "/api/case-file-audits/programmes/{id}", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Programme), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub(crate) async fn programme(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let what = format!("GET /api/case-file-audits/programmes/{id}");
    Ok(Json(open_programme(&state, &session, &id, &what, true).await?).into_response())
}

/// The audit template: its domains, active and retired, in order.
#[utoipa::path(get, path = "/api/case-file-audits/template",
    responses((status = 200, body = [TemplateDomain]), (status = 403, body = ApiError)))]
pub(crate) async fn template(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, AppError> {
    allow(
        &state,
        &session,
        Action::ViewAudits,
        "GET /api/case-file-audits/template",
        true,
    )
    .await?;
    Ok(Json(state.store.audit_template().await?).into_response())
}

/// Adds a domain to the template or changes one (by its key): the council's template, changed
/// without code.
#[utoipa::path(put, path = "/api/case-file-audits/template", request_body = TemplateDomain,
    responses((status = 200, body = [TemplateDomain]), (status = 422, body = crate::api::ValidationErrors), (status = 403, body = ApiError)))]
pub(crate) async fn save_template_domain(
    State(state): State<AppState>,
    session: Session,
    body: Result<Json<TemplateDomain>, JsonRejection>,
) -> Result<Response, AppError> {
    allow(
        &state,
        &session,
        Action::RunAudits,
        "PUT /api/case-file-audits/template",
        true,
    )
    .await?;
    let d = crate::api::body!(body);
    match state.store.save_template_domain(session.actor(), d).await {
        Ok(()) => Ok(Json(state.store.audit_template().await?).into_response()),
        Err(e) => store_field_error(e),
    }
}

/// Grades by domain and team (a row with no team is every team's) of the audits recorded in
/// the period, each with the share good or better.
#[utoipa::path(get, path = "/api/case-file-audits/themes", params(Period),
    responses((status = 200, body = [ThemeRow]), (status = 403, body = ApiError)))]
pub(crate) async fn themes(
    State(state): State<AppState>,
    session: Session,
    Query(p): Query<Period>,
) -> Result<Response, AppError> {
    allow(
        &state,
        &session,
        Action::ViewAudits,
        "GET /api/case-file-audits/themes",
        true,
    )
    .await?;
    Ok(Json(crate::quality::themes::rows(&state, &p).await?).into_response())
}

/// The trend of a period's audits by quarter, and its recurring weaknesses.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Trends {
    /// Every quarter of the period, with each domain's grades (every team together).
    pub quarters: Vec<QuarterRow>,
    /// Domains mostly graded requires improvement or inadequate in two or more consecutive
    /// quarters, for every team together (no team) and for each team.
    pub weaknesses: Vec<Weakness>,
}

/// The grades of the period's audits by quarter, and the recurring weaknesses.
#[utoipa::path(get, path = "/api/case-file-audits/trends", params(Period),
    responses((status = 200, body = Trends), (status = 403, body = ApiError)))]
pub(crate) async fn trends(
    State(state): State<AppState>,
    session: Session,
    Query(p): Query<Period>,
) -> Result<Response, AppError> {
    allow(
        &state,
        &session,
        Action::ViewAudits,
        "GET /api/case-file-audits/trends",
        true,
    )
    .await?;
    let (from, to) = p.dates();
    let t = crate::quality::themes::gather(&state, from, to).await?;
    Ok(Json(Trends {
        quarters: t.quarters,
        weaknesses: t.weaknesses,
    })
    .into_response())
}

/// An audit with its grades (as moderated), moderations and learning actions.
#[utoipa::path(get, path = "/api/case-file-audits/{id}", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Audit), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub(crate) async fn audit(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let what = format!("GET /api/case-file-audits/{id}");
    Ok(Json(open_audit(&state, &session, &id, &what, true).await?.0).into_response())
}

/// A second auditor of the programme agrees with the grades or changes them with a reason.
#[utoipa::path(post, path = "/api/case-file-audits/{id}/moderations", params(("id" = uuid::Uuid, Path)), request_body = NewModeration,
    responses((status = 200, body = Audit), (status = 422, body = crate::api::ValidationErrors), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub(crate) async fn moderate(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Result<extract::Json<NewModeration>, JsonRejection>,
) -> Result<Response, AppError> {
    let what = format!("POST /api/case-file-audits/{id}/moderations");
    allow(&state, &session, Action::RecordAudit, &what, true).await?;
    let (a, _) = open_audit(&state, &session, &id, &what, true).await?;
    let m = crate::api::body!(body);
    match state.store.moderate_audit(session.actor(), a.id, m).await {
        Ok(a) => Ok(Json(a).into_response()),
        Err(e) => store_field_error(e),
    }
}

/// A learning action from the audit, for a worker or manager with its due date.
#[utoipa::path(post, path = "/api/case-file-audits/{id}/learning-actions", params(("id" = uuid::Uuid, Path)), request_body = NewLearningAction,
    responses((status = 201, body = LearningAction), (status = 422, body = crate::api::ValidationErrors), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub(crate) async fn add_action(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Result<Json<NewLearningAction>, JsonRejection>,
) -> Result<Response, AppError> {
    let what = format!("POST /api/case-file-audits/{id}/learning-actions");
    allow(&state, &session, Action::RecordAudit, &what, true).await?;
    let (a, _) = open_audit(&state, &session, &id, &what, true).await?;
    let x = crate::api::body!(body);
    match state
        .store
        .add_learning_action(session.actor(), a.id, x)
        .await
    {
        Ok(x) => Ok(created(x)),
        Err(e) => store_field_error(e),
    }
}
