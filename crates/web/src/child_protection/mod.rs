//! Child protection: strategy discussions, section 47 enquiries, conferences and core groups.
//! Its forms are declarations in [`forms`], served as pages and API by the one form path.

use axum::Router;

use crate::AppState;
use crate::forms::path;

pub mod forms;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(path::routes::<forms::StrategyDiscussion>())
        .merge(path::routes::<forms::CompleteS47>())
        .merge(path::routes::<forms::RecordConference>())
        .merge(path::routes::<forms::RecordCoreGroup>())
}

/// Adds child protection's API to the OpenAPI document.
pub fn document(doc: &mut utoipa::openapi::OpenApi) {
    path::document::<forms::StrategyDiscussion>(doc);
    path::document::<forms::CompleteS47>(doc);
    path::document::<forms::RecordConference>(doc);
    path::document::<forms::RecordCoreGroup>(doc);
}
