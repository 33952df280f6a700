//! Child in need: plans with SMART actions and reviews, and closing the episode. Its forms are
//! declarations in [`forms`], served as pages and API by the one form path; the plan's page is
//! a view in [`pages`].

use axum::Router;
use axum::routing::get;

use crate::AppState;
use crate::forms::path;

pub mod forms;
pub mod pages;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(path::routes::<forms::Close>())
        .merge(path::routes::<forms::StartPlan>())
        .merge(path::routes::<forms::AddAction>())
        .merge(path::routes::<forms::Review>())
        .merge(path::routes::<forms::EndPlan>())
        .merge(path::routes::<forms::Progress>())
        .route("/cin-plans/{id}", get(pages::show_cin_plan))
}

/// Adds child in need's API to the OpenAPI document.
pub fn document(doc: &mut utoipa::openapi::OpenApi) {
    path::document::<forms::Close>(doc);
    path::document::<forms::StartPlan>(doc);
    path::document::<forms::AddAction>(doc);
    path::document::<forms::Progress>(doc);
    path::document::<forms::Review>(doc);
    path::document::<forms::EndPlan>(doc);
}
