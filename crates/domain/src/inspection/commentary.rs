//! The head of service's commentary on an indicator in the scrutiny pack: for one indicator and
//! one period, kept with who wrote it and when; a new commentary replaces the one shown and the
//! earlier is kept.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::validate::FieldError;

/// Longest commentary accepted, in characters: a paragraph or two for councillors.
pub const MAX_LEN: usize = 2000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCommentary {
    pub indicator_id: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub text: String,
}

impl NewCommentary {
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Vec::new();
        let n = self.text.trim().chars().count();
        if n == 0 {
            e.push(FieldError::new("text", "Enter the commentary"));
        } else if n > MAX_LEN {
            e.push(FieldError::new(
                "text",
                format!("The commentary must be {MAX_LEN} characters or fewer"),
            ));
        }
        if self.indicator_id.trim().is_empty() {
            e.push(FieldError::new("indicator", "Choose the indicator"));
        }
        if self.from > self.to {
            e.push(FieldError::new(
                "period",
                "The period ends before it starts",
            ));
        }
        if e.is_empty() { Ok(()) } else { Err(e) }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commentary {
    pub id: Uuid,
    pub indicator_id: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub text: String,
    pub written_by: Option<Uuid>,
    pub written_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commentary_must_say_something_and_not_too_much() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let mut c = NewCommentary {
            indicator_id: "9".into(),
            from: d,
            to: d,
            text: "  ".into(),
        };
        assert!(c.validate().is_err());
        c.text = "Timeliness fell while two teams carried vacancies.".into();
        assert!(c.validate().is_ok());
        c.text = "x".repeat(MAX_LEN + 1);
        assert!(c.validate().is_err());
    }
}
