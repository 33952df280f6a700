//! Work due: each worker's, team's and the service's decisions, assessments, conferences,
//! reviews, core groups, plan actions and visits, due or overdue; page and API side by side.

use crate::AppState;
use axum::Router;
use axum::routing::get;
use utoipa::OpenApi;

pub mod api;
pub mod pages;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/work", get(pages::work_due))
        .route("/api/work", get(api::work_due))
}

#[derive(OpenApi)]
#[openapi(paths(api::work_due), components(schemas(domain::work::DueItem)))]
pub struct Doc;
