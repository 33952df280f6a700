//! Validation of what users type: each problem names the field and says what is wrong, in the
//! words the GOV.UK Design System recommends for error messages.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One problem with one field of a form or API request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field's name (form field name and JSON property). For a date, the name of the date.
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        FieldError {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// A date as typed in the three boxes of a GOV.UK date input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateParts {
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub month: String,
    #[serde(default)]
    pub year: String,
}

impl DateParts {
    pub fn from_date(d: Option<NaiveDate>) -> Self {
        use chrono::Datelike;
        match d {
            Some(d) => DateParts {
                day: d.day().to_string(),
                month: d.month().to_string(),
                year: d.year().to_string(),
            },
            None => DateParts::default(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.day.trim().is_empty() && self.month.trim().is_empty() && self.year.trim().is_empty()
    }
    /// Reads the date; `label` is how the message names it (e.g. "Date of birth").
    pub fn parse(&self, field: &str, label: &str) -> Result<Option<NaiveDate>, FieldError> {
        if self.is_empty() {
            return Ok(None);
        }
        let parts = [
            ("day", &self.day),
            ("month", &self.month),
            ("year", &self.year),
        ];
        let missing: Vec<&str> = parts
            .iter()
            .filter(|(_, v)| v.trim().is_empty())
            .map(|(n, _)| *n)
            .collect();
        if !missing.is_empty() {
            return Err(FieldError::new(
                field,
                format!("{label} must include a {}", missing.join(" and ")),
            ));
        }
        let num = |v: &str| v.trim().parse::<u32>().ok();
        let (Some(d), Some(m), Some(y)) = (num(&self.day), num(&self.month), num(&self.year))
        else {
            return Err(FieldError::new(
                field,
                format!("{label} must be a real date"),
            ));
        };
        if self.year.trim().len() != 4 {
            return Err(FieldError::new(
                field,
                format!("Year of {} must include 4 numbers", label.to_lowercase()),
            ));
        }
        NaiveDate::from_ymd_opt(y as i32, m, d)
            .map(Some)
            .ok_or_else(|| FieldError::new(field, format!("{label} must be a real date")))
    }
}
