//! The JSON API's shared pieces: its OpenAPI document's header, error bodies, sessions.

use crate::AppState;
use crate::error::AppError;
use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use domain::validate::FieldError;
use serde::Deserialize;
use serde::Serialize;
use store::StoreError;
use utoipa::ToSchema;

#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "Hearth API", description = "Children's social care records. Every view of a child's record and every change is audited."),
    paths(create_session, delete_session),
    components(schemas(Credentials, SessionCreated, ValidationErrors, FieldErrorJson, ApiError)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

pub(crate) struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        openapi.security = Some(vec![utoipa::openapi::security::SecurityRequirement::new(
            "bearer",
            Vec::<String>::new(),
        )]);
    }
}

pub(crate) async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(crate::openapi_doc())
}

/// An error: `error` is a stable code (not_signed_in, forbidden, not_found, bad_request, conflict).
#[derive(Serialize, ToSchema)]
pub struct ApiError {
    pub error: String,
    pub message: String,
}

#[derive(Serialize, ToSchema)]
pub struct FieldErrorJson {
    /// The JSON property at fault.
    pub field: String,
    pub message: String,
}

/// 422: the request was understood but some fields are wrong; nothing was saved.
#[derive(Serialize, ToSchema)]
pub struct ValidationErrors {
    pub errors: Vec<FieldErrorJson>,
}

pub(crate) fn unprocessable(errors: Vec<FieldError>) -> Response {
    let errors = errors
        .into_iter()
        .map(|e| FieldErrorJson {
            field: e.field,
            message: e.message,
        })
        .collect();
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(ValidationErrors { errors }),
    )
        .into_response()
}

/// The property serde names in "missing field `x`" or "unknown field `x`".
fn backquoted_field(text: &str) -> Option<String> {
    let (_, rest) = text.split_once("field `")?;
    let (name, _) = rest.split_once('`')?;
    Some(name.to_string()).filter(|n| !n.is_empty() && !n.contains(' '))
}

/// A body that is not JSON of the right shape: 422 naming the property and the reason.
pub(crate) fn bad_json(rejection: JsonRejection) -> Response {
    let text = rejection.body_text();
    let field = text
        .split_once(": ")
        .and_then(|(_, rest)| rest.split_once(": "))
        .map(|(path, _)| path.to_string())
        .filter(|p| !p.contains(' '))
        .or_else(|| backquoted_field(&text))
        .unwrap_or_else(|| "body".into());
    let status = if matches!(rejection, JsonRejection::MissingJsonContentType(_)) {
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (
        status,
        Json(ValidationErrors {
            errors: vec![FieldErrorJson {
                field,
                message: text,
            }],
        }),
    )
        .into_response()
}

#[derive(Deserialize, ToSchema)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct SessionCreated {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    pub username: String,
    pub role: String,
}

/// Signs in and returns a session token.
#[utoipa::path(post, path = "/api/sessions", request_body = Credentials, security(()),
    responses((status = 201, body = SessionCreated), (status = 401, body = ApiError),
        (status = 429, description = "Too many failed sign-ins: locked for a while", body = ApiError)))]
pub(crate) async fn create_session(
    State(state): State<AppState>,
    crate::auth::SourceAddr(source): crate::auth::SourceAddr,
    body: Result<Json<Credentials>, JsonRejection>,
) -> Result<Response, AppError> {
    let Json(c) = match body {
        Ok(b) => b,
        Err(r) => return Ok(bad_json(r)),
    };
    use crate::auth::SignInOutcome;
    match crate::auth::authenticate(&state, &c.username, &c.password, source).await? {
        SignInOutcome::SignedIn(user, token, _) => Ok((
            StatusCode::CREATED,
            Json(SessionCreated {
                token,
                username: user.username,
                role: user.role.as_str().into(),
            }),
        )
            .into_response()),
        SignInOutcome::Locked(locked) => Ok((
            StatusCode::TOO_MANY_REQUESTS,
            [(
                axum::http::header::RETRY_AFTER,
                locked.remaining.as_secs().max(1).to_string(),
            )],
            Json(ApiError {
                error: "too_many_attempts".into(),
                message: format!(
                    "There have been too many failed attempts to sign in. Try again in {}.",
                    locked.wait_text()
                ),
            }),
        )
            .into_response()),
        SignInOutcome::Refused => Ok((
            StatusCode::UNAUTHORIZED,
            Json(ApiError {
                error: "not_signed_in".into(),
                message: "Enter a correct username and password".into(),
            }),
        )
            .into_response()),
    }
}

pub(crate) fn store_field_error(e: StoreError) -> Result<Response, AppError> {
    match e {
        StoreError::Invalid { field, message } => {
            Ok(unprocessable(vec![FieldError::new(field, message)]))
        }
        StoreError::Conflict { .. } => Err(AppError::Conflict {
            message: e.to_string(),
            api: true,
        }),
        StoreError::NotFound(_) => Err(AppError::NotFound { api: true }),
        other => Err(other.into()),
    }
}

macro_rules! body {
    ($b:expr) => {
        match $b {
            Ok(axum::Json(b)) => b,
            Err(r) => return Ok($crate::api::bad_json(r)),
        }
    };
}
pub(crate) use body;

/// Revokes the session or API token the request is made with (with the cookie, send
/// `X-CSRF-Token`). Administrators end all of a user's sessions from the user's account page.
#[utoipa::path(delete, path = "/api/sessions",
    responses((status = 204, description = "The token no longer works"), (status = 401, body = ApiError)))]
pub(crate) async fn delete_session(
    State(state): State<AppState>,
    session: crate::auth::Session,
) -> Result<StatusCode, AppError> {
    state.store.delete_session(&session.token_hash).await?;
    state
        .store
        .record_event(
            session.actor(),
            domain::access::AuditAction::SignOut,
            None,
            if session.bearer {
                "API token revoked"
            } else {
                "signed out through the API"
            },
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
