//! Single assessments: started on a referral, completed with the CIN census factors, authorised by
//! a manager; pages and API side by side.

use crate::AppState;
use axum::Router;
use axum::routing::get;
use axum::routing::post;
use utoipa::OpenApi;

pub mod api;
pub mod pages;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/children/{id}/assessments", post(pages::start_assessment))
        .route(
            "/children/{id}/assessments/new",
            get(pages::start_assessment_form),
        )
        .route("/assessments/{id}", get(pages::show_assessment))
        .route(
            "/assessments/{id}/completion",
            post(pages::complete_assessment),
        )
        .route(
            "/assessments/{id}/authorisation",
            post(pages::authorise_assessment),
        )
        .route(
            "/api/children/{id}/assessments",
            post(api::start_assessment),
        )
        .route("/api/assessments/{id}", get(api::get_assessment))
        .route(
            "/api/assessments/{id}/completion",
            post(api::complete_assessment),
        )
        .route(
            "/api/assessments/{id}/authorisation",
            post(api::authorise_assessment),
        )
}

#[derive(OpenApi)]
#[openapi(
    paths(
        api::start_assessment,
        api::get_assessment,
        api::complete_assessment,
        api::authorise_assessment
    ),
    components(schemas(
        domain::assessment::Assessment,
        api::StartInput,
        api::CompletionInput,
        api::AuthoriseInput,
        domain::assessment::AssessmentCompletion,
    ))
)]
pub struct Doc;
