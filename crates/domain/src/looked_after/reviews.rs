//! Looked-after reviews chaired by an independent reviewing officer (IRO), the IRO's
//! recommendations tracked to completion, and statutory visits to children in care
//! (Care Planning, Placement and Case Review (England) Regulations 2010, regs 28 and 33;
//! specs/statutory-data.md §8 rows 11 and 12). Participation codes are the SSDA903's REVIEW_CODE
//! (§1.4, PN0–PN7).

use std::sync::OnceLock;

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::calendar::CalendarError;
use crate::codes::CodeList;
use crate::codes::always;
use crate::timescales::{cla_review_due, months_after};
use crate::validate::FieldError;

/// How the child took part in the review (903 REVIEW_CODE).
pub fn participation() -> &'static CodeList {
    static L: OnceLock<CodeList> = OnceLock::new();
    L.get_or_init(|| CodeList {
        name: "review participation",
        codes: vec![
            always("PN0", "Child under 4 at the review"),
            always("PN1", "Attended and spoke for themselves"),
            always("PN2", "Attended; an advocate or the IRO spoke for them"),
            always("PN3", "Attended and conveyed their views non-verbally"),
            always("PN4", "Attended without contributing"),
            always("PN5", "Did not attend; briefed an advocate or the IRO"),
            always(
                "PN6",
                "Did not attend; conveyed their views another way (written, phone, video, Viewpoint)",
            ),
            always("PN7", "Did not attend and their views were not conveyed"),
        ],
    })
}

/// Whole years of age on a date.
pub fn age_on(date_of_birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - date_of_birth.year();
    if (on.month(), on.day()) < (date_of_birth.month(), date_of_birth.day()) {
        age -= 1;
    }
    age
}

/// One of the IRO's recommendations, as made at the review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewRecommendation {
    pub action: String,
    /// Who is to do it (a name, or a role: "social worker", "carer").
    pub owner: String,
    pub due_on: NaiveDate,
}

impl NewRecommendation {
    /// Problems named `action`, `owner` and `due` (the page names its rows' fields itself).
    pub fn validate(&self, held_on: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        if self.action.trim().is_empty() {
            e.push(FieldError::new("action", "Enter the recommendation"));
        }
        if self.owner.trim().is_empty() {
            e.push(FieldError::new("owner", "Enter who is to do it"));
        }
        if self.due_on < held_on {
            e.push(FieldError::new(
                "due",
                "The due date must be on or after the review",
            ));
        }
        e
    }
}

/// A looked-after review as the IRO records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewReview {
    pub held_on: NaiveDate,
    /// PN0–PN7.
    pub participation: String,
    /// The child's views, in their words where possible.
    #[serde(default)]
    pub childs_views: String,
    /// Why the child's views are not recorded, when they are not.
    #[serde(default)]
    pub views_reason: String,
    #[serde(default)]
    pub recommendations: Vec<NewRecommendation>,
}

impl NewReview {
    /// The review itself: the date (not in the future, not before the child entered care), the
    /// participation code (PN0 exactly when the child is under 4: 903 rules 440/441), the child's
    /// views or why not. Each recommendation's problems are named `recommendations`.
    pub fn validate(
        &self,
        date_of_birth: Option<NaiveDate>,
        entered_care: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Vec<FieldError> {
        let mut e = self.validate_review(date_of_birth, entered_care, today);
        for (i, r) in self.recommendations.iter().enumerate() {
            for p in r.validate(self.held_on) {
                e.push(FieldError::new(
                    "recommendations",
                    format!("Recommendation {}: {}", i + 1, p.message),
                ));
            }
        }
        e
    }

    /// [`NewReview::validate`] without the recommendations.
    pub fn validate_review(
        &self,
        date_of_birth: Option<NaiveDate>,
        entered_care: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Vec<FieldError> {
        let mut e = Vec::new();
        if self.held_on > today {
            e.push(FieldError::new(
                "held",
                "The date of the review must be today or in the past",
            ));
        }
        match entered_care {
            None => e.push(FieldError::new(
                "held",
                "The child is not looked after: a looked-after review needs a period of care",
            )),
            Some(entered) if self.held_on < entered => e.push(FieldError::new(
                "held",
                "The date of the review must be on or after the child entered care",
            )),
            Some(_) => {}
        }
        let year = crate::calendar::collection_year(self.held_on);
        if !participation().is_valid(&self.participation, year) {
            e.push(FieldError::new(
                "participation",
                "Select how the child took part in the review",
            ));
        } else if let Some(dob) = date_of_birth {
            let under_4 = age_on(dob, self.held_on) < 4;
            if under_4 && self.participation != "PN0" {
                e.push(FieldError::new(
                    "participation",
                    "The child was under 4 at the review: select PN0",
                ));
            } else if !under_4 && self.participation == "PN0" {
                e.push(FieldError::new(
                    "participation",
                    "PN0 is for a child under 4 at the review; the child was 4 or over",
                ));
            }
        }
        if self.childs_views.trim().is_empty() && self.views_reason.trim().is_empty() {
            e.push(FieldError::new(
                "childs_views",
                "Enter the child's views, or why they are not recorded",
            ));
        }
        e
    }
}

/// A looked-after review with what the IRO recorded (the 903's `cla_review` row, extended).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CareReview {
    pub id: Uuid,
    pub child_id: Uuid,
    pub held_on: NaiveDate,
    pub participation: String,
    pub childs_views: String,
    pub views_reason: String,
    /// The IRO who recorded it (a user), when recorded in Hearth.
    pub chaired_by: Option<Uuid>,
    pub recommendations: Vec<Recommendation>,
}

/// An IRO's recommendation, tracked to completion on work due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Recommendation {
    pub id: Uuid,
    pub review_id: Uuid,
    pub child_id: Uuid,
    pub action: String,
    pub owner: String,
    pub due_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
    pub note: String,
}

/// A recommendation done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecommendationDone {
    pub completed_on: NaiveDate,
    /// What was done.
    #[serde(default)]
    pub note: String,
}

impl RecommendationDone {
    pub fn validate(&self, held_on: NaiveDate, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        if self.completed_on > today {
            e.push(FieldError::new(
                "completed",
                "The date completed must be today or in the past",
            ));
        } else if self.completed_on < held_on {
            e.push(FieldError::new(
                "completed",
                "The date completed must be on or after the review",
            ));
        }
        if self.note.trim().is_empty() {
            e.push(FieldError::new("note", "Enter what was done"));
        }
        e
    }
}

/// The next looked-after review: 20 working days after entering care, 3 months after the first,
/// then 6 months after the previous ([`cla_review_due`]). `held` are the dates of the reviews of
/// this period of care.
pub fn next_review_due(
    entered_care: NaiveDate,
    held: &[NaiveDate],
) -> Result<NaiveDate, CalendarError> {
    let last = held.iter().max().copied();
    cla_review_due(entered_care, last.map(|l| (l, held.len() as u32)))
}

/// The next statutory visit to a child in care (reg 28(2)): within 1 week of the start of the
/// placement; then at intervals of at most 6 weeks for the placement's first year; after that at
/// most 3 months where the placement is intended to last until the child is 18 (`long_term`),
/// otherwise still 6 weeks. Only visits at which the child was seen, on or after the placement
/// started, count (`last_seen`).
///
/// UNCONFIRMED: the record does not yet hold whether a placement is intended to last until 18
/// (a decision under reg 28(2)(c), usually a long-term fostering match), so callers pass `false`
/// until it does; the special cases of reg 28(3)–(5) and short breaks (reg 48) are not modelled.
pub fn cla_visit_due(
    placed_on: NaiveDate,
    last_seen: Option<NaiveDate>,
    long_term: bool,
) -> NaiveDate {
    match last_seen.filter(|l| *l >= placed_on) {
        None => placed_on + Duration::days(7),
        Some(last) => {
            let first_year_ends = months_after(placed_on, 12);
            if long_term && last >= first_year_ends {
                months_after(last, 3)
            } else {
                last + Duration::weeks(6)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn review(held_on: NaiveDate, code: &str) -> NewReview {
        NewReview {
            held_on,
            participation: code.into(),
            childs_views: "I like my foster carers.".into(),
            views_reason: String::new(),
            recommendations: vec![],
        }
    }

    #[test]
    fn reviews_fall_due_through_the_period_of_care() {
        // Entered care Monday 1 December 2025: first review by 31 December (Christmas, Boxing Day
        // and New Year's Day are not working days), second 3 months after the first, then 6.
        let entered = d(2025, 12, 1);
        assert_eq!(next_review_due(entered, &[]).unwrap(), d(2025, 12, 31));
        assert_eq!(
            next_review_due(entered, &[d(2025, 12, 19)]).unwrap(),
            d(2026, 3, 19)
        );
        assert_eq!(
            next_review_due(entered, &[d(2025, 12, 19), d(2026, 3, 16)]).unwrap(),
            d(2026, 9, 16)
        );
        // Entered care Friday 27 March 2026: Good Friday and Easter Monday are out, so the first
        // review is due Tuesday 28 April, not Friday 24 April.
        assert_eq!(
            next_review_due(d(2026, 3, 27), &[]).unwrap(),
            d(2026, 4, 28)
        );
        // A third review 31 August: the next is due on the last day of February.
        assert_eq!(
            next_review_due(entered, &[d(2025, 12, 19), d(2026, 3, 16), d(2026, 8, 31)]).unwrap(),
            d(2027, 2, 28)
        );
    }

    #[test]
    fn visits_within_a_week_then_six_weeks_then_three_months_long_term() {
        let placed = d(2025, 9, 1);
        assert_eq!(cla_visit_due(placed, None, false), d(2025, 9, 8));
        // A visit before this placement does not count.
        assert_eq!(
            cla_visit_due(placed, Some(d(2025, 8, 20)), false),
            d(2025, 9, 8)
        );
        assert_eq!(
            cla_visit_due(placed, Some(d(2025, 9, 5)), false),
            d(2025, 10, 17)
        );
        // In the placement's first year, 6 weeks even when long term.
        assert_eq!(
            cla_visit_due(placed, Some(d(2026, 6, 1)), true),
            d(2026, 7, 13)
        );
        // After the first year: 3 months when long term, still 6 weeks otherwise.
        assert_eq!(
            cla_visit_due(placed, Some(d(2026, 9, 10)), true),
            d(2026, 12, 10)
        );
        assert_eq!(
            cla_visit_due(placed, Some(d(2026, 9, 10)), false),
            d(2026, 10, 22)
        );
    }

    #[test]
    fn a_review_needs_the_childs_views_or_why_not_and_a_fitting_code() {
        let dob = Some(d(2015, 6, 1));
        let entered = Some(d(2025, 1, 6));
        let today = d(2026, 1, 10);
        assert!(
            review(d(2025, 2, 1), "PN1")
                .validate(dob, entered, today)
                .is_empty()
        );
        let mut r = review(d(2025, 2, 1), "PN1");
        r.childs_views.clear();
        assert_eq!(r.validate(dob, entered, today)[0].field, "childs_views");
        r.views_reason = "Did not wish to share views; offered an advocate.".into();
        assert!(r.validate(dob, entered, today).is_empty());
        let fields = |r: &NewReview, dob| {
            r.validate(dob, entered, today)
                .into_iter()
                .map(|e| e.field)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            fields(&review(d(2025, 2, 1), "PN9"), dob),
            ["participation"]
        );
        assert_eq!(
            fields(&review(d(2025, 2, 1), "PN0"), dob),
            ["participation"]
        );
        // Under 4 at the review: PN0 and nothing else (903 rules 440 and 441).
        let baby = Some(d(2023, 3, 1));
        assert_eq!(
            fields(&review(d(2025, 2, 1), "PN1"), baby),
            ["participation"]
        );
        assert!(fields(&review(d(2025, 2, 1), "PN0"), baby).is_empty());
        assert_eq!(fields(&review(d(2026, 2, 1), "PN1"), dob), ["held"]);
        assert_eq!(fields(&review(d(2024, 12, 1), "PN1"), dob), ["held"]);
        assert_eq!(
            review(d(2025, 2, 1), "PN1").validate(dob, None, today)[0].field,
            "held"
        );
        let mut r = review(d(2025, 2, 1), "PN1");
        r.recommendations = vec![NewRecommendation {
            action: "Arrange contact with brother".into(),
            owner: String::new(),
            due_on: d(2025, 1, 1),
        }];
        let e = r.validate(dob, entered, today);
        assert_eq!(e.len(), 2);
        assert!(e.iter().all(|e| e.field == "recommendations"));
        assert!(e[0].message.starts_with("Recommendation 1: "));
    }
}
