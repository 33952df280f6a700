//! Correcting looked-after records: the declarations for the shared correction forms
//! ([`crate::forms::correct`]). A conviction or substance misuse (the 903's OC2 items) is
//! amended (what it is cannot change) or marked entered in error, when it leaves the 903.

use domain::codes::CodeList;
use domain::looked_after::adoption::{
    DecisionDates, MatchDetails, adopters_legal_status, adopters_sex, reason_no_longer_placed,
};
use domain::looked_after::health::{NewOc2Event, Oc2Event, oc2_event_kind};
use domain::looked_after::{UascEnd, uasc_end_reason};
use domain::validate::FieldError;
use minijinja::{Value, context};
use store::ChildRecord;

use crate::forms::correct::{Correcting, said, view};
use crate::forms::fields::{fmt_date, list_items, past_date, today};
use crate::forms::{Field, FormData};
use crate::policy::{Action, check_role};

use super::health::{oc2_fields, read_oc2};

/// The declaration: a conviction or substance misuse's correction forms.
pub struct Oc2Correction;

fn label(list: &CodeList, code: &str) -> String {
    list.label(code).unwrap_or(code).to_string()
}

impl Correcting for Oc2Correction {
    const SECTION: &'static str = "care";
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
            .set_date("happened", Some(e.happened_on))
            .set_yes_no("intervention_received", e.intervention_received)
            .set_yes_no("intervention_offered", e.intervention_offered)
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

/// The declaration: a decision to place for adoption's correction forms.
pub struct DecisionCorrection;

impl Correcting for DecisionCorrection {
    const SECTION: &'static str = "care";
    type Record = DecisionDates;
    const AMEND: &'static str = "/adoption-decisions/{id}/amend";
    const AMEND_API: &'static str = "/api/adoption-decisions/{id}/amend";
    const IN_ERROR: &'static str = "/adoption-decisions/{id}/entered-in-error";
    const IN_ERROR_API: &'static str = "/api/adoption-decisions/{id}/entered-in-error";

    fn fields(_: &DecisionDates) -> Vec<Field> {
        vec![
            Field::Date("decided", "Date of the decision to place for adoption"),
            Field::Date(
                "ceased",
                "Date it was decided the child should no longer be placed (if it was)",
            ),
            Field::Select(
                "reason_ceased",
                "Why the child should no longer be placed",
                list_items(reason_no_longer_placed(), today()),
            ),
        ]
    }

    fn form(d: &DecisionDates) -> FormData {
        FormData::default()
            .set_date("decided", Some(d.decided_on))
            .set_date("ceased", d.ceased_on)
            .set(
                "reason_ceased",
                d.reason_ceased.as_deref().unwrap_or_default(),
            )
    }

    fn read(
        form: &FormData,
        _: &DecisionDates,
        _: &ChildRecord,
    ) -> Result<DecisionDates, Vec<FieldError>> {
        let mut errors = Vec::new();
        let decided = form.date("decided", "Date of the decision", &mut errors);
        let ceased_parts = form.parts("ceased");
        let ceased = if [&ceased_parts.day, &ceased_parts.month, &ceased_parts.year]
            .iter()
            .all(|p| p.trim().is_empty())
        {
            None
        } else {
            past_date(
                &ceased_parts,
                "ceased",
                "Date it was decided the child should no longer be placed",
                &mut errors,
            )
        };
        let reason = form.get("reason_ceased");
        let input = decided.map(|decided_on| DecisionDates {
            decided_on,
            ceased_on: ceased,
            reason_ceased: (!reason.trim().is_empty()).then_some(reason),
        });
        crate::forms::path::valid(errors, input, |d| d.validate(today()))
    }

    fn describe(d: &DecisionDates) -> Vec<(&'static str, String)> {
        let mut rows = vec![("Decided", fmt_date(d.decided_on))];
        if let Some(c) = d.ceased_on {
            rows.push(("No longer to be placed from", fmt_date(c)));
        }
        if let Some(r) = &d.reason_ceased {
            rows.push(("Why", label(reason_no_longer_placed(), r)));
        }
        rows
    }
}

/// The declaration: a match with adopters, amended only (a decision has one match; one made in
/// error goes with its decision).
pub struct MatchCorrection;

impl Correcting for MatchCorrection {
    const SECTION: &'static str = "care";
    type Record = MatchDetails;
    const AMEND: &'static str = "/adoption-matches/{id}/amend";
    const AMEND_API: &'static str = "/api/adoption-matches/{id}/amend";

    fn fields(_: &MatchDetails) -> Vec<Field> {
        vec![
            Field::Date("matched", "Date of the match"),
            Field::Radios(
                "adopters",
                "How many adopters?",
                vec![("1".into(), "One".into()), ("2".into(), "Two".into())],
            ),
            Field::Select(
                "adopters_sex",
                "The adopters' sex",
                list_items(adopters_sex(), today()),
            ),
            Field::Select(
                "adopters_legal_status",
                "The adopters' legal status",
                list_items(adopters_legal_status(), today()),
            ),
            Field::Radios(
                "foster_carers",
                "Are the adopters the child's foster carers?",
                crate::forms::fields::yes_no(),
            ),
        ]
    }

    fn form(m: &MatchDetails) -> FormData {
        FormData::default()
            .set_date("matched", Some(m.matched_on))
            .set("adopters", &m.adopters.to_string())
            .set("adopters_sex", &m.adopters_sex)
            .set("adopters_legal_status", &m.adopters_legal_status)
            .set_yes_no("foster_carers", Some(m.foster_carers))
    }

    fn read(
        form: &FormData,
        _: &MatchDetails,
        _: &ChildRecord,
    ) -> Result<MatchDetails, Vec<FieldError>> {
        let mut errors = Vec::new();
        let matched = form.date("matched", "Date of the match", &mut errors);
        let foster = match form.get("foster_carers").as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => {
                errors.push(FieldError::new(
                    "foster_carers",
                    "Select whether the adopters are the child's foster carers",
                ));
                None
            }
        };
        let input = matched
            .zip(foster)
            .map(|(matched_on, foster_carers)| MatchDetails {
                matched_on,
                adopters: form.get("adopters").parse().unwrap_or(0),
                adopters_sex: form.get("adopters_sex"),
                adopters_legal_status: form.get("adopters_legal_status"),
                foster_carers,
            });
        crate::forms::path::valid(errors, input, |m| m.validate(today()))
    }

    fn describe(m: &MatchDetails) -> Vec<(&'static str, String)> {
        vec![
            ("Matched", fmt_date(m.matched_on)),
            ("Adopters", m.adopters.to_string()),
            ("The adopters' sex", label(adopters_sex(), &m.adopters_sex)),
            (
                "Their legal status",
                label(adopters_legal_status(), &m.adopters_legal_status),
            ),
            ("The child's foster carers", said(Some(m.foster_carers))),
        ]
    }
}

/// The declaration: the end of a child's UASC status, amended only (it is kept once per child).
/// Its own reason is the form's `uasc_reason` (the correction's is `reason`).
pub struct UascCorrection;

impl Correcting for UascCorrection {
    const SECTION: &'static str = "care";
    type Record = UascEnd;
    const AMEND: &'static str = "/uasc-ends/{id}/amend";
    const AMEND_API: &'static str = "/api/uasc-ends/{id}/amend";

    fn fields(_: &UascEnd) -> Vec<Field> {
        vec![
            Field::Date("ceased", "Date the UASC status ended"),
            Field::Select(
                "uasc_reason",
                "Why it ended",
                list_items(uasc_end_reason(), today()),
            ),
        ]
    }

    fn form(u: &UascEnd) -> FormData {
        FormData::default()
            .set_date("ceased", Some(u.ceased_on))
            .set("uasc_reason", &u.reason)
    }

    fn read(form: &FormData, _: &UascEnd, rec: &ChildRecord) -> Result<UascEnd, Vec<FieldError>> {
        let mut errors = Vec::new();
        let input = form
            .date("ceased", "Date the UASC status ended", &mut errors)
            .map(|ceased_on| UascEnd {
                ceased_on,
                reason: form.get("uasc_reason"),
            });
        let d = &rec.person.details;
        crate::forms::path::valid(errors, input, |u| {
            u.validate(d.uasc, d.date_of_birth, None, today())
        })
        .map_err(|errors| {
            errors
                .into_iter()
                .map(|e| match e.field.as_str() {
                    "reason" => FieldError::new("uasc_reason", e.message),
                    _ => e,
                })
                .collect()
        })
    }

    fn describe(u: &UascEnd) -> Vec<(&'static str, String)> {
        vec![
            ("Ended", fmt_date(u.ceased_on)),
            ("Why", label(uasc_end_reason(), &u.reason)),
        ]
    }
}
