//! The health of children in care and their missing or away episodes, declared once for their
//! pages and API (see [`crate::forms::path`]): a health assessment or dental check, an SDQ (score
//! 0–40 or why none, ages 4–16 only), going missing and coming back with the return home
//! interview.

use async_trait::async_trait;
use axum::Router;
use domain::looked_after::health::{
    HealthCheck, MissingEpisode, MissingReturn, NewHealthCheck, NewMissing, NewOc2Event, NewSdq,
    Oc2Event, Sdq, health_check_kind, oc2_event_kind, sdq_reason,
};
use domain::validate::FieldError;
use store::{Actor, CaseRecord, ChildRecord, StoreError};

use super::reviews::entered_care;
use crate::AppState;
use crate::error::AppError;
use crate::forms::fields::{list_items, past_datetime, today, yes_no};
use crate::forms::path::{self, CaseForm, On, Target, to_child, valid};
use crate::forms::{Field, FormData, FormSpec};

/// A health assessment (initial or review) or a dental check.
pub struct Check;

#[async_trait]
impl CaseForm for Check {
    type Record = ChildRecord;
    type Input = NewHealthCheck;
    type Body = NewHealthCheck;
    type Saved = HealthCheck;
    const PAGE: &'static str = "/children/{id}/health";
    const API: &'static str = "/api/children/{id}/health";
    const ON: On = On::Child;
    const WHAT: &'static str = "record a health check";
    const SUMMARY: &'static str = "Records a child in care's initial or review health assessment, or a dental check (kind: initial, review or dental).";
    const TODAY: &'static [&'static str] = &["done"];
    const FALLBACK: &'static str = "done";

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        Ok(FormSpec::new(
            rec,
            "Record a health assessment or dental check",
            format!("/children/{}/health", t.child),
            "Save",
            vec![
                Field::Radios("kind", "What was done", list_items(health_check_kind(), today())),
                Field::Date("done", "Date"),
            ],
        )
        .intro("The initial health assessment is due within 20 working days of entering care; review assessments every 6 months under 5 and every year from 5."))
    }

    fn read(
        form: &FormData,
        _: &Target,
        rec: &ChildRecord,
    ) -> Result<NewHealthCheck, Vec<FieldError>> {
        let mut errors = Vec::new();
        let input = form
            .date("done", "Date", &mut errors)
            .map(|done_on| NewHealthCheck {
                kind: form.get("kind"),
                done_on,
            });
        valid(errors, input, |c| c.validate(entered_care(rec), today()))
    }

    fn from_body(body: NewHealthCheck, _: &Target) -> Result<NewHealthCheck, Vec<FieldError>> {
        Ok(body)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: NewHealthCheck,
    ) -> Result<HealthCheck, StoreError> {
        state.store.record_health_check(actor, t.child, input).await
    }

    fn done(t: &Target, _: &HealthCheck) -> String {
        to_child(t.child, "health_check")
    }
}

/// A Strengths and Difficulties Questionnaire.
pub struct SdqForm;

#[async_trait]
impl CaseForm for SdqForm {
    type Record = ChildRecord;
    type Input = NewSdq;
    type Body = NewSdq;
    type Saved = Sdq;
    const PAGE: &'static str = "/children/{id}/sdq";
    const API: &'static str = "/api/children/{id}/sdq";
    const ON: On = On::Child;
    const WHAT: &'static str = "record an SDQ";
    const SUMMARY: &'static str = "Records a Strengths and Difficulties Questionnaire for a child in care aged 4 to 16: its total score (0–40) or why there is none (SDQ2–SDQ5).";
    const TODAY: &'static [&'static str] = &["done"];
    const FALLBACK: &'static str = "done";

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        Ok(FormSpec::new(
            rec,
            "Record a Strengths and Difficulties Questionnaire",
            format!("/children/{}/sdq", t.child),
            "Save",
            vec![
                Field::Date("done", "Date"),
                Field::Input("score", "Total score", "A whole number from 0 to 40"),
                Field::Radios(
                    "sdq_reason",
                    "If there is no score, why not",
                    list_items(sdq_reason(), today()),
                ),
            ],
        )
        .intro("The SDQ is done every year for children in care aged 4 to 16."))
    }

    fn read(form: &FormData, _: &Target, rec: &ChildRecord) -> Result<NewSdq, Vec<FieldError>> {
        let mut errors = Vec::new();
        let raw = form.get("score");
        let score = match raw.trim() {
            "" => Some(None),
            s => match s.parse::<i32>() {
                Ok(n) => Some(Some(n)),
                Err(_) => {
                    errors.push(FieldError::new(
                        "score",
                        "The SDQ score must be a whole number from 0 to 40",
                    ));
                    None
                }
            },
        };
        let reason = form.get("sdq_reason");
        let input = match (form.date("done", "Date", &mut errors), score) {
            (Some(done_on), Some(score)) => Some(NewSdq {
                done_on,
                score,
                reason: (!reason.is_empty()).then_some(reason),
            }),
            _ => None,
        };
        valid(errors, input, |s| {
            s.validate(rec.person.details.date_of_birth, entered_care(rec), today())
        })
    }

    fn from_body(body: NewSdq, _: &Target) -> Result<NewSdq, Vec<FieldError>> {
        Ok(body)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: NewSdq,
    ) -> Result<Sdq, StoreError> {
        state.store.record_sdq(actor, t.child, input).await
    }

    fn done(t: &Target, _: &Sdq) -> String {
        to_child(t.child, "sdq")
    }
}

/// The child went missing (M) or away without authorisation (A).
pub struct MissingStart;

#[async_trait]
impl CaseForm for MissingStart {
    type Record = ChildRecord;
    type Input = NewMissing;
    type Body = NewMissing;
    type Saved = MissingEpisode;
    const PAGE: &'static str = "/children/{id}/missing";
    const API: &'static str = "/api/children/{id}/missing";
    const ON: On = On::Child;
    const WHAT: &'static str = "record a missing episode";
    const SUMMARY: &'static str = "Records that a child in care went missing (M) or away from placement without authorisation (A).";
    const TODAY: &'static [&'static str] = &["started"];
    const FALLBACK: &'static str = "started";

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        Ok(FormSpec::new(
            rec,
            "Record a missing or away episode",
            format!("/children/{}/missing", t.child),
            "Save",
            vec![
                Field::Radios(
                    "kind",
                    "Missing or away",
                    vec![
                        ("M".into(), "Missing: whereabouts unknown".into()),
                        (
                            "A".into(),
                            "Away from placement without authorisation: whereabouts known".into(),
                        ),
                    ],
                ),
                Field::Date("started", "Date they went"),
            ],
        ))
    }

    fn read(form: &FormData, _: &Target, rec: &ChildRecord) -> Result<NewMissing, Vec<FieldError>> {
        let mut errors = Vec::new();
        let input = form
            .date("started", "Date they went", &mut errors)
            .map(|started_on| NewMissing {
                kind: form.get("kind"),
                started_on,
            });
        valid(errors, input, |m| m.validate(entered_care(rec), today()))
    }

    fn from_body(body: NewMissing, _: &Target) -> Result<NewMissing, Vec<FieldError>> {
        Ok(body)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: NewMissing,
    ) -> Result<MissingEpisode, StoreError> {
        state.store.start_missing(actor, t.child, input).await
    }

    fn done(t: &Target, _: &MissingEpisode) -> String {
        to_child(t.child, "missing")
    }
}

/// The child came back; the return home interview offered (within 72 hours) and accepted.
pub struct MissingEnd;

fn episode<'a>(
    t: &Target,
    rec: &'a ChildRecord,
) -> Result<&'a domain::looked_after::Missing, AppError> {
    rec.looked_after
        .missing
        .iter()
        .find(|m| m.id == t.id)
        .ok_or(AppError::NotFound { api: false })
}

#[async_trait]
impl CaseForm for MissingEnd {
    type Record = ChildRecord;
    type Input = MissingReturn;
    type Body = MissingReturn;
    type Saved = MissingEpisode;
    const PAGE: &'static str = "/missing/{id}/return";
    const API: &'static str = "/api/missing/{id}/return";
    const ON: On = On::Record(CaseRecord::Missing);
    const WHAT: &'static str = "record a return from missing";
    const SUMMARY: &'static str = "Records a child's return from a missing or away episode and the return home interview (offered within 72 hours; accepted or not).";
    const TODAY: &'static [&'static str] = &["ended"];
    const FALLBACK: &'static str = "ended";
    const CREATED: bool = false;

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        episode(t, rec)?;
        Ok(FormSpec::new(
            rec,
            "Record the child's return",
            format!("/missing/{}/return", t.id),
            "Save",
            vec![
                Field::Date("ended", "Date they came back"),
                Field::Date(
                    "interview_offered",
                    "Date the return home interview was offered",
                ),
                Field::Input(
                    "interview_offered_time",
                    "Time it was offered",
                    "For example 14:30. Leave the date and time blank if not offered.",
                ),
                Field::Radios(
                    "interview_accepted",
                    "Did the child accept the interview",
                    yes_no(),
                ),
            ],
        )
        .intro("The return home interview is offered within 72 hours of the child's return."))
    }

    fn read(
        form: &FormData,
        t: &Target,
        rec: &ChildRecord,
    ) -> Result<MissingReturn, Vec<FieldError>> {
        let started = episode(t, rec)
            .map_err(|_| {
                vec![FieldError::new(
                    "ended",
                    "This episode is not on the child's record",
                )]
            })?
            .started_on;
        let mut errors = Vec::new();
        let ended = form.date("ended", "Date they came back", &mut errors);
        let parts = form.parts("interview_offered");
        let time = form.get("interview_offered_time");
        let offered = if parts.is_empty() && time.trim().is_empty() {
            Some(None)
        } else {
            past_datetime(
                &parts,
                &time,
                "interview_offered",
                "The date the interview was offered",
                &mut errors,
            )
            .map(Some)
        };
        let accepted = match form.get("interview_accepted").as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        };
        let input = match (ended, offered) {
            (Some(ended_on), Some(interview_offered_at)) => Some(MissingReturn {
                ended_on,
                interview_offered_at,
                interview_accepted: accepted,
            }),
            _ => None,
        };
        valid(errors, input, |r| r.validate(started, today()))
    }

    fn from_body(body: MissingReturn, _: &Target) -> Result<MissingReturn, Vec<FieldError>> {
        Ok(body)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: MissingReturn,
    ) -> Result<MissingEpisode, StoreError> {
        state.store.end_missing(actor, t.id, input).await
    }

    fn done(t: &Target, _: &MissingEpisode) -> String {
        to_child(t.child, "missing_return")
    }
}

/// A conviction (or final warning or reprimand), or a substance misuse problem with whether an
/// intervention was received or offered: the 903's OC2 items, recorded as they happen.
pub struct Oc2;

fn yes_no_blank(form: &FormData, k: &str) -> Option<bool> {
    match form.get(k).as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

/// The fields of a conviction or substance misuse (`kind`: with what it is, when recording it).
pub(crate) fn oc2_fields(kind: bool) -> Vec<Field> {
    let mut fields = Vec::new();
    if kind {
        fields.push(Field::Radios(
            "kind",
            "What happened",
            list_items(oc2_event_kind(), today()),
        ));
    }
    fields.extend([
        Field::Date("happened", "Date"),
        Field::Radios(
            "intervention_received",
            "For substance misuse: did the child receive an intervention?",
            yes_no(),
        ),
        Field::Radios(
            "intervention_offered",
            "If they did not receive one: was an intervention offered?",
            yes_no(),
        ),
        Field::Textarea("note", "Note (optional)", ""),
    ]);
    fields
}

/// A conviction or substance misuse of `kind` from the posted fields, checked by the domain.
pub(crate) fn read_oc2(
    form: &FormData,
    kind: &str,
    rec: &ChildRecord,
) -> Result<NewOc2Event, Vec<FieldError>> {
    let mut errors = Vec::new();
    let input = form
        .date("happened", "Date", &mut errors)
        .map(|happened_on| NewOc2Event {
            kind: kind.to_string(),
            happened_on,
            intervention_received: yes_no_blank(form, "intervention_received"),
            intervention_offered: yes_no_blank(form, "intervention_offered"),
            note: form.get("note"),
        });
    valid(errors, input, |c| {
        c.validate(rec.person.details.date_of_birth, entered_care(rec), today())
    })
}

#[async_trait]
impl CaseForm for Oc2 {
    type Record = ChildRecord;
    type Input = NewOc2Event;
    type Body = NewOc2Event;
    type Saved = Oc2Event;
    const PAGE: &'static str = "/children/{id}/offending-and-substance-misuse";
    const API: &'static str = "/api/children/{id}/offending-and-substance-misuse";
    const ON: On = On::Child;
    const WHAT: &'static str = "record a conviction or substance misuse";
    const SUMMARY: &'static str = "Records, for a child in care, a conviction, final warning or reprimand (kind conviction; 10 or over) or a substance misuse problem identified (kind substance_misuse, with intervention_received, and intervention_offered when none was received): the 903's OC2 items.";
    const TODAY: &'static [&'static str] = &["happened"];
    const FALLBACK: &'static str = "happened";

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        Ok(FormSpec::new(
            rec,
            "Record a conviction or substance misuse",
            format!("/children/{}/offending-and-substance-misuse", t.child),
            "Save",
            oc2_fields(true),
        )
        .intro("These are the 903's items for children looked after for a year: a year with nothing recorded here is returned as none."))
    }

    fn read(
        form: &FormData,
        _: &Target,
        rec: &ChildRecord,
    ) -> Result<NewOc2Event, Vec<FieldError>> {
        read_oc2(form, &form.get("kind"), rec)
    }

    fn from_body(body: NewOc2Event, _: &Target) -> Result<NewOc2Event, Vec<FieldError>> {
        Ok(body)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: NewOc2Event,
    ) -> Result<Oc2Event, StoreError> {
        state.store.record_oc2_event(actor, t.child, input).await
    }

    fn done(t: &Target, _: &Oc2Event) -> String {
        to_child(t.child, "oc2_event")
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(path::routes::<Check>())
        .merge(path::routes::<SdqForm>())
        .merge(path::routes::<MissingStart>())
        .merge(path::routes::<MissingEnd>())
        .merge(path::routes::<Oc2>())
}

/// Adds the health and missing forms' API to the OpenAPI document.
pub fn document(doc: &mut utoipa::openapi::OpenApi) {
    path::document::<Check>(doc);
    path::document::<SdqForm>(doc);
    path::document::<MissingStart>(doc);
    path::document::<MissingEnd>(doc);
    path::document::<Oc2>(doc);
}
