//! People on the record: finding a child, recording and correcting their details, their family,
//! addresses and allocation; pages and API side by side.

use crate::AppState;
use axum::Router;
use axum::routing::get;
use axum::routing::post;
use utoipa::OpenApi;

pub mod api;
pub mod family;
pub mod pages;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/children", get(pages::search).post(pages::create))
        .route("/children/new", get(pages::new_form))
        .route("/children/{id}/edit", get(pages::edit_form))
        .route(
            "/children/{id}/allocation",
            get(family::allocation_form).post(family::allocate),
        )
        .route(
            "/children/{id}/addresses",
            get(family::address_form).post(family::add_address),
        )
        .route(
            "/children/{id}/family",
            get(family::family_form).post(family::add_family),
        )
        .route(
            "/api/children",
            get(api::search_children).post(api::create_child),
        )
        .route(
            "/api/children/{id}",
            get(api::get_child).put(api::update_child),
        )
        .route("/api/children/{id}/allocations", post(api::allocate_child))
        .route("/api/children/{id}/addresses", post(api::add_child_address))
        .route(
            "/api/children/{id}/family",
            post(api::add_child_family_member),
        )
}

#[derive(OpenApi)]
#[openapi(
    paths(
        api::search_children,
        api::create_child,
        api::get_child,
        api::update_child,
        api::allocate_child,
        api::add_child_address,
        api::add_child_family_member
    ),
    components(schemas(
        api::ChildInput,
        api::ChildUpdate,
        api::ChildJson,
        api::ChildSummaryJson,
        api::IdentifiersJson,
        api::RelationshipJson,
        api::AllocationJson,
        api::AddressJson,
        api::ChronologyJson,
        api::AllocationInput,
        api::AddressInput,
        api::FamilyMemberInput
    ))
)]
pub struct Doc;
