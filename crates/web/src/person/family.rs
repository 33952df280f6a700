use crate::AppState;
use crate::auth::AuthedForm;
use crate::auth::Session;
use crate::auth::deny;
use crate::codes;
use crate::error::AppError;
use crate::forms::errors::error_context;
use crate::forms::fields::date_items;
use crate::forms::fields::past_date;
use crate::forms::fields::today;
use crate::guard::casework_record;
use crate::guard::parse_id;
use crate::policy::Action;
use axum::extract::Path;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Redirect;
use axum::response::Response;
use domain::access::Role;
use domain::person::Identifiers;
use domain::person::NewAddress;
use domain::person::PersonDetails;
use domain::person::PersonKind;
use domain::validate::DateParts;
use domain::validate::FieldError;
use minijinja::Value;
use minijinja::context;
use serde::Deserialize;
use uuid::Uuid;

/// A UK postcode: outward code (area letters, district) and inward code (digit, two letters).
pub fn postcode_is_valid(p: &str) -> bool {
    let s: String = p.split_whitespace().collect::<String>().to_uppercase();
    if !(5..=7).contains(&s.len()) || !s.is_ascii() {
        return false;
    }
    let (outward, inward) = s.split_at(s.len() - 3);
    let i = inward.as_bytes();
    let o = outward.as_bytes();
    let inward_ok =
        i[0].is_ascii_digit() && i[1].is_ascii_alphabetic() && i[2].is_ascii_alphabetic();
    let letters = o.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let outward_ok = (1..=2).contains(&letters)
        && o.len() > letters
        && o[letters].is_ascii_digit()
        && o[letters + 1..].iter().all(|c| c.is_ascii_alphanumeric())
        && o.len() - letters <= 2;
    inward_ok && outward_ok
}

pub fn tidy_postcode(p: &str) -> String {
    let s: String = p.split_whitespace().collect::<String>().to_uppercase();
    if s.len() > 3 {
        format!("{} {}", &s[..s.len() - 3], &s[s.len() - 3..])
    } else {
        s
    }
}

pub(crate) fn render(
    state: &AppState,
    session: &Session,
    template: &str,
    child: &store::ChildRecord,
    errors: &[FieldError],
    extra: Value,
) -> Result<Response, AppError> {
    let (field_errors, error_list) = error_context(errors, &["from", "date_of_birth"]);
    let html = state.templates.page(
        template,
        Some(session),
        context! {
            child_id => child.person.id.to_string(),
            child_name => child.person.full_name(),
            errors => if errors.is_empty() { Value::UNDEFINED } else { field_errors },
            error_list,
            ..extra
        },
    )?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, html).into_response())
}

#[derive(Deserialize, Default)]
pub struct AllocationForm {
    #[serde(default)]
    worker_id: String,
    #[serde(default, rename = "from-day")]
    day: String,
    #[serde(default, rename = "from-month")]
    month: String,
    #[serde(default, rename = "from-year")]
    year: String,
}

pub(crate) fn may_allocate(state: &AppState, session: &Session) -> bool {
    let _ = state;
    session.user.role == Role::TeamManager
}

pub(crate) async fn allocation_page(
    state: &AppState,
    session: &Session,
    rec: &store::ChildRecord,
    form: &AllocationForm,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let workers = state.store.list_workers().await?;
    let teams: std::collections::HashMap<Uuid, String> = state
        .store
        .list_teams()
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let mut items = vec![
        context! { value => "", text => "Choose a worker", selected => form.worker_id.is_empty() },
    ];
    items.extend(workers.iter().filter(|w| w.left.is_none()).map(|w| {
        let team = w.team_id.and_then(|t| teams.get(&t)).map(|t| format!(", {t}")).unwrap_or_default();
        context! { value => w.id.to_string(), text => format!("{} ({}{team})", w.name, w.role_title), selected => form.worker_id == w.id.to_string() }
    }));
    let parts = DateParts {
        day: form.day.clone(),
        month: form.month.clone(),
        year: form.year.clone(),
    };
    let extra = context! {
        title => "Allocate a worker",
        worker_items => items,
        from_items => date_items(errors.iter().any(|e| e.field == "from"), &parts),
        current => rec.current_allocation().map(|a| a.worker_name.clone()),
    };
    render(state, session, "person/allocate.html", rec, errors, extra)
}

pub async fn allocation_form(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    if !may_allocate(&state, &session) {
        return Err(deny(
            &state,
            &session,
            parse_id(&id, false).ok(),
            "GET allocation",
            "only team managers allocate workers".into(),
            false,
        )
        .await);
    }
    let rec = casework_record(&state, &session, &id, Action::EditRecord, "allocation form").await?;
    let d = today();
    let form = AllocationForm {
        day: d.format("%-d").to_string(),
        month: d.format("%-m").to_string(),
        year: d.format("%Y").to_string(),
        ..Default::default()
    };
    allocation_page(&state, &session, &rec, &form, &[]).await
}

pub async fn allocate(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<AllocationForm>,
) -> Result<Response, AppError> {
    if !may_allocate(&state, &session) {
        return Err(deny(
            &state,
            &session,
            parse_id(&id, false).ok(),
            "POST allocation",
            "only team managers allocate workers".into(),
            false,
        )
        .await);
    }
    let rec = casework_record(&state, &session, &id, Action::EditRecord, "allocation form").await?;
    let mut errors = Vec::new();
    let worker = Uuid::parse_str(&form.worker_id).ok();
    if worker.is_none() {
        errors.push(FieldError::new(
            "worker_id",
            "Choose the worker to allocate",
        ));
    }
    let parts = DateParts {
        day: form.day.clone(),
        month: form.month.clone(),
        year: form.year.clone(),
    };
    let from = past_date(&parts, "from", "Date of allocation", &mut errors);
    if let (Some(w), Some(from)) = (worker, from) {
        match state
            .store
            .allocate(session.actor(), rec.person.id, w, from)
            .await
        {
            Ok(_) => {
                return Ok(
                    Redirect::to(&format!("/children/{}?saved=allocated", rec.person.id))
                        .into_response(),
                );
            }
            Err(store::StoreError::Invalid { field, message }) => errors.push(FieldError::new(
                if field == "from" { "from" } else { "worker_id" },
                message,
            )),
            Err(store::StoreError::NotFound(_)) => errors.push(FieldError::new(
                "worker_id",
                "Choose a worker from the list",
            )),
            Err(e) => return Err(e.into()),
        }
    }
    allocation_page(&state, &session, &rec, &form, &errors).await
}

#[derive(Deserialize, Default, serde::Serialize)]
pub struct AddressForm {
    #[serde(default)]
    line1: String,
    #[serde(default)]
    line2: String,
    #[serde(default)]
    town: String,
    #[serde(default)]
    postcode: String,
    #[serde(default, rename = "from-day")]
    day: String,
    #[serde(default, rename = "from-month")]
    month: String,
    #[serde(default, rename = "from-year")]
    year: String,
}

pub(crate) fn address_page(
    state: &AppState,
    session: &Session,
    rec: &store::ChildRecord,
    form: &AddressForm,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let parts = DateParts {
        day: form.day.clone(),
        month: form.month.clone(),
        year: form.year.clone(),
    };
    let extra = context! {
        title => "Record a new address",
        form => Value::from_serialize(form),
        from_items => date_items(errors.iter().any(|e| e.field == "from"), &parts),
    };
    render(state, session, "person/address.html", rec, errors, extra)
}

pub async fn address_form(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let rec = casework_record(&state, &session, &id, Action::EditRecord, "address form").await?;
    address_page(&state, &session, &rec, &AddressForm::default(), &[])
}

pub async fn add_address(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<AddressForm>,
) -> Result<Response, AppError> {
    let rec = casework_record(&state, &session, &id, Action::EditRecord, "address form").await?;
    let mut errors = Vec::new();
    if form.line1.trim().is_empty() {
        errors.push(FieldError::new(
            "line1",
            "Enter the first line of the address",
        ));
    }
    if form.town.trim().is_empty() {
        errors.push(FieldError::new("town", "Enter the town or city"));
    }
    if form.postcode.trim().is_empty() {
        errors.push(FieldError::new("postcode", "Enter the postcode"));
    } else if !postcode_is_valid(&form.postcode) {
        errors.push(FieldError::new(
            "postcode",
            "Enter a real postcode, like AA1 1AA",
        ));
    }
    let parts = DateParts {
        day: form.day.clone(),
        month: form.month.clone(),
        year: form.year.clone(),
    };
    let from = past_date(&parts, "from", "Date they moved in", &mut errors);
    if let (true, Some(from)) = (errors.is_empty(), from) {
        let new = NewAddress {
            line1: form.line1.trim().into(),
            line2: form.line2.trim().into(),
            town: form.town.trim().into(),
            postcode: tidy_postcode(&form.postcode),
            from,
            to: None,
        };
        match state
            .store
            .add_address(session.actor(), rec.person.id, new)
            .await
        {
            Ok(_) => {
                return Ok(
                    Redirect::to(&format!("/children/{}?saved=address", rec.person.id))
                        .into_response(),
                );
            }
            Err(store::StoreError::Invalid { message, .. }) => {
                errors.push(FieldError::new("from", message))
            }
            Err(e) => return Err(e.into()),
        }
    }
    address_page(&state, &session, &rec, &form, &errors)
}

#[derive(Deserialize, Default, serde::Serialize)]
pub struct FamilyForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    given_name: String,
    #[serde(default)]
    family_name: String,
    #[serde(default)]
    sex: String,
    #[serde(default, rename = "date_of_birth-day")]
    day: String,
    #[serde(default, rename = "date_of_birth-month")]
    month: String,
    #[serde(default, rename = "date_of_birth-year")]
    year: String,
}

pub(crate) fn family_page(
    state: &AppState,
    session: &Session,
    rec: &store::ChildRecord,
    form: &FamilyForm,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let mut kinds = vec![
        context! { value => "", text => "Choose a relationship", selected => form.kind.is_empty() },
    ];
    kinds.extend(
        codes::relationship_options()
            .into_iter()
            .filter(|(c, _)| !c.contains("sibling"))
            .map(|(code, label)| context! { value => code.clone(), text => label, selected => form.kind == code }),
    );
    let sex_items: Vec<Value> =
        codes::sex_options().into_iter().map(|(code, label)| context! { value => code.clone(), text => label, checked => form.sex == code }).collect();
    let parts = DateParts {
        day: form.day.clone(),
        month: form.month.clone(),
        year: form.year.clone(),
    };
    let extra = context! {
        title => "Add a family member or carer",
        form => Value::from_serialize(form),
        kind_items => kinds,
        sex_items,
        dob_items => date_items(errors.iter().any(|e| e.field == "date_of_birth"), &parts),
    };
    render(state, session, "person/family.html", rec, errors, extra)
}

pub async fn family_form(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let rec = casework_record(&state, &session, &id, Action::EditRecord, "family form").await?;
    family_page(&state, &session, &rec, &FamilyForm::default(), &[])
}

pub async fn add_family(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AuthedForm { session, form }: AuthedForm<FamilyForm>,
) -> Result<Response, AppError> {
    let rec = casework_record(&state, &session, &id, Action::EditRecord, "family form").await?;
    let mut errors = Vec::new();
    if codes::relationship_label(&form.kind).starts_with("Unknown") || form.kind.contains("sibling")
    {
        errors.push(FieldError::new(
            "kind",
            "Choose how this person is related to the child",
        ));
    }
    if form.given_name.trim().is_empty() {
        errors.push(FieldError::new("given_name", "Enter their first name"));
    }
    if form.family_name.trim().is_empty() {
        errors.push(FieldError::new("family_name", "Enter their last name"));
    }
    if !form.sex.is_empty() && !codes::sex_options().iter().any(|(c, _)| *c == form.sex) {
        errors.push(FieldError::new("sex", "Choose one of the options"));
    }
    let parts = DateParts {
        day: form.day.clone(),
        month: form.month.clone(),
        year: form.year.clone(),
    };
    let dob = match parts.parse("date_of_birth", "Date of birth") {
        Ok(Some(d)) if d > today() => {
            errors.push(FieldError::new(
                "date_of_birth",
                "Date of birth must be in the past",
            ));
            None
        }
        Ok(d) => d,
        Err(e) => {
            errors.push(e);
            None
        }
    };
    if !errors.is_empty() {
        return family_page(&state, &session, &rec, &form, &errors);
    }
    let adult = PersonDetails {
        kind: PersonKind::Adult,
        given_name: form.given_name.trim().into(),
        family_name: form.family_name.trim().into(),
        date_of_birth: dob,
        expected_date_of_birth: None,
        sex: if form.sex.is_empty() {
            "U".into()
        } else {
            form.sex.clone()
        },
        ethnicity: String::new(),
        disabilities: vec![],
        identifiers: Identifiers::default(),
        uasc: false,
        restricted: false,
    };
    state
        .store
        .add_related_person(session.actor(), adult, form.kind.clone(), rec.person.id)
        .await?;
    Ok(Redirect::to(&format!("/children/{}?saved=family", rec.person.id)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes() {
        for ok in [
            "SW1A 1AA", "ZZ1 1ZZ", "m1 1ae", "B33 8TH", "CR2 6XH", "DN55 1PT", "EC1A1BB",
        ] {
            assert!(postcode_is_valid(ok), "{ok}");
        }
        for bad in [
            "", "1AA", "SW1A", "ZZ1 11Z", "ABC1 1AA", "SW1A 1A!", "12345",
        ] {
            assert!(!postcode_is_valid(bad), "{bad}");
        }
        assert_eq!(tidy_postcode("ec1a1bb"), "EC1A 1BB");
    }
}
