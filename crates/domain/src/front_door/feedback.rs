//! Feedback to the referrer: once the front door has decided, the referring agency is told the
//! outcome, and the record says when, how and what was said.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::rules::entry::{max_len, required};
use crate::validate::FieldError;

/// How the referrer was told.
pub const HOW: &[(&str, &str)] = &[
    ("phone", "By phone"),
    ("email", "By secure email"),
    ("letter", "By letter"),
    ("meeting", "In a meeting"),
];

/// The label of a way of telling.
pub fn how_label(code: &str) -> &str {
    HOW.iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or(code)
}

/// The referrer told the outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewFeedback {
    pub told_on: NaiveDate,
    /// `phone`, `email`, `letter` or `meeting`.
    pub how: String,
    /// What the referrer was told (what can be shared with them).
    pub note: String,
}

impl NewFeedback {
    /// Not before the decision, not in the future; how, and what was said.
    pub fn validate(&self, decided_on: Option<NaiveDate>, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        match decided_on {
            None => e.push(FieldError::new(
                "told",
                "Record the decision before telling the referrer the outcome",
            )),
            Some(d) if self.told_on < d => e.push(FieldError::new(
                "told",
                "The referrer cannot be told before the decision was made",
            )),
            Some(_) if self.told_on > today => e.push(FieldError::new(
                "told",
                "The date must be today or in the past",
            )),
            Some(_) => {}
        }
        if !HOW.iter().any(|(c, _)| *c == self.how) {
            e.push(FieldError::new("how", "Select how the referrer was told"));
        }
        required(
            &mut e,
            "note",
            &self.note,
            "Enter what the referrer was told",
        );
        max_len(
            &mut e,
            "note",
            "What the referrer was told",
            &self.note,
            5_000,
        );
        e
    }
}

/// Feedback given, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Feedback {
    pub told_on: NaiveDate,
    pub how: String,
    pub note: String,
    pub recorded_by: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap()
    }

    #[test]
    fn the_referrer_is_told_after_the_decision_not_before_nor_in_the_future() {
        let f = NewFeedback {
            told_on: d(10),
            how: "phone".into(),
            note: "An assessment will be made.".into(),
        };
        assert!(f.validate(Some(d(10)), d(20)).is_empty());
        assert_eq!(f.validate(None, d(20))[0].field, "told");
        assert_eq!(
            f.validate(Some(d(11)), d(20))[0].message,
            "The referrer cannot be told before the decision was made"
        );
        assert_eq!(
            f.validate(Some(d(1)), d(9))[0].message,
            "The date must be today or in the past"
        );
        let bad = NewFeedback {
            how: "pigeon".into(),
            note: " ".into(),
            ..f
        };
        let fields: Vec<_> = bad
            .validate(Some(d(1)), d(20))
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, vec!["how", "note"]);
    }
}
