//! Server-rendered pages.

use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;

use crate::AppState;
use crate::auth::Session;
use crate::error::AppError;

pub mod audit;
pub mod casework;
pub mod children;
pub mod family;
pub mod journey;
pub mod private_fostering;
pub mod report;
pub mod returns;

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

/// Field errors as the GOV.UK error summary and field messages want them. `first_part` maps a
/// field to the id its summary link targets (a date links to its day box).
pub fn error_context(
    errors: &[domain::validate::FieldError],
    date_fields: &[&str],
) -> (minijinja::Value, minijinja::Value) {
    let mut by_field = std::collections::BTreeMap::new();
    let mut list = Vec::new();
    for e in errors {
        by_field
            .entry(e.field.clone())
            .or_insert_with(|| e.message.clone());
        let href = if date_fields.contains(&e.field.as_str()) {
            format!("#{}-day", e.field)
        } else {
            format!("#{}", e.field)
        };
        list.push(context! { text => e.message.clone(), href });
    }
    (
        minijinja::Value::from_serialize(&by_field),
        minijinja::Value::from(list),
    )
}
