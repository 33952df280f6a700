//! The home page and the not-found page.

use crate::AppState;
use crate::auth::Session;
use crate::error::AppError;
use axum::extract::State;
use axum::response::Html;
use axum::response::IntoResponse;
use axum::response::Redirect;
use axum::response::Response;
use minijinja::context;

/// The start page after signing in; people who are not signed in go to the sign-in page.
pub async fn home(
    State(state): State<AppState>,
    session: Result<Session, AppError>,
) -> Result<Response, AppError> {
    let Ok(session) = session else {
        return Ok(Redirect::to("/sign-in").into_response());
    };
    let people_count = state.store.count_people().await?;
    let html: Html<String> = state.templates.page(
        "home.html",
        Some(&session),
        context! { title => "Children's social care", people_count },
    )?;
    Ok(html.into_response())
}

pub async fn not_found(uri: axum::http::Uri) -> AppError {
    AppError::NotFound {
        api: uri.path().starts_with("/api/"),
    }
}
