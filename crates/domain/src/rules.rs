//! Small checks shared by the capability modules' validation (crate-private).

/// Checks for the front door, assessments and notes: required text, a length limit, and codes
/// valid in a collection year.
pub(crate) mod entry {
    use crate::codes;
    use crate::validate::FieldError;

    pub(crate) fn required(errors: &mut Vec<FieldError>, field: &str, value: &str, message: &str) {
        if value.trim().is_empty() {
            errors.push(FieldError::new(field, message));
        }
    }

    pub(crate) fn max_len(
        errors: &mut Vec<FieldError>,
        field: &str,
        label: &str,
        value: &str,
        max: usize,
    ) {
        if value.chars().count() > max {
            errors.push(FieldError::new(
                field,
                format!("{label} must be {max} characters or fewer"),
            ));
        }
    }

    pub(crate) fn code(
        errors: &mut Vec<FieldError>,
        field: &str,
        list: &codes::CodeList,
        value: &str,
        year: u16,
        missing: &str,
    ) {
        if value.trim().is_empty() {
            errors.push(FieldError::new(field, missing));
        } else if !list.is_valid(value, year) {
            errors.push(FieldError::new(
                field,
                format!("{value:?} is not a {} code", list.name),
            ));
        }
    }
}

/// Checks for casework records (early help, plans, child protection): text up to 20,000
/// characters, codes valid on a date, dates not in the future, meeting agencies.
pub(crate) mod casework {
    use chrono::NaiveDate;

    use crate::calendar::collection_year;
    use crate::codes::{self, CodeList};
    use crate::validate::FieldError;

    pub(crate) fn required(e: &mut Vec<FieldError>, field: &str, v: &str, message: &str) {
        if v.trim().is_empty() {
            e.push(FieldError::new(field, message));
        } else if v.chars().count() > 20_000 {
            e.push(FieldError::new(
                field,
                "This must be 20,000 characters or fewer",
            ));
        }
    }

    pub(crate) fn code(
        e: &mut Vec<FieldError>,
        field: &str,
        list: &CodeList,
        v: &str,
        on: NaiveDate,
        missing: &str,
    ) {
        if v.trim().is_empty() {
            e.push(FieldError::new(field, missing));
        } else if !list.is_valid(v, collection_year(on)) {
            e.push(FieldError::new(
                field,
                format!("{v:?} is not a {} code", list.name),
            ));
        }
    }

    pub(crate) fn not_future(
        e: &mut Vec<FieldError>,
        field: &str,
        label: &str,
        d: NaiveDate,
        today: NaiveDate,
    ) {
        if d > today {
            e.push(FieldError::new(
                field,
                format!("{label} must be today or in the past"),
            ));
        }
    }

    pub(crate) fn agencies(e: &mut Vec<FieldError>, list: &[String], on: NaiveDate) {
        if list.is_empty() {
            e.push(FieldError::new(
                "agencies",
                "Select the agencies who took part",
            ));
        } else if let Some(bad) = list
            .iter()
            .find(|a| !codes::meeting_agency().is_valid(a, collection_year(on)))
        {
            e.push(FieldError::new(
                "agencies",
                format!("{bad:?} is not an agency code"),
            ));
        }
    }
}
