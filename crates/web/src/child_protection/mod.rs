//! Child protection: strategy discussions, section 47 enquiries, conferences and core groups;
//! pages and API side by side.

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
            "/children/{id}/strategy",
            get(pages::strategy_form).post(pages::record_strategy),
        )
        .route("/s47/{id}", get(pages::s47_form).post(pages::complete_s47))
        .route(
            "/children/{id}/conferences",
            get(pages::conference_form).post(pages::record_conference),
        )
        .route(
            "/cp-plans/{id}/core-groups",
            get(pages::core_group_form).post(pages::record_core_group),
        )
        .route(
            "/api/referrals/{id}/strategy-discussions",
            post(api::record_strategy),
        )
        .route("/api/s47/{id}/completion", post(api::complete_s47))
        .route(
            "/api/children/{id}/conferences",
            post(api::record_conference),
        )
        .route(
            "/api/cp-plans/{id}/core-groups",
            post(api::record_core_group),
        )
}

#[derive(OpenApi)]
#[openapi(
    paths(
        api::record_strategy,
        api::complete_s47,
        api::record_conference,
        api::record_core_group
    ),
    components(schemas(
        api::StrategyInput,
        api::StrategyRecorded,
        domain::child_protection::Strategy,
        domain::child_protection::S47,
        domain::child_protection::S47Completion,
        domain::child_protection::NewConference,
        domain::child_protection::ConferenceKind,
        domain::child_protection::Conference,
        domain::child_protection::NewCoreGroup,
        domain::child_protection::CoreGroup,
        domain::child_protection::CpPlan,
    ))
)]
pub struct Doc;
