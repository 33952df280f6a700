//! The workforce: teams and workers' files, joiners, movers, leavers and absences, and
//! caseloads beside England's. Pages under `/workforce` and the API under `/api/workforce`,
//! side by side. Administrators and workforce leads change the files (each change audited by
//! the store); team managers see them. The forms are declarations on the one form path
//! ([`forms`], [`crate::forms::path::On::Staff`]). No page here opens a child's record: the
//! caseloads are counts.

use axum::Router;
use axum::routing::get;

use crate::AppState;
use crate::auth::{Session, deny};
use crate::error::AppError;
use crate::forms::path;
use crate::policy::{Action, check_role};

pub mod api;
pub mod forms;
pub mod indicators;
pub mod pages;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(path::routes::<forms::AddJoiner>())
        .merge(path::routes::<forms::RecordMove>())
        .merge(path::routes::<forms::RecordLeaver>())
        .merge(path::routes::<forms::RecordAbsence>())
        .merge(path::routes::<forms::RecordSupervision>())
        .merge(path::routes::<forms::AddCoWorker>())
        .merge(path::routes::<forms::EndCoWorking>())
        .route(
            "/workforce/standards",
            get(pages::standards).post(pages::save_standards),
        )
        .route("/workforce", get(pages::list))
        .route("/workforce/indicators", get(indicators::page))
        .route("/workforce/indicators.xlsx", get(indicators::workbook))
        .route(
            "/workforce/vacancies",
            axum::routing::post(indicators::save_vacancies),
        )
        .route("/api/workforce/indicators", get(indicators::api))
        .route("/workforce/workers/{id}", get(pages::worker))
        .route("/api/workforce/workers", get(api::workers))
        .route("/api/workforce/workers/{id}", get(api::worker))
        .route("/api/workforce/caseloads", get(api::caseloads))
}

/// Adds the workforce's API to the OpenAPI document.
pub fn document(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::OpenApi;
    path::document::<forms::AddJoiner>(doc);
    path::document::<forms::RecordMove>(doc);
    path::document::<forms::RecordLeaver>(doc);
    path::document::<forms::RecordAbsence>(doc);
    path::document::<forms::RecordSupervision>(doc);
    path::document::<forms::AddCoWorker>(doc);
    path::document::<forms::EndCoWorking>(doc);
    doc.merge(api::Doc::openapi());
    doc.merge(indicators::Doc::openapi());
}

/// Refuses (audited) a user whose role may not do `action`.
pub(crate) async fn allow(
    state: &AppState,
    session: &Session,
    action: Action,
    what: &str,
    api: bool,
) -> Result<(), AppError> {
    match check_role(&session.user, action) {
        Ok(()) => Ok(()),
        Err(d) => Err(deny(state, session, None, what, d.0, api).await),
    }
}
