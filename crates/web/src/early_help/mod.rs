//! Early help: started by a step down, ended or stepped up to the front door. Its forms are
//! declarations in [`forms`], served as pages and API by the one form path.

use axum::Router;

use crate::AppState;
use crate::forms::path;

pub mod forms;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(path::routes::<forms::Start>())
        .merge(path::routes::<forms::End>())
}

/// Adds early help's API to the OpenAPI document.
pub fn document(doc: &mut utoipa::openapi::OpenApi) {
    path::document::<forms::Start>(doc);
    path::document::<forms::End>(doc);
}
