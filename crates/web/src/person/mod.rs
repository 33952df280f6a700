//! People on the record: finding a child, recording and correcting their details, their family,
//! addresses and allocation; pages and API side by side.

use crate::AppState;
use crate::forms::path;
use axum::Router;
use axum::routing::get;
use utoipa::OpenApi;

pub mod api;
pub mod family;
pub mod forms;
pub mod pages;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/children", get(pages::search).post(pages::create))
        .route("/children/new", get(pages::new_form))
        .route("/children/{id}/edit", get(pages::edit_form))
        .merge(path::routes::<forms::Allocate>())
        .merge(path::routes::<forms::Address>())
        .merge(path::routes::<forms::FamilyMember>())
        .route(
            "/api/children",
            get(api::search_children).post(api::create_child),
        )
        .route(
            "/api/children/{id}",
            get(api::get_child).put(api::update_child),
        )
}

#[derive(OpenApi)]
#[openapi(
    paths(
        api::search_children,
        api::create_child,
        api::get_child,
        api::update_child,
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
struct Views;

/// Adds the person API to the OpenAPI document.
pub fn document(doc: &mut utoipa::openapi::OpenApi) {
    doc.merge(Views::openapi());
    path::document::<forms::Allocate>(doc);
    path::document::<forms::Address>(doc);
    path::document::<forms::FamilyMember>(doc);
}

/// What a search found, as the user may see it. Records restricted from the user are left out
/// and nothing says they matched: that a restricted child of a name is known to the service is
/// itself what the restriction protects.
pub struct Found {
    /// People the user may open, in the store's order.
    pub shown: Vec<store::PersonSummary>,
    /// Each child's status today and current address, to tell results apart.
    pub about: std::collections::HashMap<uuid::Uuid, (domain::work::CaseStatus, Option<String>)>,
    /// More matched than `limit`.
    pub truncated: bool,
}

/// Searches people by name, identifier or date of birth for the user (the page and the API call
/// this alike): restricted records the user may not open are left out.
pub async fn find(
    state: &AppState,
    session: &crate::auth::Session,
    text: Option<String>,
    born: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    kind: Option<domain::person::PersonKind>,
    limit: u32,
    route: &str,
) -> Result<Found, crate::error::AppError> {
    // The terms are in the access log with the children they listed.
    let mut detail = format!("{route}: search");
    if let Some(t) = &text {
        detail.push_str(&format!(" for {}", crate::guard::quoted_for_audit(t, 100)));
    }
    match born {
        Some((from, to)) if from == to => detail.push_str(&format!(" born {from}")),
        Some((from, to)) => detail.push_str(&format!(" born {from} to {to}")),
        None => {}
    }
    let found = state
        .store
        .search_people(&store::SearchQuery {
            text,
            born_between: born,
            kind,
            limit: limit + 1,
            ..Default::default()
        })
        .await?;
    let truncated = found.len() > limit as usize;
    let mut out = Found {
        shown: Vec::new(),
        about: Default::default(),
        truncated,
    };
    for r in found.into_iter().take(limit as usize) {
        let facts = store::AccessFacts {
            kind: r.kind,
            restricted: r.restricted,
            allocated_workers: r.allocated_worker_id.into_iter().collect(),
            // Search lists names and dates of birth; an IRO opening a record is checked against
            // the child's period of care then (the summary does not say whether they are in care).
            in_care: true,
            allocated_teams: Vec::new(),
            open_contact: false,
            auditors: Vec::new(),
        };
        if crate::policy::check_record(&session.user, crate::policy::Action::ViewRecord, &facts)
            .is_ok()
        {
            out.shown.push(r);
        }
    }
    let children: Vec<uuid::Uuid> = out
        .shown
        .iter()
        .filter(|r| r.kind == domain::person::PersonKind::Child)
        .map(|r| r.id)
        .collect();
    out.about = state.store.case_status_of(&children).await?;
    crate::guard::log_disclosure(
        state,
        session,
        "search",
        out.shown.iter().map(|r| r.id),
        &detail,
    )
    .await?;
    Ok(out)
}
