//! Child in need's forms, declared once for their pages and API (see [`crate::forms::path`]).
//! The plan's own forms (an action, a review, its end) are part of the plan's page: they have no
//! page of their own and show their problems on the plan's page again.

use async_trait::async_trait;
use axum::response::Response;
use chrono::NaiveDate;
use domain::child_in_need::{
    CinPlan, EpisodeClosure, NewCinPlan, NewPlanAction, PlanAction, PlanReview,
};
use domain::codes;
use domain::front_door::Referral;
use domain::validate::FieldError;
use serde::Deserialize;
use store::{Actor, CaseRecord, ChildRecord, StoreError};
use utoipa::ToSchema;
use uuid::Uuid;

use super::pages::plan_page;
use crate::AppState;
use crate::auth::Session;
use crate::error::AppError;
use crate::forms::fields::{fmt_date, label, list_items, today};
use crate::forms::path::{CaseForm, Confirm, On, Target, to_child, valid};
use crate::forms::progress::{self, ProgressInput};
use crate::forms::{Field, FormData, FormSpec};
use crate::guard::referral_of;

/// Closing the child in need episode a referral began, with the CIN census reason.
pub struct Close;

fn referral(t: &Target, rec: &ChildRecord) -> Result<Referral, AppError> {
    rec.front_door
        .referrals
        .iter()
        .find(|r| r.id == t.id)
        .cloned()
        .ok_or(AppError::NotFound { api: false })
}

#[async_trait]
impl CaseForm for Close {
    type Record = ChildRecord;
    type Input = EpisodeClosure;
    type Body = EpisodeClosure;
    type Saved = Referral;
    const PAGE: &'static str = "/referrals/{id}/close";
    const API: &'static str = "/api/referrals/{id}/closure";
    const ON: On = On::Record(CaseRecord::Referral);
    const WHAT: &'static str = "close episode";
    const SUMMARY: &'static str =
        "Closes the child in need episode a referral began, with the CIN census reason.";
    const TODAY: &'static [&'static str] = &["closed"];
    const FALLBACK: &'static str = "closed";
    const CREATED: bool = false;

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        referral(t, rec)?;
        Ok(FormSpec::new(
            rec,
            "Close the child in need episode",
            format!("/referrals/{}/close", t.id),
            "Close episode",
            vec![
                Field::Date("closed", "Date closed"),
                Field::Radios(
                    "closure_reason",
                    "Reason for closure",
                    list_items(codes::closure_reason(), today()),
                ),
            ],
        ))
    }

    fn read(
        form: &FormData,
        t: &Target,
        rec: &ChildRecord,
    ) -> Result<EpisodeClosure, Vec<FieldError>> {
        let referred = referral(t, rec)
            .map_err(|_| {
                vec![FieldError::new(
                    "closed",
                    "This referral is not on the child's record",
                )]
            })?
            .referral_date;
        let mut errors = Vec::new();
        let input = form
            .date("closed", "Date closed", &mut errors)
            .map(|closed| EpisodeClosure {
                closed_on: closed,
                reason: form.get("closure_reason"),
            });
        valid(errors, input, |c| c.validate(referred, today()))
    }

    /// Closing the episode cannot be undone: the worker checks the date and the reason.
    fn confirm(t: &Target, rec: &ChildRecord, input: &EpisodeClosure) -> Option<Confirm> {
        let r = referral(t, rec).ok()?;
        // While a plan is open the store refuses the closure and says why: nothing to confirm.
        let open_plan = rec
            .cin_plans
            .iter()
            .any(|p| p.referral_id == r.id && p.ended_on.is_none());
        let open_cp = rec
            .child_protection
            .cp_plans
            .iter()
            .any(|p| p.ended_on.is_none());
        if open_plan || open_cp {
            return None;
        }
        Some(Confirm {
            title: "Check before you close the child in need episode".into(),
            rows: vec![
                ("Referral".into(), fmt_date(r.referral_date)),
                ("Date closed".into(), fmt_date(input.closed_on)),
                ("Reason for closure".into(), label(codes::closure_reason(), &input.reason)),
            ],
            warning: "A closed episode cannot be reopened: a new contact and referral would start another. The CIN census reports it closed on this date.".into(),
            button: "Close the episode",
            irreversible: true,
            reason: None,
        })
    }

    fn from_body(body: EpisodeClosure, _: &Target) -> Result<EpisodeClosure, Vec<FieldError>> {
        Ok(body)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: EpisodeClosure,
    ) -> Result<Referral, StoreError> {
        state.store.close_referral(actor, t.id, input).await
    }

    fn done(t: &Target, _: &Referral) -> String {
        to_child(t.child, "closed")
    }
}

/// The API's body for starting a plan (the referral is the path's).
#[derive(Deserialize, ToSchema)]
pub struct CinPlanInput {
    pub started_on: NaiveDate,
    pub primary_need: String,
}

/// Starting a child in need plan on a referral (the page names the referral in `?referral=`).
pub struct StartPlan;

#[async_trait]
impl CaseForm for StartPlan {
    type Record = ChildRecord;
    type Input = NewCinPlan;
    type Body = CinPlanInput;
    type Saved = CinPlan;
    const PAGE: &'static str = "/children/{id}/cin-plans";
    const API: &'static str = "/api/referrals/{id}/cin-plans";
    const ON: On = On::Child;
    const API_ON: On = On::Record(CaseRecord::Referral);
    const WHAT: &'static str = "start child in need plan";
    const SUMMARY: &'static str = "Starts a child in need plan on a referral.";
    const TODAY: &'static [&'static str] = &["started"];
    const FALLBACK: &'static str = "started";
    const DRAFT: bool = true;

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        referral_of(rec, &t.query.referral)?;
        Ok(FormSpec::new(
            rec,
            "Start a child in need plan",
            format!(
                "/children/{}/cin-plans?referral={}",
                t.child, t.query.referral
            ),
            "Start plan",
            vec![
                Field::Date("started", "Date the plan started"),
                Field::Radios(
                    "primary_need",
                    "The child's main need",
                    list_items(codes::primary_need(), today()),
                ),
            ],
        ))
    }

    fn read(form: &FormData, t: &Target, rec: &ChildRecord) -> Result<NewCinPlan, Vec<FieldError>> {
        let referral = referral_of(rec, &t.query.referral).map_err(|_| {
            vec![FieldError::new(
                "started",
                "This referral is not on the child's record",
            )]
        })?;
        let mut errors = Vec::new();
        let input = form
            .date("started", "Date the plan started", &mut errors)
            .map(|started| NewCinPlan {
                referral_id: referral.id,
                started_on: started,
                primary_need: form.get("primary_need"),
            });
        valid(errors, input, |p| {
            p.validate(referral.referral_date, today())
        })
    }

    fn from_body(body: CinPlanInput, t: &Target) -> Result<NewCinPlan, Vec<FieldError>> {
        Ok(NewCinPlan {
            referral_id: t.id,
            started_on: body.started_on,
            primary_need: body.primary_need,
        })
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        _: &Target,
        input: NewCinPlan,
    ) -> Result<CinPlan, StoreError> {
        state.store.start_cin_plan(actor, input).await
    }

    fn done(_: &Target, saved: &CinPlan) -> String {
        format!("/cin-plans/{}?saved=started", saved.id)
    }
}

/// The plan the path names, on the child's record.
fn plan<'a>(t: &Target, rec: &'a ChildRecord) -> Result<&'a CinPlan, AppError> {
    rec.cin_plans
        .iter()
        .find(|p| p.id == t.id)
        .ok_or(AppError::NotFound { api: false })
}

/// One of the plan page's forms (it has no page of its own; this is what the plan page shows).
fn plan_form(
    t: &Target,
    rec: &ChildRecord,
    to: &str,
    button: &'static str,
    fields: Vec<Field>,
) -> Result<FormSpec, AppError> {
    plan(t, rec)?;
    Ok(FormSpec::new(
        rec,
        "Child in need plan",
        format!("/cin-plans/{}/{to}", t.id),
        button,
        fields,
    ))
}

/// The plan's page again with the problems, its other forms' dates as today.
fn plan_again(
    state: &AppState,
    session: &Session,
    t: &Target,
    rec: &ChildRecord,
    form: &FormData,
    errors: &[FieldError],
    others: &[&str],
) -> Result<Response, AppError> {
    let form = form.clone().with_today(others);
    plan_page(state, session, t.id, rec, &form, errors, "")
}

/// Adding a SMART action (need, action, owner, due date) to a plan.
pub struct AddAction;

#[async_trait]
impl CaseForm for AddAction {
    type Record = ChildRecord;
    type Input = NewPlanAction;
    type Body = NewPlanAction;
    type Saved = CinPlan;
    const PAGE: &'static str = "/cin-plans/{id}/actions";
    const API: &'static str = "/api/cin-plans/{id}/actions";
    const ON: On = On::Record(CaseRecord::CinPlan);
    const WHAT: &'static str = "add plan action";
    const SUMMARY: &'static str = "Adds a SMART action (need, action, owner, due date) to a plan.";
    const BLANK: bool = false;
    const FALLBACK: &'static str = "action";
    const CREATED: bool = false;

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        plan_form(
            t,
            rec,
            "actions",
            "Add action",
            vec![
                Field::Input("need", "Need or outcome for the child", ""),
                Field::Textarea("action", "What will be done", "Specific and measurable."),
                Field::Input("owner", "Who will do it", ""),
                Field::Date("due", "By when"),
            ],
        )
    }

    fn read(
        form: &FormData,
        t: &Target,
        rec: &ChildRecord,
    ) -> Result<NewPlanAction, Vec<FieldError>> {
        let due_on = match form.parts("due").parse("due", "Due date") {
            Ok(Some(due_on)) => due_on,
            Ok(None) => return Err(vec![FieldError::new("due", "Enter the due date")]),
            Err(e) => return Err(vec![e]),
        };
        let a = NewPlanAction {
            need: form.get("need"),
            action: form.get("action"),
            owner: form.get("owner"),
            due_on,
        };
        let started = plan(t, rec).map(|p| p.started_on).unwrap_or(due_on);
        valid(Vec::new(), Some(a), |a| a.validate(started))
    }

    fn from_body(body: NewPlanAction, _: &Target) -> Result<NewPlanAction, Vec<FieldError>> {
        Ok(body)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: NewPlanAction,
    ) -> Result<CinPlan, StoreError> {
        state.store.add_plan_action(actor, t.id, input).await
    }

    fn done(t: &Target, _: &CinPlan) -> String {
        format!("/cin-plans/{}?saved=action", t.id)
    }

    async fn page(
        state: &AppState,
        session: &Session,
        t: &Target,
        rec: &ChildRecord,
        form: &FormData,
        errors: &[FieldError],
    ) -> Result<Response, AppError> {
        plan_again(state, session, t, rec, form, errors, &["held", "ended"])
    }
}

/// Recording a review of a child in need plan.
pub struct Review;

#[async_trait]
impl CaseForm for Review {
    type Record = ChildRecord;
    type Input = PlanReview;
    type Body = PlanReview;
    type Saved = CinPlan;
    const PAGE: &'static str = "/cin-plans/{id}/reviews";
    const API: &'static str = "/api/cin-plans/{id}/reviews";
    const ON: On = On::Record(CaseRecord::CinPlan);
    const WHAT: &'static str = "review plan";
    const SUMMARY: &'static str = "Records a review of a child in need plan.";
    const BLANK: bool = false;
    const FALLBACK: &'static str = "held";
    const CREATED: bool = false;

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        plan_form(
            t,
            rec,
            "reviews",
            "Record review",
            vec![
                Field::Date("held", "Date of the review"),
                Field::Textarea("summary", "What the review found and decided", ""),
            ],
        )
    }

    fn read(form: &FormData, _: &Target, _: &ChildRecord) -> Result<PlanReview, Vec<FieldError>> {
        let mut errors = Vec::new();
        let input = form
            .date("held", "Date of the review", &mut errors)
            .map(|held| PlanReview {
                held_on: held,
                summary: form.get("summary"),
            });
        valid(errors, input, |r| {
            if r.summary.trim().is_empty() {
                vec![FieldError::new(
                    "summary",
                    "Enter what the review found and decided",
                )]
            } else {
                Vec::new()
            }
        })
    }

    fn from_body(body: PlanReview, _: &Target) -> Result<PlanReview, Vec<FieldError>> {
        Ok(body)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: PlanReview,
    ) -> Result<CinPlan, StoreError> {
        state.store.review_cin_plan(actor, t.id, input).await
    }

    fn done(t: &Target, _: &CinPlan) -> String {
        format!("/cin-plans/{}?saved=review", t.id)
    }

    async fn page(
        state: &AppState,
        session: &Session,
        t: &Target,
        rec: &ChildRecord,
        form: &FormData,
        errors: &[FieldError],
    ) -> Result<Response, AppError> {
        plan_again(state, session, t, rec, form, errors, &["due", "ended"])
    }
}

/// The API's body for ending a plan.
#[derive(Deserialize, ToSchema)]
pub struct EndInput {
    pub ended_on: NaiveDate,
    /// Why the plan is ending.
    #[serde(default)]
    pub reason: String,
}

/// Ending a child in need plan.
pub struct EndPlan;

#[async_trait]
impl CaseForm for EndPlan {
    type Record = ChildRecord;
    type Input = EndInput;
    type Body = EndInput;
    type Saved = CinPlan;
    const PAGE: &'static str = "/cin-plans/{id}/end";
    const API: &'static str = "/api/cin-plans/{id}/end";
    const ON: On = On::Record(CaseRecord::CinPlan);
    const WHAT: &'static str = "end plan";
    const SUMMARY: &'static str = "Ends a child in need plan.";
    const BLANK: bool = false;
    const FALLBACK: &'static str = "ended";
    const CREATED: bool = false;

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        plan_form(
            t,
            rec,
            "end",
            "End plan",
            vec![Field::Date("ended", "Date the plan ended")],
        )
    }

    fn read(form: &FormData, t: &Target, rec: &ChildRecord) -> Result<EndInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let ended = form.date("ended", "Date the plan ended", &mut errors);
        if let (Some(on), Ok(p)) = (ended, plan(t, rec)) {
            if on < p.started_on {
                errors.push(FieldError::new(
                    "ended",
                    "The date the plan ended must be on or after the day it started",
                ));
            }
        }
        let input = ended.map(|ended_on| EndInput {
            ended_on,
            reason: form.get("reason"),
        });
        valid(errors, input, |_| Vec::new())
    }

    /// Ending a plan cannot be undone: the worker checks the date and says why.
    fn confirm(t: &Target, rec: &ChildRecord, input: &EndInput) -> Option<Confirm> {
        let p = plan(t, rec).ok()?;
        Some(Confirm {
            title: "Check before you end the child in need plan".into(),
            rows: vec![
                ("Plan started".into(), fmt_date(p.started_on)),
                ("Date the plan ends".into(), fmt_date(input.ended_on)),
                (
                    "Actions still open".into(),
                    p.actions
                        .iter()
                        .filter(|a| !matches!(a.status.as_str(), "done" | "not_done"))
                        .count()
                        .to_string(),
                ),
            ],
            warning: "An ended plan cannot be reopened: a new plan would be started.".into(),
            button: "End the plan",
            irreversible: true,
            reason: Some(("Why is the plan ending?", "Enter why the plan is ending")),
        })
    }

    fn with_reason(input: EndInput, reason: String) -> EndInput {
        EndInput { reason, ..input }
    }

    fn from_body(body: EndInput, _: &Target) -> Result<EndInput, Vec<FieldError>> {
        Ok(body)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        input: EndInput,
    ) -> Result<CinPlan, StoreError> {
        state
            .store
            .end_cin_plan(actor, t.id, input.ended_on, input.reason)
            .await
    }

    fn done(t: &Target, _: &CinPlan) -> String {
        format!("/cin-plans/{}?saved=ended", t.id)
    }

    async fn page(
        state: &AppState,
        session: &Session,
        t: &Target,
        rec: &ChildRecord,
        form: &FormData,
        errors: &[FieldError],
    ) -> Result<Response, AppError> {
        plan_again(state, session, t, rec, form, errors, &["due", "held"])
    }
}

/// Recording progress on a plan action. Its page opens with the action's status and progress so
/// far, and the action's version: progress from a page opened before someone else's is refused.
pub struct Progress;

/// The action the path names, and its plan's id.
pub(crate) fn action_of(t: &Target, rec: &ChildRecord) -> Result<(Uuid, PlanAction), AppError> {
    rec.cin_plans
        .iter()
        .find_map(|p| {
            p.actions
                .iter()
                .find(|a| a.id == t.id)
                .map(|a| (p.id, a.clone()))
        })
        .ok_or(AppError::NotFound { api: false })
}

#[async_trait]
impl CaseForm for Progress {
    type Record = ChildRecord;
    type Input = ProgressInput;
    type Body = ProgressInput;
    type Saved = CinPlan;
    const PAGE: &'static str = "/plan-actions/{id}";
    const API: &'static str = "/api/plan-actions/{id}/progress";
    const ON: On = On::Record(CaseRecord::PlanAction);
    const WHAT: &'static str = "update plan action";
    const SUMMARY: &'static str = "Records progress on a plan action.";
    const FALLBACK: &'static str = "progress";
    const CREATED: bool = false;

    fn initial(t: &Target, rec: &ChildRecord) -> Result<FormData, AppError> {
        let (_, a) = action_of(t, rec)?;
        Ok(progress::initial(&a.status, &a.progress, a.version))
    }

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        let (_, a) = action_of(t, rec)?;
        Ok(FormSpec::new(
            rec,
            "Record progress on an action",
            format!("/plan-actions/{}", t.id),
            "Save progress",
            progress::fields("What has happened, and the difference it has made for the child."),
        )
        .intro(format!("Action: {}", a.action)))
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
        input: ProgressInput,
    ) -> Result<CinPlan, StoreError> {
        state
            .store
            .update_plan_action(actor, t.id, input.version, input.progress)
            .await
    }

    fn done(_: &Target, saved: &CinPlan) -> String {
        format!("/cin-plans/{}?saved=progress", saved.id)
    }
}
