//! The form path's three handlers for forms whose path names a private fostering arrangement.
//! An arrangement is not a [`store::CaseRecord`], so [`crate::forms::path::On`] cannot name it:
//! these find its child with `pf_arrangement_child`, then take the form path's own steps
//! ([`resolve`] with [`On::Child`], the declaration's `spec`/`read`/`save`/`done`/`again`). With an
//! `On` for arrangements this module goes and [`crate::forms::path::routes`] serves them.

use axum::Json;
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use store::StoreError;
use uuid::Uuid;

use crate::AppState;
use crate::api::{bad_json, store_field_error};
use crate::auth::{AuthedForm, Session};
use crate::error::AppError;
use crate::forms::errors::store_error;
use crate::forms::path::{CaseForm, On, Target, resolve};
use crate::forms::{FormData, RefQuery};
use crate::guard::parse_id;

/// The arrangement `id` and its child, after the checks that the user may do the form's action
/// for the child (refusals audited as `what`).
async fn arrangement<F: CaseForm>(
    state: &AppState,
    session: &Session,
    id: &str,
    what: &str,
    api: bool,
) -> Result<(Uuid, Uuid), AppError> {
    let id = parse_id(id, api)?;
    let child = match state.store.pf_arrangement_child(id).await {
        Ok(c) => c,
        Err(StoreError::NotFound(_)) => return Err(AppError::NotFound { api }),
        Err(e) => return Err(e.into()),
    };
    let (child, _) = resolve(
        state,
        session,
        On::Child,
        &child.to_string(),
        F::ACTION,
        what,
        api,
    )
    .await?;
    Ok((id, child))
}

async fn page_target<F: CaseForm>(
    state: &AppState,
    session: &Session,
    id: &str,
    query: RefQuery,
    what: &str,
) -> Result<(Target, store::ChildRecord), AppError> {
    let audit = format!("{what} {}", F::PAGE.replace("{id}", id));
    let (id, child) = arrangement::<F>(state, session, id, &audit, false).await?;
    let rec = state
        .store
        .view_child_record(session.actor(), child, what)
        .await?;
    Ok((Target { id, child, query }, rec))
}

/// `GET` the form's page (as [`crate::forms::path::form_page`]).
async fn form_page<F: CaseForm>(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(query): Query<RefQuery>,
) -> Result<Response, AppError> {
    let what = format!("{} form", F::WHAT);
    let (t, rec) = page_target::<F>(&state, &session, &id, query, &what).await?;
    F::spec(&t, &rec)?.blank(&state, &session, F::TODAY)
}

/// `POST` the form's page (as [`crate::forms::path::form_post`]).
async fn form_post<F: CaseForm>(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<RefQuery>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let (t, rec) = page_target::<F>(&state, &session, &id, query, F::WHAT).await?;
    F::spec(&t, &rec)?;
    let errors = match F::read(&form, &t, &rec) {
        Ok(input) => match F::save(&state, session.actor(), &t, input).await {
            Ok(saved) => return Ok(Redirect::to(&F::done(&t, &saved)).into_response()),
            Err(e) => vec![store_error(e, F::FALLBACK)?],
        },
        Err(errors) => errors,
    };
    F::again(&state, &session, &t, &rec, &form, &errors)
}

/// `POST` the form's API (as [`crate::forms::path::form_api`]).
async fn form_api<F: CaseForm>(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    OriginalUri(uri): OriginalUri,
    body: Result<Json<F::Body>, JsonRejection>,
) -> Result<Response, AppError> {
    let what = format!("POST {}", uri.path());
    let (id, child) = arrangement::<F>(&state, &session, &id, &what, true).await?;
    let body = match body {
        Ok(Json(b)) => b,
        Err(r) => return Ok(bad_json(r)),
    };
    let t = Target {
        id,
        child,
        query: RefQuery::default(),
    };
    match F::save(&state, session.actor(), &t, F::from_body(body, &t)).await {
        Ok(v) => {
            let status = if F::CREATED {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            Ok((status, Json(v)).into_response())
        }
        Err(e) => store_field_error(e),
    }
}

/// The page and API routes of a form on an arrangement (as [`crate::forms::path::routes`]).
pub fn routes<F: CaseForm>() -> Router<AppState> {
    Router::new()
        .route(F::PAGE, get(form_page::<F>).post(form_post::<F>))
        .route(F::API, post(form_api::<F>))
}
