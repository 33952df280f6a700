//! The front door and the work that follows: the queue of contacts against the 1-working-day
//! decision timescale, recording a contact about one or more children, checks with partners, the
//! manager's decision, single assessments (start, complete, authorise), visits, case notes and
//! management oversight, and each worker's and team's list of work due.
//!
//! Every route checks the role and every child's restrictions before showing or saving anything;
//! views and changes are audited by the store, refusals by [`deny`].

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use domain::access::Role;
use domain::assessment::AssessmentCompletion;
use domain::calendar::{collection_year, uk_now};
use domain::case_notes::{NewNote, NoteKind};
use domain::codes::{self, CodeList};
use domain::front_door::{Contact, NewContact, NewDecision, NewPartnerCheck};
use domain::timescales::Rag;
use domain::validate::{DateParts, FieldError};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use store::{StoreError, WorkScope};
use uuid::Uuid;

use crate::AppState;
use crate::auth::{AuthedForm, Session, deny};
use crate::error::AppError;
use crate::pages::children::{authorise, parse_id};
use crate::pages::error_context;
use crate::pages::family::{date_items, past_date};
use crate::policy::{Action, check_record, check_role};

fn now() -> NaiveDateTime {
    uk_now()
}

fn today() -> NaiveDate {
    now().date()
}

/// "14:30", "9:05", "2pm" or "2:30pm" as a time of day.
pub fn parse_time(s: &str) -> Option<NaiveTime> {
    let t = s.trim().to_lowercase().replace('.', ":");
    let (t, pm) = if let Some(x) = t.strip_suffix("pm") {
        (x.trim().to_string(), Some(true))
    } else if let Some(x) = t.strip_suffix("am") {
        (x.trim().to_string(), Some(false))
    } else {
        (t, None)
    };
    let (h, m) = match t.split_once(':') {
        Some((h, m)) if m.len() == 2 => (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?),
        None if pm.is_some() => (t.parse::<u32>().ok()?, 0),
        _ => return None,
    };
    let h = match pm {
        Some(_) if !(1..=12).contains(&h) => return None,
        Some(true) => h % 12 + 12,
        Some(false) => h % 12,
        None => h,
    };
    NaiveTime::from_hms_opt(h, m, 0)
}

fn fmt_datetime(t: NaiveDateTime) -> String {
    format!("{} at {}", t.format("%-d %B %Y"), t.format("%-I:%M%P"))
}

fn fmt_date(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

fn label(list: &CodeList, code: &str) -> String {
    list.label(code).unwrap_or(code).to_string()
}

/// Radio or checkbox items from a code list, `checked` deciding which are ticked.
fn code_items(list: &CodeList, year: u16, checked: impl Fn(&str) -> bool) -> Value {
    Value::from(
        list.current(year)
            .map(|c| context! { value => c.code, text => c.label, checked => checked(c.code) })
            .collect::<Vec<_>>(),
    )
}

fn select_items(list: &CodeList, year: u16, selected: &str, prompt: &str) -> Value {
    let mut v = vec![context! { value => "", text => prompt, selected => selected.is_empty() }];
    v.extend(
        list.current(year)
            .map(|c| context! { value => c.code, text => c.label, selected => c.code == selected }),
    );
    Value::from(v)
}

fn parts(day: &str, month: &str, year: &str) -> DateParts {
    DateParts {
        day: day.into(),
        month: month.into(),
        year: year.into(),
    }
}

fn today_parts() -> (String, String, String) {
    let d = today();
    (
        d.format("%-d").to_string(),
        d.format("%-m").to_string(),
        d.format("%Y").to_string(),
    )
}

/// A date and a time from a form, required, not in the future.
fn past_datetime(
    d: &DateParts,
    time: &str,
    field: &str,
    label: &str,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDateTime> {
    let date = past_date(d, field, label, errors)?;
    let Some(t) = parse_time(time) else {
        errors.push(FieldError::new(
            &format!("{field}_time"),
            "Enter the time as hours and minutes, for example 14:30 or 2:30pm",
        ));
        return None;
    };
    let at = date.and_time(t);
    if at > now() {
        errors.push(FieldError::new(
            &format!("{field}_time"),
            format!("{label} must be now or in the past"),
        ));
        return None;
    }
    Some(at)
}

fn status(errors: &[FieldError]) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

fn errors_value(errors: &[FieldError], dates: &[&str]) -> (Value, Value) {
    let (by_field, list) = error_context(errors, dates);
    (
        if errors.is_empty() {
            Value::UNDEFINED
        } else {
            by_field
        },
        list,
    )
}

/// Store refusals that name a field become field errors; anything else is an error page.
fn field_error(e: StoreError, fallback: &str) -> Result<FieldError, AppError> {
    match e {
        StoreError::Invalid { field, message } => Ok(FieldError::new(
            if field == "input" { fallback } else { field },
            message,
        )),
        StoreError::Conflict { .. } => Ok(FieldError::new(
            fallback,
            "Someone else changed this since you opened it. Reload the page to see their changes.",
        )),
        e => Err(e.into()),
    }
}

/// The user may see this child's name in a list (restricted children are named only to those
/// who may open their record).
fn may_see(session: &Session, restricted: bool) -> bool {
    !restricted || session.user.role.sees_restricted_records()
}

// --- The front-door queue ---

pub async fn front_door(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, AppError> {
    if let Err(d) = check_role(&session.user, Action::ViewFrontDoor) {
        return Err(deny(&state, &session, None, "GET /front-door", d.0, false).await);
    }
    let queue = state.store.front_door_queue().await?;
    let today = today();
    let cal = domain::calendar::Calendar::england();
    let rows: Vec<Value> = queue
        .iter()
        .map(|c| {
            let rag = Rag::of(c.decision_due, today);
            let waiting = cal
                .working_days_between(c.received_at.date(), today)
                .unwrap_or(0);
            context! {
                id => c.id.to_string(),
                received => fmt_datetime(c.received_at),
                children => c.children.iter().map(|k| if may_see(&session, k.restricted) { k.name.clone() } else { "Restricted record".into() }).collect::<Vec<_>>(),
                source => label(codes::referral_source(), &c.source),
                due => fmt_date(c.decision_due),
                waiting,
                rag_label => rag.label(),
                rag_class => rag.tag_class(),
            }
        })
        .collect();
    let overdue = queue
        .iter()
        .filter(|c| Rag::of(c.decision_due, today) == Rag::Red)
        .count();
    let html = state.templates.page(
        "front_door/queue.html",
        Some(&session),
        context! { title => "Front door", rows, overdue, total => queue.len() },
    )?;
    Ok(html.into_response())
}

// --- Recording a contact ---

#[derive(Deserialize, Serialize, Default)]
pub struct ContactForm {
    /// The child the form was opened from.
    #[serde(default)]
    child: String,
    #[serde(default)]
    children: Vec<String>,
    #[serde(default, rename = "received-day")]
    day: String,
    #[serde(default, rename = "received-month")]
    month: String,
    #[serde(default, rename = "received-year")]
    year: String,
    #[serde(default)]
    received_time: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    contact_name: String,
    #[serde(default)]
    contact_agency: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    consent: String,
}

#[derive(Deserialize)]
pub struct ContactQuery {
    #[serde(default)]
    child: String,
}

const SIBLING_KINDS: &[&str] = &["sibling", "half_sibling", "step_sibling"];

/// The child the contact starts from and their brothers and sisters the user may open.
async fn contact_children_choice(
    state: &AppState,
    session: &Session,
    child: Uuid,
) -> Result<(store::ChildRecord, Vec<(Uuid, String)>), AppError> {
    authorise(
        state,
        session,
        child,
        Action::RecordContact,
        &format!("record a contact /children/{child}"),
        false,
    )
    .await?;
    let rec = state
        .store
        .view_child_record(session.actor(), child, "record a contact")
        .await?;
    let mut choices = vec![(rec.person.id, rec.person.full_name())];
    for r in &rec.relationships {
        if SIBLING_KINDS.contains(&r.relationship.kind.as_str())
            && r.other.kind == domain::person::PersonKind::Child
            && may_see(session, r.other.restricted)
            && !choices.iter().any(|(id, _)| *id == r.other.id)
        {
            choices.push((r.other.id, r.other.full_name()));
        }
    }
    Ok((rec, choices))
}

async fn contact_form_page(
    state: &AppState,
    session: &Session,
    form: &ContactForm,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let child = parse_id(&form.child, false)?;
    let (rec, choices) = contact_children_choice(state, session, child).await?;
    let year = collection_year(today());
    let children_items: Vec<Value> = choices
        .iter()
        .map(|(id, name)| {
            context! { value => id.to_string(), text => name, checked => form.children.contains(&id.to_string()) }
        })
        .collect();
    let (errs, error_list) = errors_value(errors, &["received"]);
    let d = parts(&form.day, &form.month, &form.year);
    let html = state.templates.page(
        "front_door/contact_form.html",
        Some(session),
        context! {
            title => "Record a contact",
            child_id => rec.person.id.to_string(),
            child_name => rec.person.full_name(),
            form => Value::from_serialize(form),
            children_items,
            received_items => date_items(errors.iter().any(|e| e.field == "received"), &d),
            source_items => select_items(codes::referral_source(), year, &form.source, "Choose where the contact came from"),
            consent_items => code_items(codes::consent(), year, |c| c == form.consent),
            errors => errs,
            error_list,
        },
    )?;
    Ok((status(errors), html).into_response())
}

pub async fn new_contact(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<ContactQuery>,
) -> Result<Response, AppError> {
    if let Err(d) = check_role(&session.user, Action::RecordContact) {
        return Err(deny(&state, &session, None, "GET /contacts/new", d.0, false).await);
    }
    if q.child.is_empty() {
        // A contact starts from the child: find them (or add them) first.
        return Ok(Redirect::to("/children?for=contact").into_response());
    }
    let (day, month, year) = today_parts();
    let form = ContactForm {
        children: vec![q.child.clone()],
        child: q.child,
        day,
        month,
        year,
        received_time: now().format("%H:%M").to_string(),
        ..Default::default()
    };
    contact_form_page(&state, &session, &form, &[]).await
}

pub async fn create_contact(
    State(state): State<AppState>,
    AuthedForm { session, form }: AuthedForm<ContactForm>,
) -> Result<Response, AppError> {
    if let Err(d) = check_role(&session.user, Action::RecordContact) {
        return Err(deny(&state, &session, None, "POST /contacts", d.0, false).await);
    }
    let start = parse_id(&form.child, false)?;
    let (_, choices) = contact_children_choice(&state, &session, start).await?;
    let mut errors = Vec::new();
    // Only the children offered on the form can be named (each one checked for access).
    let mut children = Vec::new();
    for c in &form.children {
        match Uuid::parse_str(c)
            .ok()
            .filter(|id| choices.iter().any(|(k, _)| k == id))
        {
            Some(id) => children.push(id),
            None => {
                return Err(AppError::BadRequest {
                    message: "The form named a child it did not offer.".into(),
                    api: false,
                });
            }
        }
    }
    let received = past_datetime(
        &parts(&form.day, &form.month, &form.year),
        &form.received_time,
        "received",
        "The date and time received",
        &mut errors,
    );
    let new = NewContact {
        received_at: received.unwrap_or_else(now),
        source: form.source.clone(),
        contact_name: form.contact_name.clone(),
        contact_agency: form.contact_agency.clone(),
        reason: form.reason.clone(),
        consent: form.consent.clone(),
        children,
    };
    errors.extend(
        new.validate(now())
            .into_iter()
            .filter(|e| e.field != "received"),
    );
    if errors.is_empty() {
        match state.store.record_contact(session.actor(), new).await {
            Ok(c) => {
                return Ok(
                    Redirect::to(&format!("/contacts/{}?saved=recorded", c.id)).into_response()
                );
            }
            Err(e) => errors.push(field_error(e, "reason")?),
        }
    }
    contact_form_page(&state, &session, &form, &errors).await
}

// --- A contact: its checks and its decision ---

#[derive(Deserialize, Serialize, Default, Clone)]
pub struct CheckForm {
    #[serde(default)]
    agency: String,
    #[serde(default, rename = "requested-day")]
    requested_day: String,
    #[serde(default, rename = "requested-month")]
    requested_month: String,
    #[serde(default, rename = "requested-year")]
    requested_year: String,
    #[serde(default, rename = "check_received-day")]
    received_day: String,
    #[serde(default, rename = "check_received-month")]
    received_month: String,
    #[serde(default, rename = "check_received-year")]
    received_year: String,
    #[serde(default)]
    summary: String,
}

#[derive(Deserialize, Serialize, Default, Clone)]
pub struct DecisionForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    outcome: String,
    #[serde(default, rename = "decided-day")]
    day: String,
    #[serde(default, rename = "decided-month")]
    month: String,
    #[serde(default, rename = "decided-year")]
    year: String,
    #[serde(default)]
    decided_time: String,
    #[serde(default)]
    direction: String,
    #[serde(default)]
    rationale: String,
    #[serde(default)]
    quality: String,
    #[serde(default)]
    quality_comment: String,
}

#[derive(Deserialize)]
pub struct SavedQuery {
    #[serde(default)]
    saved: String,
}

/// Checks the user may do `action` for every child a contact names; a refusal is audited.
async fn authorise_contact(
    state: &AppState,
    session: &Session,
    id: &str,
    action: Action,
    what: &str,
) -> Result<Uuid, AppError> {
    let id = parse_id(id, false)?;
    let children = match state.store.contact_children(id).await {
        Ok(c) => c,
        Err(StoreError::NotFound(_)) => return Err(AppError::NotFound { api: false }),
        Err(e) => return Err(e.into()),
    };
    for child in children {
        authorise(
            state,
            session,
            child,
            action,
            &format!("{what} /contacts/{id}"),
            false,
        )
        .await?;
    }
    Ok(id)
}

fn contact_rows(c: &Contact) -> Vec<Value> {
    let row = |k: &str, v: String| context! { key => context! { text => k }, value => context! { text => v } };
    vec![
        row("Received", fmt_datetime(c.received_at)),
        row("Source", label(codes::referral_source(), &c.source)),
        row(
            "Who made the contact",
            if c.contact_agency.is_empty() {
                c.contact_name.clone()
            } else {
                format!("{}, {}", c.contact_name, c.contact_agency)
            },
        ),
        row("Reason and concerns", c.reason.clone()),
        row(
            "Consent to share information",
            label(codes::consent(), &c.consent),
        ),
        row("Decision due", fmt_date(c.decision_due)),
        row("Recorded by", c.recorded_by.clone().unwrap_or_default()),
    ]
}

async fn contact_page(
    state: &AppState,
    session: &Session,
    contact: &Contact,
    check: &CheckForm,
    decision: &DecisionForm,
    errors: &[FieldError],
    saved: &str,
) -> Result<Response, AppError> {
    let year = collection_year(today());
    let rag = Rag::of(contact.decision_due, today());
    let decision_rows = contact.decision.as_ref().map(|d| {
        let row = |k: &str, v: String| context! { key => context! { text => k }, value => context! { text => v } };
        let mut rows = vec![
            row("Decision", label(codes::front_door_outcome(), &d.outcome)),
            row("Decided", fmt_datetime(d.decided_at)),
            row("Manager", d.decided_by.clone().unwrap_or_default()),
            row("Direction", d.direction.clone()),
            row("Rationale", d.rationale.clone()),
            row(
                "Timescale",
                if d.within_timescale {
                    "Decided within 1 working day".into()
                } else {
                    format!("Decided after the due date ({})", fmt_date(contact.decision_due))
                },
            ),
        ];
        if let Some(q) = &d.quality {
            let comment = if d.quality_comment.is_empty() {
                String::new()
            } else {
                format!(": {}", d.quality_comment)
            };
            rows.push(row(
                "Feedback on the referral",
                format!("{}{comment}", label(codes::referral_quality(), q)),
            ));
        }
        rows
    });
    let checks: Vec<Value> = contact
        .checks
        .iter()
        .map(|k| {
            context! {
                agency => label(codes::partner_agency(), &k.agency),
                requested => fmt_date(k.requested_on),
                received => k.received_on.map(fmt_date).unwrap_or_else(|| "Waiting".into()),
                summary => k.summary.clone(),
            }
        })
        .collect();
    let (errs, error_list) = errors_value(errors, &["requested", "check_received", "decided"]);
    let has = |f: &str| errors.iter().any(|e| e.field == f);
    let html = state.templates.page(
        "front_door/contact.html",
        Some(session),
        context! {
            title => "Contact",
            id => contact.id.to_string(),
            version => contact.version,
            saved => match saved { "recorded" => "Contact recorded", "check" => "Partner check recorded", "decided" => "Decision recorded", _ => "" },
            rows => contact_rows(contact),
            children => contact.children.iter().map(|k| context! { id => k.person_id.to_string(), name => k.name.clone() }).collect::<Vec<_>>(),
            rag_label => rag.label(),
            rag_class => rag.tag_class(),
            decided => contact.decision.is_some(),
            decision_rows,
            checks,
            may_check => check_role(&session.user, Action::RecordContact).is_ok(),
            may_decide => check_role(&session.user, Action::DecideContact).is_ok(),
            check => Value::from_serialize(check),
            decision => Value::from_serialize(decision),
            agency_items => select_items(codes::partner_agency(), year, &check.agency, "Choose the agency"),
            requested_items => date_items(has("requested"), &parts(&check.requested_day, &check.requested_month, &check.requested_year)),
            check_received_items => date_items(has("check_received"), &parts(&check.received_day, &check.received_month, &check.received_year)),
            outcome_items => code_items(codes::front_door_outcome(), year, |c| c == decision.outcome),
            decided_items => date_items(has("decided"), &parts(&decision.day, &decision.month, &decision.year)),
            quality_items => code_items(codes::referral_quality(), year, |c| c == decision.quality),
            errors => errs,
            error_list,
        },
    )?;
    Ok((status(errors), html).into_response())
}

fn blank_forms() -> (CheckForm, DecisionForm) {
    let (day, month, year) = today_parts();
    (
        CheckForm {
            requested_day: day.clone(),
            requested_month: month.clone(),
            requested_year: year.clone(),
            ..Default::default()
        },
        DecisionForm {
            day,
            month,
            year,
            decided_time: now().format("%H:%M").to_string(),
            ..Default::default()
        },
    )
}

pub async fn show_contact(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let id = authorise_contact(&state, &session, &id, Action::ViewRecord, "GET").await?;
    let contact = state
        .store
        .view_contact(session.actor(), id, "view contact")
        .await?;
    let (check, decision) = blank_forms();
    contact_page(&state, &session, &contact, &check, &decision, &[], &q.saved).await
}

pub async fn add_check(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<CheckForm>,
) -> Result<Response, AppError> {
    let id = authorise_contact(&state, &session, &id, Action::RecordContact, "POST check").await?;
    let mut errors = Vec::new();
    let requested = past_date(
        &parts(
            &form.requested_day,
            &form.requested_month,
            &form.requested_year,
        ),
        "requested",
        "Date requested",
        &mut errors,
    );
    let received_parts = parts(
        &form.received_day,
        &form.received_month,
        &form.received_year,
    );
    let received = if received_parts.is_empty() {
        None
    } else {
        past_date(
            &received_parts,
            "check_received",
            "Date received",
            &mut errors,
        )
    };
    if let Some(requested) = requested {
        let new = NewPartnerCheck {
            agency: form.agency.clone(),
            requested_on: requested,
            received_on: received,
            summary: form.summary.clone(),
        };
        errors.extend(new.validate(today()).into_iter().map(|mut e| {
            if e.field == "received" {
                e.field = "check_received".into();
            }
            e
        }));
        if errors.is_empty() {
            match state
                .store
                .add_partner_check(session.actor(), id, new)
                .await
            {
                Ok(_) => {
                    return Ok(Redirect::to(&format!("/contacts/{id}?saved=check")).into_response());
                }
                Err(e) => errors.push(field_error(e, "summary")?),
            }
        }
    } else if form.agency.is_empty() {
        errors.push(FieldError::new("agency", "Select the agency asked"));
    }
    let contact = state
        .store
        .view_contact(session.actor(), id, "partner check form")
        .await?;
    let (_, decision) = blank_forms();
    contact_page(&state, &session, &contact, &form, &decision, &errors, "").await
}

pub async fn decide(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<DecisionForm>,
) -> Result<Response, AppError> {
    let id = authorise_contact(
        &state,
        &session,
        &id,
        Action::DecideContact,
        "POST decision",
    )
    .await?;
    let contact = state
        .store
        .view_contact(session.actor(), id, "decision form")
        .await?;
    let mut errors = Vec::new();
    let decided = past_datetime(
        &parts(&form.day, &form.month, &form.year),
        &form.decided_time,
        "decided",
        "The date and time of the decision",
        &mut errors,
    );
    let new = NewDecision {
        outcome: form.outcome.clone(),
        decided_at: decided.unwrap_or_else(now),
        direction: form.direction.clone(),
        rationale: form.rationale.clone(),
        quality: Some(form.quality.clone()).filter(|q| !q.is_empty()),
        quality_comment: form.quality_comment.clone(),
    };
    errors.extend(
        new.validate(contact.received_at, now())
            .into_iter()
            .filter(|e| decided.is_some() || e.field != "decided"),
    );
    if errors.is_empty() {
        let version = form.version.parse().unwrap_or(contact.version);
        match state
            .store
            .decide_contact(session.actor(), id, version, new)
            .await
        {
            Ok(_) => {
                return Ok(Redirect::to(&format!("/contacts/{id}?saved=decided")).into_response());
            }
            Err(e) => errors.push(field_error(e, "outcome")?),
        }
    }
    let (check, _) = blank_forms();
    contact_page(&state, &session, &contact, &check, &form, &errors, "").await
}

// --- Assessments ---

#[derive(Deserialize, Serialize, Default)]
pub struct StartForm {
    #[serde(default)]
    referral_id: String,
    #[serde(default, rename = "started-day")]
    day: String,
    #[serde(default, rename = "started-month")]
    month: String,
    #[serde(default, rename = "started-year")]
    year: String,
}

#[derive(Deserialize)]
pub struct ReferralQuery {
    #[serde(default)]
    referral: String,
}

async fn start_page(
    state: &AppState,
    session: &Session,
    rec: &store::ChildRecord,
    form: &StartForm,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let referral = rec
        .front_door
        .referrals
        .iter()
        .find(|r| r.id.to_string() == form.referral_id)
        .ok_or(AppError::NotFound { api: false })?;
    let due = domain::timescales::assessment_due(referral.referral_date).ok();
    let (errs, error_list) = errors_value(errors, &["started"]);
    let html = state.templates.page(
        "assessments/start.html",
        Some(session),
        context! {
            title => "Start a single assessment",
            child_id => rec.person.id.to_string(),
            child_name => rec.person.full_name(),
            form => Value::from_serialize(form),
            referral_date => fmt_date(referral.referral_date),
            due => due.map(fmt_date),
            started_items => date_items(!errors.is_empty(), &parts(&form.day, &form.month, &form.year)),
            errors => errs,
            error_list,
        },
    )?;
    Ok((status(errors), html).into_response())
}

async fn casework_record(
    state: &AppState,
    session: &Session,
    id: &str,
    action: Action,
    what: &str,
) -> Result<store::ChildRecord, AppError> {
    let id = parse_id(id, false)?;
    authorise(
        state,
        session,
        id,
        action,
        &format!("{what} /children/{id}"),
        false,
    )
    .await?;
    Ok(state
        .store
        .view_child_record(session.actor(), id, what)
        .await?)
}

pub async fn start_assessment_form(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<ReferralQuery>,
) -> Result<Response, AppError> {
    let rec = casework_record(
        &state,
        &session,
        &id,
        Action::RecordCasework,
        "start assessment form",
    )
    .await?;
    let (day, month, year) = today_parts();
    let form = StartForm {
        referral_id: q.referral,
        day,
        month,
        year,
    };
    start_page(&state, &session, &rec, &form, &[]).await
}

pub async fn start_assessment(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<StartForm>,
) -> Result<Response, AppError> {
    let rec = casework_record(
        &state,
        &session,
        &id,
        Action::RecordCasework,
        "start assessment",
    )
    .await?;
    let referral = rec
        .front_door
        .referrals
        .iter()
        .find(|r| r.id.to_string() == form.referral_id)
        .ok_or(AppError::NotFound { api: false })?;
    let mut errors = Vec::new();
    if let Some(started) = past_date(
        &parts(&form.day, &form.month, &form.year),
        "started",
        "Date started",
        &mut errors,
    ) {
        match state
            .store
            .start_assessment(session.actor(), referral.id, started)
            .await
        {
            Ok(a) => {
                return Ok(
                    Redirect::to(&format!("/assessments/{}?saved=started", a.id)).into_response(),
                );
            }
            Err(e) => errors.push(field_error(e, "started").map(|mut e| {
                if e.field == "referral_id" {
                    e.field = "started".into();
                }
                e
            })?),
        }
    }
    start_page(&state, &session, &rec, &form, &errors).await
}

#[derive(Deserialize, Serialize, Default)]
pub struct CompletionForm {
    #[serde(default)]
    version: String,
    #[serde(default, rename = "completed-day")]
    day: String,
    #[serde(default, rename = "completed-month")]
    month: String,
    #[serde(default, rename = "completed-year")]
    year: String,
    #[serde(default)]
    factors: Vec<String>,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    summary: String,
}

#[derive(Deserialize, Serialize, Default)]
pub struct AuthoriseForm {
    #[serde(default)]
    version: String,
}

/// An assessment and its child's record, after the checks (the view is audited).
async fn assessment_for(
    state: &AppState,
    session: &Session,
    id: &str,
    action: Action,
    what: &str,
) -> Result<(domain::assessment::Assessment, store::ChildRecord), AppError> {
    let id = parse_id(id, false)?;
    let a = match state.store.get_assessment(id).await {
        Ok(a) => a,
        Err(StoreError::NotFound(_)) => return Err(AppError::NotFound { api: false }),
        Err(e) => return Err(e.into()),
    };
    let rec = casework_record(state, session, &a.child_id.to_string(), action, what).await?;
    Ok((a, rec))
}

async fn assessment_page(
    state: &AppState,
    session: &Session,
    a: &domain::assessment::Assessment,
    rec: &store::ChildRecord,
    form: &CompletionForm,
    errors: &[FieldError],
    saved: &str,
) -> Result<Response, AppError> {
    let year = collection_year(today());
    let rag = Rag::of(a.completed_on.unwrap_or(a.due_on).max(a.due_on), today());
    let state_text = match (a.completed_on, a.authorised_on) {
        (_, Some(_)) => "Authorised",
        (Some(_), None) => "Completed: waiting for a manager to authorise",
        (None, None) => "In progress",
    };
    let row = |k: &str, v: String| context! { key => context! { text => k }, value => context! { text => v } };
    let mut rows = vec![
        row("Status", state_text.into()),
        row("Referral", fmt_date(a.referral_date)),
        row("Started", fmt_date(a.started_on)),
        row(
            "Due (45 working days from the referral)",
            fmt_date(a.due_on),
        ),
    ];
    if let Some(done) = a.completed_on {
        let cal = domain::calendar::Calendar::england();
        let days = cal.working_days_between(a.referral_date, done).unwrap_or(0);
        rows.push(row(
            "Completed",
            format!("{} ({days} working days from the referral)", fmt_date(done)),
        ));
        rows.push(row(
            "Factors identified",
            a.factors
                .iter()
                .map(|f| label(codes::assessment_factor(), f))
                .collect::<Vec<_>>()
                .join("; "),
        ));
        rows.push(row(
            "Outcome",
            a.outcome
                .as_deref()
                .map(|o| label(codes::assessment_outcome(), o))
                .unwrap_or_default(),
        ));
        rows.push(row("Summary", a.summary.clone()));
    }
    if let (Some(on), by) = (a.authorised_on, &a.authorised_by) {
        rows.push(row(
            "Authorised",
            format!("{} by {}", fmt_date(on), by.clone().unwrap_or_default()),
        ));
    }
    let (errs, error_list) = errors_value(errors, &["completed"]);
    let html = state.templates.page(
        "assessments/show.html",
        Some(session),
        context! {
            title => "Single assessment",
            id => a.id.to_string(),
            version => a.version,
            child_id => rec.person.id.to_string(),
            child_name => rec.person.full_name(),
            saved => match saved { "started" => "Assessment started", "completed" => "Assessment completed", "authorised" => "Assessment authorised", _ => "" },
            rows,
            overdue => a.completed_on.is_none() && rag == Rag::Red,
            may_complete => a.completed_on.is_none() && check_role(&session.user, Action::RecordCasework).is_ok(),
            may_authorise => a.completed_on.is_some() && a.authorised_on.is_none() && check_role(&session.user, Action::Oversee).is_ok(),
            form => Value::from_serialize(form),
            completed_items => date_items(errors.iter().any(|e| e.field == "completed"), &parts(&form.day, &form.month, &form.year)),
            factor_items => code_items(codes::assessment_factor(), year, |c| form.factors.iter().any(|f| f == c)),
            outcome_items => code_items(codes::assessment_outcome(), year, |c| c == form.outcome),
            errors => errs,
            error_list,
        },
    )?;
    Ok((status(errors), html).into_response())
}

pub async fn show_assessment(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let (a, rec) =
        assessment_for(&state, &session, &id, Action::ViewRecord, "view assessment").await?;
    let (day, month, year) = today_parts();
    let form = CompletionForm {
        version: a.version.to_string(),
        day,
        month,
        year,
        ..Default::default()
    };
    assessment_page(&state, &session, &a, &rec, &form, &[], &q.saved).await
}

pub async fn complete_assessment(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<CompletionForm>,
) -> Result<Response, AppError> {
    let (a, rec) = assessment_for(
        &state,
        &session,
        &id,
        Action::RecordCasework,
        "complete assessment",
    )
    .await?;
    let mut errors = Vec::new();
    let completed = past_date(
        &parts(&form.day, &form.month, &form.year),
        "completed",
        "Date completed",
        &mut errors,
    );
    let c = AssessmentCompletion {
        completed_on: completed.unwrap_or_else(today),
        factors: form.factors.clone(),
        outcome: form.outcome.clone(),
        summary: form.summary.clone(),
    };
    errors.extend(
        c.validate(a.started_on, today())
            .into_iter()
            .filter(|e| completed.is_some() || e.field != "completed"),
    );
    if errors.is_empty() {
        let version = form.version.parse().unwrap_or(a.version);
        match state
            .store
            .complete_assessment(session.actor(), a.id, version, c)
            .await
        {
            Ok(_) => {
                return Ok(
                    Redirect::to(&format!("/assessments/{}?saved=completed", a.id)).into_response(),
                );
            }
            Err(e) => errors.push(field_error(e, "summary")?),
        }
    }
    assessment_page(&state, &session, &a, &rec, &form, &errors, "").await
}

pub async fn authorise_assessment(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<AuthoriseForm>,
) -> Result<Response, AppError> {
    let (a, rec) = assessment_for(
        &state,
        &session,
        &id,
        Action::Oversee,
        "authorise assessment",
    )
    .await?;
    let version = form.version.parse().unwrap_or(a.version);
    match state
        .store
        .authorise_assessment(session.actor(), a.id, version, today())
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/assessments/{}?saved=authorised", a.id)).into_response())
        }
        Err(e) => {
            let err = field_error(e, "authorised")?;
            let f = CompletionForm::default();
            assessment_page(&state, &session, &a, &rec, &f, &[err], "").await
        }
    }
}

// --- Visits, case notes and management oversight ---

#[derive(Deserialize, Serialize, Default)]
pub struct NoteForm {
    #[serde(default)]
    kind: String,
    #[serde(default, rename = "date-day")]
    day: String,
    #[serde(default, rename = "date-month")]
    month: String,
    #[serde(default, rename = "date-year")]
    year: String,
    #[serde(default)]
    child_seen: String,
    #[serde(default)]
    seen_alone: String,
    #[serde(default)]
    childs_words: String,
    #[serde(default)]
    observation: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    rationale: String,
}

#[derive(Deserialize)]
pub struct KindQuery {
    #[serde(default)]
    kind: String,
}

fn note_action(kind: NoteKind) -> Action {
    match kind {
        NoteKind::Oversight => Action::Oversee,
        _ => Action::RecordCasework,
    }
}

fn yes_no_items(value: &str) -> Value {
    Value::from(vec![
        context! { value => "yes", text => "Yes", checked => value == "yes" },
        context! { value => "no", text => "No", checked => value == "no" },
    ])
}

async fn note_page(
    state: &AppState,
    session: &Session,
    rec: &store::ChildRecord,
    kind: NoteKind,
    form: &NoteForm,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let (errs, error_list) = errors_value(errors, &["date"]);
    let young = rec.person.age_on(today()).is_none_or(|a| a < 3);
    let title = match kind {
        NoteKind::Visit => "Record a visit",
        NoteKind::CaseNote => "Add a case note",
        NoteKind::Oversight => "Record management oversight",
    };
    let html = state.templates.page(
        "notes/form.html",
        Some(session),
        context! {
            title,
            kind => kind.as_str(),
            child_id => rec.person.id.to_string(),
            child_name => rec.person.full_name(),
            young,
            form => Value::from_serialize(form),
            date_items => date_items(errors.iter().any(|e| e.field == "date"), &parts(&form.day, &form.month, &form.year)),
            seen_items => yes_no_items(&form.child_seen),
            alone_items => yes_no_items(&form.seen_alone),
            errors => errs,
            error_list,
        },
    )?;
    Ok((status(errors), html).into_response())
}

pub async fn new_note(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<KindQuery>,
) -> Result<Response, AppError> {
    let kind = NoteKind::parse(&q.kind).ok_or(AppError::NotFound { api: false })?;
    let rec = casework_record(&state, &session, &id, note_action(kind), "note form").await?;
    let (day, month, year) = today_parts();
    let form = NoteForm {
        kind: kind.as_str().into(),
        day,
        month,
        year,
        ..Default::default()
    };
    note_page(&state, &session, &rec, kind, &form, &[]).await
}

fn yes_no(s: &str) -> Option<bool> {
    match s {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

pub async fn add_note(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<NoteForm>,
) -> Result<Response, AppError> {
    let kind = NoteKind::parse(&form.kind).ok_or(AppError::BadRequest {
        message: "The form did not say what kind of note it was.".into(),
        api: false,
    })?;
    let rec = casework_record(&state, &session, &id, note_action(kind), "add note").await?;
    let mut errors = Vec::new();
    let date = past_date(
        &parts(&form.day, &form.month, &form.year),
        "date",
        "Date",
        &mut errors,
    );
    let visit = kind == NoteKind::Visit;
    let note = NewNote {
        kind,
        date: date.unwrap_or_else(today),
        child_seen: if visit {
            yes_no(&form.child_seen)
        } else {
            None
        },
        seen_alone: if visit && yes_no(&form.child_seen) == Some(true) {
            yes_no(&form.seen_alone)
        } else {
            None
        },
        childs_words: if visit {
            form.childs_words.clone()
        } else {
            String::new()
        },
        observation: if visit {
            form.observation.clone()
        } else {
            String::new()
        },
        text: if kind == NoteKind::Oversight {
            String::new()
        } else {
            form.text.clone()
        },
        decision: if kind == NoteKind::Oversight {
            form.decision.clone()
        } else {
            String::new()
        },
        rationale: if kind == NoteKind::Oversight {
            form.rationale.clone()
        } else {
            String::new()
        },
    };
    errors.extend(
        note.validate(today())
            .into_iter()
            .filter(|e| date.is_some() || e.field != "date"),
    );
    if errors.is_empty() {
        match state
            .store
            .add_note(session.actor(), rec.person.id, note)
            .await
        {
            Ok(_) => {
                return Ok(Redirect::to(&format!(
                    "/children/{}?saved={}#chronology",
                    rec.person.id,
                    kind.as_str()
                ))
                .into_response());
            }
            Err(e) => errors.push(field_error(e, "text")?),
        }
    }
    note_page(&state, &session, &rec, kind, &form, &errors).await
}

// --- On the child's page ---

/// The journey sections of the child's page, and what the user may do there.
pub fn child_page_context(rec: &store::ChildRecord, session: &Session) -> Value {
    let today = today();
    let contacts: Vec<Value> = rec
        .front_door.contacts
        .iter()
        .map(|c| {
            context! {
                id => c.id.to_string(),
                received => fmt_datetime(c.received_at),
                source => label(codes::referral_source(), &c.source),
                decision => c.decision.as_ref().map(|d| label(codes::front_door_outcome(), &d.outcome)),
                rag_label => Rag::of(c.decision_due, today).label(),
                rag_class => Rag::of(c.decision_due, today).tag_class(),
            }
        })
        .collect();
    let referrals: Vec<Value> = rec
        .front_door
        .referrals
        .iter()
        .map(|r| {
            let a = rec.assessments.iter().find(|a| a.referral_id == r.id);
            context! {
                id => r.id.to_string(),
                closed => r.closed_on.map(fmt_date),
                closure => r.closure_reason.as_deref().map(|c| label(codes::closure_reason(), c)),
                date => fmt_date(r.referral_date),
                source => label(codes::referral_source(), &r.source),
                re_referral => r.re_referral,
                previous => r.previous_referral.map(fmt_date),
                assessment => a.map(|a| a.id.to_string()),
            }
        })
        .collect();
    let assessments: Vec<Value> = rec
        .assessments
        .iter()
        .map(|a| {
            let (status, class) = match (a.completed_on, a.authorised_on) {
                (_, Some(_)) => ("Authorised", "govuk-tag--green"),
                (Some(_), None) => ("Awaiting authorisation", "govuk-tag--blue"),
                (None, None) => {
                    let rag = Rag::of(a.due_on, today);
                    (rag.label(), rag.tag_class())
                }
            };
            context! {
                id => a.id.to_string(),
                started => fmt_date(a.started_on),
                due => fmt_date(a.due_on),
                completed => a.completed_on.map(fmt_date),
                status,
                class,
            }
        })
        .collect();
    let last_visit = rec
        .notes
        .iter()
        .filter(|n| n.note.kind == NoteKind::Visit)
        .map(|n| n.note.date)
        .max();
    let last_seen_alone = rec
        .notes
        .iter()
        .filter(|n| n.note.kind == NoteKind::Visit && n.note.seen_alone == Some(true))
        .map(|n| n.note.date)
        .max();
    let u = &session.user;
    context! {
        contacts,
        referrals,
        assessments,
        last_visit => last_visit.map(fmt_date),
        last_seen_alone => last_seen_alone.map(fmt_date),
        may_contact => check_role(u, Action::RecordContact).is_ok(),
        may_casework => check_role(u, Action::RecordCasework).is_ok(),
        may_oversee => check_role(u, Action::Oversee).is_ok(),
    }
}

// --- Work due ---

#[derive(Deserialize)]
pub struct WorkQuery {
    #[serde(default)]
    scope: String,
}

pub async fn work_due(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<WorkQuery>,
) -> Result<Response, AppError> {
    if let Err(d) = check_role(&session.user, Action::ViewWorkDue) {
        return Err(deny(&state, &session, None, "GET /work", d.0, false).await);
    }
    let workers = state.store.list_workers().await?;
    let me = session
        .user
        .worker_id
        .and_then(|w| workers.iter().find(|x| x.id == w));
    let manager = session.user.role == Role::TeamManager;
    let (scope, heading) = match (q.scope.as_str(), me) {
        ("all", _) if manager => (
            Some(WorkScope::All),
            "Work due across the service".to_string(),
        ),
        ("team", Some(w)) | ("", Some(w)) if manager && w.team_id.is_some() => (
            w.team_id.map(WorkScope::Team),
            "Work due in your team".to_string(),
        ),
        ("", None) if manager => (
            Some(WorkScope::All),
            "Work due across the service".to_string(),
        ),
        (_, Some(w)) => (Some(WorkScope::Worker(w.id)), "Your work due".to_string()),
        (_, None) => (None, "Your work due".to_string()),
    };
    let items = match scope {
        Some(s) => {
            let mut items = state.store.work_due(s, today()).await?;
            items.extend(
                state
                    .store
                    .visits_due(s, today(), state.config.visit_standards)
                    .await?,
            );
            items.extend(
                state
                    .store
                    .pf_visits_due(s, today(), Default::default())
                    .await?,
            );
            items.sort_by(|a, b| {
                a.due
                    .cmp(&b.due)
                    .then_with(|| a.child_name.cmp(&b.child_name))
            });
            items
        }
        None => Vec::new(),
    };
    // Front-door decisions are on the front-door queue; here only for managers.
    let mut by_rag: BTreeMap<&str, usize> = BTreeMap::new();
    let mut rows = Vec::new();
    for i in items
        .iter()
        .filter(|i| manager || i.what != "Front-door decision")
    {
        if let Some(child) = i.child_id {
            let facts = state.store.access_facts(child).await?;
            if check_record(&session.user, Action::ViewRecord, &facts).is_err() {
                continue;
            }
        }
        *by_rag.entry(i.rag.label()).or_default() += 1;
        rows.push(context! {
            what => i.what.clone(),
            child => i.child_name.clone(),
            worker => i.worker_name.clone().unwrap_or_default(),
            due => fmt_date(i.due),
            rag_label => i.rag.label(),
            rag_class => i.rag.tag_class(),
            link => i.link.clone(),
        });
    }
    let html = state.templates.page(
        "work/due.html",
        Some(&session),
        context! {
            title => heading,
            rows,
            overdue => by_rag.get("Overdue").copied().unwrap_or(0),
            due_today => by_rag.get("Due today").copied().unwrap_or(0),
            manager,
            no_worker => me.is_none() && !manager,
            scope => q.scope,
        },
    )?;
    Ok(html.into_response())
}

#[derive(Deserialize)]
pub struct PeriodQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// Feedback on the quality of referrals, by the agency they came from, for a period (the last 12
/// months by default): for partnership meetings and feedback to agencies.
pub async fn referral_quality(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    let allowed = check_role(&session.user, Action::ViewFrontDoor).is_ok()
        || session.user.role == Role::PerformanceAnalyst;
    if !allowed {
        return Err(deny(
            &state,
            &session,
            None,
            "GET /front-door/referral-quality",
            format!(
                "role {} may not see referral quality",
                session.user.role.as_str()
            ),
            false,
        )
        .await);
    }
    let t = today();
    let mut errors = Vec::new();
    let parse = |s: &str, field: &str, errors: &mut Vec<FieldError>| {
        if s.is_empty() {
            None
        } else {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| {
                    errors.push(FieldError::new(
                        field,
                        "Enter a date as YYYY-MM-DD, for example 2026-04-01",
                    ))
                })
                .ok()
        }
    };
    let to = parse(&q.to, "to", &mut errors).unwrap_or(t);
    let from = parse(&q.from, "from", &mut errors).unwrap_or_else(|| {
        to.checked_sub_months(chrono::Months::new(12))
            .unwrap_or(to)
            .succ_opt()
            .unwrap_or(to)
    });
    if from > to {
        errors.push(FieldError::new(
            "from",
            "The start must be on or before the end",
        ));
    }
    let counts = if errors.is_empty() {
        state.store.referral_quality(from, to).await?
    } else {
        Vec::new()
    };
    let mut by_source: BTreeMap<String, [i64; 4]> = BTreeMap::new();
    for c in &counts {
        let e = by_source.entry(c.source.clone()).or_default();
        let i = match c.quality.as_deref() {
            Some("good") => 0,
            Some("adequate") => 1,
            Some("poor") => 2,
            _ => 3,
        };
        e[i] += c.count;
    }
    let rows: Vec<Value> = by_source
        .iter()
        .map(|(source, n)| {
            let rated = n[0] + n[1] + n[2];
            context! {
                source => label(codes::referral_source(), source),
                good => n[0], adequate => n[1], poor => n[2], unrated => n[3],
                good_share => if rated > 0 { format!("{}%", (n[0] * 100 + rated / 2) / rated) } else { "No ratings".into() },
            }
        })
        .collect();
    let (errs, error_list) = errors_value(&errors, &[]);
    let html = state.templates.page(
        "front_door/quality.html",
        Some(&session),
        context! {
            title => "Referral quality by agency",
            rows,
            from => from.to_string(), to => to.to_string(),
            period => format!("{} to {}", fmt_date(from), fmt_date(to)),
            errors => errs,
            error_list,
        },
    )?;
    Ok((status(&errors), html).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_in_the_forms_people_write_them() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0);
        assert_eq!(parse_time("14:30"), t(14, 30));
        assert_eq!(parse_time("9:05"), t(9, 5));
        assert_eq!(parse_time("2pm"), t(14, 0));
        assert_eq!(parse_time("2:30 PM"), t(14, 30));
        assert_eq!(parse_time("12am"), t(0, 0));
        assert_eq!(parse_time("12.15pm"), t(12, 15));
        assert_eq!(parse_time("25:00"), None);
        assert_eq!(parse_time("13pm"), None);
        assert_eq!(parse_time("1430"), None);
        assert_eq!(parse_time(""), None);
    }
}
