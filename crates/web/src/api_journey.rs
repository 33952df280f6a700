//! The journey's JSON API: contacts, partner checks and front-door decisions, assessments,
//! visits and notes, and the work due. Same role checks, validation and audit as the pages.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::NaiveDate;
use domain::access::Role;
use domain::assessment::{Assessment, AssessmentCompletion};
use domain::calendar::uk_now;
use domain::case_notes::{NewNote, Note, NoteKind};
use domain::front_door::{
    Contact, NewContact, NewDecision, NewPartnerCheck, PartnerCheck, Referral,
};
use domain::work::DueItem;
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

// --- Casework after the front door ---

pub fn casework_router() -> Router<AppState> {
    Router::new()
        .route("/api/children/{id}/casework", get(get_casework))
        .route("/api/children/{id}/early-help", post(start_early_help))
        .route("/api/early-help/{id}/end", post(end_early_help))
        .route("/api/referrals/{id}/closure", post(close_referral))
        .route("/api/referrals/{id}/cin-plans", post(start_cin_plan))
        .route("/api/cin-plans/{id}/actions", post(add_plan_action))
        .route("/api/plan-actions/{id}/progress", post(update_plan_action))
        .route("/api/cin-plans/{id}/reviews", post(review_cin_plan))
        .route("/api/cin-plans/{id}/end", post(end_cin_plan))
        .route(
            "/api/referrals/{id}/strategy-discussions",
            post(record_strategy),
        )
        .route("/api/s47/{id}/completion", post(complete_s47))
        .route("/api/children/{id}/conferences", post(record_conference))
        .route("/api/cp-plans/{id}/core-groups", post(record_core_group))
}

#[derive(OpenApi)]
#[openapi(
    paths(
        get_casework,
        start_early_help,
        end_early_help,
        close_referral,
        start_cin_plan,
        add_plan_action,
        update_plan_action,
        review_cin_plan,
        end_cin_plan,
        record_strategy,
        complete_s47,
        record_conference,
        record_core_group
    ),
    components(schemas(
        CaseworkJson,
        CaseworkSectionsJson,
        domain::early_help::NewEarlyHelp,
        domain::early_help::EarlyHelpEnd,
        domain::early_help::EarlyHelp,
        domain::child_in_need::EpisodeClosure,
        CinPlanInput,
        domain::child_in_need::CinPlan,
        domain::child_in_need::NewPlanAction,
        domain::child_in_need::PlanAction,
        domain::child_in_need::ActionProgress,
        domain::child_in_need::PlanReview,
        EndInput,
        StrategyInput,
        StrategyRecorded,
        domain::child_protection::Strategy,
        domain::child_protection::S47,
        domain::child_protection::S47Completion,
        domain::child_protection::NewConference,
        domain::child_protection::ConferenceKind,
        domain::child_protection::Conference,
        domain::child_protection::NewCoreGroup,
        domain::child_protection::CoreGroup,
        domain::child_protection::CpPlan,
        JourneyJson
    ))
)]
pub struct CaseworkDoc;

/// The child a casework record belongs to, after the role and restriction checks.
async fn case_child(
    state: &AppState,
    session: &Session,
    kind: store::CaseRecord,
    id: &str,
    action: Action,
    what: &str,
) -> Result<(Uuid, Uuid), AppError> {
    let id = parse_id(id, true)?;
    let child = match state.store.case_record_child(kind, id).await {
        Ok(c) => c,
        Err(StoreError::NotFound(_)) => return Err(AppError::NotFound { api: true }),
        Err(e) => return Err(e.into()),
    };
    authorise(state, session, child, action, what, true).await?;
    Ok((id, child))
}

fn created<T: Serialize>(v: T) -> Response {
    (StatusCode::CREATED, Json(v)).into_response()
}

#[derive(Serialize, ToSchema)]
pub struct CaseworkJson {
    pub journey: JourneyJson,
    pub casework: CaseworkSectionsJson,
}

/// The front door, assessments and notes on a child's record, newest first.
#[derive(Serialize, ToSchema)]
pub struct JourneyJson {
    pub contacts: Vec<domain::front_door::Contact>,
    pub referrals: Vec<domain::front_door::Referral>,
    pub assessments: Vec<domain::assessment::Assessment>,
    pub notes: Vec<domain::case_notes::Note>,
}

/// Early help, child in need plans and child protection on a child's record, newest first.
#[derive(Serialize, ToSchema)]
pub struct CaseworkSectionsJson {
    pub early_help: Vec<domain::early_help::EarlyHelp>,
    pub cin_plans: Vec<domain::child_in_need::CinPlan>,
    pub strategies: Vec<domain::child_protection::Strategy>,
    pub s47s: Vec<domain::child_protection::S47>,
    pub conferences: Vec<domain::child_protection::Conference>,
    pub cp_plans: Vec<domain::child_protection::CpPlan>,
}

/// A child's journey and casework: contacts, referrals, assessments, notes, early help, plans and
/// child protection (an access entry on the child's record).
#[utoipa::path(get, path = "/api/children/{id}/casework",
    responses((status = 200, body = CaseworkJson), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn get_casework(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Json<CaseworkJson>, AppError> {
    let id = parse_id(&id, true)?;
    authorise(
        &state,
        &session,
        id,
        Action::ViewRecord,
        &format!("GET /api/children/{id}/casework"),
        true,
    )
    .await?;
    let rec = state
        .store
        .view_child_record(session.actor(), id, "GET /api/children/casework")
        .await?;
    let cp = rec.child_protection;
    Ok(Json(CaseworkJson {
        journey: JourneyJson {
            contacts: rec.front_door.contacts,
            referrals: rec.front_door.referrals,
            assessments: rec.assessments,
            notes: rec.notes,
        },
        casework: CaseworkSectionsJson {
            early_help: rec.early_help,
            cin_plans: rec.cin_plans,
            strategies: cp.strategies,
            s47s: cp.s47s,
            conferences: cp.conferences,
            cp_plans: cp.cp_plans,
        },
    }))
}

/// Starts early help for a child.
#[utoipa::path(post, path = "/api/children/{id}/early-help", request_body = domain::early_help::NewEarlyHelp,
    responses((status = 201, body = domain::early_help::EarlyHelp), (status = 422, body = ValidationErrors), (status = 403, body = ApiError)))]
async fn start_early_help(
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
async fn end_early_help(
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

/// Closes the child in need episode a referral began, with the CIN census reason.
#[utoipa::path(post, path = "/api/referrals/{id}/closure", request_body = domain::child_in_need::EpisodeClosure,
    responses((status = 200, body = Referral), (status = 422, body = ValidationErrors), (status = 403, body = ApiError)))]
async fn close_referral(
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
async fn start_cin_plan(
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
async fn add_plan_action(
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
async fn update_plan_action(
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
async fn review_cin_plan(
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
async fn end_cin_plan(
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
async fn record_strategy(
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
async fn complete_s47(
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
async fn record_conference(
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
async fn record_core_group(
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
