//! The note page: blank here, again with its problems from [`super::forms`].

use crate::AppState;
use crate::auth::Session;
use crate::error::AppError;
use crate::forms::FormData;
use crate::forms::errors::errors_value;
use crate::forms::errors::status;
use crate::forms::fields::date_items;
use crate::forms::fields::parts;
use crate::forms::fields::today;
use crate::forms::fields::yes_no_items;
use crate::policy::Action;
use axum::response::IntoResponse;
use axum::response::Response;
use domain::case_notes::NoteKind;
use domain::validate::FieldError;
use minijinja::Value;
use minijinja::context;
use serde::Serialize;

/// What the note page shows in its fields.
#[derive(Serialize, Default)]
pub(crate) struct NoteForm {
    kind: String,
    day: String,
    month: String,
    year: String,
    child_seen: String,
    seen_alone: String,
    childs_words: String,
    observation: String,
    text: String,
    decision: String,
    rationale: String,
    /// The draft's notice, when the form was kept as a draft or filled back in from one.
    draft_notice: Option<String>,
}

impl From<&FormData> for NoteForm {
    fn from(f: &FormData) -> Self {
        NoteForm {
            kind: f.get("kind"),
            draft_notice: f.notice(),
            day: f.get("date-day"),
            month: f.get("date-month"),
            year: f.get("date-year"),
            child_seen: f.get("child_seen"),
            seen_alone: f.get("seen_alone"),
            childs_words: f.get("childs_words"),
            observation: f.get("observation"),
            text: f.get("text"),
            decision: f.get("decision"),
            rationale: f.get("rationale"),
        }
    }
}

pub(crate) const fn note_action(kind: NoteKind) -> Action {
    match kind {
        NoteKind::Oversight => Action::Oversee,
        _ => Action::RecordCasework,
    }
}

pub(crate) fn note_page(
    state: &AppState,
    session: &Session,
    rec: &store::ChildRecord,
    kind: NoteKind,
    form: &NoteForm,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let (errs, error_list) = errors_value(errors, &["date"]);
    let young = rec.person.age_on(today()).is_none_or(|a| a < 3);
    let html = state.templates.page(
        "case_notes/form.html",
        Some(session),
        context! {
            title => super::forms::title(kind),
            kind => kind.as_str(),
            child_id => rec.person.id.to_string(),
            child_name => rec.person.full_name(),
            young,
            form => Value::from_serialize(form),
            draft_notice => form.draft_notice.clone(),
            date_items => date_items(errors.iter().any(|e| e.field == "date"), &parts(&form.day, &form.month, &form.year)),
            seen_items => yes_no_items(&form.child_seen),
            alone_items => yes_no_items(&form.seen_alone),
            errors => errs,
            error_list,
        },
    )?;
    Ok((status(errors), html).into_response())
}

pub(crate) fn parse_yes_no(s: &str) -> Option<bool> {
    match s {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}
