//! Correcting looked-after records: the declarations for the shared correction forms
//! ([`crate::forms::correct`]). A conviction or substance misuse (the 903's OC2 items) is
//! amended (what it is cannot change) or marked entered in error, when it leaves the 903.

use domain::codes::CodeList;
use domain::looked_after::health::{NewOc2Event, Oc2Event, oc2_event_kind};
use domain::validate::FieldError;
use minijinja::{Value, context};
use store::ChildRecord;

use crate::forms::correct::{Correcting, view};
use crate::forms::fields::fmt_date;
use crate::forms::{Field, FormData};
use crate::policy::{Action, check_role};

use super::health::{oc2_fields, read_oc2};

/// The declaration: a conviction or substance misuse's correction forms.
pub struct Oc2Correction;

fn yes_no(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    }
}

fn said(v: Option<bool>) -> String {
    match v {
        Some(true) => "Yes".into(),
        Some(false) => "No".into(),
        None => "Not recorded".into(),
    }
}

fn label(list: &CodeList, code: &str) -> String {
    list.label(code).unwrap_or(code).to_string()
}

impl Correcting for Oc2Correction {
    type Record = NewOc2Event;
    const AMEND: &'static str = "/offending-and-substance-misuse/{id}/amend";
    const AMEND_API: &'static str = "/api/offending-and-substance-misuse/{id}/amend";
    const IN_ERROR: &'static str = "/offending-and-substance-misuse/{id}/entered-in-error";
    const IN_ERROR_API: &'static str = "/api/offending-and-substance-misuse/{id}/entered-in-error";

    fn fields(_: &NewOc2Event) -> Vec<Field> {
        oc2_fields(false)
    }

    fn form(e: &NewOc2Event) -> FormData {
        FormData::default()
            .set("happened-day", &e.happened_on.format("%-d").to_string())
            .set("happened-month", &e.happened_on.format("%-m").to_string())
            .set("happened-year", &e.happened_on.format("%Y").to_string())
            .set("intervention_received", yes_no(e.intervention_received))
            .set("intervention_offered", yes_no(e.intervention_offered))
            .set("note", &e.note)
    }

    fn read(
        form: &FormData,
        was: &NewOc2Event,
        rec: &ChildRecord,
    ) -> Result<NewOc2Event, Vec<FieldError>> {
        read_oc2(form, &was.kind, rec)
    }

    fn describe(e: &NewOc2Event) -> Vec<(&'static str, String)> {
        let mut rows = vec![
            ("What happened", label(oc2_event_kind(), &e.kind)),
            ("Date", fmt_date(e.happened_on)),
        ];
        if e.kind == "substance_misuse" {
            rows.push(("Intervention received", said(e.intervention_received)));
            if e.intervention_received == Some(false) {
                rows.push(("Intervention offered", said(e.intervention_offered)));
            }
        }
        if !e.note.is_empty() {
            rows.push(("Note", e.note.clone()));
        }
        rows
    }
}

/// The child's convictions and substance misuse with their corrections, for the care section.
pub(crate) fn oc2_list(
    rec: &ChildRecord,
    events: &[Oc2Event],
    session: &crate::auth::Session,
) -> Vec<Value> {
    let may = check_role(&session.user, Action::RecordCasework).is_ok();
    events
        .iter()
        .map(|e| {
            let record = NewOc2Event {
                kind: e.kind.clone(),
                happened_on: e.happened_on,
                intervention_received: e.intervention_received,
                intervention_offered: e.intervention_offered,
                note: e.note.clone(),
            };
            context! {
                id => e.id.to_string(),
                what => label(oc2_event_kind(), &e.kind),
                date => fmt_date(e.happened_on),
                corrections => view::<Oc2Correction>(rec, e.id, &record, may),
            }
        })
        .collect()
}
