//! Child protection's forms, declared once for their pages and API (see [`crate::forms::path`]).

use async_trait::async_trait;
use axum::response::Response;
use chrono::NaiveDate;
use domain::child_protection::{
    Conference, ConferenceKind, CpPlan, NewConference, NewCoreGroup, NewStrategy, S47,
    S47Completion, Strategy,
};
use domain::codes;
use domain::validate::FieldError;
use serde::{Deserialize, Serialize};
use store::{Actor, CaseRecord, ChildRecord, StoreError};
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Session;
use crate::error::AppError;
use crate::forms::fields::{fmt_date, list_items, today, yes_no};
use crate::forms::path::{CaseForm, On, Target, to_child, valid};
use crate::forms::{Field, FormData, FormSpec};
use crate::guard::referral_of;

/// The API's body for a strategy discussion (the referral is the path's).
#[derive(Deserialize, ToSchema)]
pub struct StrategyInput {
    pub held_on: NaiveDate,
    pub agencies: Vec<String>,
    pub s47: bool,
    pub notes: String,
}

/// The API's answer: the discussion, and the section 47 enquiry it started.
#[derive(Serialize, ToSchema)]
pub struct StrategyRecorded {
    pub strategy: Strategy,
    pub s47: Option<S47>,
}

/// A yes or no radio: its answer, or the problem.
fn yes_no_answer(
    form: &FormData,
    name: &str,
    message: &str,
    errors: &mut Vec<FieldError>,
) -> Option<bool> {
    match form.get(name).as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            errors.push(FieldError::new(name, message));
            None
        }
    }
}

/// Recording a strategy discussion on a referral (the page names it in `?referral=`); one that
/// starts a section 47 enquiry starts it.
pub struct StrategyDiscussion;

#[async_trait]
impl CaseForm for StrategyDiscussion {
    type Record = ChildRecord;
    type Input = NewStrategy;
    type Body = StrategyInput;
    type Saved = StrategyRecorded;
    const PAGE: &'static str = "/children/{id}/strategy";
    const API: &'static str = "/api/referrals/{id}/strategy-discussions";
    const ON: On = On::Child;
    const API_ON: On = On::Record(CaseRecord::Referral);
    const WHAT: &'static str = "record strategy discussion";
    const SUMMARY: &'static str =
        "Records a strategy discussion on a referral; `s47` starts a section 47 enquiry.";
    const TODAY: &'static [&'static str] = &["held"];
    const FALLBACK: &'static str = "held";

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        referral_of(rec, &t.query.referral)?;
        Ok(FormSpec::new(
            rec,
            "Record a strategy discussion",
            format!("/children/{}/strategy?referral={}", t.child, t.query.referral),
            "Save strategy discussion",
            vec![
                Field::Date("held", "Date of the discussion"),
                Field::Checkboxes(
                    "agencies",
                    "Who took part",
                    "",
                    list_items(codes::meeting_agency(), today()),
                ),
                Field::Radios("s47", "Did it start a section 47 enquiry?", yes_no()),
                Field::Textarea("notes", "What was discussed and decided", ""),
            ],
        )
        .intro("A section 47 enquiry starts on the day of the discussion; the initial child protection conference is due within 15 working days."))
    }

    fn read(
        form: &FormData,
        t: &Target,
        rec: &ChildRecord,
    ) -> Result<NewStrategy, Vec<FieldError>> {
        let referral = referral_of(rec, &t.query.referral).map_err(|_| {
            vec![FieldError::new(
                "held",
                "This referral is not on the child's record",
            )]
        })?;
        let mut errors = Vec::new();
        let s47 = yes_no_answer(
            form,
            "s47",
            "Select whether a section 47 enquiry started",
            &mut errors,
        );
        let held = form.date("held", "Date of the discussion", &mut errors);
        // Every field is checked at once, so that all the problems show together.
        let s = NewStrategy {
            referral_id: referral.id,
            held_on: held.unwrap_or_else(today),
            agencies: form.all("agencies"),
            s47: s47.unwrap_or(false),
            notes: form.get("notes"),
        };
        errors.extend(
            s.validate(referral.referral_date, today())
                .into_iter()
                .filter(|e| held.is_some() || e.field != "held"),
        );
        valid(errors, Some(s), |_| Vec::new())
    }

    fn from_body(body: StrategyInput, t: &Target) -> Result<NewStrategy, Vec<FieldError>> {
        Ok(NewStrategy {
            referral_id: t.id,
            held_on: body.held_on,
            agencies: body.agencies,
            s47: body.s47,
            notes: body.notes,
        })
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        _: &Target,
        input: NewStrategy,
    ) -> Result<StrategyRecorded, StoreError> {
        let (strategy, s47) = state.store.record_strategy(actor, input).await?;
        Ok(StrategyRecorded { strategy, s47 })
    }

    fn done(t: &Target, _: &StrategyRecorded) -> String {
        to_child(t.child, "strategy")
    }
}

/// Recording the outcome of a section 47 enquiry.
pub struct CompleteS47;

fn s47(t: &Target, rec: &ChildRecord) -> Result<S47, AppError> {
    rec.child_protection
        .s47s
        .iter()
        .find(|s| s.id == t.id)
        .cloned()
        .ok_or(AppError::NotFound { api: false })
}

#[async_trait]
impl CaseForm for CompleteS47 {
    type Record = ChildRecord;
    type Input = S47Completion;
    type Body = S47Completion;
    type Saved = S47;
    const PAGE: &'static str = "/s47/{id}";
    const API: &'static str = "/api/s47/{id}/completion";
    const ON: On = On::Record(CaseRecord::S47);
    const WHAT: &'static str = "complete section 47";
    const SUMMARY: &'static str = "Records the outcome of a section 47 enquiry.";
    const TODAY: &'static [&'static str] = &["completed"];
    const FALLBACK: &'static str = "completed";
    const CREATED: bool = false;

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        let s = s47(t, rec)?;
        Ok(FormSpec::new(
            rec,
            "Complete the section 47 enquiry",
            format!("/s47/{}", t.id),
            "Save outcome",
            vec![
                Field::Date("completed", "Date completed"),
                Field::Radios(
                    "outcome",
                    "Outcome",
                    list_items(codes::s47_outcome(), today()),
                ),
            ],
        )
        .intro(format!(
            "If a conference is needed it is due by {}.",
            fmt_date(s.icpc_due)
        )))
    }

    fn read(
        form: &FormData,
        t: &Target,
        rec: &ChildRecord,
    ) -> Result<S47Completion, Vec<FieldError>> {
        let started = s47(t, rec)
            .map_err(|_| {
                vec![FieldError::new(
                    "completed",
                    "This enquiry is not on the child's record",
                )]
            })?
            .started_on;
        let mut errors = Vec::new();
        let input = form
            .date("completed", "Date completed", &mut errors)
            .map(|done| S47Completion {
                completed_on: done,
                outcome: form.get("outcome"),
            });
        valid(errors, input, |c| c.validate(started, today()))
    }

    fn from_body(body: S47Completion, _: &Target) -> Result<S47Completion, Vec<FieldError>> {
        Ok(body)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: S47Completion,
    ) -> Result<S47, StoreError> {
        state.store.complete_s47(actor, t.id, input).await
    }

    fn done(t: &Target, _: &S47) -> String {
        to_child(t.child, "s47")
    }
}

/// Recording an initial or review child protection conference (the page names which in
/// `?kind=`; the API's body does).
pub struct RecordConference;

fn kind(t: &Target) -> Result<ConferenceKind, AppError> {
    ConferenceKind::parse(&t.query.kind).ok_or(AppError::NotFound { api: false })
}

#[async_trait]
impl CaseForm for RecordConference {
    type Record = ChildRecord;
    type Input = NewConference;
    type Body = NewConference;
    type Saved = Conference;
    const PAGE: &'static str = "/children/{id}/conferences";
    const API: &'static str = "/api/children/{id}/conferences";
    const ON: On = On::Child;
    const WHAT: &'static str = "record conference";
    const SUMMARY: &'static str = "Records an initial or review child protection conference.";
    const TODAY: &'static [&'static str] = &["held"];
    const FALLBACK: &'static str = "held";
    const DRAFT: bool = true;

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        let kind = kind(t)?;
        let initial = kind == ConferenceKind::Initial;
        let mut fields = vec![
            Field::Date("held", "Date of the conference"),
            Field::Checkboxes(
                "agencies",
                "Attendance",
                "Select every agency that attended.",
                list_items(codes::meeting_agency(), today()),
            ),
            Field::Radios(
                "plan",
                if initial {
                    "Is the child to be the subject of a child protection plan?"
                } else {
                    "Does the child protection plan continue?"
                },
                yes_no(),
            ),
            Field::Radios(
                "category",
                "Category of abuse (if there is a plan)",
                list_items(codes::abuse_category(), today()),
            ),
        ];
        if !initial {
            fields.push(Field::Textarea("end_reason", "If the plan ends: why", ""));
        }
        Ok(FormSpec::new(
            rec,
            if initial {
                "Record the initial child protection conference"
            } else {
                "Record a review conference"
            },
            format!("/children/{}/conferences?kind={}", t.child, kind.as_str()),
            "Save conference",
            fields,
        ))
    }

    fn read(
        form: &FormData,
        t: &Target,
        _: &ChildRecord,
    ) -> Result<NewConference, Vec<FieldError>> {
        let kind =
            kind(t).map_err(|_| vec![FieldError::new("held", "Choose the kind of conference")])?;
        let mut errors = Vec::new();
        let plan = yes_no_answer(form, "plan", "Select whether there is a plan", &mut errors);
        let held = form.date("held", "Date of the conference", &mut errors);
        // Every field is checked at once; those that depend on the plan answer wait for it.
        let has_plan = plan.unwrap_or(false);
        let c = NewConference {
            kind,
            held_on: held.unwrap_or_else(today),
            agencies: form.all("agencies"),
            plan: has_plan,
            category: Some(form.get("category")).filter(|c| has_plan && !c.is_empty()),
            end_reason: form.get("end_reason"),
        };
        errors.extend(c.validate(today()).into_iter().filter(|e| {
            (held.is_some() || e.field != "held")
                && (plan.is_some() || !matches!(e.field.as_str(), "category" | "end_reason"))
        }));
        valid(errors, Some(c), |_| Vec::new())
    }

    fn from_body(body: NewConference, _: &Target) -> Result<NewConference, Vec<FieldError>> {
        Ok(body)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: NewConference,
    ) -> Result<Conference, StoreError> {
        state.store.record_conference(actor, t.child, input).await
    }

    fn done(t: &Target, _: &Conference) -> String {
        to_child(t.child, "conference")
    }

    /// The form again; the store's refusal of the conference's kind (the page has no kind field)
    /// is shown against its date.
    async fn page(
        state: &AppState,
        session: &Session,
        t: &Target,
        rec: &ChildRecord,
        form: &FormData,
        errors: &[FieldError],
    ) -> Result<Response, AppError> {
        let errors: Vec<FieldError> = errors
            .iter()
            .cloned()
            .map(|mut e| {
                if e.field == "kind" {
                    e.field = "held".into();
                }
                e
            })
            .collect();
        Self::spec(t, rec)?
            .drafts(Self::DRAFT)
            .render(state, session, form, &errors)
    }
}

/// Recording a core group meeting on a child protection plan.
pub struct RecordCoreGroup;

#[async_trait]
impl CaseForm for RecordCoreGroup {
    type Record = ChildRecord;
    type Input = NewCoreGroup;
    type Body = NewCoreGroup;
    type Saved = CpPlan;
    const PAGE: &'static str = "/cp-plans/{id}/core-groups";
    const API: &'static str = "/api/cp-plans/{id}/core-groups";
    const ON: On = On::Record(CaseRecord::CpPlan);
    const WHAT: &'static str = "record core group";
    const SUMMARY: &'static str = "Records a core group meeting on a child protection plan.";
    const TODAY: &'static [&'static str] = &["held"];
    const FALLBACK: &'static str = "held";
    const CREATED: bool = false;

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        plan_started(t, rec)?;
        Ok(FormSpec::new(
            rec,
            "Record a core group meeting",
            format!("/cp-plans/{}/core-groups", t.id),
            "Save core group",
            vec![
                Field::Date("held", "Date of the meeting"),
                Field::Checkboxes(
                    "agencies",
                    "Who attended",
                    "",
                    list_items(codes::meeting_agency(), today()),
                ),
                Field::Textarea("notes", "Progress against the plan", ""),
            ],
        ))
    }

    fn read(
        form: &FormData,
        t: &Target,
        rec: &ChildRecord,
    ) -> Result<NewCoreGroup, Vec<FieldError>> {
        let started = plan_started(t, rec).map_err(|_| {
            vec![FieldError::new(
                "held",
                "This plan is not on the child's record",
            )]
        })?;
        let mut errors = Vec::new();
        let input = form
            .date("held", "Date of the meeting", &mut errors)
            .map(|held| NewCoreGroup {
                held_on: held,
                agencies: form.all("agencies"),
                notes: form.get("notes"),
            });
        valid(errors, input, |g| g.validate(started, today()))
    }

    fn from_body(body: NewCoreGroup, _: &Target) -> Result<NewCoreGroup, Vec<FieldError>> {
        Ok(body)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: NewCoreGroup,
    ) -> Result<CpPlan, StoreError> {
        state.store.record_core_group(actor, t.id, input).await
    }

    fn done(t: &Target, _: &CpPlan) -> String {
        to_child(t.child, "core_group")
    }
}

/// When the plan the path names started.
fn plan_started(t: &Target, rec: &ChildRecord) -> Result<NaiveDate, AppError> {
    rec.child_protection
        .cp_plans
        .iter()
        .find(|p| p.id == t.id)
        .map(|p| p.started_on)
        .ok_or(AppError::NotFound { api: false })
}
