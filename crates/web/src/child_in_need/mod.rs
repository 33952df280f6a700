//! Child in need: plans with SMART actions and reviews, and closing the episode; pages and API
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
            "/referrals/{id}/close",
            get(pages::close_form).post(pages::close_referral),
        )
        .route(
            "/children/{id}/cin-plans",
            get(pages::cin_plan_form).post(pages::start_cin_plan),
        )
        .route("/cin-plans/{id}", get(pages::show_cin_plan))
        .route("/cin-plans/{id}/actions", post(pages::add_plan_action))
        .route("/cin-plans/{id}/reviews", post(pages::review_plan))
        .route("/cin-plans/{id}/end", post(pages::end_plan))
        .route(
            "/plan-actions/{id}",
            get(pages::action_form).post(pages::update_action),
        )
        .route("/api/referrals/{id}/closure", post(api::close_referral))
        .route("/api/referrals/{id}/cin-plans", post(api::start_cin_plan))
        .route("/api/cin-plans/{id}/actions", post(api::add_plan_action))
        .route(
            "/api/plan-actions/{id}/progress",
            post(api::update_plan_action),
        )
        .route("/api/cin-plans/{id}/reviews", post(api::review_cin_plan))
        .route("/api/cin-plans/{id}/end", post(api::end_cin_plan))
}

#[derive(OpenApi)]
#[openapi(
    paths(
        api::close_referral,
        api::start_cin_plan,
        api::add_plan_action,
        api::update_plan_action,
        api::review_cin_plan,
        api::end_cin_plan
    ),
    components(schemas(
        domain::child_in_need::EpisodeClosure,
        api::CinPlanInput,
        domain::child_in_need::CinPlan,
        domain::child_in_need::NewPlanAction,
        domain::child_in_need::PlanAction,
        domain::child_in_need::ActionProgress,
        domain::child_in_need::PlanReview,
        api::EndInput,
    ))
)]
pub struct Doc;
