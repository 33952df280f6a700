use crate::AppState;
use crate::auth::AuthedForm;
use crate::auth::Session;
use crate::error::AppError;
use crate::forms::errors::errors_value;
use crate::forms::errors::field_error;
use crate::forms::errors::status;
use crate::forms::fields::date_items;
use crate::forms::fields::parts;
use crate::forms::fields::past_date;
use crate::forms::fields::today;
use crate::forms::fields::today_parts;
use crate::guard::casework_record;
use crate::policy::Action;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::response::Redirect;
use axum::response::Response;
use domain::case_notes::NewNote;
use domain::case_notes::NoteKind;
use domain::validate::FieldError;
use minijinja::Value;
use minijinja::context;
use serde::Deserialize;
use serde::Serialize;

use crate::forms::fields::yes_no_items;

#[derive(Deserialize, Serialize, Default)]
pub struct NoteForm {
    #[serde(default)]
    kind: String,
    #[serde(default, rename = "date-day")]
    day: String,
    #[serde(default, rename = "date-month")]
    month: String,
    #[serde(default, rename = "date-year")]
    year: String,
    #[serde(default)]
    child_seen: String,
    #[serde(default)]
    seen_alone: String,
    #[serde(default)]
    childs_words: String,
    #[serde(default)]
    observation: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    rationale: String,
}

#[derive(Deserialize)]
pub struct KindQuery {
    #[serde(default)]
    kind: String,
}

pub(crate) fn note_action(kind: NoteKind) -> Action {
    match kind {
        NoteKind::Oversight => Action::Oversee,
        _ => Action::RecordCasework,
    }
}

pub(crate) async fn note_page(
    state: &AppState,
    session: &Session,
    rec: &store::ChildRecord,
    kind: NoteKind,
    form: &NoteForm,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let (errs, error_list) = errors_value(errors, &["date"]);
    let young = rec.person.age_on(today()).is_none_or(|a| a < 3);
    let title = match kind {
        NoteKind::Visit => "Record a visit",
        NoteKind::CaseNote => "Add a case note",
        NoteKind::Oversight => "Record management oversight",
    };
    let html = state.templates.page(
        "case_notes/form.html",
        Some(session),
        context! {
            title,
            kind => kind.as_str(),
            child_id => rec.person.id.to_string(),
            child_name => rec.person.full_name(),
            young,
            form => Value::from_serialize(form),
            date_items => date_items(errors.iter().any(|e| e.field == "date"), &parts(&form.day, &form.month, &form.year)),
            seen_items => yes_no_items(&form.child_seen),
            alone_items => yes_no_items(&form.seen_alone),
            errors => errs,
            error_list,
        },
    )?;
    Ok((status(errors), html).into_response())
}

pub async fn new_note(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<KindQuery>,
) -> Result<Response, AppError> {
    let kind = NoteKind::parse(&q.kind).ok_or(AppError::NotFound { api: false })?;
    let rec = casework_record(&state, &session, &id, note_action(kind), "note form").await?;
    let (day, month, year) = today_parts();
    let form = NoteForm {
        kind: kind.as_str().into(),
        day,
        month,
        year,
        ..Default::default()
    };
    note_page(&state, &session, &rec, kind, &form, &[]).await
}

pub(crate) fn parse_yes_no(s: &str) -> Option<bool> {
    match s {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

pub async fn add_note(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<NoteForm>,
) -> Result<Response, AppError> {
    let kind = NoteKind::parse(&form.kind).ok_or(AppError::BadRequest {
        message: "The form did not say what kind of note it was.".into(),
        api: false,
    })?;
    let rec = casework_record(&state, &session, &id, note_action(kind), "add note").await?;
    let mut errors = Vec::new();
    let date = past_date(
        &parts(&form.day, &form.month, &form.year),
        "date",
        "Date",
        &mut errors,
    );
    let visit = kind == NoteKind::Visit;
    let note = NewNote {
        kind,
        date: date.unwrap_or_else(today),
        child_seen: if visit {
            parse_yes_no(&form.child_seen)
        } else {
            None
        },
        seen_alone: if visit && parse_yes_no(&form.child_seen) == Some(true) {
            parse_yes_no(&form.seen_alone)
        } else {
            None
        },
        childs_words: if visit {
            form.childs_words.clone()
        } else {
            String::new()
        },
        observation: if visit {
            form.observation.clone()
        } else {
            String::new()
        },
        text: if kind == NoteKind::Oversight {
            String::new()
        } else {
            form.text.clone()
        },
        decision: if kind == NoteKind::Oversight {
            form.decision.clone()
        } else {
            String::new()
        },
        rationale: if kind == NoteKind::Oversight {
            form.rationale.clone()
        } else {
            String::new()
        },
    };
    errors.extend(
        note.validate(today())
            .into_iter()
            .filter(|e| date.is_some() || e.field != "date"),
    );
    if errors.is_empty() {
        match state
            .store
            .add_note(session.actor(), rec.person.id, note)
            .await
        {
            Ok(_) => {
                return Ok(Redirect::to(&format!(
                    "/children/{}?saved={}#chronology",
                    rec.person.id,
                    kind.as_str()
                ))
                .into_response());
            }
            Err(e) => errors.push(field_error(e, "text")?),
        }
    }
    note_page(&state, &session, &rec, kind, &form, &errors).await
}
