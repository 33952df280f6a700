//! The assessment's forms, declared once for their pages and API (see [`crate::forms::path`]):
//! starting one on a referral, completing it, and a manager's authorisation.

use async_trait::async_trait;
use axum::response::Response;
use domain::assessment::Assessment;
use domain::validate::FieldError;
use store::{Actor, CaseRecord, ChildRecord, StoreError};

use super::api::{AuthoriseInput, CompletionInput, StartInput};
use super::pages::{CompletionForm, StartForm, assessment_page, start_page};
use crate::AppState;
use crate::auth::Session;
use crate::error::AppError;
use crate::forms::FormData;
use crate::forms::errors::field_error;
use crate::forms::fields::today;
use crate::forms::path::{CaseForm, On, Target, valid};
use crate::policy::Action;

fn assessment<'a>(t: &Target, rec: &'a ChildRecord) -> Result<&'a Assessment, AppError> {
    rec.assessments
        .iter()
        .find(|a| a.id == t.id)
        .ok_or(AppError::NotFound { api: false })
}

/// Starting a single assessment on one of the child's referrals.
pub struct Start;

#[async_trait]
impl CaseForm for Start {
    type Record = ChildRecord;
    type Input = StartInput;
    type Body = StartInput;
    type Saved = Assessment;
    const PAGE: &'static str = "/children/{id}/assessments";
    const FORM: Option<&'static str> = Some("/children/{id}/assessments/new");
    const API: &'static str = "/api/children/{id}/assessments";
    const ON: On = On::Child;
    const WHAT: &'static str = "start assessment";
    const SUMMARY: &'static str =
        "Starts a single assessment on one of the child's referrals; due 45 working days from it.";
    const TODAY: &'static [&'static str] = &["started"];
    const FALLBACK: &'static str = "started";

    fn check(_: &Target, _: &ChildRecord) -> Result<(), AppError> {
        Ok(())
    }

    async fn page(
        state: &AppState,
        session: &Session,
        t: &Target,
        rec: &ChildRecord,
        form: &FormData,
        errors: &[FieldError],
    ) -> Result<Response, AppError> {
        let posted = form.get("referral_id");
        let d = form.parts("started");
        let form = StartForm {
            referral_id: if posted.is_empty() {
                t.query.referral.clone()
            } else {
                posted
            },
            day: d.day,
            month: d.month,
            year: d.year,
        };
        start_page(state, session, rec, &form, errors)
    }

    fn read(form: &FormData, _: &Target, rec: &ChildRecord) -> Result<StartInput, Vec<FieldError>> {
        let Some(referral) = rec
            .front_door
            .referrals
            .iter()
            .find(|r| r.id.to_string() == form.get("referral_id"))
        else {
            // Not the child's referral: the page itself is then not found.
            return Err(Vec::new());
        };
        let mut errors = Vec::new();
        let input = form
            .date("started", "Date started", &mut errors)
            .map(|started_on| StartInput {
                referral_id: referral.id,
                started_on,
            });
        valid(errors, input, |_| Vec::new())
    }

    fn from_body(body: StartInput, _: &Target) -> Result<StartInput, Vec<FieldError>> {
        Ok(body)
    }

    async fn api_check(
        state: &AppState,
        t: &Target,
        input: &StartInput,
    ) -> Result<Vec<FieldError>, AppError> {
        let child = state
            .store
            .case_record_child(CaseRecord::Referral, input.referral_id)
            .await;
        Ok(match child {
            Ok(c) if c == t.child => Vec::new(),
            Ok(_) | Err(StoreError::NotFound(_)) => vec![FieldError::new(
                "referral_id",
                "This child has no referral with that id",
            )],
            Err(e) => return Err(e.into()),
        })
    }

    fn refusal(e: StoreError) -> Result<FieldError, AppError> {
        field_error(e, "started").map(|mut e| {
            if e.field == "referral_id" {
                e.field = "started".into();
            }
            e
        })
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        _: &Target,
        input: StartInput,
    ) -> Result<Assessment, StoreError> {
        state
            .store
            .start_assessment(actor, input.referral_id, input.started_on)
            .await
    }

    fn done(_: &Target, a: &Assessment) -> String {
        format!("/assessments/{}?saved=started", a.id)
    }
}

/// Completing an assessment: the date, the CIN census factors, the outcome and a summary.
pub struct Complete;

#[async_trait]
impl CaseForm for Complete {
    type Record = ChildRecord;
    type Input = CompletionInput;
    type Body = CompletionInput;
    type Saved = Assessment;
    const PAGE: &'static str = "/assessments/{id}/completion";
    const API: &'static str = "/api/assessments/{id}/completion";
    const ON: On = On::Record(CaseRecord::Assessment);
    const WHAT: &'static str = "complete assessment";
    const SUMMARY: &'static str =
        "Completes an assessment: date, CIN census factors, outcome and summary.";
    const BLANK: bool = false;
    const FALLBACK: &'static str = "summary";
    const CREATED: bool = false;

    fn check(t: &Target, rec: &ChildRecord) -> Result<(), AppError> {
        assessment(t, rec).map(|_| ())
    }

    async fn page(
        state: &AppState,
        session: &Session,
        t: &Target,
        rec: &ChildRecord,
        form: &FormData,
        errors: &[FieldError],
    ) -> Result<Response, AppError> {
        let a = assessment(t, rec)?;
        let d = form.parts("completed");
        let values = CompletionForm {
            version: form.get("version"),
            day: d.day,
            month: d.month,
            year: d.year,
            factors: form.all("factors"),
            outcome: form.get("outcome"),
            summary: form.get("summary"),
        };
        assessment_page(state, session, a, rec, &values, errors, "")
    }

    fn read(
        form: &FormData,
        t: &Target,
        rec: &ChildRecord,
    ) -> Result<CompletionInput, Vec<FieldError>> {
        let a = assessment(t, rec).map_err(|_| Vec::new())?;
        let mut errors = Vec::new();
        let completed = form.date("completed", "Date completed", &mut errors);
        let completion = domain::assessment::AssessmentCompletion {
            completed_on: completed.unwrap_or_else(today),
            factors: form.all("factors"),
            outcome: form.get("outcome"),
            summary: form.get("summary"),
        };
        // A date that could not be read is named once, not again by the domain's check.
        errors.extend(
            completion
                .validate(a.started_on, today())
                .into_iter()
                .filter(|e| completed.is_some() || e.field != "completed"),
        );
        let version = form
            .version()
            .map_err(|e| errors.push(e))
            .unwrap_or(a.version);
        let input = CompletionInput {
            version,
            completion,
        };
        valid(errors, Some(input), |_| Vec::new())
    }

    fn from_body(body: CompletionInput, _: &Target) -> Result<CompletionInput, Vec<FieldError>> {
        Ok(body)
    }

    async fn api_check(
        state: &AppState,
        t: &Target,
        input: &CompletionInput,
    ) -> Result<Vec<FieldError>, AppError> {
        let a = state.store.get_assessment(t.id).await?;
        Ok(input.completion.validate(a.started_on, today()))
    }

    fn refusal(e: StoreError) -> Result<FieldError, AppError> {
        field_error(e, "summary")
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: CompletionInput,
    ) -> Result<Assessment, StoreError> {
        state
            .store
            .complete_assessment(actor, t.id, input.version, input.completion)
            .await
    }

    fn done(t: &Target, _: &Assessment) -> String {
        format!("/assessments/{}?saved=completed", t.id)
    }
}

/// A manager authorises a completed assessment.
pub struct Authorise;

#[async_trait]
impl CaseForm for Authorise {
    type Record = ChildRecord;
    type Input = AuthoriseInput;
    type Body = AuthoriseInput;
    type Saved = Assessment;
    const PAGE: &'static str = "/assessments/{id}/authorisation";
    const API: &'static str = "/api/assessments/{id}/authorisation";
    const ON: On = On::Record(CaseRecord::Assessment);
    const ACTION: Action = Action::Oversee;
    const WHAT: &'static str = "authorise assessment";
    const SUMMARY: &'static str = "A manager authorises a completed assessment.";
    const BLANK: bool = false;
    const FALLBACK: &'static str = "authorised";
    const CREATED: bool = false;

    fn check(t: &Target, rec: &ChildRecord) -> Result<(), AppError> {
        assessment(t, rec).map(|_| ())
    }

    async fn page(
        state: &AppState,
        session: &Session,
        t: &Target,
        rec: &ChildRecord,
        _: &FormData,
        errors: &[FieldError],
    ) -> Result<Response, AppError> {
        let a = assessment(t, rec)?;
        assessment_page(
            state,
            session,
            a,
            rec,
            &CompletionForm::default(),
            errors,
            "",
        )
    }

    fn read(
        form: &FormData,
        t: &Target,
        rec: &ChildRecord,
    ) -> Result<AuthoriseInput, Vec<FieldError>> {
        assessment(t, rec).map_err(|_| Vec::new())?;
        Ok(AuthoriseInput {
            version: form.version().map_err(|e| vec![e])?,
            authorised_on: today(),
        })
    }

    fn from_body(body: AuthoriseInput, _: &Target) -> Result<AuthoriseInput, Vec<FieldError>> {
        Ok(body)
    }

    fn refusal(e: StoreError) -> Result<FieldError, AppError> {
        field_error(e, "authorised")
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: AuthoriseInput,
    ) -> Result<Assessment, StoreError> {
        state
            .store
            .authorise_assessment(actor, t.id, input.version, input.authorised_on)
            .await
    }

    fn done(t: &Target, _: &Assessment) -> String {
        format!("/assessments/{}?saved=authorised", t.id)
    }
}
