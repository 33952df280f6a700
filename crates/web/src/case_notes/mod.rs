//! Visits, case notes and management oversight on a child's record, at any stage; pages and API
//! side by side.

use crate::AppState;
use axum::Router;
use axum::routing::get;
use axum::routing::post;
use utoipa::OpenApi;

pub mod api;
pub mod pages;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/children/{id}/notes",
            get(pages::new_note).post(pages::add_note),
        )
        .route("/api/children/{id}/notes", post(api::add_note))
}

#[derive(OpenApi)]
#[openapi(
    paths(api::add_note),
    components(schemas(
        domain::case_notes::NewNote,
        domain::case_notes::Note,
        domain::case_notes::NoteKind,
    ))
)]
pub struct Doc;
