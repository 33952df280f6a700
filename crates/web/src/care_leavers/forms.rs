//! Leaving care's forms, declared once for their pages and API (see [`crate::forms::path`]):
//! the personal adviser's allocation, the pathway plan (or its review) and keeping in touch.

use async_trait::async_trait;
use axum::response::Response;
use chrono::NaiveDate;
use domain::care_leavers::{
    ACCOMMODATION, ACTIVITY, AdviserAllocation, IN_TOUCH, KeepingInTouch, LeavingCareStatus,
    NewKeepingInTouch, NewLeavingCareStatus, NewPathwayAction, NewPathwayPlan, PathwayPlan,
};
use domain::validate::FieldError;
use serde::Deserialize;
use store::{Actor, ChildRecord, StoreError};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::AppState;
use crate::api::{store_field_error, unprocessable};
use crate::auth::Session;
use crate::error::AppError;
use crate::forms::fields::{today, yes_no};
use crate::forms::path::{CaseForm, On, Target, to_child, valid};
use crate::forms::{Field, FormData, FormSpec};
use crate::policy::Action;

pub(super) fn items(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(c, l)| (c.to_string(), l.to_string()))
        .collect()
}

/// How many actions the pathway plan's page offers (the API takes any number).
const ACTIONS: usize = 3;

/// A date that may be in the future, required.
fn any_date(
    form: &FormData,
    name: &str,
    label: &str,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDate> {
    match form.parts(name).parse(name, label) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            errors.push(FieldError::new(
                name,
                format!("Enter the {}", label.to_lowercase()),
            ));
            None
        }
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

/// The API's body for a personal adviser's allocation.
#[derive(Deserialize, ToSchema)]
pub struct AdviserInput {
    pub worker_id: Uuid,
    /// ISO date the allocation starts (from the young person's 16th birthday).
    pub from: NaiveDate,
}

pub struct NewAdviser {
    worker_id: Uuid,
    from: NaiveDate,
}

/// Allocating a personal adviser beside the social worker (team managers only).
pub struct PersonalAdviser;

#[async_trait]
impl CaseForm for PersonalAdviser {
    type Record = ChildRecord;
    type Input = NewAdviser;
    type Body = AdviserInput;
    type Saved = AdviserAllocation;
    const PAGE: &'static str = "/children/{id}/personal-adviser";
    const API: &'static str = "/api/children/{id}/personal-advisers";
    const ON: On = On::Child;
    const ACTION: Action = Action::Allocate;
    const WHAT: &'static str = "allocate a personal adviser";
    const SUMMARY: &'static str =
        "Allocates a personal adviser to a young person from 16, beside their social worker.";
    const TODAY: &'static [&'static str] = &["from"];
    const FALLBACK: &'static str = "worker_id";

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
        let mut workers: Vec<(String, String)> = vec![(String::new(), "Choose a worker".into())];
        workers.extend(
            state
                .store
                .list_workers()
                .await?
                .into_iter()
                .filter(|w| w.left.is_none())
                .map(|w| (w.id.to_string(), format!("{} ({})", w.name, w.role_title))),
        );
        let current = rec
            .care_leavers
            .current_adviser()
            .map(|a| a.worker_name.clone());
        FormSpec::new(
            rec,
            "Allocate a personal adviser",
            format!("/children/{}/personal-adviser", t.child),
            "Allocate personal adviser",
            vec![
                Field::Select("worker_id", "Personal adviser", workers),
                Field::Date("from", "Date of allocation"),
            ],
        )
        .intro(match current {
            Some(c) => format!("The personal adviser now is {c}: their allocation ends the day before the new one starts. The social worker's allocation is not changed."),
            None => "A personal adviser is allocated from the young person's 16th birthday, beside their social worker (whose allocation is not changed).".into(),
        })
        .render(state, session, form, errors)
    }

    fn read(form: &FormData, _: &Target, rec: &ChildRecord) -> Result<NewAdviser, Vec<FieldError>> {
        let mut errors = Vec::new();
        let worker = Uuid::parse_str(&form.get("worker_id")).ok();
        if worker.is_none() {
            errors.push(FieldError::new("worker_id", "Choose the personal adviser"));
        }
        let from = form.date("from", "Date of allocation", &mut errors);
        let input = worker
            .zip(from)
            .map(|(worker_id, from)| NewAdviser { worker_id, from });
        valid(errors, input, |i| {
            domain::care_leavers::validate_adviser(
                i.from,
                rec.person.details.date_of_birth,
                today(),
            )
        })
    }

    fn from_body(b: AdviserInput, _: &Target) -> Result<NewAdviser, Vec<FieldError>> {
        Ok(NewAdviser {
            worker_id: b.worker_id,
            from: b.from,
        })
    }

    fn refusal(e: StoreError) -> Result<FieldError, AppError> {
        match e {
            StoreError::Invalid { field, message } => Ok(FieldError::new(
                if field == "from" { "from" } else { "worker_id" },
                message,
            )),
            StoreError::NotFound("worker") => Ok(FieldError::new(
                "worker_id",
                "Choose a worker from the list",
            )),
            e => Err(e.into()),
        }
    }

    fn api_refusal(e: StoreError) -> Result<Response, AppError> {
        match e {
            StoreError::NotFound("worker") => Ok(unprocessable(vec![FieldError::new(
                "worker_id",
                "No worker has this id",
            )])),
            e => store_field_error(e),
        }
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        i: NewAdviser,
    ) -> Result<AdviserAllocation, StoreError> {
        state
            .store
            .allocate_personal_adviser(actor, t.child, i.worker_id, i.from)
            .await
    }

    fn done(t: &Target, _: &AdviserAllocation) -> String {
        to_child(t.child, "personal_adviser")
    }
}

/// A pathway plan, or the review of the current one (which it supersedes; the plan is kept).
pub struct Pathway;

#[async_trait]
impl CaseForm for Pathway {
    type Record = ChildRecord;
    type Input = NewPathwayPlan;
    type Body = NewPathwayPlan;
    type Saved = PathwayPlan;
    const PAGE: &'static str = "/children/{id}/pathway-plan";
    const API: &'static str = "/api/children/{id}/pathway-plans";
    const ON: On = On::Child;
    const WHAT: &'static str = "record a pathway plan";
    const SUMMARY: &'static str = "Records a young person's pathway plan (from 16 years 3 months, reviewed within 6 months); with a plan current, its review, which supersedes it.";
    const TODAY: &'static [&'static str] = &["plan_date"];
    const FALLBACK: &'static str = "plan_date";
    const DRAFT: bool = true;

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        let review = rec.care_leavers.current_plan().is_some();
        let mut fields = vec![
            Field::Date(
                "plan_date",
                if review {
                    "Date of the review"
                } else {
                    "Date of the plan"
                },
            ),
            Field::Textarea(
                "views",
                "The young person's views",
                "In their own words: what they want for themselves",
            ),
            Field::Textarea(
                "goals",
                "Goals",
                "Education, employment or training, accommodation, health, relationships, money",
            ),
        ];
        const ROWS: [(&str, &str, &str, &str, &str, &str); ACTIONS] = [
            (
                "action_1",
                "Action 1",
                "owner_1",
                "Who owns action 1",
                "due_1",
                "Action 1 due by",
            ),
            (
                "action_2",
                "Action 2 (optional)",
                "owner_2",
                "Who owns action 2",
                "due_2",
                "Action 2 due by",
            ),
            (
                "action_3",
                "Action 3 (optional)",
                "owner_3",
                "Who owns action 3",
                "due_3",
                "Action 3 due by",
            ),
        ];
        for (a, al, o, ol, d, dl) in ROWS {
            fields.push(Field::Input(a, al, ""));
            fields.push(Field::Input(o, ol, ""));
            fields.push(Field::Date(d, dl));
        }
        fields.push(Field::Date("review_due", "Review due by"));
        Ok(FormSpec::new(
            rec,
            if review { "Review the pathway plan" } else { "Record a pathway plan" },
            format!("/children/{}/pathway-plan", t.child),
            if review { "Record review" } else { "Record pathway plan" },
            fields,
        )
        .intro(if review {
            "The review records the plan as it now stands; the current plan is kept in the history as superseded. The next review is due within 6 months."
        } else {
            "A pathway plan is made from 16 years and 3 months and reviewed at least every 6 months. Enter at least one action; leave the others blank."
        }))
    }

    fn read(
        form: &FormData,
        _: &Target,
        rec: &ChildRecord,
    ) -> Result<NewPathwayPlan, Vec<FieldError>> {
        let mut errors = Vec::new();
        let plan_date = form.date("plan_date", "Date of the plan", &mut errors);
        let review_due = any_date(form, "review_due", "Review due date", &mut errors);
        let mut actions = Vec::new();
        for i in 1..=ACTIONS {
            let (a, o, d) = (
                format!("action_{i}"),
                format!("owner_{i}"),
                format!("due_{i}"),
            );
            let action = form.get(&a);
            let owner = form.get(&o);
            if action.trim().is_empty() && owner.trim().is_empty() && form.parts(&d).is_empty() {
                continue;
            }
            if action.trim().is_empty() {
                errors.push(FieldError::new(&a, "Enter the action"));
            }
            if owner.trim().is_empty() {
                errors.push(FieldError::new(&o, "Enter who owns the action"));
            }
            if let Some(due_on) = any_date(form, &d, "Due date of the action", &mut errors) {
                if plan_date.is_some_and(|p| due_on < p) {
                    errors.push(FieldError::new(
                        &d,
                        "The action's due date must be on or after the date of the plan",
                    ));
                }
                actions.push(NewPathwayAction {
                    action,
                    owner,
                    due_on,
                });
            }
        }
        // Every problem at once: the domain checks what was typed even when a date is missing
        // (a field already reported is not reported again).
        let input = NewPathwayPlan {
            plan_date: plan_date.unwrap_or_else(today),
            views: form.get("views"),
            goals: form.get("goals"),
            actions,
            review_due: review_due.unwrap_or_else(today),
        };
        let reported = |f: &str, errors: &[FieldError]| {
            errors.iter().any(|e| e.field == f)
                || (f == "plan_date" && plan_date.is_none())
                || (f == "review_due" && review_due.is_none())
        };
        for mut e in input.validate(rec.person.details.date_of_birth, today()) {
            // The page's first action stands for the plan's actions.
            if e.field == "actions" {
                e.field = "action_1".into();
            }
            if !reported(&e.field, &errors) {
                errors.push(e);
            }
        }
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(errors)
        }
    }

    fn from_body(b: NewPathwayPlan, _: &Target) -> Result<NewPathwayPlan, Vec<FieldError>> {
        Ok(b)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        p: NewPathwayPlan,
    ) -> Result<PathwayPlan, StoreError> {
        state.store.record_pathway_plan(actor, t.child, p).await
    }

    fn done(t: &Target, _: &PathwayPlan) -> String {
        to_child(t.child, "pathway_plan")
    }
}

/// A contact with a care leaver by their personal adviser.
pub struct KeepInTouch;

#[async_trait]
impl CaseForm for KeepInTouch {
    type Record = ChildRecord;
    type Input = NewKeepingInTouch;
    type Body = NewKeepingInTouch;
    type Saved = KeepingInTouch;
    const PAGE: &'static str = "/children/{id}/keeping-in-touch";
    const API: &'static str = "/api/children/{id}/keeping-in-touch";
    const ON: On = On::Child;
    const WHAT: &'static str = "record keeping in touch";
    const SUMMARY: &'static str = "Records a contact with a young person who has left care: seen, where, their words, and whether the council is in touch (the 903 IN_TOUCH code).";
    const TODAY: &'static [&'static str] = &["contact_on"];
    const FALLBACK: &'static str = "contact_on";

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        Ok(FormSpec::new(
            rec,
            "Record keeping in touch",
            format!("/children/{}/keeping-in-touch", t.child),
            "Record contact",
            contact_fields(),
        )
        .intro("Keeping in touch is recorded once the young person has left care. A change of activity or accommodation is recorded on its own, with the date it began."))
    }

    fn read(
        form: &FormData,
        _: &Target,
        rec: &ChildRecord,
    ) -> Result<NewKeepingInTouch, Vec<FieldError>> {
        read_contact(form, rec)
    }

    fn from_body(b: NewKeepingInTouch, _: &Target) -> Result<NewKeepingInTouch, Vec<FieldError>> {
        Ok(b)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        k: NewKeepingInTouch,
    ) -> Result<KeepingInTouch, StoreError> {
        state.store.record_keeping_in_touch(actor, t.child, k).await
    }

    fn done(t: &Target, _: &KeepingInTouch) -> String {
        to_child(t.child, "keeping_in_touch")
    }
}

/// A change of a care leaver's activity, accommodation or both, from the date it began.
pub struct Status;

#[async_trait]
impl CaseForm for Status {
    type Record = ChildRecord;
    type Input = NewLeavingCareStatus;
    type Body = NewLeavingCareStatus;
    type Saved = LeavingCareStatus;
    const PAGE: &'static str = "/children/{id}/leaving-care-status";
    const API: &'static str = "/api/children/{id}/leaving-care-status";
    const ON: On = On::Child;
    const WHAT: &'static str = "record activity or accommodation";
    const SUMMARY: &'static str = "Records a change of a care leaver's main activity (the 903 ACTIV codes), accommodation (the ACCOM letter) and its suitability, from the date it began; the status on each birthday is read off these.";
    const TODAY: &'static [&'static str] = &["from"];
    const FALLBACK: &'static str = "from";

    fn spec(t: &Target, rec: &ChildRecord) -> Result<FormSpec, AppError> {
        Ok(FormSpec::new(
            rec,
            "Record a change of activity or accommodation",
            format!("/children/{}/leaving-care-status", t.child),
            "Record change",
            status_fields(),
        )
        .intro("Record what changed and when: leave the other unchanged. Higher education and apprenticeships have their own codes. Living with former foster carers after 18 is staying put."))
    }

    fn read(
        form: &FormData,
        _: &Target,
        rec: &ChildRecord,
    ) -> Result<NewLeavingCareStatus, Vec<FieldError>> {
        read_status(form, rec)
    }

    fn from_body(
        b: NewLeavingCareStatus,
        _: &Target,
    ) -> Result<NewLeavingCareStatus, Vec<FieldError>> {
        Ok(b)
    }

    async fn save(
        state: &AppState,
        actor: Actor,
        t: &Target,
        s: NewLeavingCareStatus,
    ) -> Result<LeavingCareStatus, StoreError> {
        state
            .store
            .record_leaving_care_status(actor, t.child, s)
            .await
    }

    fn done(t: &Target, _: &LeavingCareStatus) -> String {
        to_child(t.child, "leaving_care_status")
    }
}

/// When the young person left care: the end of their last episode, none being open.
pub(crate) fn left_care(rec: &ChildRecord) -> Option<NaiveDate> {
    let mut last = None;
    for e in &rec.looked_after.episodes {
        match e.ended_on {
            None => return None,
            Some(d) => last = last.max(Some(d)),
        }
    }
    last
}

/// Keeping in touch's fields (its form and its amendment).
pub(super) fn contact_fields() -> Vec<Field> {
    vec![
        Field::Date("contact_on", "Date of contact"),
        Field::Radios("seen", "Was the young person seen?", yes_no()),
        Field::Input(
            "place",
            "Where, or how you were in touch",
            "For example, at their flat, at college, by phone",
        ),
        Field::Textarea(
            "words",
            "The young person's words",
            "What they said, in their own words",
        ),
        Field::Radios(
            "in_touch",
            "Is the council in touch with the young person?",
            items(IN_TOUCH),
        ),
    ]
}

/// Reads a posted contact with every problem at once (a field already reported is not
/// reported again).
pub(super) fn read_contact(
    form: &FormData,
    rec: &ChildRecord,
) -> Result<NewKeepingInTouch, Vec<FieldError>> {
    let mut errors = Vec::new();
    let contact_on = form.date("contact_on", "Date of contact", &mut errors);
    let seen = match form.get("seen").as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            errors.push(FieldError::new(
                "seen",
                "Choose whether the young person was seen",
            ));
            None
        }
    };
    let input = NewKeepingInTouch {
        contact_on: contact_on.unwrap_or_else(today),
        seen: seen.unwrap_or(false),
        place: form.get("place"),
        words: form.get("words"),
        in_touch: form.get("in_touch"),
    };
    // Every problem at once (a field already reported is not reported again).
    for e in input.validate(left_care(rec), today()) {
        let reported = errors.iter().any(|x| x.field == e.field)
            || (e.field == "contact_on" && contact_on.is_none());
        if !reported {
            errors.push(e);
        }
    }
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(errors)
    }
}

/// A change of activity or accommodation's fields (its form and its amendment).
pub(super) fn status_fields() -> Vec<Field> {
    let mut activity = vec![(String::new(), "Unchanged".to_string())];
    activity.extend(items(ACTIVITY).into_iter().filter(|(c, _)| c != "0"));
    let mut accommodation = vec![(String::new(), "Unchanged".to_string())];
    accommodation.extend(items(ACCOMMODATION));
    vec![
        Field::Date("from", "Date it began"),
        Field::Select("activity", "Main activity", activity),
        Field::Select("accommodation", "Accommodation", accommodation),
        Field::Radios("suitable", "Is the accommodation suitable?", yes_no()),
    ]
}

/// Reads a posted change of activity or accommodation with every problem at once.
pub(super) fn read_status(
    form: &FormData,
    rec: &ChildRecord,
) -> Result<NewLeavingCareStatus, Vec<FieldError>> {
    let mut errors = Vec::new();
    let from = form.date("from", "Date it began", &mut errors);
    let opt = |s: String| if s.trim().is_empty() { None } else { Some(s) };
    let input = NewLeavingCareStatus {
        from: from.unwrap_or_else(today),
        activity: opt(form.get("activity")),
        accommodation: opt(form.get("accommodation")),
        suitable: match form.get("suitable").as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        },
    };
    for e in input.validate(rec.person.details.date_of_birth, left_care(rec), today()) {
        let reported =
            errors.iter().any(|x| x.field == e.field) || (e.field == "from" && from.is_none());
        if !reported {
            errors.push(e);
        }
    }
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(errors)
    }
}
