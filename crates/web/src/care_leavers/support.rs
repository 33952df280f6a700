//! Leaving care's forms around the pathway plan, declared on the one form path: the needs
//! assessment the plan is made from, progress on the plan's actions, and a care leaver's request
//! for support to 25.

use async_trait::async_trait;
use domain::care_leavers::{
    NEED_AREAS, NeedsAssessment, NewNeedsAssessment, NewSupportRequest, PathwayAction, PathwayPlan,
    SupportRequest,
};
use domain::validate::FieldError;
use store::{Actor, CaseRecord, ChildRecord, StoreError};

use super::forms::{items, left_care};
use crate::AppState;
use crate::error::AppError;
use crate::forms::fields::today;
use crate::forms::path::{CaseForm, On, Target, to_child};
use crate::forms::progress::{self, ProgressInput};
use crate::forms::{Field, FormData, FormSpec};

/// Keeps every problem the domain finds that the page has not already reported.
fn with_domain_errors<T>(
    mut errors: Vec<FieldError>,
    input: T,
    domain: Vec<FieldError>,
) -> Result<T, Vec<FieldError>> {
    for e in domain {
        if !errors.iter().any(|x| x.field == e.field) {
            errors.push(e);
        }
    }
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(errors)
    }
}

/// A needs assessment (from 16): the areas with needs, what was found, the young person's views.
pub struct Needs;

#[async_trait]
impl CaseForm for Needs {
    type Record = ChildRecord;
    type Input = NewNeedsAssessment;
    type Body = NewNeedsAssessment;
    type Saved = NeedsAssessment;
    const PAGE: &'static str = "/children/{id}/needs-assessment";
    const API: &'static str = "/api/children/{id}/needs-assessments";
    const ON: On = On::Child;
    const WHAT: &'static str = "record a needs assessment";
    const SUMMARY: &'static str = "Records a care leaver's needs assessment (from 16), which their pathway plan is made from: the areas with needs, what was found and the young person's views.";
    const TODAY: &'static [&'static str] = &["assessed_on"];
    const FALLBACK: &'static str = "findings";

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        Ok(FormSpec::new(
            rec,
            "Record a needs assessment",
            format!("/children/{}/needs-assessment", t.child),
            "Record needs assessment",
            needs_fields(),
        )
        .intro("The needs assessment is made from 16; the pathway plan sets out how each need will be met."))
    }

    fn read(
        form: &FormData,
        _: &Target,
        rec: &ChildRecord,
    ) -> Result<NewNeedsAssessment, Vec<FieldError>> {
        read_needs(form, rec)
    }

    fn from_body(b: NewNeedsAssessment, _: &Target) -> Result<NewNeedsAssessment, Vec<FieldError>> {
        Ok(b)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        a: NewNeedsAssessment,
    ) -> Result<NeedsAssessment, StoreError> {
        state.store.record_needs_assessment(actor, t.child, a).await
    }

    fn done(t: &Target, _: &NeedsAssessment) -> String {
        to_child(t.child, "needs_assessment")
    }
}

/// A care leaver's request for support from their personal adviser to 25.
pub struct Support;

#[async_trait]
impl CaseForm for Support {
    type Record = ChildRecord;
    type Input = NewSupportRequest;
    type Body = NewSupportRequest;
    type Saved = SupportRequest;
    const PAGE: &'static str = "/children/{id}/support-to-25";
    const API: &'static str = "/api/children/{id}/support-requests";
    const ON: On = On::Child;
    const WHAT: &'static str = "record a request for support to 25";
    const SUMMARY: &'static str = "Records a care leaver's request for a personal adviser's support after 21: the leaving care team holds them to 25.";
    const TODAY: &'static [&'static str] = &["requested_on"];
    const FALLBACK: &'static str = "words";

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        Ok(FormSpec::new(
            rec,
            "Record a request for support to 25",
            format!("/children/{}/support-to-25", t.child),
            "Record request",
            support_fields(),
        )
        .intro("The leaving care team holds a care leaver to their 21st birthday, and to their 25th when they ask for support."))
    }

    fn read(
        form: &FormData,
        _: &Target,
        rec: &ChildRecord,
    ) -> Result<NewSupportRequest, Vec<FieldError>> {
        read_support(form, rec)
    }

    fn from_body(b: NewSupportRequest, _: &Target) -> Result<NewSupportRequest, Vec<FieldError>> {
        Ok(b)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        r: NewSupportRequest,
    ) -> Result<SupportRequest, StoreError> {
        state.store.record_support_request(actor, t.child, r).await
    }

    fn done(t: &Target, _: &SupportRequest) -> String {
        to_child(t.child, "support_to_25")
    }
}

/// Progress on a pathway plan's action. Opens with the action's status, progress and version:
/// progress from a page opened before someone else's is refused.
pub struct ActionProgress;

/// The action the path names.
fn action_of(t: &Target, rec: &ChildRecord) -> Result<PathwayAction, AppError> {
    rec.care_leavers
        .plans
        .iter()
        .find_map(|p| p.actions.iter().find(|a| a.id == t.id).cloned())
        .ok_or(AppError::NotFound { api: false })
}

#[async_trait]
impl CaseForm for ActionProgress {
    type Record = ChildRecord;
    type Input = ProgressInput;
    type Body = ProgressInput;
    type Saved = PathwayPlan;
    const PAGE: &'static str = "/pathway-actions/{id}";
    const API: &'static str = "/api/pathway-actions/{id}/progress";
    const ON: On = On::Record(CaseRecord::PathwayAction);
    const WHAT: &'static str = "record progress on a pathway plan action";
    const SUMMARY: &'static str = "Records progress on an action of a care leaver's pathway plan.";
    const FALLBACK: &'static str = "progress";
    const CREATED: bool = false;

    fn initial(t: &Target, rec: &ChildRecord) -> Result<FormData, AppError> {
        let a = action_of(t, rec)?;
        Ok(progress::initial(&a.status, &a.progress, a.version))
    }

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        let a = action_of(t, rec)?;
        Ok(FormSpec::new(
            rec,
            "Record progress on a pathway plan action",
            format!("/pathway-actions/{}", t.id),
            "Save progress",
            progress::fields(
                "What has happened, and the difference it has made for the young person.",
            ),
        )
        .intro(format!("Action: {} (owner: {})", a.action, a.owner)))
    }

    fn read(
        form: &FormData,
        _: &Target,
        _: &ChildRecord,
    ) -> Result<ProgressInput, Vec<FieldError>> {
        progress::read(form)
    }

    fn from_body(body: ProgressInput, _: &Target) -> Result<ProgressInput, Vec<FieldError>> {
        Ok(body)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        i: ProgressInput,
    ) -> Result<PathwayPlan, StoreError> {
        state
            .store
            .update_pathway_action(actor, t.id, i.version, i.progress)
            .await
    }

    fn done(_: &Target, saved: &PathwayPlan) -> String {
        to_child(saved.child_id, "pathway_progress")
    }
}

/// A needs assessment's fields (its form and its amendment).
pub(super) fn needs_fields() -> Vec<Field> {
    vec![
        Field::Date("assessed_on", "Date of the assessment"),
        Field::Checkboxes(
            "areas",
            "Where does the young person need support?",
            "Select all that apply",
            items(NEED_AREAS),
        ),
        Field::Textarea(
            "findings",
            "What the assessment found",
            "Their strengths and needs in each area, and who can help",
        ),
        Field::Textarea("views", "The young person's views", "In their own words"),
    ]
}

/// Reads a posted needs assessment with every problem at once.
pub(super) fn read_needs(
    form: &FormData,
    rec: &ChildRecord,
) -> Result<NewNeedsAssessment, Vec<FieldError>> {
    let mut errors = Vec::new();
    let on = form.date("assessed_on", "Date of the assessment", &mut errors);
    let input = NewNeedsAssessment {
        assessed_on: on.unwrap_or_else(today),
        areas: form.all("areas"),
        findings: form.get("findings"),
        views: form.get("views"),
    };
    let found = input.validate(rec.person.details.date_of_birth, today());
    with_domain_errors(errors, input, found)
}

/// A request for support to 25's fields (its form and its amendment).
pub(super) fn support_fields() -> Vec<Field> {
    vec![
        Field::Date("requested_on", "Date of the request"),
        Field::Textarea(
            "words",
            "What the young person asked for",
            "In their own words",
        ),
    ]
}

/// Reads a posted request for support to 25 with every problem at once.
pub(super) fn read_support(
    form: &FormData,
    rec: &ChildRecord,
) -> Result<NewSupportRequest, Vec<FieldError>> {
    let mut errors = Vec::new();
    let on = form.date("requested_on", "Date of the request", &mut errors);
    let input = NewSupportRequest {
        requested_on: on.unwrap_or_else(today),
        words: form.get("words"),
    };
    let found = input.validate(rec.person.details.date_of_birth, left_care(rec), today());
    with_domain_errors(errors, input, found)
}
