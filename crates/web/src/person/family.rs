use crate::AppState;
use crate::auth::Session;
use crate::codes;
use crate::error::AppError;
use crate::forms::errors::error_context;
use crate::forms::fields::date_items;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use domain::validate::DateParts;
use domain::validate::FieldError;
use minijinja::Value;
use minijinja::context;
use serde::Deserialize;
use uuid::Uuid;

/// A UK postcode: outward code (area letters, district) and inward code (digit, two letters).
/// Whether a postcode is a UK postcode: [`domain::person::postcode_well_formed`], the one check
/// (a home's postcode is the 903's HOME_POST).
pub use domain::person::postcode_well_formed as postcode_is_valid;

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
    pub(crate) worker_id: String,
    #[serde(default, rename = "from-day")]
    pub(crate) day: String,
    #[serde(default, rename = "from-month")]
    pub(crate) month: String,
    #[serde(default, rename = "from-year")]
    pub(crate) year: String,
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
    // Workers by team (the child's current worker's team first), each with their caseload now.
    let counts = state.store.caseload_counts().await?;
    let current_team = rec
        .current_allocation()
        .and_then(|a| workers.iter().find(|w| w.id == a.allocation.worker_id))
        .and_then(|w| w.team_id);
    let mut current: Vec<&domain::workforce::Worker> =
        workers.iter().filter(|w| w.left.is_none()).collect();
    current.sort_by_key(|w| {
        let team = w
            .team_id
            .and_then(|t| teams.get(&t))
            .cloned()
            .unwrap_or_else(|| "No team".into());
        (
            w.team_id.is_none() || w.team_id != current_team,
            team,
            w.name.clone(),
        )
    });
    let mut groups: Vec<Value> = Vec::new();
    let mut group: Option<(String, Vec<Value>)> = None;
    for w in current {
        let team = w
            .team_id
            .and_then(|t| teams.get(&t))
            .cloned()
            .unwrap_or_else(|| "No team".into());
        let n = counts.get(&w.id).copied().unwrap_or(0);
        let option = context! {
            value => w.id.to_string(),
            text => format!("{} ({}, {n} child{})", w.name, w.role_title, if n == 1 { "" } else { "ren" }),
            selected => form.worker_id == w.id.to_string(),
        };
        match &mut group {
            Some((t, list)) if *t == team => list.push(option),
            _ => {
                if let Some((t, list)) = group.take() {
                    groups.push(context! { team => t, workers => list });
                }
                group = Some((team, vec![option]));
            }
        }
    }
    if let Some((t, list)) = group {
        groups.push(context! { team => t, workers => list });
    }
    let parts = DateParts {
        day: form.day.clone(),
        month: form.month.clone(),
        year: form.year.clone(),
    };
    let extra = context! {
        title => "Allocate a worker",
        worker_groups => groups,
        worker_none => form.worker_id.is_empty(),
        from_items => date_items(errors.iter().any(|e| e.field == "from"), &parts),
        current => rec.current_allocation().map(|a| a.worker_name.clone()),
    };
    render(state, session, "person/allocate.html", rec, errors, extra)
}

#[derive(Deserialize, Default, serde::Serialize)]
pub struct AddressForm {
    #[serde(default)]
    pub(crate) line1: String,
    #[serde(default)]
    pub(crate) line2: String,
    #[serde(default)]
    pub(crate) town: String,
    #[serde(default)]
    pub(crate) postcode: String,
    #[serde(default, rename = "from-day")]
    pub(crate) day: String,
    #[serde(default, rename = "from-month")]
    pub(crate) month: String,
    #[serde(default, rename = "from-year")]
    pub(crate) year: String,
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

#[derive(Deserialize, Default, serde::Serialize)]
pub struct FamilyForm {
    #[serde(default)]
    pub(crate) kind: String,
    #[serde(default)]
    pub(crate) given_name: String,
    #[serde(default)]
    pub(crate) family_name: String,
    #[serde(default)]
    pub(crate) sex: String,
    #[serde(default, rename = "date_of_birth-day")]
    pub(crate) day: String,
    #[serde(default, rename = "date_of_birth-month")]
    pub(crate) month: String,
    #[serde(default, rename = "date_of_birth-year")]
    pub(crate) year: String,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_are_tidied() {
        assert_eq!(tidy_postcode("ec1a1bb"), "EC1A 1BB");
    }
}
