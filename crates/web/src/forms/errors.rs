//! Errors on forms: the error summary's context, the status code, store refusals as field errors.

use crate::error::AppError;
use axum::http::StatusCode;
use domain::validate::FieldError;
use minijinja::Value;
use minijinja::context;
use store::StoreError;

pub(crate) fn status(errors: &[FieldError]) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

pub(crate) fn errors_value(errors: &[FieldError], dates: &[&str]) -> (Value, Value) {
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
pub(crate) fn field_error(e: StoreError, fallback: &str) -> Result<FieldError, AppError> {
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

/// Field errors as the GOV.UK error summary and field messages want them. `first_part` maps a
/// field to the id its summary link targets (a date links to its day box).
pub fn error_context(
    errors: &[domain::validate::FieldError],
    date_fields: &[&str],
) -> (minijinja::Value, minijinja::Value) {
    let mut by_field = std::collections::BTreeMap::new();
    let mut list = Vec::new();
    for e in errors {
        by_field
            .entry(e.field.clone())
            .or_insert_with(|| e.message.clone());
        let href = if date_fields.contains(&e.field.as_str()) {
            format!("#{}-day", e.field)
        } else {
            format!("#{}", e.field)
        };
        list.push(context! { text => e.message.clone(), href });
    }
    (
        minijinja::Value::from_serialize(&by_field),
        minijinja::Value::from(list),
    )
}
