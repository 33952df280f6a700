use crate::AppState;
use crate::api::ApiError;
use crate::auth::Session;
use crate::error::AppError;
use crate::work::{WorkFilter, work_for};
use axum::Json;
use axum::extract::Query;
use axum::extract::State;
use axum::http::HeaderValue;
use axum::response::IntoResponse;
use axum::response::Response;
use domain::work::DueItem;

/// Work due and overdue, soonest first, for the user, their team, one worker or team, or the
/// service; filtered by kind and to what is overdue. With `page`, 50 items a page; the
/// `X-Total-Count` header says how many match.
#[utoipa::path(get, path = "/api/work", params(WorkFilter),
    responses((status = 200, body = [DueItem], headers(("X-Total-Count" = usize, description = "Items matching the filters, on every page"))),
        (status = 400, body = ApiError), (status = 403, body = ApiError)))]
pub(crate) async fn work_due(
    State(state): State<AppState>,
    session: Session,
    Query(p): Query<WorkFilter>,
) -> Result<Response, AppError> {
    let view = work_for(&state, &session, &p, true).await?;
    let mut r = Json(view.items).into_response();
    r.headers_mut()
        .insert("x-total-count", HeaderValue::from(view.total));
    Ok(r)
}
