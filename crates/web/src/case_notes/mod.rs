//! Visits, case notes and management oversight on a child's record, at any stage. The notes are
//! declarations in [`forms`] on the one form path (page, post and API, chosen by the kind of note:
//! management oversight is for managers), rendered with the bespoke page in [`pages`].

use crate::AppState;
use crate::forms::path;
use axum::Router;
use axum::routing::get;
use axum::routing::post;

pub mod corrections;
pub mod forms;
pub mod pages;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/children/{id}/notes",
            get(forms::new_note).post(forms::add_note),
        )
        .route("/api/children/{id}/notes", post(forms::add_note_api))
        .merge(crate::forms::correct::routes::<corrections::NoteCorrection>())
}

/// Adds the notes API to the OpenAPI document (one operation: the kind is in the body).
pub fn document(doc: &mut utoipa::openapi::OpenApi) {
    path::document::<forms::Notes<forms::Visit>>(doc);
    crate::forms::correct::document::<corrections::NoteCorrection>(doc);
}
