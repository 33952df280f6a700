//! The front door: contacts, checks with partners, the decision with management direction, the
//! queue against the 1-working-day timescale, and referral quality; pages and API side by side.

use crate::AppState;
use axum::Router;
use axum::routing::get;
use axum::routing::post;
use utoipa::OpenApi;

pub mod api;
pub mod pages;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/front-door", get(pages::front_door))
        .route("/front-door/referral-quality", get(pages::referral_quality))
        .route("/contacts", post(pages::create_contact))
        .route("/contacts/new", get(pages::new_contact))
        .route("/contacts/{id}", get(pages::show_contact))
        .route("/contacts/{id}/checks", post(pages::add_check))
        .route("/contacts/{id}/decision", post(pages::decide))
        .route("/api/front-door", get(api::front_door))
        .route("/api/contacts", post(api::create_contact))
        .route("/api/contacts/{id}", get(api::get_contact))
        .route("/api/contacts/{id}/checks", post(api::add_check))
        .route("/api/contacts/{id}/decision", post(api::decide))
}

#[derive(OpenApi)]
#[openapi(
    paths(
        api::front_door,
        api::create_contact,
        api::get_contact,
        api::add_check,
        api::decide
    ),
    components(schemas(
        domain::front_door::Contact,
        domain::front_door::NewContact,
        domain::front_door::NewPartnerCheck,
        domain::front_door::PartnerCheck,
        domain::front_door::NewDecision,
        api::DecisionInput,
        api::Decided,
        domain::front_door::Referral,
    ))
)]
pub struct Doc;
