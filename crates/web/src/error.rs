//! Errors as responses: a GOV.UK error page for people, JSON for the API.

use crate::templates::Templates;
use axum::Json;
use axum::http::StatusCode;
use axum::response::Html;
use axum::response::IntoResponse;
use axum::response::Redirect;
use axum::response::Response;
use minijinja::context;

#[derive(Debug)]
pub enum AppError {
    /// No valid session: pages go to the sign-in page, the API answers 401.
    NotSignedIn {
        next: String,
        api: bool,
    },
    /// The user's role or the record's restrictions forbid it (already audited).
    Forbidden {
        reason: String,
        api: bool,
    },
    NotFound {
        api: bool,
    },
    /// Need-to-know refused the record (already audited): the page offers break-glass.
    NeedToKnow {
        child: uuid::Uuid,
        reason: String,
        api: bool,
    },
    /// A request that cannot be understood (bad CSRF token, malformed body).
    BadRequest {
        message: String,
        api: bool,
    },
    Conflict {
        message: String,
        api: bool,
    },
    /// A page's input was refused before its handler saw it (a control character, text too long).
    Unprocessable {
        field: String,
        message: String,
    },
    Internal(String),
    /// A page already made (the sign-in page carrying a form's draft).
    Answered(Box<Response>),
}

impl AppError {
    pub fn internal(e: impl std::fmt::Display) -> Self {
        AppError::Internal(e.to_string())
    }
}

impl From<store::StoreError> for AppError {
    fn from(e: store::StoreError) -> Self {
        match e {
            store::StoreError::NotFound(_) => AppError::NotFound { api: false },
            store::StoreError::Conflict { .. } => AppError::Conflict {
                message: e.to_string(),
                api: false,
            },
            other => AppError::Internal(other.to_string()),
        }
    }
}

fn page(status: StatusCode, title: &str, message: &str) -> Response {
    page_with(status, title, message, None)
}

fn page_with(
    status: StatusCode,
    title: &str,
    message: &str,
    break_glass: Option<String>,
) -> Response {
    let body = Templates::global()
        .and_then(|t| t.page("error.html", None, context! { title, message, break_glass, status => status.as_u16() }).ok())
        .unwrap_or_else(|| Html(format!("<!DOCTYPE html><html lang=\"en\"><title>{title}</title><h1>{title}</h1><p>{message}</p></html>")));
    (status, body).into_response()
}

fn json(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(serde_json::json!({ "error": code, "message": message })),
    )
        .into_response()
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::NotSignedIn { api: true, .. } => {
                json(StatusCode::UNAUTHORIZED, "not_signed_in", "Sign in first")
            }
            AppError::NotSignedIn { next, api: false } => {
                let next: String = url_encode(&next);
                Redirect::to(&format!("/sign-in?next={next}")).into_response()
            }
            AppError::Forbidden { reason, api: true } => {
                json(StatusCode::FORBIDDEN, "forbidden", &reason)
            }
            AppError::Forbidden { reason, api: false } => page(
                StatusCode::FORBIDDEN,
                "You do not have permission to see this page",
                &format!(
                    "Your request was refused because {reason}. It has been recorded. If you need access, ask your team manager."
                ),
            ),
            AppError::NeedToKnow {
                reason, api: true, ..
            } => json(
                StatusCode::FORBIDDEN,
                "need_to_know",
                &format!("{reason}: open it on its page with a reason (break-glass)"),
            ),
            AppError::NeedToKnow {
                child,
                reason,
                api: false,
            } => page_with(
                StatusCode::FORBIDDEN,
                "This record is not one of your cases",
                &format!("Your request was refused because {reason}. It has been recorded."),
                Some(format!("/children/{child}/break-glass")),
            ),
            AppError::NotFound { api: true } => {
                json(StatusCode::NOT_FOUND, "not_found", "Not found")
            }
            AppError::NotFound { api: false } => page(
                StatusCode::NOT_FOUND,
                "Page not found",
                "If you typed the web address, check it is correct. If you pasted the web address, check you copied the entire address.",
            ),
            AppError::BadRequest { message, api: true } => {
                json(StatusCode::BAD_REQUEST, "bad_request", &message)
            }
            AppError::BadRequest {
                message,
                api: false,
            } => page(
                StatusCode::BAD_REQUEST,
                "Sorry, there is a problem with your request",
                &message,
            ),
            AppError::Conflict { message, api: true } => {
                json(StatusCode::CONFLICT, "conflict", &message)
            }
            AppError::Conflict {
                message,
                api: false,
            } => page(
                StatusCode::CONFLICT,
                "Someone else changed this record",
                &message,
            ),
            AppError::Unprocessable { field, message } => page(
                StatusCode::UNPROCESSABLE_ENTITY,
                "There is a problem with what you entered",
                &format!("{message}. Go back, correct the {field} field and try again."),
            ),
            AppError::Answered(resp) => *resp,
            AppError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Sorry, there is a problem with the service",
                    "Try again later.",
                )
            }
        }
    }
}

/// Percent-encodes a path for a query parameter.
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
