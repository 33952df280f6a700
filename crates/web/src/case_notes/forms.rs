//! The note forms, declared for the one form path (see [`crate::forms::path`]): a visit, a case
//! note and management oversight, one declaration each, so each has its own action (oversight is
//! for managers). The posted page and the API are the form path's, chosen by the kind posted; the
//! page is the bespoke `case_notes/form.html`, rendered by `page`, blank or with the problems.

use std::marker::PhantomData;

use async_trait::async_trait;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::response::Response;
use domain::case_notes::{NewNote, Note, NoteKind};
use domain::validate::FieldError;
use store::{Actor, ChildRecord, StoreError};

use crate::AppState;
use crate::auth::{AuthedForm, Session};
use crate::error::AppError;
use crate::forms::fields::{fmt_date, past_date, today, yes_no};
use crate::forms::path::{self, CaseForm, Confirm, On, Target};
use crate::forms::{Field, FormData, FormSpec, RefQuery};
use crate::policy::Action;

use super::pages::{NoteForm, note_action, note_page, parse_yes_no};

/// Which note a declaration records.
pub trait Kind: Send + Sync + 'static {
    const KIND: NoteKind;
}

pub struct Visit;
pub struct CaseNote;
pub struct Oversight;

impl Kind for Visit {
    const KIND: NoteKind = NoteKind::Visit;
}
impl Kind for CaseNote {
    const KIND: NoteKind = NoteKind::CaseNote;
}
impl Kind for Oversight {
    const KIND: NoteKind = NoteKind::Oversight;
}

/// A note's fields on the form: the date, and what the kind of note records.
pub(crate) fn note_fields(kind: NoteKind) -> Vec<Field> {
    let mut fields = vec![Field::Date("date", "Date")];
    fields.extend(match kind {
        NoteKind::Visit => vec![
            Field::Radios("child_seen", "Was the child seen?", yes_no()),
            Field::Radios("seen_alone", "Was the child seen alone?", yes_no()),
            Field::Textarea("childs_words", "The child's own words", ""),
            Field::Textarea("observation", "What you observed", ""),
            Field::Textarea("text", "What happened on the visit", ""),
        ],
        NoteKind::CaseNote => vec![Field::Textarea("text", "Case note", "")],
        NoteKind::Oversight => vec![
            Field::Textarea("decision", "Management decision", ""),
            Field::Textarea("rationale", "Rationale", ""),
        ],
    });
    fields
}

/// Reads a posted note of the kind given, validated by the domain; or every problem.
pub(crate) fn read_note(kind: NoteKind, form: &FormData) -> Result<NewNote, Vec<FieldError>> {
    let mut errors = Vec::new();
    let date = past_date(&form.parts("date"), "date", "Date", &mut errors);
    let visit = kind == NoteKind::Visit;
    let oversight = kind == NoteKind::Oversight;
    let only = |on: bool, name: &str| if on { form.get(name) } else { String::new() };
    let note = NewNote {
        kind,
        date: date.unwrap_or_else(today),
        child_seen: if visit {
            parse_yes_no(&form.get("child_seen"))
        } else {
            None
        },
        seen_alone: if visit && parse_yes_no(&form.get("child_seen")) == Some(true) {
            parse_yes_no(&form.get("seen_alone"))
        } else {
            None
        },
        childs_words: only(visit, "childs_words"),
        observation: only(visit, "observation"),
        text: only(!oversight, "text"),
        decision: only(oversight, "decision"),
        rationale: only(oversight, "rationale"),
    };
    // A date already reported as missing or invalid is not checked again.
    errors.extend(
        note.validate(today())
            .into_iter()
            .filter(|e| date.is_some() || e.field != "date"),
    );
    if errors.is_empty() {
        Ok(note)
    } else {
        Err(errors)
    }
}

/// A note of kind `K` on a child's record.
pub struct Notes<K>(PhantomData<K>);

pub(crate) fn title(kind: NoteKind) -> &'static str {
    match kind {
        NoteKind::Visit => "Record a visit",
        NoteKind::CaseNote => "Add a case note",
        NoteKind::Oversight => "Record management oversight",
    }
}

#[async_trait]
impl<K: Kind> CaseForm for Notes<K> {
    type Record = ChildRecord;
    type Input = NewNote;
    type Body = NewNote;
    type Saved = Note;
    const PAGE: &'static str = "/children/{id}/notes";
    const API: &'static str = "/api/children/{id}/notes";
    const ON: On = On::Child;
    const ACTION: Action = note_action(K::KIND);
    const WHAT: &'static str = "add note";
    const SUMMARY: &'static str =
        "Records a visit, case note or (managers) management oversight on a child's record.";
    const TODAY: &'static [&'static str] = &["date"];
    const FALLBACK: &'static str = "text";
    const DRAFT: bool = true;

    /// The fields, as the bespoke page shows them.
    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        Ok(FormSpec::new(
            rec,
            title(K::KIND),
            format!("/children/{}/notes?kind={}", t.child, K::KIND.as_str()),
            "Save",
            note_fields(K::KIND),
        ))
    }

    fn read(form: &FormData, _: &Target, rec: &ChildRecord) -> Result<NewNote, Vec<FieldError>> {
        let note = read_note(K::KIND, form)?;
        // A date before the child was born is refused here, before any confirmation.
        let mut e = Vec::new();
        domain::validate::not_before_birth(
            &mut e,
            "date",
            note.date,
            rec.person.details.date_of_birth,
        );
        if e.is_empty() { Ok(note) } else { Err(e) }
    }

    /// A note dated long ago (more than [`domain::validate::LATE_RECORDING_DAYS`]) is saved
    /// only once the worker confirms the date is right.
    fn confirm(_: &Target, _: &ChildRecord, note: &NewNote) -> Option<Confirm> {
        let ago = domain::validate::recorded_late(note.date, today())?;
        Some(Confirm {
            title: format!(
                "Check the date of this {}",
                note.kind.label().to_lowercase()
            ),
            rows: vec![
                ("Date".into(), format!("{} ({ago})", fmt_date(note.date))),
                (
                    "What happened".into(),
                    if note.kind == NoteKind::Oversight {
                        note.decision.clone()
                    } else {
                        note.text.clone()
                    },
                ),
            ],
            warning: format!("This is dated {ago}. Check the date is right before you save it."),
            button: "Save: the date is right",
            irreversible: false,
            reason: None,
        })
    }

    fn initial(_: &Target, _: &ChildRecord) -> Result<FormData, AppError> {
        Ok(FormData::default()
            .with_today(Self::TODAY)
            .set("kind", K::KIND.as_str()))
    }

    fn from_body(body: NewNote, _: &Target) -> Result<NewNote, Vec<FieldError>> {
        Ok(body)
    }

    /// Every problem with the note at once, as the page shows them.
    async fn api_check(
        _: &AppState,
        _: &Target,
        input: &NewNote,
    ) -> Result<Vec<FieldError>, AppError> {
        Ok(input.validate(today()))
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: NewNote,
    ) -> Result<Note, StoreError> {
        state.store.add_note(actor, t.child, input).await
    }

    fn done(t: &Target, _: &Note) -> String {
        format!("/children/{}?saved={}#visits", t.child, K::KIND.as_str())
    }

    /// The bespoke page again, with the problems.
    async fn page(
        state: &AppState,
        session: &Session,
        _: &Target,
        rec: &ChildRecord,
        form: &FormData,
        errors: &[FieldError],
    ) -> Result<Response, AppError> {
        note_page(state, session, rec, K::KIND, &NoteForm::from(form), errors)
    }
}

/// `GET /children/{id}/notes?kind=...`: the form path's page for the kind of note asked for.
pub async fn new_note(
    state: State<AppState>,
    session: Session,
    id: Path<String>,
    query: Query<RefQuery>,
    uri: axum::extract::OriginalUri,
    headers: axum::http::HeaderMap,
) -> Result<Response, AppError> {
    match NoteKind::parse(&query.kind) {
        Some(NoteKind::Visit) => {
            path::form_page::<Notes<Visit>>(state, session, id, query, uri, headers).await
        }
        Some(NoteKind::CaseNote) => {
            path::form_page::<Notes<CaseNote>>(state, session, id, query, uri, headers).await
        }
        Some(NoteKind::Oversight) => {
            path::form_page::<Notes<Oversight>>(state, session, id, query, uri, headers).await
        }
        None => Err(AppError::NotFound { api: false }),
    }
}

/// `POST /children/{id}/notes`: the form path's post for the kind of note posted.
pub async fn add_note(
    state: State<AppState>,
    id: Path<String>,
    query: Query<RefQuery>,
    uri: OriginalUri,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let kind = NoteKind::parse(&form.get("kind"));
    let posted = AuthedForm { session, form };
    match kind {
        Some(NoteKind::Visit) => {
            path::form_post::<Notes<Visit>>(state, id, query, uri, posted).await
        }
        Some(NoteKind::CaseNote) => {
            path::form_post::<Notes<CaseNote>>(state, id, query, uri, posted).await
        }
        Some(NoteKind::Oversight) => {
            path::form_post::<Notes<Oversight>>(state, id, query, uri, posted).await
        }
        None => Err(AppError::BadRequest {
            message: "The form did not say what kind of note it was.".into(),
            api: false,
        }),
    }
}

/// `POST /api/children/{id}/notes`: the form path's API for the kind of note in the body (a body
/// that is not a note is checked as a visit's, so refused for those who may not record one).
pub async fn add_note_api(
    state: State<AppState>,
    session: Session,
    id: Path<String>,
    uri: OriginalUri,
    body: Result<Json<NewNote>, JsonRejection>,
) -> Result<Response, AppError> {
    match body.as_ref().map(|Json(n)| n.kind) {
        Ok(NoteKind::Oversight) => {
            path::form_api::<Notes<Oversight>>(state, session, id, uri, body).await
        }
        Ok(NoteKind::CaseNote) => {
            path::form_api::<Notes<CaseNote>>(state, session, id, uri, body).await
        }
        _ => path::form_api::<Notes<Visit>>(state, session, id, uri, body).await,
    }
}
