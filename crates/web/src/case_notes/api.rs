use crate::AppState;
use crate::api::ApiError;
use crate::api::ValidationErrors;
use crate::api::body;
use crate::api::store_field_error;
use crate::api::unprocessable;
use crate::auth::Session;
use crate::error::AppError;
use crate::guard::authorise;
use crate::guard::parse_id;
use crate::policy::Action;
use axum::Json;
use axum::extract::Path;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use domain::calendar::uk_now;
use domain::case_notes::NewNote;
use domain::case_notes::Note;
use domain::case_notes::NoteKind;

/// Records a visit, case note or (managers) management oversight on a child's record.
#[utoipa::path(post, path = "/api/children/{id}/notes", request_body = NewNote,
    responses((status = 201, body = Note), (status = 422, body = ValidationErrors), (status = 403, body = ApiError)))]
pub(crate) async fn add_note(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Result<Json<NewNote>, JsonRejection>,
) -> Result<Response, AppError> {
    let id = parse_id(&id, true)?;
    let n = body!(body);
    let action = if n.kind == NoteKind::Oversight {
        Action::Oversee
    } else {
        Action::RecordCasework
    };
    authorise(
        &state,
        &session,
        id,
        action,
        &format!("POST /api/children/{id}/notes"),
        true,
    )
    .await?;
    let errors = n.validate(uk_now().date());
    if !errors.is_empty() {
        return Ok(unprocessable(errors));
    }
    match state.store.add_note(session.actor(), id, n).await {
        Ok(n) => Ok((StatusCode::CREATED, Json(n)).into_response()),
        Err(e) => store_field_error(e),
    }
}
