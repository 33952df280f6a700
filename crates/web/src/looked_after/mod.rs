//! Children looked after: their periods of care, episodes, reviews, health and missing episodes
//! on the child's page.

pub mod health;
pub mod reviews;

use crate::forms::fields::fmt_date;
use axum::Router;
use minijinja::Value;
use minijinja::context;

use crate::AppState;
use crate::forms::path;

pub mod care;

/// The looked-after forms' pages and API.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(path::routes::<care::Enter>())
        .merge(path::routes::<care::Change>())
        .merge(path::routes::<care::Cease>())
}

/// Adds the looked-after forms' API to the OpenAPI document.
pub fn document(doc: &mut utoipa::openapi::OpenApi) {
    path::document::<care::Enter>(doc);
    path::document::<care::Change>(doc);
    path::document::<care::Cease>(doc);
}

/// The looked-after section of the child's page.
pub fn section(rec: &store::ChildRecord) -> Value {
    use domain::looked_after::{legal_status_label, placement_label, reason_ceased_label};
    let la = &rec.looked_after;
    if la.episodes.is_empty() {
        return Value::UNDEFINED;
    }
    let current = la.episodes.iter().rev().find(|e| e.ended_on.is_none());
    let last_end = la
        .episodes
        .iter()
        .rev()
        .find(|e| e.reason_ceased.as_deref().is_some_and(|r| r != "X1"));
    // Placements: the first episode of each period and every change of placement.
    let placements = la.episodes.iter().filter(|e| e.reason_new != "L").count();
    let stability =
        domain::looked_after::care::stability(&la.episodes, crate::forms::fields::today());
    context! {
        current => current.map(|e| context! {
            since => fmt_date(e.started_on),
            legal_status => format!("{} ({})", legal_status_label(&e.legal_status), e.legal_status),
            placement => format!("{} ({})", placement_label(&e.placement), e.placement),
        }),
        left => (current.is_none()).then(|| last_end.map(|e| format!(
            "{}: {}",
            e.ended_on.map(fmt_date).unwrap_or_default(),
            reason_ceased_label(e.reason_ceased.as_deref().unwrap_or(""))
        ))).flatten(),
        first => fmt_date(la.episodes[0].started_on),
        placements,
        reviews => la.reviews.len(),
        last_review => la.reviews.last().map(|r| fmt_date(r.held_on)),
        missing => la.missing.len(),
        last_pep => la.peps.last().map(|p| fmt_date(p.reviewed_on)),
        open_missing => la.missing.iter().find(|m| m.ended_on.is_none()).map(|m| m.id.to_string()),
        stability => current.map(|_| context! {
            moves => stability.moves_last_12_months,
            since => stability.current_placement_since.map(fmt_date),
            days => stability.days_in_current_placement,
        }),
    }
}
