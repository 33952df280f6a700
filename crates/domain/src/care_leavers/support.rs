//! The needs assessment a pathway plan is made from, and support to 25: the leaving care team
//! holds a care leaver to their 21st birthday, and to their 25th when they ask for support.
//! No I/O.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{birthday, known};
use crate::validate::FieldError;

/// The areas of a care leaver's needs assessment (the Care Leavers (England) Regulations 2010,
/// Schedule 1).
pub const NEED_AREAS: &[(&str, &str)] = &[
    ("health", "Health and development"),
    ("education", "Education, training and employment"),
    ("support", "Support from family and other relationships"),
    ("identity", "Identity, culture and religion"),
    (
        "skills",
        "Practical and other skills for living independently",
    ),
    ("finance", "Financial needs and capability"),
    ("accommodation", "Accommodation"),
];

/// A needs assessment: the areas where the young person needs support, what was found, and
/// their own views.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewNeedsAssessment {
    pub assessed_on: NaiveDate,
    /// The areas with needs (codes of [`NEED_AREAS`]).
    pub areas: Vec<String>,
    /// What the assessment found.
    pub findings: String,
    /// The young person's views, in their words.
    pub views: String,
}

impl NewNeedsAssessment {
    pub fn validate(&self, date_of_birth: Option<NaiveDate>, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        if self.assessed_on > today {
            e.push(FieldError::new(
                "assessed_on",
                "Date of the assessment must be today or in the past",
            ));
        }
        // Assessed from 16 (the plan follows from 16 years 3 months).
        match date_of_birth {
            None => e.push(FieldError::new(
                "assessed_on",
                "The young person's date of birth is not recorded: a needs assessment is from 16",
            )),
            Some(d) if self.assessed_on < birthday(d, 16) => e.push(FieldError::new(
                "assessed_on",
                format!(
                    "A needs assessment is from the young person's 16th birthday ({})",
                    birthday(d, 16).format("%-d %B %Y")
                ),
            )),
            _ => {}
        }
        if let Some(a) = self.areas.iter().find(|a| !known(NEED_AREAS, a)) {
            e.push(FieldError::new(
                "areas",
                format!("{a} is not an area of the needs assessment"),
            ));
        }
        if self.findings.trim().is_empty() {
            e.push(FieldError::new(
                "findings",
                "Enter what the assessment found",
            ));
        }
        if self.views.trim().is_empty() {
            e.push(FieldError::new(
                "views",
                "Enter the young person's views, in their words",
            ));
        }
        e
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NeedsAssessment {
    pub id: Uuid,
    pub child_id: Uuid,
    pub assessed_on: NaiveDate,
    pub areas: Vec<String>,
    pub findings: String,
    pub views: String,
}

/// A care leaver's request for support from a personal adviser after 21, to 25.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSupportRequest {
    pub requested_on: NaiveDate,
    /// What the young person asked for, in their words.
    pub words: String,
}

impl NewSupportRequest {
    /// `left_care`: the end of their care, if they left.
    pub fn validate(
        &self,
        date_of_birth: Option<NaiveDate>,
        left_care: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Vec<FieldError> {
        let mut e = Vec::new();
        if self.requested_on > today {
            e.push(FieldError::new(
                "requested_on",
                "Date of the request must be today or in the past",
            ));
        }
        if left_care.is_none() {
            e.push(FieldError::new(
                "requested_on",
                "The young person has not left care: support to 25 is for care leavers",
            ));
        }
        match date_of_birth {
            None => e.push(FieldError::new("requested_on", "The young person's date of birth is not recorded")),
            Some(d) if self.requested_on >= birthday(d, 25) => e.push(FieldError::new(
                "requested_on",
                format!("Support is offered until the young person's 25th birthday ({})", birthday(d, 25).format("%-d %B %Y")),
            )),
            Some(d) if self.requested_on < birthday(d, 21).checked_sub_months(Months::new(6)).expect("a date") => e.push(FieldError::new(
                "requested_on",
                "Support to 25 is asked for in the six months before the 21st birthday, or after it",
            )),
            _ => {}
        }
        if self.words.trim().is_empty() {
            e.push(FieldError::new(
                "words",
                "Enter what the young person asked for, in their words",
            ));
        }
        e
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupportRequest {
    pub id: Uuid,
    pub child_id: Uuid,
    pub requested_on: NaiveDate,
    pub words: String,
}

/// Until when the leaving care team holds a care leaver: their 21st birthday, or their 25th
/// when they have asked for support.
pub fn held_until(date_of_birth: NaiveDate, support: &[SupportRequest]) -> NaiveDate {
    if support.is_empty() {
        birthday(date_of_birth, 21)
    } else {
        birthday(date_of_birth, 25)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_needs_assessment_is_from_16_with_known_areas_and_the_young_persons_views() {
        let dob = d(2009, 5, 1);
        let today = d(2026, 12, 1);
        let a = |on, areas: &[&str], views: &str| NewNeedsAssessment {
            assessed_on: on,
            areas: areas.iter().map(|s| s.to_string()).collect(),
            findings: "Needs help with budgeting".into(),
            views: views.into(),
        };
        assert!(
            a(d(2025, 6, 1), &["finance", "skills"], "I want my own flat")
                .validate(Some(dob), today)
                .is_empty()
        );
        assert_eq!(
            a(d(2025, 4, 30), &["finance"], "x").validate(Some(dob), today)[0].field,
            "assessed_on"
        );
        assert_eq!(
            a(d(2025, 6, 1), &["money"], "x").validate(Some(dob), today)[0].field,
            "areas"
        );
        assert_eq!(
            a(d(2025, 6, 1), &[], " ").validate(Some(dob), today)[0].field,
            "views"
        );
    }

    #[test]
    fn support_to_25_is_asked_for_around_or_after_21_and_holds_the_young_person_to_25() {
        let dob = d(2004, 3, 1);
        let left = Some(d(2022, 3, 1));
        let today = d(2026, 12, 1);
        let r = |on| NewSupportRequest {
            requested_on: on,
            words: "I need help with my tenancy".into(),
        };
        assert!(r(d(2025, 2, 1)).validate(Some(dob), left, today).is_empty());
        assert_eq!(
            r(d(2024, 6, 1)).validate(Some(dob), left, today)[0].field,
            "requested_on"
        );
        assert_eq!(
            r(d(2025, 2, 1)).validate(Some(dob), None, today)[0].field,
            "requested_on"
        );
        assert_eq!(held_until(dob, &[]), d(2025, 3, 1));
        let asked = SupportRequest {
            id: Uuid::nil(),
            child_id: Uuid::nil(),
            requested_on: d(2025, 2, 1),
            words: String::new(),
        };
        assert_eq!(held_until(dob, &[asked]), d(2029, 3, 1));
    }
}
