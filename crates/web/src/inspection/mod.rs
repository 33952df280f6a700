//! Inspection: Ofsted's Annex A lists from the record for the analysts who send them
//! (`/inspection/annex-a`: the lists' sizes, the check of every row and what the record cannot
//! fill, and the workbook to send, each download audited).

use axum::Router;
use axum::routing::get;

use crate::AppState;

pub mod pages;
pub mod timeliness;
pub mod workbook;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/inspection/annex-a", get(pages::annex_a))
        .route("/inspection/annex-a.xlsx", get(pages::annex_a_workbook))
        .route("/inspection/timeliness", get(timeliness::page))
        .route("/inspection/timeliness/{key}", get(timeliness::children))
}

/// The lists as at a day, with the check of every row: one read of the record.
pub async fn annex_a(
    store: &dyn store::Repository,
    as_at: chrono::NaiveDate,
) -> store::Result<(domain::inspection::AnnexA, Vec<domain::inspection::Finding>)> {
    let record = store.annex_a_record(as_at).await?;
    let lists = domain::inspection::build(&record, as_at);
    let findings = domain::inspection::check(&lists);
    Ok((lists, findings))
}
