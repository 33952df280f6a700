//! Correcting a visit, case note or management oversight: the declaration for the shared
//! correction forms ([`crate::forms::correct`]). Oversight is corrected by managers, as it is
//! recorded; what kind of note it is cannot be amended.

use domain::case_notes::{NewNote, NoteKind};
use domain::validate::FieldError;
use store::ChildRecord;

use crate::forms::correct::{Correcting, said};
use crate::forms::fields::fmt_date;
use crate::forms::{Field, FormData};
use crate::policy::Action;

use super::forms::{note_fields, read_note};
use super::pages::note_action;

/// The declaration: a note's correction forms.
pub struct NoteCorrection;

impl Correcting for NoteCorrection {
    type Record = NewNote;
    const AMEND: &'static str = "/notes/{id}/amend";
    const AMEND_API: &'static str = "/api/notes/{id}/amend";
    const IN_ERROR: &'static str = "/notes/{id}/entered-in-error";
    const IN_ERROR_API: &'static str = "/api/notes/{id}/entered-in-error";

    fn action(note: &NewNote) -> Action {
        note_action(note.kind)
    }

    fn fields(note: &NewNote) -> Vec<Field> {
        note_fields(note.kind)
    }

    fn form(n: &NewNote) -> FormData {
        FormData::default()
            .set_date("date", Some(n.date))
            .set_yes_no("child_seen", n.child_seen)
            .set_yes_no("seen_alone", n.seen_alone)
            .set("childs_words", &n.childs_words)
            .set("observation", &n.observation)
            .set("text", &n.text)
            .set("decision", &n.decision)
            .set("rationale", &n.rationale)
    }

    fn read(form: &FormData, was: &NewNote, _: &ChildRecord) -> Result<NewNote, Vec<FieldError>> {
        read_note(was.kind, form)
    }

    fn describe(n: &NewNote) -> Vec<(&'static str, String)> {
        let mut rows = vec![("Date", fmt_date(n.date))];
        match n.kind {
            NoteKind::Visit => {
                rows.push(("Child seen", said(n.child_seen)));
                rows.push(("Seen alone", said(n.seen_alone)));
                if !n.childs_words.is_empty() {
                    rows.push(("The child's own words", n.childs_words.clone()));
                }
                if !n.observation.is_empty() {
                    rows.push(("What was observed", n.observation.clone()));
                }
                rows.push(("What happened", n.text.clone()));
            }
            NoteKind::CaseNote => rows.push(("Case note", n.text.clone())),
            NoteKind::Oversight => {
                rows.push(("Decision", n.decision.clone()));
                rows.push(("Rationale", n.rationale.clone()));
            }
        }
        rows
    }
}
