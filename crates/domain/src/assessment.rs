//! Single assessments: started on a referral, due 45 working days from it, completed with the
//! CIN census factors identified and an outcome, and authorised by a manager.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::calendar::collection_year;
use crate::codes;
use crate::rules::entry::{code, max_len, required};
use crate::validate::FieldError;

/// Completing a single assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssessmentCompletion {
    pub completed_on: NaiveDate,
    /// CIN census factor codes; "21" (no factors) stands alone.
    pub factors: Vec<String>,
    /// `codes::assessment_outcome`.
    pub outcome: String,
    /// What the assessment found, and the child's views.
    pub summary: String,
}

impl AssessmentCompletion {
    pub fn validate(&self, started: NaiveDate, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        let year = collection_year(self.completed_on);
        if self.completed_on > today {
            e.push(FieldError::new(
                "completed",
                "The date completed must be today or in the past",
            ));
        } else if self.completed_on < started {
            e.push(FieldError::new(
                "completed",
                "The date completed must be the same as or after the date the assessment started",
            ));
        }
        if self.factors.is_empty() {
            e.push(FieldError::new(
                "factors",
                "Select the factors identified, or \"No factors identified\"",
            ));
        } else if let Some(bad) = self
            .factors
            .iter()
            .find(|f| !codes::assessment_factor().is_valid(f, year))
        {
            e.push(FieldError::new(
                "factors",
                format!("{bad:?} is not an assessment factor code"),
            ));
        } else if self.factors.len() > 1 && self.factors.iter().any(|f| f == "21") {
            e.push(FieldError::new(
                "factors",
                "\"No factors identified\" cannot be selected with other factors",
            ));
        }
        code(
            &mut e,
            "outcome",
            codes::assessment_outcome(),
            &self.outcome,
            year,
            "Select the outcome of the assessment",
        );
        required(
            &mut e,
            "summary",
            &self.summary,
            "Enter a summary of the assessment's findings",
        );
        max_len(&mut e, "summary", "The summary", &self.summary, 20_000);
        e
    }
}

/// A single (child and family) assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assessment {
    pub id: Uuid,
    pub child_id: Uuid,
    pub referral_id: Uuid,
    pub referral_date: NaiveDate,
    pub started_on: NaiveDate,
    /// 45 working days from the referral.
    pub due_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
    pub factors: Vec<String>,
    pub outcome: Option<String>,
    pub summary: String,
    pub authorised_on: Option<NaiveDate>,
    pub authorised_by: Option<String>,
    pub version: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, NaiveDateTime};

    #[allow(dead_code)]
    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    #[allow(dead_code)]
    fn dt(y: i32, m: u32, day: u32, h: u32) -> NaiveDateTime {
        d(y, m, day).and_hms_opt(h, 0, 0).unwrap()
    }
    #[test]
    fn assessment_factors_follow_the_census_rules() {
        let mut c = AssessmentCompletion {
            completed_on: d(2026, 2, 1),
            factors: vec!["3B".into(), "4B".into()],
            outcome: "cin_plan".into(),
            summary: "Domestic abuse; mother's mental health".into(),
        };
        assert!(c.validate(d(2026, 1, 5), d(2026, 3, 1)).is_empty());
        c.factors = vec!["21".into(), "3B".into()];
        assert_eq!(c.validate(d(2026, 1, 5), d(2026, 3, 1))[0].field, "factors");
        c.factors = vec!["18A".into()];
        assert!(
            c.validate(d(2026, 1, 5), d(2026, 3, 1))[0]
                .message
                .contains("18A")
        );
        c.factors = vec!["21".into()];
        c.completed_on = d(2026, 1, 4);
        assert_eq!(
            c.validate(d(2026, 1, 5), d(2026, 3, 1))[0].field,
            "completed"
        );
    }
}
