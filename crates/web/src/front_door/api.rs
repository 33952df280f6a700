use crate::AppState;
use crate::api::ApiError;
use crate::api::ValidationErrors;
use crate::api::body;
use crate::api::store_field_error;
use crate::api::unprocessable;
use crate::auth::Session;
use crate::auth::deny;
use crate::error::AppError;
use crate::guard::authorise;
use crate::guard::parse_id;
use crate::policy::Action;
use crate::policy::check_role;
use axum::Json;
use axum::extract::Path;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use domain::calendar::uk_now;
use domain::front_door::Contact;
use domain::front_door::NewContact;
use domain::front_door::NewDecision;
use domain::front_door::Referral;
use serde::Deserialize;
use serde::Serialize;
use store::StoreError;
use utoipa::ToSchema;
use uuid::Uuid;

/// Checks the user may do `action` for every child in `children` (refusals audited).
pub(crate) async fn authorise_children(
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

pub(crate) async fn contact_children(state: &AppState, id: Uuid) -> Result<Vec<Uuid>, AppError> {
    match state.store.contact_children(id).await {
        Ok(c) => Ok(c),
        Err(StoreError::NotFound(_)) => Err(AppError::NotFound { api: true }),
        Err(e) => Err(e.into()),
    }
}

/// Records in the access log the children the queue names to the user (page and API).
pub(crate) async fn log_queue(
    state: &AppState,
    session: &Session,
    queue: &[Contact],
    route: &str,
) -> Result<(), AppError> {
    crate::guard::log_disclosure(
        state,
        session,
        "front_door_queue",
        queue
            .iter()
            .flat_map(|c| &c.children)
            .filter(|k| crate::guard::may_see(session, k.restricted))
            .map(|k| k.person_id),
        &format!("{route}: the front-door queue"),
    )
    .await
}

/// Contacts waiting for a front-door decision, oldest first. Restricted children are named only
/// to managers.
#[utoipa::path(get, path = "/api/front-door",
    responses((status = 200, body = [Contact]), (status = 403, body = ApiError)))]
pub(crate) async fn front_door(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<Vec<Contact>>, AppError> {
    if let Err(d) = check_role(&session.user, Action::ViewFrontDoor) {
        return Err(deny(&state, &session, None, "GET /api/front-door", d.0, true).await);
    }
    let mut queue = state.store.front_door_queue().await?;
    let sees_restricted = session.user.role.sees_restricted_records();
    log_queue(&state, &session, &queue, "GET /api/front-door").await?;
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
pub(crate) async fn create_contact(
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
pub(crate) async fn get_contact(
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

/// The decision, with the contact's version as last read.
#[derive(Deserialize, ToSchema)]
pub struct DecisionInput {
    pub version: i64,
    #[serde(flatten)]
    pub decision: NewDecision,
    /// On a referral or strategy discussion: the worker each child is allocated to, from the
    /// decision's date (else the children wait on the team manager's work due, unallocated).
    #[serde(default)]
    pub allocate_to: Option<Uuid>,
}

#[derive(Serialize, ToSchema)]
pub struct Decided {
    pub contact: Contact,
    /// The referrals the decision made (one per child for a referral or strategy discussion).
    pub referrals: Vec<Referral>,
}
