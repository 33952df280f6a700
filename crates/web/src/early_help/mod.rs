//! Early help: started by a step down, ended or stepped up to the front door; pages and API side
//! by side.

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
            "/children/{id}/early-help",
            get(pages::early_help_form).post(pages::start_early_help),
        )
        .route(
            "/early-help/{id}/end",
            get(pages::end_early_help_form).post(pages::end_early_help),
        )
        .route("/api/children/{id}/early-help", post(api::start_early_help))
        .route("/api/early-help/{id}/end", post(api::end_early_help))
}

#[derive(OpenApi)]
#[openapi(
    paths(api::start_early_help, api::end_early_help),
    components(schemas(
        domain::early_help::NewEarlyHelp,
        domain::early_help::EarlyHelpEnd,
        domain::early_help::EarlyHelp,
    ))
)]
pub struct Doc;
