//! Casework after the front door, as pages: early help (start, end or step up), child in need
//! plans (start, SMART actions, progress, reviews, end), closing a child in need episode, and the
//! child protection pathway (strategy discussion, section 47 outcome, initial and review
//! conferences, core groups).
//!
//! The forms share one renderer ([`FormSpec`]) built from our GOV.UK macros. Every route checks
//! the role and the child's restrictions first; the store audits every change.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use domain::calendar::{collection_year, uk_now};
use domain::child_in_need::{
    ACTION_STATUSES, ActionProgress, EpisodeClosure, NewCinPlan, NewPlanAction, PlanReview,
};
use domain::child_protection::{
    ConferenceKind, NewConference, NewCoreGroup, NewStrategy, S47Completion,
};
use domain::codes::{self, CodeList};
use domain::early_help::{EarlyHelpEnd, NewEarlyHelp};
use domain::validate::{DateParts, FieldError};
use minijinja::{Value, context};
use serde::Deserialize;
use store::{CaseRecord, StoreError};
use uuid::Uuid;

use crate::AppState;
use crate::auth::{AuthedForm, Session};
use crate::error::AppError;
use crate::pages::children::{authorise, parse_id};
use crate::pages::error_context;
use crate::pages::family::date_items;
use crate::policy::Action;

pub(crate) fn today() -> NaiveDate {
    uk_now().date()
}

fn fmt_date(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// A posted form: its fields in order (checkboxes repeat a name).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(transparent)]
pub struct FormData(Vec<(String, String)>);

impl FormData {
    pub(crate) fn get(&self, k: &str) -> String {
        self.0
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
    fn all(&self, k: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .collect()
    }
    pub(crate) fn parts(&self, k: &str) -> DateParts {
        DateParts {
            day: self.get(&format!("{k}-day")),
            month: self.get(&format!("{k}-month")),
            year: self.get(&format!("{k}-year")),
        }
    }
    /// A required date, not in the future.
    pub(crate) fn date(
        &self,
        k: &str,
        label: &str,
        errors: &mut Vec<FieldError>,
    ) -> Option<NaiveDate> {
        crate::pages::family::past_date(&self.parts(k), k, label, errors)
    }
    pub(crate) fn with_today(mut self, names: &[&str]) -> Self {
        let d = today();
        for n in names {
            self.0
                .push((format!("{n}-day"), d.format("%-d").to_string()));
            self.0
                .push((format!("{n}-month"), d.format("%-m").to_string()));
            self.0
                .push((format!("{n}-year"), d.format("%Y").to_string()));
        }
        self
    }
    fn set(mut self, k: &str, v: &str) -> Self {
        self.0.push((k.into(), v.into()));
        self
    }
}

/// One field of a casework form.
pub enum Field {
    Date(&'static str, &'static str),
    Radios(&'static str, &'static str, Vec<(String, String)>),
    Checkboxes(
        &'static str,
        &'static str,
        &'static str,
        Vec<(String, String)>,
    ),
    Select(&'static str, &'static str, Vec<(String, String)>),
    Textarea(&'static str, &'static str, &'static str),
    Input(&'static str, &'static str, &'static str),
}

fn list_items(list: &CodeList, on: NaiveDate) -> Vec<(String, String)> {
    list.current(collection_year(on))
        .map(|c| (c.code.to_string(), c.label.to_string()))
        .collect()
}

pub(crate) fn yes_no() -> Vec<(String, String)> {
    vec![("yes".into(), "Yes".into()), ("no".into(), "No".into())]
}

/// A form page: what it is about, where it posts, its fields.
pub struct FormSpec {
    pub title: String,
    pub child_id: Uuid,
    pub child_name: String,
    pub action: String,
    pub button: &'static str,
    pub intro: Option<String>,
    pub fields: Vec<Field>,
}

impl Field {
    fn name(&self) -> &'static str {
        match self {
            Field::Date(n, ..)
            | Field::Radios(n, ..)
            | Field::Checkboxes(n, ..)
            | Field::Select(n, ..)
            | Field::Textarea(n, ..)
            | Field::Input(n, ..) => n,
        }
    }
}

impl FormSpec {
    /// The form as first shown: blank, with today's date in the date fields named.
    pub(crate) fn blank(
        &self,
        state: &AppState,
        session: &Session,
        today: &[&str],
    ) -> Result<Response, AppError> {
        self.render(state, session, &FormData::default().with_today(today), &[])
    }

    pub(crate) fn render(
        &self,
        state: &AppState,
        session: &Session,
        data: &FormData,
        errors: &[FieldError],
    ) -> Result<Response, AppError> {
        // The error summary lists the problems in the order of the fields on the page.
        let mut errors = errors.to_vec();
        errors.sort_by_key(|e| {
            self.fields
                .iter()
                .position(|f| f.name() == e.field)
                .unwrap_or(usize::MAX)
        });
        let errors = errors.as_slice();
        let err = |name: &str| {
            errors
                .iter()
                .find(|e| e.field == name)
                .map(|e| e.message.clone())
        };
        let error_message = |name: &str| err(name).map(|t| context! { text => t });
        let fields: Vec<Value> = self
            .fields
            .iter()
            .map(|f| match f {
                Field::Date(name, label) => context! {
                    kind => "date",
                    params => context! {
                        id => name, namePrefix => name,
                        fieldset => context! { legend => context! { text => label, classes => "govuk-fieldset__legend--s" } },
                        errorMessage => error_message(name),
                        items => date_items(err(name).is_some(), &data.parts(name)),
                    },
                },
                Field::Radios(name, label, items) => context! {
                    kind => "radios",
                    params => context! {
                        name => name, idPrefix => name,
                        classes => if items.len() == 2 { "govuk-radios--inline" } else { "" },
                        fieldset => context! { legend => context! { text => label, classes => "govuk-fieldset__legend--s" } },
                        errorMessage => error_message(name),
                        items => items.iter().map(|(v, t)| context! { value => v, text => t, checked => data.get(name) == *v }).collect::<Vec<_>>(),
                    },
                },
                Field::Checkboxes(name, label, hint, items) => context! {
                    kind => "checkboxes",
                    params => context! {
                        name => name, idPrefix => name, classes => "govuk-checkboxes--small",
                        fieldset => context! { legend => context! { text => label, classes => "govuk-fieldset__legend--s" } },
                        hint => (!hint.is_empty()).then(|| context! { text => hint }),
                        errorMessage => error_message(name),
                        items => items.iter().map(|(v, t)| context! { value => v, text => t, checked => data.all(name).contains(v) }).collect::<Vec<_>>(),
                    },
                },
                Field::Select(name, label, items) => {
                    let mut opts = vec![context! { value => "", text => "Choose", selected => data.get(name).is_empty() }];
                    opts.extend(items.iter().map(|(v, t)| context! { value => v, text => t, selected => data.get(name) == *v }));
                    context! {
                        kind => "select",
                        params => context! {
                            id => name, name => name,
                            label => context! { text => label, classes => "govuk-label--s" },
                            errorMessage => error_message(name),
                            items => opts,
                        },
                    }
                }
                Field::Textarea(name, label, hint) => context! {
                    kind => "textarea",
                    params => context! {
                        id => name, name => name, rows => 5, value => data.get(name),
                        label => context! { text => label, classes => "govuk-label--s" },
                        hint => (!hint.is_empty()).then(|| context! { text => hint }),
                        errorMessage => error_message(name),
                    },
                },
                Field::Input(name, label, hint) => context! {
                    kind => "input",
                    params => context! {
                        id => name, name => name, value => data.get(name), autocomplete => "off",
                        label => context! { text => label, classes => "govuk-label--s" },
                        hint => (!hint.is_empty()).then(|| context! { text => hint }),
                        errorMessage => error_message(name),
                    },
                },
            })
            .collect();
        let dates: Vec<&str> = self
            .fields
            .iter()
            .filter_map(|f| match f {
                Field::Date(n, _) => Some(*n),
                _ => None,
            })
            .collect();
        // Choice fields' first option has the field's id, so the summary links reach them.
        let (by_field, error_list) = error_context(errors, &dates);
        let html = state.templates.page(
            "casework/form.html",
            Some(session),
            context! {
                title => self.title.clone(),
                child_id => self.child_id.to_string(),
                child_name => self.child_name.clone(),
                action => self.action.clone(),
                button => self.button,
                intro => self.intro.clone(),
                fields,
                errors => if errors.is_empty() { Value::UNDEFINED } else { by_field },
                error_list,
            },
        )?;
        let status = if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        Ok((status, html).into_response())
    }
}

/// Store refusals naming a field become field errors; anything else is an error page.
pub(crate) fn store_error(e: StoreError, fallback: &str) -> Result<FieldError, AppError> {
    match e {
        StoreError::Invalid { field, message } => Ok(FieldError::new(
            if field == "input" { fallback } else { field },
            message,
        )),
        StoreError::NotFound(_) => Err(AppError::NotFound { api: false }),
        e => Err(e.into()),
    }
}

/// The child's record behind a casework form (`id` from the path), after the check that the
/// user may record casework for the child (the view is audited as `what`).
pub(crate) async fn casework_child(
    state: &AppState,
    session: &Session,
    id: &str,
    what: &str,
) -> Result<store::ChildRecord, AppError> {
    child_for(
        state,
        session,
        parse_id(id, false)?,
        Action::RecordCasework,
        what,
    )
    .await
}

/// The child's record behind a form, after the role and restriction checks (the view is audited).
pub(crate) async fn child_for(
    state: &AppState,
    session: &Session,
    child: Uuid,
    action: Action,
    what: &str,
) -> Result<store::ChildRecord, AppError> {
    authorise(
        state,
        session,
        child,
        action,
        &format!("{what} /children/{child}"),
        false,
    )
    .await?;
    Ok(state
        .store
        .view_child_record(session.actor(), child, what)
        .await?)
}

/// The child a casework record belongs to, and their record after the checks.
async fn record_of(
    state: &AppState,
    session: &Session,
    kind: CaseRecord,
    id: &str,
    action: Action,
    what: &str,
) -> Result<(Uuid, store::ChildRecord), AppError> {
    let id = parse_id(id, false)?;
    let child = match state.store.case_record_child(kind, id).await {
        Ok(c) => c,
        Err(StoreError::NotFound(_)) => return Err(AppError::NotFound { api: false }),
        Err(e) => return Err(e.into()),
    };
    Ok((id, child_for(state, session, child, action, what).await?))
}

pub(crate) fn back_to_child(child: Uuid, saved: &str) -> Response {
    Redirect::to(&format!("/children/{child}?saved={saved}")).into_response()
}

#[derive(Deserialize)]
pub struct RefQuery {
    #[serde(default)]
    referral: String,
    #[serde(default)]
    kind: String,
}

// --- Early help ---

fn early_help_spec(rec: &store::ChildRecord) -> FormSpec {
    FormSpec {
        title: "Start early help".into(),
        child_id: rec.person.id,
        child_name: rec.person.full_name(),
        action: format!("/children/{}/early-help", rec.person.id),
        button: "Start early help",
        intro: None,
        fields: vec![
            Field::Date("started", "Date started"),
            Field::Input("lead", "Lead professional", "Their name and agency"),
            Field::Textarea(
                "reason",
                "Why early help, and what the family wants to change",
                "",
            ),
        ],
    }
}

pub async fn early_help_form(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let rec = casework_child(&state, &session, &id, "early help form").await?;
    early_help_spec(&rec).blank(&state, &session, &["started"])
}

pub async fn start_early_help(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let rec = casework_child(&state, &session, &id, "start early help").await?;
    let mut errors = Vec::new();
    if let Some(started) = form.date("started", "Date started", &mut errors) {
        let eh = NewEarlyHelp {
            started_on: started,
            lead: form.get("lead"),
            reason: form.get("reason"),
        };
        errors.extend(eh.validate(today()));
        if errors.is_empty() {
            match state
                .store
                .start_early_help(session.actor(), rec.person.id, eh)
                .await
            {
                Ok(_) => return Ok(back_to_child(rec.person.id, "early_help")),
                Err(e) => errors.push(store_error(e, "started")?),
            }
        }
    }
    early_help_spec(&rec).render(&state, &session, &form, &errors)
}

fn end_early_help_spec(id: Uuid, rec: &store::ChildRecord) -> FormSpec {
    FormSpec {
        title: "End early help".into(),
        child_id: rec.person.id,
        child_name: rec.person.full_name(),
        action: format!("/early-help/{id}/end"),
        button: "End early help",
        intro: Some("Stepping up sends a contact to the front door about this child, without entering them again.".into()),
        fields: vec![
            Field::Date("ended", "Date ended"),
            Field::Radios("end_reason", "Why early help ended", list_items(codes::early_help_end(), today())),
            Field::Textarea("note", "Notes", "For a step up: the concerns for children's social care."),
        ],
    }
}

pub async fn end_early_help_form(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (id, rec) = record_of(
        &state,
        &session,
        CaseRecord::EarlyHelp,
        &id,
        Action::RecordCasework,
        "end early help form",
    )
    .await?;
    end_early_help_spec(id, &rec).blank(&state, &session, &["ended"])
}

pub async fn end_early_help(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let (id, rec) = record_of(
        &state,
        &session,
        CaseRecord::EarlyHelp,
        &id,
        Action::RecordCasework,
        "end early help",
    )
    .await?;
    let started = rec
        .early_help
        .iter()
        .find(|e| e.id == id)
        .map(|e| e.started_on)
        .ok_or(AppError::NotFound { api: false })?;
    let mut errors = Vec::new();
    if let Some(ended) = form.date("ended", "Date ended", &mut errors) {
        let end = EarlyHelpEnd {
            ended_on: ended,
            reason: form.get("end_reason"),
            note: form.get("note"),
        };
        errors.extend(end.validate(started, today()));
        if errors.is_empty() {
            match state.store.end_early_help(session.actor(), id, end).await {
                Ok(e) => {
                    return Ok(back_to_child(
                        rec.person.id,
                        if e.step_up_contact.is_some() {
                            "stepped_up"
                        } else {
                            "early_help_ended"
                        },
                    ));
                }
                Err(e) => errors.push(store_error(e, "ended")?),
            }
        }
    }
    end_early_help_spec(id, &rec).render(&state, &session, &form, &errors)
}

// --- Closing a child in need episode ---

fn close_spec(id: Uuid, rec: &store::ChildRecord) -> FormSpec {
    FormSpec {
        title: "Close the child in need episode".into(),
        child_id: rec.person.id,
        child_name: rec.person.full_name(),
        action: format!("/referrals/{id}/close"),
        button: "Close episode",
        intro: None,
        fields: vec![
            Field::Date("closed", "Date closed"),
            Field::Radios(
                "closure_reason",
                "Reason for closure",
                list_items(codes::closure_reason(), today()),
            ),
        ],
    }
}

pub async fn close_form(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (id, rec) = record_of(
        &state,
        &session,
        CaseRecord::Referral,
        &id,
        Action::RecordCasework,
        "close episode form",
    )
    .await?;
    close_spec(id, &rec).blank(&state, &session, &["closed"])
}

pub async fn close_referral(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let (id, rec) = record_of(
        &state,
        &session,
        CaseRecord::Referral,
        &id,
        Action::RecordCasework,
        "close episode",
    )
    .await?;
    let referral = rec
        .front_door
        .referrals
        .iter()
        .find(|r| r.id == id)
        .ok_or(AppError::NotFound { api: false })?;
    let mut errors = Vec::new();
    if let Some(closed) = form.date("closed", "Date closed", &mut errors) {
        let c = EpisodeClosure {
            closed_on: closed,
            reason: form.get("closure_reason"),
        };
        errors.extend(c.validate(referral.referral_date, today()));
        if errors.is_empty() {
            match state.store.close_referral(session.actor(), id, c).await {
                Ok(_) => return Ok(back_to_child(rec.person.id, "closed")),
                Err(e) => errors.push(store_error(e, "closed")?),
            }
        }
    }
    close_spec(id, &rec).render(&state, &session, &form, &errors)
}

// --- Child in need plans ---

fn cin_plan_spec(rec: &store::ChildRecord, referral: &str) -> FormSpec {
    FormSpec {
        title: "Start a child in need plan".into(),
        child_id: rec.person.id,
        child_name: rec.person.full_name(),
        action: format!("/children/{}/cin-plans?referral={referral}", rec.person.id),
        button: "Start plan",
        intro: None,
        fields: vec![
            Field::Date("started", "Date the plan started"),
            Field::Radios(
                "primary_need",
                "The child's main need",
                list_items(codes::primary_need(), today()),
            ),
        ],
    }
}

fn referral_of(
    rec: &store::ChildRecord,
    id: &str,
) -> Result<domain::front_door::Referral, AppError> {
    rec.front_door
        .referrals
        .iter()
        .find(|r| r.id.to_string() == id)
        .cloned()
        .ok_or(AppError::NotFound { api: false })
}

pub async fn cin_plan_form(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<RefQuery>,
) -> Result<Response, AppError> {
    let rec = casework_child(&state, &session, &id, "child in need plan form").await?;
    referral_of(&rec, &q.referral)?;
    cin_plan_spec(&rec, &q.referral).blank(&state, &session, &["started"])
}

pub async fn start_cin_plan(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<RefQuery>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let rec = casework_child(&state, &session, &id, "start child in need plan").await?;
    let referral = referral_of(&rec, &q.referral)?;
    let mut errors = Vec::new();
    if let Some(started) = form.date("started", "Date the plan started", &mut errors) {
        let p = NewCinPlan {
            referral_id: referral.id,
            started_on: started,
            primary_need: form.get("primary_need"),
        };
        errors.extend(p.validate(referral.referral_date, today()));
        if errors.is_empty() {
            match state.store.start_cin_plan(session.actor(), p).await {
                Ok(p) => {
                    return Ok(
                        Redirect::to(&format!("/cin-plans/{}?saved=started", p.id)).into_response()
                    );
                }
                Err(e) => errors.push(store_error(e, "started")?),
            }
        }
    }
    cin_plan_spec(&rec, &q.referral).render(&state, &session, &form, &errors)
}

#[derive(Deserialize)]
pub struct SavedQuery {
    #[serde(default)]
    saved: String,
}

/// A plan with its actions and reviews, and the forms to add to it.
pub async fn show_cin_plan(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let (id, rec) = record_of(
        &state,
        &session,
        CaseRecord::CinPlan,
        &id,
        Action::ViewRecord,
        "view child in need plan",
    )
    .await?;
    plan_page(
        &state,
        &session,
        id,
        &rec,
        &FormData::default().with_today(&["due", "held", "ended"]),
        &[],
        &q.saved,
    )
}

fn plan_page(
    state: &AppState,
    session: &Session,
    id: Uuid,
    rec: &store::ChildRecord,
    form: &FormData,
    errors: &[FieldError],
    saved: &str,
) -> Result<Response, AppError> {
    let plan = rec
        .cin_plans
        .iter()
        .find(|p| p.id == id)
        .ok_or(AppError::NotFound { api: false })?;
    let t = today();
    let actions: Vec<Value> = plan
        .actions
        .iter()
        .map(|a| {
            let overdue = a.due_on < t && matches!(a.status.as_str(), "not_started" | "in_progress");
            context! {
                id => a.id.to_string(), need => a.need.clone(), action => a.action.clone(), owner => a.owner.clone(),
                due => fmt_date(a.due_on), overdue,
                status => ACTION_STATUSES.iter().find(|(c, _)| *c == a.status).map(|(_, l)| *l).unwrap_or(""),
                progress => a.progress.clone(),
            }
        })
        .collect();
    let may = crate::policy::check_role(&session.user, Action::RecordCasework).is_ok()
        && plan.ended_on.is_none();
    let err = |name: &str| {
        errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| context! { text => e.message.clone() })
    };
    let (by_field, error_list) = error_context(errors, &["due", "held", "ended"]);
    let html = state.templates.page(
        "casework/cin_plan.html",
        Some(session),
        context! {
            title => "Child in need plan",
            id => id.to_string(),
            child_id => rec.person.id.to_string(),
            child_name => rec.person.full_name(),
            saved => match saved { "started" => "Plan started", "action" => "Action added", "progress" => "Progress recorded", "review" => "Review recorded", "ended" => "Plan ended", _ => "" },
            started => fmt_date(plan.started_on),
            ended => plan.ended_on.map(fmt_date),
            need => codes::primary_need().label(&plan.primary_need).unwrap_or(&plan.primary_need),
            actions,
            reviews => plan.reviews.iter().map(|r| context! { held => fmt_date(r.held_on), summary => r.summary.clone() }).collect::<Vec<_>>(),
            may,
            form => context! { need => form.get("need"), action => form.get("action"), owner => form.get("owner"), summary => form.get("summary") },
            due_items => date_items(err("due").is_some(), &form.parts("due")),
            held_items => date_items(err("held").is_some(), &form.parts("held")),
            ended_items => date_items(err("ended").is_some(), &form.parts("ended")),
            errors => if errors.is_empty() { Value::UNDEFINED } else { by_field },
            error_list,
        },
    )?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, html).into_response())
}

pub async fn add_plan_action(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let (id, rec) = record_of(
        &state,
        &session,
        CaseRecord::CinPlan,
        &id,
        Action::RecordCasework,
        "add plan action",
    )
    .await?;
    let mut errors = Vec::new();
    let due = form.parts("due").parse("due", "Due date");
    match due {
        Ok(Some(due_on)) => {
            let a = NewPlanAction {
                need: form.get("need"),
                action: form.get("action"),
                owner: form.get("owner"),
                due_on,
            };
            let started = rec
                .cin_plans
                .iter()
                .find(|p| p.id == id)
                .map(|p| p.started_on)
                .unwrap_or(due_on);
            errors.extend(a.validate(started));
            if errors.is_empty() {
                match state.store.add_plan_action(session.actor(), id, a).await {
                    Ok(_) => {
                        return Ok(
                            Redirect::to(&format!("/cin-plans/{id}?saved=action")).into_response()
                        );
                    }
                    Err(e) => errors.push(store_error(e, "action")?),
                }
            }
        }
        Ok(None) => errors.push(FieldError::new("due", "Enter the due date")),
        Err(e) => errors.push(e),
    }
    plan_page(
        &state,
        &session,
        id,
        &rec,
        &form.with_today(&["held", "ended"]),
        &errors,
        "",
    )
}

pub async fn review_plan(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let (id, rec) = record_of(
        &state,
        &session,
        CaseRecord::CinPlan,
        &id,
        Action::RecordCasework,
        "review plan",
    )
    .await?;
    let mut errors = Vec::new();
    if let Some(held) = form.date("held", "Date of the review", &mut errors) {
        if form.get("summary").trim().is_empty() {
            errors.push(FieldError::new(
                "summary",
                "Enter what the review found and decided",
            ));
        } else {
            match state
                .store
                .review_cin_plan(
                    session.actor(),
                    id,
                    PlanReview {
                        held_on: held,
                        summary: form.get("summary"),
                    },
                )
                .await
            {
                Ok(_) => {
                    return Ok(
                        Redirect::to(&format!("/cin-plans/{id}?saved=review")).into_response()
                    );
                }
                Err(e) => errors.push(store_error(e, "held")?),
            }
        }
    }
    plan_page(
        &state,
        &session,
        id,
        &rec,
        &form.with_today(&["due", "ended"]),
        &errors,
        "",
    )
}

pub async fn end_plan(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let (id, rec) = record_of(
        &state,
        &session,
        CaseRecord::CinPlan,
        &id,
        Action::RecordCasework,
        "end plan",
    )
    .await?;
    let mut errors = Vec::new();
    if let Some(ended) = form.date("ended", "Date the plan ended", &mut errors) {
        match state.store.end_cin_plan(session.actor(), id, ended).await {
            Ok(_) => {
                return Ok(Redirect::to(&format!("/cin-plans/{id}?saved=ended")).into_response());
            }
            Err(e) => errors.push(store_error(e, "ended")?),
        }
    }
    plan_page(
        &state,
        &session,
        id,
        &rec,
        &form.with_today(&["due", "held"]),
        &errors,
        "",
    )
}

fn progress_spec(id: Uuid, rec: &store::ChildRecord, action: &str) -> FormSpec {
    FormSpec {
        title: "Record progress on an action".into(),
        child_id: rec.person.id,
        child_name: rec.person.full_name(),
        action: format!("/plan-actions/{id}"),
        button: "Save progress",
        intro: Some(format!("Action: {action}")),
        fields: vec![
            Field::Radios(
                "status",
                "Where has it got to?",
                ACTION_STATUSES
                    .iter()
                    .map(|(c, l)| (c.to_string(), l.to_string()))
                    .collect(),
            ),
            Field::Textarea(
                "progress",
                "Progress",
                "What has happened, and the difference it has made for the child.",
            ),
        ],
    }
}

fn find_action(
    rec: &store::ChildRecord,
    id: Uuid,
) -> Result<(Uuid, domain::child_in_need::PlanAction), AppError> {
    rec.cin_plans
        .iter()
        .find_map(|p| {
            p.actions
                .iter()
                .find(|a| a.id == id)
                .map(|a| (p.id, a.clone()))
        })
        .ok_or(AppError::NotFound { api: false })
}

pub async fn action_form(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (id, rec) = record_of(
        &state,
        &session,
        CaseRecord::PlanAction,
        &id,
        Action::RecordCasework,
        "plan action form",
    )
    .await?;
    let (_, a) = find_action(&rec, id)?;
    let form = FormData::default()
        .set("status", &a.status)
        .set("progress", &a.progress);
    progress_spec(id, &rec, &a.action).render(&state, &session, &form, &[])
}

pub async fn update_action(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let (id, rec) = record_of(
        &state,
        &session,
        CaseRecord::PlanAction,
        &id,
        Action::RecordCasework,
        "update plan action",
    )
    .await?;
    let (plan, a) = find_action(&rec, id)?;
    let p = ActionProgress {
        status: form.get("status"),
        progress: form.get("progress"),
    };
    let mut errors = p.validate();
    if errors.is_empty() {
        match state.store.update_plan_action(session.actor(), id, p).await {
            Ok(_) => {
                return Ok(
                    Redirect::to(&format!("/cin-plans/{plan}?saved=progress")).into_response()
                );
            }
            Err(e) => errors.push(store_error(e, "progress")?),
        }
    }
    progress_spec(id, &rec, &a.action).render(&state, &session, &form, &errors)
}

// --- Child protection ---

fn strategy_spec(rec: &store::ChildRecord, referral: &str) -> FormSpec {
    FormSpec {
        title: "Record a strategy discussion".into(),
        child_id: rec.person.id,
        child_name: rec.person.full_name(),
        action: format!("/children/{}/strategy?referral={referral}", rec.person.id),
        button: "Save strategy discussion",
        intro: Some("A section 47 enquiry starts on the day of the discussion; the initial child protection conference is due within 15 working days.".into()),
        fields: vec![
            Field::Date("held", "Date of the discussion"),
            Field::Checkboxes("agencies", "Who took part", "", list_items(codes::meeting_agency(), today())),
            Field::Radios("s47", "Did it start a section 47 enquiry?", yes_no()),
            Field::Textarea("notes", "What was discussed and decided", ""),
        ],
    }
}

pub async fn strategy_form(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<RefQuery>,
) -> Result<Response, AppError> {
    let rec = casework_child(&state, &session, &id, "strategy discussion form").await?;
    referral_of(&rec, &q.referral)?;
    strategy_spec(&rec, &q.referral).blank(&state, &session, &["held"])
}

pub async fn record_strategy(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<RefQuery>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let rec = casework_child(&state, &session, &id, "record strategy discussion").await?;
    let referral = referral_of(&rec, &q.referral)?;
    let mut errors = Vec::new();
    let s47 = match form.get("s47").as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            errors.push(FieldError::new(
                "s47",
                "Select whether a section 47 enquiry started",
            ));
            None
        }
    };
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
    {
        if errors.is_empty() {
            match state.store.record_strategy(session.actor(), s).await {
                Ok(_) => return Ok(back_to_child(rec.person.id, "strategy")),
                Err(e) => errors.push(store_error(e, "held")?),
            }
        }
    }
    strategy_spec(&rec, &q.referral).render(&state, &session, &form, &errors)
}

fn s47_spec(id: Uuid, rec: &store::ChildRecord, due: NaiveDate) -> FormSpec {
    FormSpec {
        title: "Complete the section 47 enquiry".into(),
        child_id: rec.person.id,
        child_name: rec.person.full_name(),
        action: format!("/s47/{id}"),
        button: "Save outcome",
        intro: Some(format!(
            "If a conference is needed it is due by {}.",
            fmt_date(due)
        )),
        fields: vec![
            Field::Date("completed", "Date completed"),
            Field::Radios(
                "outcome",
                "Outcome",
                list_items(codes::s47_outcome(), today()),
            ),
        ],
    }
}

pub async fn s47_form(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (id, rec) = record_of(
        &state,
        &session,
        CaseRecord::S47,
        &id,
        Action::RecordCasework,
        "section 47 form",
    )
    .await?;
    let s = rec
        .child_protection
        .s47s
        .iter()
        .find(|s| s.id == id)
        .ok_or(AppError::NotFound { api: false })?;
    s47_spec(id, &rec, s.icpc_due).blank(&state, &session, &["completed"])
}

pub async fn complete_s47(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let (id, rec) = record_of(
        &state,
        &session,
        CaseRecord::S47,
        &id,
        Action::RecordCasework,
        "complete section 47",
    )
    .await?;
    let s = rec
        .child_protection
        .s47s
        .iter()
        .find(|s| s.id == id)
        .cloned()
        .ok_or(AppError::NotFound { api: false })?;
    let mut errors = Vec::new();
    if let Some(done) = form.date("completed", "Date completed", &mut errors) {
        let c = S47Completion {
            completed_on: done,
            outcome: form.get("outcome"),
        };
        errors.extend(c.validate(s.started_on, today()));
        if errors.is_empty() {
            match state.store.complete_s47(session.actor(), id, c).await {
                Ok(_) => return Ok(back_to_child(rec.person.id, "s47")),
                Err(e) => errors.push(store_error(e, "completed")?),
            }
        }
    }
    s47_spec(id, &rec, s.icpc_due).render(&state, &session, &form, &errors)
}

fn conference_spec(rec: &store::ChildRecord, kind: ConferenceKind) -> FormSpec {
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
    FormSpec {
        title: if initial {
            "Record the initial child protection conference".into()
        } else {
            "Record a review conference".into()
        },
        child_id: rec.person.id,
        child_name: rec.person.full_name(),
        action: format!(
            "/children/{}/conferences?kind={}",
            rec.person.id,
            kind.as_str()
        ),
        button: "Save conference",
        intro: None,
        fields,
    }
}

pub async fn conference_form(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<RefQuery>,
) -> Result<Response, AppError> {
    let kind = ConferenceKind::parse(&q.kind).ok_or(AppError::NotFound { api: false })?;
    let rec = casework_child(&state, &session, &id, "conference form").await?;
    conference_spec(&rec, kind).blank(&state, &session, &["held"])
}

pub async fn record_conference(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<RefQuery>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let kind = ConferenceKind::parse(&q.kind).ok_or(AppError::NotFound { api: false })?;
    let rec = casework_child(&state, &session, &id, "record conference").await?;
    let mut errors = Vec::new();
    let plan = match form.get("plan").as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            errors.push(FieldError::new("plan", "Select whether there is a plan"));
            None
        }
    };
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
    {
        if errors.is_empty() {
            match state
                .store
                .record_conference(session.actor(), rec.person.id, c)
                .await
            {
                Ok(_) => return Ok(back_to_child(rec.person.id, "conference")),
                Err(e) => errors.push(store_error(e, "held").map(|mut e| {
                    if e.field == "kind" {
                        e.field = "held".into();
                    }
                    e
                })?),
            }
        }
    }
    conference_spec(&rec, kind).render(&state, &session, &form, &errors)
}

fn core_group_spec(id: Uuid, rec: &store::ChildRecord) -> FormSpec {
    FormSpec {
        title: "Record a core group meeting".into(),
        child_id: rec.person.id,
        child_name: rec.person.full_name(),
        action: format!("/cp-plans/{id}/core-groups"),
        button: "Save core group",
        intro: None,
        fields: vec![
            Field::Date("held", "Date of the meeting"),
            Field::Checkboxes(
                "agencies",
                "Who attended",
                "",
                list_items(codes::meeting_agency(), today()),
            ),
            Field::Textarea("notes", "Progress against the plan", ""),
        ],
    }
}

pub async fn core_group_form(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (id, rec) = record_of(
        &state,
        &session,
        CaseRecord::CpPlan,
        &id,
        Action::RecordCasework,
        "core group form",
    )
    .await?;
    core_group_spec(id, &rec).blank(&state, &session, &["held"])
}

pub async fn record_core_group(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<FormData>,
) -> Result<Response, AppError> {
    let (id, rec) = record_of(
        &state,
        &session,
        CaseRecord::CpPlan,
        &id,
        Action::RecordCasework,
        "record core group",
    )
    .await?;
    let started = rec
        .child_protection
        .cp_plans
        .iter()
        .find(|p| p.id == id)
        .map(|p| p.started_on)
        .ok_or(AppError::NotFound { api: false })?;
    let mut errors = Vec::new();
    if let Some(held) = form.date("held", "Date of the meeting", &mut errors) {
        let g = NewCoreGroup {
            held_on: held,
            agencies: form.all("agencies"),
            notes: form.get("notes"),
        };
        errors.extend(g.validate(started, today()));
        if errors.is_empty() {
            match state.store.record_core_group(session.actor(), id, g).await {
                Ok(_) => return Ok(back_to_child(rec.person.id, "core_group")),
                Err(e) => errors.push(store_error(e, "held")?),
            }
        }
    }
    core_group_spec(id, &rec).render(&state, &session, &form, &errors)
}

// --- On the child's page ---

/// The looked-after section of the child's page.
pub fn looked_after_context(rec: &store::ChildRecord) -> Value {
    use domain::looked_after::{legal_status_label, placement_label, reason_ceased_label};
    let la = &rec.looked_after;
    if la.episodes.is_empty() {
        return Value::UNDEFINED;
    }
    let current = la.episodes.iter().rev().find(|e| e.ended_on.is_none());
    let last_end = la
        .episodes
        .iter()
        .rev()
        .find(|e| e.reason_ceased.as_deref().is_some_and(|r| r != "X1"));
    // Placements: the first episode of each period and every change of placement.
    let placements = la.episodes.iter().filter(|e| e.reason_new != "L").count();
    context! {
        current => current.map(|e| context! {
            since => fmt_date(e.started_on),
            legal_status => format!("{} ({})", legal_status_label(&e.legal_status), e.legal_status),
            placement => format!("{} ({})", placement_label(&e.placement), e.placement),
        }),
        left => (current.is_none()).then(|| last_end.map(|e| format!(
            "{}: {}",
            e.ended_on.map(fmt_date).unwrap_or_default(),
            reason_ceased_label(e.reason_ceased.as_deref().unwrap_or(""))
        ))).flatten(),
        first => fmt_date(la.episodes[0].started_on),
        placements,
        reviews => la.reviews.len(),
        last_review => la.reviews.last().map(|r| fmt_date(r.held_on)),
        missing => la.missing.len(),
        last_pep => la.peps.last().map(|p| fmt_date(p.reviewed_on)),
    }
}

/// The casework sections of the child's page.
pub fn child_page_context(rec: &store::ChildRecord) -> Value {
    let cp = &rec.child_protection;
    let label = |l: &CodeList, code: &str| l.label(code).unwrap_or(code).to_string();
    let open_plan = cp.cp_plans.iter().find(|p| p.ended_on.is_none());
    let t = today();
    context! {
        early_help => rec.early_help.iter().map(|e| context! {
            id => e.id.to_string(), started => fmt_date(e.started_on), lead => e.lead.clone(),
            ended => e.ended_on.map(fmt_date), end_reason => e.end_reason.as_deref().map(|r| label(codes::early_help_end(), r)),
            origin => match e.origin.as_str() { "front_door" => "from the front door", "step_down" => "stepped down after assessment", _ => "" },
        }).collect::<Vec<_>>(),
        early_help_open => rec.early_help.iter().any(|e| e.ended_on.is_none()),
        cin_plans => rec.cin_plans.iter().map(|p| context! {
            id => p.id.to_string(), started => fmt_date(p.started_on), ended => p.ended_on.map(fmt_date),
            need => label(codes::primary_need(), &p.primary_need), actions => p.actions.len(), overdue => p.actions_overdue(t),
        }).collect::<Vec<_>>(),
        s47s => cp.s47s.iter().map(|s| context! {
            id => s.id.to_string(), started => fmt_date(s.started_on), due => fmt_date(s.icpc_due),
            outcome => s.outcome.as_deref().map(|o| label(codes::s47_outcome(), o)),
        }).collect::<Vec<_>>(),
        conferences => cp.conferences.iter().map(|k| context! {
            kind => if k.kind == ConferenceKind::Initial { "Initial" } else { "Review" },
            held => fmt_date(k.held_on), due => fmt_date(k.due_on), late => k.held_on > k.due_on,
            outcome => match (&k.category, k.plan) { (Some(cat), true) => format!("Plan: {}", label(codes::abuse_category(), cat)), _ => "No plan".to_string() },
            agencies => k.agencies.iter().map(|a| label(codes::meeting_agency(), a)).collect::<Vec<_>>().join(", "),
        }).collect::<Vec<_>>(),
        cp_plan => open_plan.map(|p| context! {
            id => p.id.to_string(), started => fmt_date(p.started_on),
            category => label(codes::abuse_category(), &p.latest_category),
            repeat => p.repeat,
            next_review => p.next_review_due().map(fmt_date),
            core_group_due => p.first_core_group_due().map(fmt_date),
            core_groups => p.core_groups.len(),
        }),
        icpc_pending => cp.s47s.iter().any(|s| s.outcome.as_deref() == Some("icpc") && !cp.conferences.iter().any(|k| k.kind == ConferenceKind::Initial && k.held_on >= s.started_on)),
        past_plans => cp.cp_plans.iter().filter(|p| p.ended_on.is_some()).map(|p| context! {
            started => fmt_date(p.started_on), ended => p.ended_on.map(fmt_date), category => label(codes::abuse_category(), &p.initial_category),
        }).collect::<Vec<_>>(),
    }
}
