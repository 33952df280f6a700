//! The front door: contacts, screening risk ratings with the council's timescales in hours,
//! checks with partners, the decision with management direction, the queue (by rating, then
//! time waiting), and referral quality; pages and API side by side.

use crate::AppState;
use crate::forms::path;
use axum::Router;
use axum::routing::get;
use axum::routing::post;
use utoipa::OpenApi;

pub mod api;
pub mod forms;
pub mod pages;
pub mod risk;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/front-door", get(pages::front_door))
        .route("/front-door/referral-quality", get(pages::referral_quality))
        .route("/contacts", post(pages::create_contact))
        .route("/contacts/new", get(pages::new_contact))
        .route("/contacts/{id}", get(pages::show_contact))
        .route("/api/front-door", get(api::front_door))
        .route("/api/contacts", post(api::create_contact))
        .route("/api/contacts/{id}", get(api::get_contact))
        .merge(path::routes::<forms::Check>())
        .merge(path::routes::<forms::Decide>())
        .merge(path::routes::<risk::RateRisk>())
}

#[derive(OpenApi)]
#[openapi(
    paths(api::front_door, api::create_contact, api::get_contact,),
    components(schemas(
        domain::front_door::Contact,
        domain::front_door::NewContact,
        domain::front_door::NewPartnerCheck,
        domain::front_door::PartnerCheck,
        domain::front_door::NewDecision,
        api::DecisionInput,
        api::Decided,
        domain::front_door::Referral,
        domain::front_door::NewRiskRating,
        domain::front_door::RiskAssessment,
        domain::front_door::RiskRating,
    ))
)]
struct Views;

/// Adds the front door's API to the OpenAPI document.
pub fn document(doc: &mut utoipa::openapi::OpenApi) {
    doc.merge(Views::openapi());
    path::document::<forms::Check>(doc);
    path::document::<forms::Decide>(doc);
    path::document::<risk::RateRisk>(doc);
}
