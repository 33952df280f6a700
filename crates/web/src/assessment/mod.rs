//! Single assessments: started on a referral, completed with the CIN census factors, authorised by
//! a manager. Its forms are declarations in [`forms`] served as pages and API by the one form
//! path; [`pages`] and [`api`] hold the views.

use axum::Router;
use axum::routing::get;
use utoipa::OpenApi;

use crate::AppState;
use crate::forms::path;

pub mod api;
pub mod forms;
pub mod pages;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/assessments/{id}", get(pages::show_assessment))
        .route("/api/assessments/{id}", get(api::get_assessment))
        .merge(path::routes::<forms::Start>())
        .merge(path::routes::<forms::Complete>())
        .merge(path::routes::<forms::Authorise>())
        .merge(path::routes::<forms::SaveDraft>())
        .merge(path::routes::<forms::Return>())
}

#[derive(OpenApi)]
#[openapi(
    paths(api::get_assessment),
    components(schemas(
        domain::assessment::Assessment,
        domain::assessment::AssessmentCompletion,
        domain::assessment::AssessmentFramework,
        domain::assessment::AssessmentReturn,
    ))
)]
struct Views;

/// Adds the assessment's API to the OpenAPI document.
pub fn document(doc: &mut utoipa::openapi::OpenApi) {
    doc.merge(Views::openapi());
    path::document::<forms::Start>(doc);
    path::document::<forms::Complete>(doc);
    path::document::<forms::Authorise>(doc);
    path::document::<forms::SaveDraft>(doc);
    path::document::<forms::Return>(doc);
}
