//! The workforce API (`/api/workforce`): workers' files and caseloads, with the same role
//! checks as the pages (refusals audited). The joiner, mover, leaver and absence forms' API
//! operations come from the form path.

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use domain::workforce::caseload::{
    OverLimit, Standards, TeamCaseload, WorkerCaseload, over_asye_limit, team_caseloads,
    worker_caseloads,
};
use domain::workforce::{
    Absence, AbsenceReason, Destination, LeavingReason, Move, OrgRole, StaffMember, Team, Worker,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::api::ApiError;
use crate::auth::Session;
use crate::error::AppError;
use crate::forms::fields::today;
use crate::policy::Action;
use crate::workforce::allow;

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(workers, worker, caseloads),
    components(schemas(
        StaffMember,
        Worker,
        Team,
        Move,
        Absence,
        OrgRole,
        LeavingReason,
        Destination,
        AbsenceReason,
        Caseloads,
        WorkerCaseload,
        TeamCaseload,
        Standards,
        OverLimit
    ))
)]
pub struct Doc;

/// Every worker's file, by name.
#[utoipa::path(get, path = "/api/workforce/workers", tag = "workforce",
    responses((status = 200, body = [StaffMember]), (status = 403, body = ApiError)))]
pub async fn workers(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, AppError> {
    allow(
        &state,
        &session,
        Action::ViewWorkforce,
        "GET /api/workforce/workers",
        true,
    )
    .await?;
    Ok(Json(state.store.staff().await?).into_response())
}

/// A worker's file, with their moves and absences.
#[utoipa::path(get, path = "/api/workforce/workers/{id}", tag = "workforce",
    params(("id" = String, Path)),
    responses((status = 200, body = StaffMember), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn worker(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = crate::guard::parse_id(&id, true)?;
    allow(
        &state,
        &session,
        Action::ViewWorkforce,
        &format!("GET /api/workforce/workers/{id}"),
        true,
    )
    .await?;
    match state.store.staff_member(id).await {
        Ok(m) => Ok(Json(m).into_response()),
        Err(store::StoreError::NotFound(_)) => Err(AppError::NotFound { api: true }),
        Err(e) => Err(e.into()),
    }
}

/// Caseloads today: each worker's, each team's and the service's.
#[derive(Debug, Serialize, ToSchema)]
pub struct Caseloads {
    pub on: chrono::NaiveDate,
    pub workers: Vec<WorkerCaseload>,
    pub teams: Vec<TeamCaseload>,
    pub service: TeamCaseload,
    /// England's average caseload (the catalogue's indicator 44), for comparison.
    pub england: Option<f64>,
    pub region: Option<f64>,
    pub statistical_neighbours: Option<f64>,
    /// The council's standards the weighted caseload and the ASYE limit use.
    pub standards: Standards,
    /// Workers in their ASYE holding more than the protected caseload.
    pub over_asye_limit: Vec<OverLimit>,
}

pub(crate) async fn caseloads_today(
    state: &AppState,
) -> Result<(Vec<StaffMember>, Caseloads), AppError> {
    let day = today();
    let staff = state.store.staff().await?;
    let held = state.store.cases_held(day).await?;
    let siblings = state.store.sibling_pairs().await?;
    let standards = state.store.workforce_standards().await?;
    let workers = worker_caseloads(&staff, &held, &siblings, &standards, day);
    let (teams, service) = team_caseloads(&workers);
    let ind = metrics::catalogue::find("44");
    Ok((
        staff,
        Caseloads {
            on: day,
            teams,
            service,
            england: ind.and_then(|i| i.england),
            region: ind.and_then(|i| i.region),
            statistical_neighbours: ind.and_then(|i| i.sn_mean),
            over_asye_limit: over_asye_limit(&workers, &standards),
            workers,
            standards,
        },
    ))
}

/// Caseloads today, per worker and per team, beside England's, the region's and the
/// statistical neighbours' averages.
#[utoipa::path(get, path = "/api/workforce/caseloads", tag = "workforce",
    responses((status = 200, body = Caseloads), (status = 403, body = ApiError)))]
pub async fn caseloads(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, AppError> {
    allow(
        &state,
        &session,
        Action::ViewWorkforce,
        "GET /api/workforce/caseloads",
        true,
    )
    .await?;
    Ok(Json(caseloads_today(&state).await?.1).into_response())
}
