use crate::AppState;
use crate::auth::AuthedForm;
use crate::auth::Session;
use crate::auth::deny;
use crate::codes;
use crate::error::AppError;
use crate::forms::errors::error_context;
use crate::forms::fields::date_items;
use crate::guard::authorise;
use crate::guard::parse_id;
use crate::policy::Action;
use crate::policy::check_role;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Redirect;
use axum::response::Response;
use domain::access::Role;
use domain::person::PersonForm;
use domain::validate::DateParts;
use domain::validate::FieldError;
use minijinja::Value;
use minijinja::context;
use serde::Deserialize;
use store::StoreError;
use uuid::Uuid;

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
    let dob = match dob_parts.parse_partial("dob", "Date of birth") {
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
        let found = crate::person::find(
            &state,
            &session,
            Some(text.clone()).filter(|t| !t.is_empty()),
            dob,
            None,
            limit,
            "GET /children",
        )
        .await?;
        truncated = found.truncated;
        let today = domain::calendar::uk_now().date();
        for r in found.shown {
            let mut v = serde_json::to_value(&r).map_err(AppError::internal)?;
            let age = r
                .date_of_birth
                .and_then(|d| domain::person::age_text(d, today));
            let (status, address) = match found.about.get(&r.id) {
                Some((s, a)) => (
                    Some(s.lines().join("; ")).filter(|l| !l.is_empty()),
                    a.clone(),
                ),
                None => (None, None),
            };
            v["age"] = serde_json::json!(age);
            v["status"] = serde_json::json!(status);
            v["address"] = serde_json::json!(address);
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
        "person/search.html",
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
    /// "yes": the worker has seen the possible matches and this is a different child.
    #[serde(default)]
    not_duplicate: String,
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

pub(crate) struct FormPage<'a> {
    title: &'a str,
    action: String,
    back_href: String,
    submit_text: &'a str,
    version: Option<i64>,
}

pub(crate) fn render_form(
    state: &AppState,
    session: &Session,
    page: FormPage<'_>,
    form: &PersonForm,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    render_form_with_matches(state, session, page, form, errors, Vec::new())
}

/// The child form, with the children already on the record who may be this child (same name,
/// or a name that sounds the same, and the same date of birth) listed first.
pub(crate) fn render_form_with_matches(
    state: &AppState,
    session: &Session,
    page: FormPage<'_>,
    form: &PersonForm,
    errors: &[FieldError],
    possible_matches: Vec<Value>,
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
        "person/form.html",
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
            possible_matches,
        },
    )?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, html).into_response())
}

pub(crate) fn new_page() -> FormPage<'static> {
    FormPage {
        title: "Add a child",
        action: "/children".into(),
        back_href: "/children".into(),
        submit_text: "Add child",
        version: None,
    }
}

pub(crate) fn edit_page(id: Uuid, version: i64) -> FormPage<'static> {
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
pub(crate) fn field_error(e: StoreError) -> Result<FieldError, AppError> {
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
    let confirmed = form.not_duplicate == "yes";
    let (mut form, _) = form.into_form();
    if session.user.role != Role::TeamManager {
        form.restricted = false;
    }
    let today = chrono::Utc::now().date_naive();
    let details = match form.validate_child(&codes::CurrentCodes, today) {
        Ok(d) => d,
        Err(errors) => return render_form(&state, &session, new_page(), &form, &errors),
    };
    // A child who may already be on the record: the possible matches first (those the user may
    // open; each listed is an access entry), until the worker says this is a different child.
    if let (Some(dob), false) = (details.date_of_birth, confirmed) {
        let found = crate::person::find(
            &state,
            &session,
            Some(format!("{} {}", details.given_name, details.family_name)),
            Some((dob, dob)),
            Some(domain::person::PersonKind::Child),
            10,
            "POST /children (possible duplicates)",
        )
        .await?;
        if !found.shown.is_empty() {
            let matches: Vec<Value> = found
                .shown
                .iter()
                .map(|r| {
                    let (status, address) = match found.about.get(&r.id) {
                        Some((s, a)) => (s.lines().join("; "), a.clone()),
                        None => (String::new(), None),
                    };
                    context! {
                        id => r.id.to_string(),
                        name => r.full_name(),
                        born => r.date_of_birth.map(|d| d.format("%-d %B %Y").to_string()),
                        council_child_id => r.council_child_id.clone(),
                        address,
                        status,
                    }
                })
                .collect();
            let error = FieldError::new(
                "not_duplicate",
                format!(
                    "{} {} born {} may already be on the record: open their record, or confirm this is a different child",
                    details.given_name,
                    details.family_name,
                    dob.format("%-d %B %Y")
                ),
            );
            return render_form_with_matches(
                &state,
                &session,
                new_page(),
                &form,
                &[error],
                matches,
            );
        }
    }
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
    // The form shows every identifier (NHS number, UPN): a view like any other.
    crate::guard::log_disclosure(
        &state,
        &session,
        "person",
        [id],
        &format!("GET /children/{id}/edit: the edit form"),
    )
    .await?;
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
    let Some(version) = version else {
        return Err(AppError::BadRequest {
            message: "The page did not say which version of the record it changes. Go back, reload the page and try again.".into(),
            api: false,
        });
    };
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
