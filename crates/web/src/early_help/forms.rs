//! Early help's forms, declared once for their pages and API (see [`crate::forms::path`]).

use async_trait::async_trait;
use domain::codes;
use domain::early_help::{EarlyHelp, EarlyHelpEnd, NewEarlyHelp};
use domain::validate::FieldError;
use store::{Actor, CaseRecord, ChildRecord, StoreError};

use crate::AppState;
use crate::error::AppError;
use crate::forms::fields::{list_items, today};
use crate::forms::path::{CaseForm, On, Target, to_child, valid};
use crate::forms::{Field, FormData, FormSpec};

/// Starting early help for a child.
pub struct Start;

#[async_trait]
impl CaseForm for Start {
    type Record = ChildRecord;
    type Input = NewEarlyHelp;
    type Body = NewEarlyHelp;
    type Saved = EarlyHelp;
    const PAGE: &'static str = "/children/{id}/early-help";
    const API: &'static str = "/api/children/{id}/early-help";
    const ON: On = On::Child;
    const WHAT: &'static str = "start early help";
    const SUMMARY: &'static str = "Starts early help for a child.";
    const TODAY: &'static [&'static str] = &["started"];
    const FALLBACK: &'static str = "started";

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        Ok(FormSpec::new(
            rec,
            "Start early help",
            format!("/children/{}/early-help", t.child),
            "Start early help",
            vec![
                Field::Date("started", "Date started"),
                Field::Input("lead", "Lead professional", "Their name and agency"),
                Field::Textarea(
                    "reason",
                    "Why early help, and what the family wants to change",
                    "",
                ),
            ],
        ))
    }

    fn read(form: &FormData, _: &Target, _: &ChildRecord) -> Result<NewEarlyHelp, Vec<FieldError>> {
        let mut errors = Vec::new();
        let input = form
            .date("started", "Date started", &mut errors)
            .map(|started| NewEarlyHelp {
                started_on: started,
                lead: form.get("lead"),
                reason: form.get("reason"),
            });
        valid(errors, input, |e| e.validate(today()))
    }

    fn from_body(body: NewEarlyHelp, _: &Target) -> Result<NewEarlyHelp, Vec<FieldError>> {
        Ok(body)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: NewEarlyHelp,
    ) -> Result<EarlyHelp, StoreError> {
        state.store.start_early_help(actor, t.child, input).await
    }

    fn done(t: &Target, _: &EarlyHelp) -> String {
        to_child(t.child, "early_help")
    }
}

/// Ending early help; a step up sends a contact to the front door.
pub struct End;

fn episode(t: &Target, rec: &ChildRecord) -> Result<EarlyHelp, AppError> {
    rec.early_help
        .iter()
        .find(|e| e.id == t.id)
        .cloned()
        .ok_or(AppError::NotFound { api: false })
}

#[async_trait]
impl CaseForm for End {
    type Record = ChildRecord;
    type Input = EarlyHelpEnd;
    type Body = EarlyHelpEnd;
    type Saved = EarlyHelp;
    const PAGE: &'static str = "/early-help/{id}/end";
    const API: &'static str = "/api/early-help/{id}/end";
    const ON: On = On::Record(CaseRecord::EarlyHelp);
    const WHAT: &'static str = "end early help";
    const SUMMARY: &'static str = "Ends early help; \"step_up\" sends a contact to the front door.";
    const TODAY: &'static [&'static str] = &["ended"];
    const FALLBACK: &'static str = "ended";
    const CREATED: bool = false;

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        episode(t, rec)?;
        Ok(FormSpec::new(
            rec,
            "End early help",
            format!("/early-help/{}/end", t.id),
            "End early help",
            vec![
                Field::Date("ended", "Date ended"),
                Field::Radios(
                    "end_reason",
                    "Why early help ended",
                    list_items(codes::early_help_end(), today()),
                ),
                Field::Textarea(
                    "note",
                    "Notes",
                    "For a step up: the concerns for children's social care.",
                ),
            ],
        )
        .intro("Stepping up sends a contact to the front door about this child, without entering them again."))
    }

    fn read(
        form: &FormData,
        t: &Target,
        rec: &ChildRecord,
    ) -> Result<EarlyHelpEnd, Vec<FieldError>> {
        let started = episode(t, rec)
            .map_err(|_| {
                vec![FieldError::new(
                    "ended",
                    "This early help is not on the child's record",
                )]
            })?
            .started_on;
        let mut errors = Vec::new();
        let input = form
            .date("ended", "Date ended", &mut errors)
            .map(|ended| EarlyHelpEnd {
                ended_on: ended,
                reason: form.get("end_reason"),
                note: form.get("note"),
            });
        valid(errors, input, |e| e.validate(started, today()))
    }

    fn from_body(body: EarlyHelpEnd, _: &Target) -> Result<EarlyHelpEnd, Vec<FieldError>> {
        Ok(body)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: EarlyHelpEnd,
    ) -> Result<EarlyHelp, StoreError> {
        state.store.end_early_help(actor, t.id, input).await
    }

    fn done(t: &Target, saved: &EarlyHelp) -> String {
        let what = if saved.step_up_contact.is_some() {
            "stepped_up"
        } else {
            "early_help_ended"
        };
        to_child(t.child, what)
    }
}
