//! The journey's JSON API: contacts, partner checks and front-door decisions, assessments,
//! visits and notes, and the work due. Same role checks, validation and audit as the pages.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::NaiveDate;
use domain::journey::{
    Assessment, AssessmentCompletion, Contact, DueItem, NewContact, NewDecision, NewNote,
    NewPartnerCheck, Note, NoteKind, PartnerCheck, Referral, uk_now,
};
use domain::record::Role;
use serde::{Deserialize, Serialize};
use store::{StoreError, WorkScope};
use utoipa::{IntoParams, OpenApi, ToSchema};
use uuid::Uuid;

use crate::AppState;
use crate::api::{ApiError, ValidationErrors, bad_json, store_field_error, unprocessable};
use crate::auth::{Session, deny};
use crate::error::AppError;
use crate::pages::children::{authorise, parse_id};
use crate::policy::{Action, check_record, check_role};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/front-door", get(front_door))
        .route("/api/contacts", post(create_contact))
        .route("/api/contacts/{id}", get(get_contact))
        .route("/api/contacts/{id}/checks", post(add_check))
        .route("/api/contacts/{id}/decision", post(decide))
        .route("/api/children/{id}/assessments", post(start_assessment))
        .route("/api/assessments/{id}", get(get_assessment))
        .route(
            "/api/assessments/{id}/completion",
            post(complete_assessment),
        )
        .route(
            "/api/assessments/{id}/authorisation",
            post(authorise_assessment),
        )
        .route("/api/children/{id}/notes", post(add_note))
        .route("/api/work", get(work_due))
}

#[derive(OpenApi)]
#[openapi(
    paths(
        front_door,
        create_contact,
        get_contact,
        add_check,
        decide,
        start_assessment,
        get_assessment,
        complete_assessment,
        authorise_assessment,
        add_note,
        work_due
    ),
    components(schemas(
        Contact,
        NewContact,
        NewPartnerCheck,
        PartnerCheck,
        NewDecision,
        DecisionInput,
        Decided,
        Referral,
        Assessment,
        StartInput,
        CompletionInput,
        AuthoriseInput,
        AssessmentCompletion,
        NewNote,
        Note,
        NoteKind,
        DueItem
    ))
)]
pub struct JourneyDoc;

macro_rules! body {
    ($b:expr) => {
        match $b {
            Ok(Json(b)) => b,
            Err(r) => return Ok(bad_json(r)),
        }
    };
}

/// Checks the user may do `action` for every child in `children` (refusals audited).
async fn authorise_children(
    state: &AppState,
    session: &Session,
    children: &[Uuid],
    action: Action,
    what: &str,
) -> Result<(), AppError> {
    for c in children {
        authorise(state, session, *c, action, what, true).await?;
    }
    Ok(())
}

async fn contact_children(state: &AppState, id: Uuid) -> Result<Vec<Uuid>, AppError> {
    match state.store.contact_children(id).await {
        Ok(c) => Ok(c),
        Err(StoreError::NotFound(_)) => Err(AppError::NotFound { api: true }),
        Err(e) => Err(e.into()),
    }
}

/// Contacts waiting for a front-door decision, oldest first. Restricted children are named only
/// to managers.
#[utoipa::path(get, path = "/api/front-door",
    responses((status = 200, body = [Contact]), (status = 403, body = ApiError)))]
async fn front_door(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<Vec<Contact>>, AppError> {
    if let Err(d) = check_role(&session.user, Action::ViewFrontDoor) {
        return Err(deny(&state, &session, None, "GET /api/front-door", d.0, true).await);
    }
    let mut queue = state.store.front_door_queue().await?;
    let sees_restricted = session.user.role.sees_restricted_records();
    for c in &mut queue {
        for k in &mut c.children {
            if k.restricted && !sees_restricted {
                k.name = "Restricted record".into();
            }
        }
    }
    Ok(Json(queue))
}

/// Records a contact about one or more children. `received_at` is UK local time.
#[utoipa::path(post, path = "/api/contacts", request_body = NewContact,
    responses((status = 201, body = Contact), (status = 422, body = ValidationErrors), (status = 403, body = ApiError)))]
async fn create_contact(
    State(state): State<AppState>,
    session: Session,
    body: Result<Json<NewContact>, JsonRejection>,
) -> Result<Response, AppError> {
    if let Err(d) = check_role(&session.user, Action::RecordContact) {
        return Err(deny(&state, &session, None, "POST /api/contacts", d.0, true).await);
    }
    let c = body!(body);
    let errors = c.validate(uk_now());
    if !errors.is_empty() {
        return Ok(unprocessable(errors));
    }
    authorise_children(
        &state,
        &session,
        &c.children,
        Action::RecordContact,
        "POST /api/contacts",
    )
    .await?;
    match state.store.record_contact(session.actor(), c).await {
        Ok(c) => Ok((StatusCode::CREATED, Json(c)).into_response()),
        Err(e) => store_field_error(e),
    }
}

/// A contact with its children, checks and decision (an access entry for each child).
#[utoipa::path(get, path = "/api/contacts/{id}",
    responses((status = 200, body = Contact), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn get_contact(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Json<Contact>, AppError> {
    let id = parse_id(&id, true)?;
    let children = contact_children(&state, id).await?;
    authorise_children(
        &state,
        &session,
        &children,
        Action::ViewRecord,
        &format!("GET /api/contacts/{id}"),
    )
    .await?;
    Ok(Json(
        state
            .store
            .view_contact(session.actor(), id, "GET /api/contacts")
            .await?,
    ))
}

/// Records a check made with a partner agency about a contact.
#[utoipa::path(post, path = "/api/contacts/{id}/checks", request_body = NewPartnerCheck,
    responses((status = 201, body = PartnerCheck), (status = 422, body = ValidationErrors), (status = 403, body = ApiError)))]
async fn add_check(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Result<Json<NewPartnerCheck>, JsonRejection>,
) -> Result<Response, AppError> {
    let id = parse_id(&id, true)?;
    let children = contact_children(&state, id).await?;
    authorise_children(
        &state,
        &session,
        &children,
        Action::RecordContact,
        &format!("POST /api/contacts/{id}/checks"),
    )
    .await?;
    let k = body!(body);
    let errors = k.validate(uk_now().date());
    if !errors.is_empty() {
        return Ok(unprocessable(errors));
    }
    match state.store.add_partner_check(session.actor(), id, k).await {
        Ok(k) => Ok((StatusCode::CREATED, Json(k)).into_response()),
        Err(e) => store_field_error(e),
    }
}

/// The decision, with the contact's version as last read.
#[derive(Deserialize, ToSchema)]
pub struct DecisionInput {
    pub version: i64,
    #[serde(flatten)]
    pub decision: NewDecision,
}

#[derive(Serialize, ToSchema)]
pub struct Decided {
    pub contact: Contact,
    /// The referrals the decision made (one per child for a referral or strategy discussion).
    pub referrals: Vec<Referral>,
}

/// Records the front-door decision (team managers only): direction and rationale are required.
#[utoipa::path(post, path = "/api/contacts/{id}/decision", request_body = DecisionInput,
    responses((status = 200, body = Decided), (status = 422, body = ValidationErrors), (status = 403, body = ApiError), (status = 409, body = ApiError)))]
async fn decide(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Result<Json<DecisionInput>, JsonRejection>,
) -> Result<Response, AppError> {
    let id = parse_id(&id, true)?;
    let children = contact_children(&state, id).await?;
    authorise_children(
        &state,
        &session,
        &children,
        Action::DecideContact,
        &format!("POST /api/contacts/{id}/decision"),
    )
    .await?;
    let input = body!(body);
    match state
        .store
        .decide_contact(session.actor(), id, input.version, input.decision)
        .await
    {
        Ok((contact, referrals)) => Ok(Json(Decided { contact, referrals }).into_response()),
        Err(e) => store_field_error(e),
    }
}

#[derive(Deserialize, ToSchema)]
pub struct StartInput {
    pub referral_id: Uuid,
    pub started_on: NaiveDate,
}

/// Starts a single assessment on one of the child's referrals; due 45 working days from it.
#[utoipa::path(post, path = "/api/children/{id}/assessments", request_body = StartInput,
    responses((status = 201, body = Assessment), (status = 422, body = ValidationErrors), (status = 403, body = ApiError)))]
async fn start_assessment(
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
        .journey
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

async fn assessment_checked(
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
async fn get_assessment(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Json<Assessment>, AppError> {
    let a = assessment_checked(&state, &session, &id, Action::ViewRecord, "GET").await?;
    state
        .store
        .record_event(
            session.actor(),
            domain::record::AuditAction::View,
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
async fn complete_assessment(
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
async fn authorise_assessment(
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

/// Records a visit, case note or (managers) management oversight on a child's record.
#[utoipa::path(post, path = "/api/children/{id}/notes", request_body = NewNote,
    responses((status = 201, body = Note), (status = 422, body = ValidationErrors), (status = 403, body = ApiError)))]
async fn add_note(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Result<Json<NewNote>, JsonRejection>,
) -> Result<Response, AppError> {
    let id = parse_id(&id, true)?;
    let n = body!(body);
    let action = if n.kind == NoteKind::Oversight {
        Action::Oversee
    } else {
        Action::RecordCasework
    };
    authorise(
        &state,
        &session,
        id,
        action,
        &format!("POST /api/children/{id}/notes"),
        true,
    )
    .await?;
    let errors = n.validate(uk_now().date());
    if !errors.is_empty() {
        return Ok(unprocessable(errors));
    }
    match state.store.add_note(session.actor(), id, n).await {
        Ok(n) => Ok((StatusCode::CREATED, Json(n)).into_response()),
        Err(e) => store_field_error(e),
    }
}

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
async fn work_due(
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
        Some(s) => state.store.work_due(s, uk_now().date()).await?,
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
