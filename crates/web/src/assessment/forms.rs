//! The assessment's forms, declared once for their pages and API (see [`crate::forms::path`]):
//! starting one on a referral, completing it, and a manager's authorisation.

use async_trait::async_trait;
use axum::response::Response;
use domain::assessment::Assessment;
use domain::validate::FieldError;
use store::{Actor, CaseRecord, ChildRecord, StoreError};

use super::api::{AuthoriseInput, CompletionInput, DraftInput, ReturnInput, StartInput};
use super::pages::{CompletionForm, StartForm, assessment_page, start_page};
use crate::AppState;
use crate::auth::Session;
use crate::error::AppError;
use crate::forms::FormData;
use crate::forms::errors::field_error;
use crate::forms::fields::{fmt_date, label, today};
use crate::forms::path::{CaseForm, Confirm, On, Target, valid};
use crate::forms::{Field, FormSpec};
use crate::policy::Action;
use domain::assessment::{AssessmentFramework, FRAMEWORK_SECTIONS, validate_comment};
use domain::codes;

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
        assessment_page(
            state,
            session,
            a,
            rec,
            &CompletionForm::posted(form),
            errors,
            "",
        )
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
            framework: framework(form),
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
            comment: form.get("reason"),
        })
    }

    /// Authorising cannot be undone: the manager checks what is authorised and comments on it.
    fn confirm(t: &Target, rec: &ChildRecord, _: &AuthoriseInput) -> Option<Confirm> {
        let a = assessment(t, rec).ok()?;
        Some(Confirm {
            title: "Check before you authorise the assessment".into(),
            rows: vec![
                (
                    "Completed".into(),
                    a.completed_on.map(fmt_date).unwrap_or_default(),
                ),
                (
                    "Outcome".into(),
                    a.outcome
                        .as_deref()
                        .map(|o| label(codes::assessment_outcome(), o))
                        .unwrap_or_default(),
                ),
                (
                    "Factors identified".into(),
                    a.factors
                        .iter()
                        .map(|f| label(codes::assessment_factor(), f))
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                ("Analysis".into(), a.framework.analysis.clone()),
            ],
            warning: "An authorised assessment cannot be changed or returned to the worker.".into(),
            button: "Authorise the assessment",
            irreversible: true,
            reason: Some((
                "Your comment on the assessment",
                "Enter your comment on the assessment",
            )),
        })
    }

    fn with_reason(input: AuthoriseInput, comment: String) -> AuthoriseInput {
        AuthoriseInput { comment, ..input }
    }

    fn from_body(body: AuthoriseInput, _: &Target) -> Result<AuthoriseInput, Vec<FieldError>> {
        Ok(body)
    }

    fn refusal(e: StoreError) -> Result<FieldError, AppError> {
        field_error(e, "authorised").map(|mut e| {
            if e.field == "comment" {
                e.field = "authorised".into();
            }
            e
        })
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: AuthoriseInput,
    ) -> Result<Assessment, StoreError> {
        state
            .store
            .authorise_assessment(
                actor,
                t.id,
                input.version,
                input.authorised_on,
                input.comment,
            )
            .await
    }

    fn done(t: &Target, _: &Assessment) -> String {
        format!("/assessments/{}?saved=authorised", t.id)
    }
}

/// The framework's sections as posted.
fn framework(form: &FormData) -> AssessmentFramework {
    AssessmentFramework::from_sections(|n| form.get(n))
}

/// Saving the assessment as written so far: nothing need be complete.
pub struct SaveDraft;

#[async_trait]
impl CaseForm for SaveDraft {
    type Record = ChildRecord;
    type Input = DraftInput;
    type Body = DraftInput;
    type Saved = Assessment;
    const PAGE: &'static str = "/assessments/{id}/draft";
    const API: &'static str = "/api/assessments/{id}/draft";
    const ON: On = On::Record(CaseRecord::Assessment);
    const WHAT: &'static str = "save assessment draft";
    const SUMMARY: &'static str = "Saves an assessment as written so far, by the Assessment Framework's sections (a draft: nothing need be complete).";
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
        // Opened at its own path (signing in again after the session ended): what was entered,
        // or what the draft holds.
        let values = if form.fields().is_empty() {
            CompletionForm::of(a)
        } else {
            CompletionForm::posted(form)
        };
        assessment_page(state, session, a, rec, &values, errors, "")
    }

    fn read(form: &FormData, t: &Target, rec: &ChildRecord) -> Result<DraftInput, Vec<FieldError>> {
        let a = assessment(t, rec).map_err(|_| Vec::new())?;
        let mut errors = Vec::new();
        let f = framework(form);
        errors.extend(f.validate_draft());
        let version = form
            .version()
            .map_err(|e| errors.push(e))
            .unwrap_or(a.version);
        let input = DraftInput {
            version,
            framework: f,
            summary: form.get("summary"),
        };
        valid(errors, Some(input), |_| Vec::new())
    }

    fn from_body(body: DraftInput, _: &Target) -> Result<DraftInput, Vec<FieldError>> {
        Ok(body)
    }

    fn refusal(e: StoreError) -> Result<FieldError, AppError> {
        field_error(e, "summary")
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: DraftInput,
    ) -> Result<Assessment, StoreError> {
        state
            .store
            .save_assessment_draft(actor, t.id, input.version, input.framework, input.summary)
            .await
    }

    fn done(t: &Target, _: &Assessment) -> String {
        format!("/assessments/{}?saved=draft", t.id)
    }
}

/// A manager returns a completed assessment to its worker with what to change.
pub struct Return;

#[async_trait]
impl CaseForm for Return {
    type Record = ChildRecord;
    type Input = ReturnInput;
    type Body = ReturnInput;
    type Saved = Assessment;
    const PAGE: &'static str = "/assessments/{id}/return";
    const API: &'static str = "/api/assessments/{id}/return";
    const ON: On = On::Record(CaseRecord::Assessment);
    const ACTION: Action = Action::Oversee;
    const WHAT: &'static str = "return assessment";
    const SUMMARY: &'static str =
        "A manager returns a completed assessment to its worker with a comment on what to change.";
    const FALLBACK: &'static str = "comment";
    const CREATED: bool = false;

    fn initial(t: &Target, rec: &ChildRecord) -> Result<FormData, AppError> {
        let a = assessment(t, rec)?;
        Ok(FormData::default().set("version", &a.version.to_string()))
    }

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        let a = assessment(t, rec)?;
        // Only a completed assessment, not yet authorised, goes back to its worker.
        if a.completed_on.is_none() || a.authorised_on.is_some() {
            return Err(AppError::NotFound { api: false });
        }
        Ok(FormSpec::new(
            rec,
            "Return the assessment to the worker",
            format!("/assessments/{}/return", t.id),
            "Return to the worker",
            vec![
                Field::Hidden("version"),
                Field::Textarea(
                    "comment",
                    "What should the worker change?",
                    "The worker sees this on the assessment and it stays on the record.",
                ),
            ],
        )
        .summary(vec![
            (
                "Completed",
                a.completed_on.map(fmt_date).unwrap_or_default(),
            ),
            ("Analysis", a.framework.analysis.clone()),
        ]))
    }

    fn read(
        form: &FormData,
        t: &Target,
        rec: &ChildRecord,
    ) -> Result<ReturnInput, Vec<FieldError>> {
        Self::spec(t, rec).map_err(|_| Vec::new())?;
        let mut errors = validate_comment(
            "comment",
            &form.get("comment"),
            "Enter what the worker should change",
        );
        let version = form.version().map_err(|e| errors.push(e)).unwrap_or(0);
        valid(
            errors,
            Some(ReturnInput {
                version,
                comment: form.get("comment"),
            }),
            |_| Vec::new(),
        )
    }

    fn from_body(body: ReturnInput, _: &Target) -> Result<ReturnInput, Vec<FieldError>> {
        Ok(body)
    }

    fn refusal(e: StoreError) -> Result<FieldError, AppError> {
        field_error(e, "comment")
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: ReturnInput,
    ) -> Result<Assessment, StoreError> {
        state
            .store
            .return_assessment(actor, t.id, input.version, input.comment)
            .await
    }

    fn done(t: &Target, _: &Assessment) -> String {
        format!("/assessments/{}?saved=returned", t.id)
    }
}

/// The framework's sections for a page: each field's name, question, hint and text.
pub(crate) fn sections(f: &AssessmentFramework) -> Vec<minijinja::Value> {
    FRAMEWORK_SECTIONS
        .iter()
        .map(|s| {
            minijinja::context! {
                name => s.name, label => s.label, hint => s.hint, value => f.section(s.name),
            }
        })
        .collect()
}
