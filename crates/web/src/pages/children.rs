//! Find a child, the child's page, and creating or correcting a child's details.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::access::Role;
use domain::person::PersonForm;
use domain::person::PersonKind;
use domain::validate::{DateParts, FieldError};
use minijinja::{Value, context};
use serde::Deserialize;
use store::{ChildRecord, SearchQuery, StoreError};
use uuid::Uuid;

use crate::AppState;
use crate::auth::{AuthedForm, Session, deny};
use crate::codes;
use crate::error::AppError;
use crate::pages::error_context;
use crate::policy::{Action, check_record, check_role};

/// Reads a record id from the path; anything that is not an id is a page that does not exist.
pub fn parse_id(s: &str, api: bool) -> Result<Uuid, AppError> {
    Uuid::parse_str(s).map_err(|_| AppError::NotFound { api })
}

/// Checks the user may do `action` on the child `id`, auditing a refusal. Adults' records and
/// missing records are "not found" on children's routes.
pub async fn authorise(
    state: &AppState,
    session: &Session,
    id: Uuid,
    action: Action,
    what: &str,
    api: bool,
) -> Result<(), AppError> {
    if let Err(d) = check_role(&session.user, action) {
        return Err(deny(state, session, Some(id), what, d.0, api).await);
    }
    let facts = match state.store.access_facts(id).await {
        Ok(f) => f,
        Err(StoreError::NotFound(_)) => return Err(AppError::NotFound { api }),
        Err(e) => return Err(e.into()),
    };
    if facts.kind != PersonKind::Child {
        return Err(AppError::NotFound { api });
    }
    if let Err(d) = check_record(&session.user, action, &facts) {
        return Err(deny(state, session, Some(id), what, d.0, api).await);
    }
    Ok(())
}

#[derive(Deserialize, Default)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
    #[serde(default, rename = "dob-day")]
    dob_day: String,
    #[serde(default, rename = "dob-month")]
    dob_month: String,
    #[serde(default, rename = "dob-year")]
    dob_year: String,
    /// "contact" when the user is finding the child a new contact is about.
    #[serde(default, rename = "for")]
    purpose: String,
}

fn date_items(prefix_errors: bool, d: &DateParts) -> Value {
    let err = if prefix_errors {
        " govuk-input--error"
    } else {
        ""
    };
    Value::from(vec![
        context! { name => "day", classes => format!("govuk-input--width-2{err}"), value => d.day.clone() },
        context! { name => "month", classes => format!("govuk-input--width-2{err}"), value => d.month.clone() },
        context! { name => "year", classes => format!("govuk-input--width-4{err}"), value => d.year.clone() },
    ])
}

pub async fn search(
    State(state): State<AppState>,
    session: Session,
    Query(p): Query<SearchParams>,
) -> Result<Response, AppError> {
    if let Err(d) = check_role(&session.user, Action::SearchRecords) {
        return Err(deny(&state, &session, None, "GET /children", d.0, false).await);
    }
    let dob_parts = DateParts {
        day: p.dob_day,
        month: p.dob_month,
        year: p.dob_year,
    };
    let mut errors = Vec::new();
    let dob = match dob_parts.parse("dob", "Date of birth") {
        Ok(d) => d,
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let text = p.q.trim().to_string();
    let for_contact = p.purpose == "contact";
    let searched = errors.is_empty() && (!text.is_empty() || dob.is_some());
    let limit = 50;
    let mut results = Vec::new();
    let mut truncated = false;
    if searched {
        let found = state
            .store
            .search_people(&SearchQuery {
                text: Some(text.clone()).filter(|t| !t.is_empty()),
                date_of_birth: dob,
                kind: None,
                limit: limit + 1,
            })
            .await?;
        truncated = found.len() > limit as usize;
        for r in found.into_iter().take(limit as usize) {
            let facts = store::AccessFacts {
                kind: r.kind,
                restricted: r.restricted,
                allocated_workers: r.allocated_worker_id.into_iter().collect(),
            };
            let hidden = check_record(&session.user, Action::ViewRecord, &facts).is_err();
            let mut v = serde_json::to_value(&r).map_err(AppError::internal)?;
            v["hidden"] = hidden.into();
            if hidden {
                v = serde_json::json!({ "hidden": true });
            }
            results.push(v);
        }
    }
    let (field_errors, error_list) = error_context(&errors, &["dob"]);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let html = state.templates.page(
        "children/search.html",
        Some(&session),
        context! {
            title => "Find a child",
            for_contact,
            q => text,
            dob_items => date_items(!errors.is_empty(), &dob_parts),
            errors => if errors.is_empty() { Value::UNDEFINED } else { field_errors },
            error_list,
            searched,
            truncated,
            results => Value::from_serialize(&results),
        },
    )?;
    Ok((status, html).into_response())
}

fn summary_row(key: &str, value: String) -> Value {
    context! { key => context! { text => key }, value => context! { text => value } }
}

fn display_date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.format("%-d %B %Y").to_string())
        .unwrap_or_else(|| "Not known".into())
}

fn record_context(rec: &ChildRecord) -> Value {
    let d = &rec.person.details;
    let today = chrono::Utc::now().date_naive();
    let age = rec
        .person
        .age_on(today)
        .map(|a| format!(" (age {a})"))
        .unwrap_or_default();
    let dob = match (d.date_of_birth, d.expected_date_of_birth) {
        (Some(b), _) => format!("{}{age}", display_date(Some(b))),
        (None, Some(e)) => format!("Unborn: expected {}", display_date(Some(e))),
        _ => "Not known".into(),
    };
    let disabilities = if d.disabilities.is_empty() {
        "Not recorded".to_string()
    } else {
        d.disabilities
            .iter()
            .map(|c| codes::disability_label(c))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let summary_rows = vec![
        summary_row("Date of birth", dob),
        summary_row("Sex", codes::sex_label(&d.sex)),
        summary_row(
            "Ethnicity",
            if d.ethnicity.is_empty() {
                "Not recorded".into()
            } else {
                codes::ethnicity_label(&d.ethnicity)
            },
        ),
        summary_row("Disabilities", disabilities),
        summary_row(
            "Unaccompanied asylum-seeking child",
            if d.uasc { "Yes".into() } else { "No".into() },
        ),
        summary_row(
            "Current address",
            rec.current_address()
                .map(|a| format!("{}, {} {}", a.line1, a.town, a.postcode))
                .unwrap_or_else(|| "Not recorded".into()),
        ),
    ];
    let ids = &d.identifiers;
    let or_none = |v: &Option<String>| v.clone().unwrap_or_else(|| "Not recorded".into());
    let identifier_rows = vec![
        summary_row("Council child ID", or_none(&ids.council_child_id)),
        summary_row(
            "NHS number",
            ids.nhs_number
                .as_deref()
                .map(format_nhs)
                .unwrap_or_else(|| "Not recorded".into()),
        ),
        summary_row("UPN", or_none(&ids.upn)),
        summary_row("Former UPN", or_none(&ids.former_upn)),
    ];
    let relationships: Vec<Value> = rec
        .relationships
        .iter()
        .map(|r| {
            let kind = codes::relationship_label(&r.relationship.kind);
            let relationship = if r.other_is_subject { kind } else { format!("{} is their {}", rec.person.details.given_name, kind.to_lowercase()) };
            context! {
                name => r.other.full_name(),
                link => (r.other.kind == PersonKind::Child).then(|| format!("/children/{}", r.other.id)),
                relationship,
                dob => r.other.date_of_birth.map(|d| d.to_string()),
            }
        })
        .collect();
    context! {
        id => rec.person.id.to_string(),
        name => rec.person.full_name(),
        title => rec.person.full_name(),
        p => context! {
            council_child_id => ids.council_child_id.clone(),
            restricted => d.restricted,
        },
        summary_rows,
        identifier_rows,
        relationships,
        addresses => Value::from_serialize(&rec.addresses),
        allocation => Value::from_serialize(rec.current_allocation()),
        chronology => Value::from_serialize(&rec.chronology),
    }
}

fn format_nhs(n: &str) -> String {
    if n.len() == 10 {
        format!("{} {} {}", &n[..3], &n[3..6], &n[6..])
    } else {
        n.to_string()
    }
}

#[derive(Deserialize)]
pub struct ShowParams {
    saved: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<ShowParams>,
) -> Result<Html<String>, AppError> {
    let id = parse_id(&id, false)?;
    authorise(
        &state,
        &session,
        id,
        Action::ViewRecord,
        &format!("GET /children/{id}"),
        false,
    )
    .await?;
    let rec = state
        .store
        .view_child_record(session.actor(), id, "child's page")
        .await?;
    let saved = match q.saved.as_deref() {
        Some("created") => Some("Child added"),
        Some("updated") => Some("Details saved"),
        Some("allocated") => Some("Worker allocated"),
        Some("address") => Some("Address saved"),
        Some("family") => Some("Family member added"),
        Some("visit") => Some("Visit recorded"),
        Some("case_note") => Some("Case note added"),
        Some("oversight") => Some("Management oversight recorded"),
        Some("early_help") => Some("Early help started"),
        Some("early_help_ended") => Some("Early help ended"),
        Some("stepped_up") => Some("Stepped up: a contact is on the front-door queue"),
        Some("closed") => Some("Child in need episode closed"),
        Some("strategy") => Some("Strategy discussion recorded"),
        Some("s47") => Some("Section 47 outcome recorded"),
        Some("conference") => Some("Conference recorded"),
        Some("core_group") => Some("Core group recorded"),
        Some("pf_notified") => Some("Private fostering notification recorded"),
        Some("pf_visit") => Some("Private fostering visit recorded"),
        Some("pf_assessed") => Some("Private fostering assessment recorded"),
        Some("pf_ended") => Some("Private fostering arrangement ended"),
        _ => None,
    };
    let ctx = record_context(&rec);
    let journey = crate::pages::journey::child_page_context(&rec, &session);
    let casework = crate::pages::casework::child_page_context(&rec);
    let looked_after = crate::pages::casework::looked_after_context(&rec);
    let private_fostering = crate::pages::private_fostering::child_page_context(&rec);
    state.templates.page(
        "children/show.html",
        Some(&session),
        context! { saved, may_allocate => session.user.role == Role::TeamManager, journey, casework, looked_after, private_fostering, ..ctx },
    )
}

/// The child form as posted: GOV.UK date inputs post `<name>-day`, `-month` and `-year`.
#[derive(Deserialize, Default)]
pub struct ChildFormBody {
    #[serde(default)]
    given_name: String,
    #[serde(default)]
    family_name: String,
    #[serde(default, rename = "date_of_birth-day")]
    dob_day: String,
    #[serde(default, rename = "date_of_birth-month")]
    dob_month: String,
    #[serde(default, rename = "date_of_birth-year")]
    dob_year: String,
    #[serde(default, rename = "expected_date_of_birth-day")]
    edob_day: String,
    #[serde(default, rename = "expected_date_of_birth-month")]
    edob_month: String,
    #[serde(default, rename = "expected_date_of_birth-year")]
    edob_year: String,
    #[serde(default)]
    sex: String,
    #[serde(default)]
    ethnicity: String,
    #[serde(default)]
    disabilities: Vec<String>,
    #[serde(default)]
    council_child_id: String,
    #[serde(default)]
    nhs_number: String,
    #[serde(default)]
    upn: String,
    #[serde(default)]
    former_upn: String,
    #[serde(default)]
    flags: Vec<String>,
    #[serde(default)]
    version: Option<i64>,
}

impl ChildFormBody {
    fn into_form(self) -> (PersonForm, Option<i64>) {
        let form = PersonForm {
            given_name: self.given_name,
            family_name: self.family_name,
            date_of_birth: DateParts {
                day: self.dob_day,
                month: self.dob_month,
                year: self.dob_year,
            },
            expected_date_of_birth: DateParts {
                day: self.edob_day,
                month: self.edob_month,
                year: self.edob_year,
            },
            sex: self.sex,
            ethnicity: self.ethnicity,
            disabilities: self.disabilities,
            council_child_id: self.council_child_id,
            nhs_number: self.nhs_number,
            upn: self.upn,
            former_upn: self.former_upn,
            uasc: self.flags.iter().any(|f| f == "uasc"),
            restricted: self.flags.iter().any(|f| f == "restricted"),
        };
        (form, self.version)
    }
}

struct FormPage<'a> {
    title: &'a str,
    action: String,
    back_href: String,
    submit_text: &'a str,
    version: Option<i64>,
}

fn render_form(
    state: &AppState,
    session: &Session,
    page: FormPage<'_>,
    form: &PersonForm,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let (field_errors, error_list) =
        error_context(errors, &["date_of_birth", "expected_date_of_birth"]);
    let has = |f: &str| errors.iter().any(|e| e.field == f);
    let sex_items: Vec<Value> = codes::sex_options()
        .into_iter()
        .map(|(code, label)| context! { value => code.clone(), text => label, checked => form.sex == code })
        .collect();
    let mut ethnicity_items = vec![
        context! { value => "", text => "Not yet recorded", selected => form.ethnicity.is_empty() },
    ];
    ethnicity_items.extend(
        codes::ethnicity_options().into_iter().map(|(code, label)| context! { value => code.clone(), text => format!("{label} ({code})"), selected => form.ethnicity == code }),
    );
    let disability_items: Vec<Value> = codes::disability_options()
        .into_iter()
        .map(|(code, label)| context! { value => code.clone(), text => label, checked => form.disabilities.contains(&code) })
        .collect();
    let can_restrict = session.user.role == Role::TeamManager;
    let mut flag_items = vec![
        context! { value => "uasc", text => "Unaccompanied asylum-seeking child", checked => form.uasc },
    ];
    if can_restrict {
        flag_items.push(context! {
            value => "restricted",
            text => "Restricted record",
            hint => context! { text => "Only the allocated worker and managers can open it" },
            checked => form.restricted,
        });
    }
    let html = state.templates.page(
        "children/form.html",
        Some(session),
        context! {
            title => page.title,
            action => page.action,
            back_href => page.back_href,
            submit_text => page.submit_text,
            version => page.version,
            form => Value::from_serialize(form),
            errors => if errors.is_empty() { Value::UNDEFINED } else { field_errors },
            error_list,
            dob_items => date_items(has("date_of_birth"), &form.date_of_birth),
            edob_items => date_items(has("expected_date_of_birth"), &form.expected_date_of_birth),
            sex_items,
            ethnicity_items,
            disability_items,
            flag_items,
        },
    )?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, html).into_response())
}

fn new_page() -> FormPage<'static> {
    FormPage {
        title: "Add a child",
        action: "/children".into(),
        back_href: "/children".into(),
        submit_text: "Add child",
        version: None,
    }
}

fn edit_page(id: Uuid, version: i64) -> FormPage<'static> {
    FormPage {
        title: "Change a child's details",
        action: format!("/children/{id}"),
        back_href: format!("/children/{id}"),
        submit_text: "Save changes",
        version: Some(version),
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, AppError> {
    if let Err(d) = check_role(&session.user, Action::CreateRecord) {
        return Err(deny(&state, &session, None, "GET /children/new", d.0, false).await);
    }
    render_form(&state, &session, new_page(), &PersonForm::default(), &[])
}

/// Store refusals that concern one field go back to the form as that field's error.
fn field_error(e: StoreError) -> Result<FieldError, AppError> {
    match e {
        StoreError::Invalid { field, message } => Ok(FieldError::new(field, message)),
        other => Err(other.into()),
    }
}

pub async fn create(
    State(state): State<AppState>,
    AuthedForm { session, form }: AuthedForm<ChildFormBody>,
) -> Result<Response, AppError> {
    if let Err(d) = check_role(&session.user, Action::CreateRecord) {
        return Err(deny(&state, &session, None, "POST /children", d.0, false).await);
    }
    let (mut form, _) = form.into_form();
    if session.user.role != Role::TeamManager {
        form.restricted = false;
    }
    let today = chrono::Utc::now().date_naive();
    let details = match form.validate_child(&codes::CurrentCodes, today) {
        Ok(d) => d,
        Err(errors) => return render_form(&state, &session, new_page(), &form, &errors),
    };
    match state.store.create_person(session.actor(), details).await {
        Ok(p) => Ok(Redirect::to(&format!("/children/{}?saved=created", p.id)).into_response()),
        Err(e) => {
            let err = field_error(e)?;
            render_form(&state, &session, new_page(), &form, &[err])
        }
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&id, false)?;
    authorise(
        &state,
        &session,
        id,
        Action::EditRecord,
        &format!("GET /children/{id}/edit"),
        false,
    )
    .await?;
    let person = state.store.get_person(id).await?;
    render_form(
        &state,
        &session,
        edit_page(id, person.version),
        &PersonForm::from_details(&person.details),
        &[],
    )
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<ChildFormBody>,
) -> Result<Response, AppError> {
    let id = parse_id(&id, false)?;
    authorise(
        &state,
        &session,
        id,
        Action::EditRecord,
        &format!("POST /children/{id}"),
        false,
    )
    .await?;
    let (mut form, version) = form.into_form();
    let current = state.store.get_person(id).await?;
    let version = version.unwrap_or(current.version);
    if session.user.role != Role::TeamManager {
        form.restricted = current.details.restricted;
    }
    let today = chrono::Utc::now().date_naive();
    let details = match form.validate_child(&codes::CurrentCodes, today) {
        Ok(d) => d,
        Err(errors) => {
            return render_form(&state, &session, edit_page(id, version), &form, &errors);
        }
    };
    match state
        .store
        .update_person(session.actor(), id, version, details)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/children/{id}?saved=updated")).into_response()),
        Err(StoreError::Conflict { actual, .. }) => {
            let err = FieldError::new(
                "given_name",
                "Someone else changed this child's details while you were editing. Check the details below (they are yours) and save again to replace theirs.",
            );
            render_form(&state, &session, edit_page(id, actual), &form, &[err])
        }
        Err(e) => {
            let err = field_error(e)?;
            render_form(&state, &session, edit_page(id, version), &form, &[err])
        }
    }
}
