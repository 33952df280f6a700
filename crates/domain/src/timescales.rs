//! Statutory timescales as due dates, from the working-day calendar (specs/statutory-data.md §8,
//! after *Working together to safeguard children 2023* and the Care Planning, Placement and Case
//! Review (England) Regulations 2010). Figures that councils set locally are not here; they are
//! configuration.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, CalendarError};

type Due = Result<NaiveDate, CalendarError>;

fn working_days(from: NaiveDate, n: u32) -> Due {
    Calendar::england().add_working_days(from, n)
}

/// Calendar months later, clamped to the end of a shorter month (31 May + 3 months = 31 August;
/// 30 November + 3 months = 28 or 29 February).
pub fn months_after(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .expect("dates in the record are far from chrono's limits")
}

/// Front door: a decision on the type of response within 1 working day of the contact.
pub fn front_door_decision_due(contact_received: NaiveDate) -> Due {
    working_days(contact_received, 1)
}

/// Child and family (single) assessment: concluded within 45 working days of the referral
/// (checked by CIN census query 8670Q).
pub fn assessment_due(referral: NaiveDate) -> Due {
    working_days(referral, 45)
}

/// Initial child protection conference: within 15 working days of the strategy discussion at
/// which the section 47 enquiry was initiated (the last one if several; CIN query 8675Q).
pub fn initial_conference_due(strategy_discussion: NaiveDate) -> Due {
    working_days(strategy_discussion, 15)
}

/// First core group meeting: within 10 working days of the initial conference.
pub fn first_core_group_due(initial_conference: NaiveDate) -> Due {
    working_days(initial_conference, 10)
}

/// First child protection review conference: within 3 months of the initial conference.
pub fn first_cp_review_due(initial_conference: NaiveDate) -> NaiveDate {
    months_after(initial_conference, 3)
}

/// Later child protection reviews: within 6 months of the previous review.
pub fn next_cp_review_due(previous_review: NaiveDate) -> NaiveDate {
    months_after(previous_review, 6)
}

/// Looked-after reviews (CPPCR Regulations 2010, reg 33): the first within 20 working days of
/// becoming looked after, the second within 3 months of the first, then within 6 months of the
/// previous. `previous` is the date of the latest review held and how many reviews there have been.
pub fn cla_review_due(became_looked_after: NaiveDate, previous: Option<(NaiveDate, u32)>) -> Due {
    match previous {
        None | Some((_, 0)) => working_days(became_looked_after, 20),
        Some((last, 1)) => Ok(months_after(last, 3)),
        Some((last, _)) => Ok(months_after(last, 6)),
    }
}

/// Care plan for a looked-after child: before the first placement or within 10 working days of its
/// start (CPPCR Regulations 2010, reg 4(2)).
pub fn care_plan_due(first_placement: NaiveDate) -> Due {
    working_days(first_placement, 10)
}

/// Private fostering: the first visit within 7 working days of the notification
/// (Children (Private Arrangements for Fostering) Regulations 2005, reg 4).
pub fn private_fostering_first_visit_due(notification: NaiveDate) -> Due {
    working_days(notification, 7)
}

/// Where a piece of work stands against its due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rag {
    /// Not yet due.
    Green,
    /// Due today.
    Amber,
    /// Past its due date.
    Red,
}

impl Rag {
    pub fn of(due: NaiveDate, today: NaiveDate) -> Rag {
        if today < due {
            Rag::Green
        } else if today == due {
            Rag::Amber
        } else {
            Rag::Red
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Rag::Green => "Within timescale",
            Rag::Amber => "Due today",
            Rag::Red => "Overdue",
        }
    }
    /// The GOV.UK tag colour class.
    pub fn tag_class(self) -> &'static str {
        match self {
            Rag::Green => "govuk-tag--green",
            Rag::Amber => "govuk-tag--yellow",
            Rag::Red => "govuk-tag--red",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn front_door_decision_crosses_a_bank_holiday() {
        // A contact on Friday 22 August 2025 before the summer bank holiday: Tuesday 26 August.
        assert_eq!(
            front_door_decision_due(d(2025, 8, 22)).unwrap(),
            d(2025, 8, 26)
        );
        assert_eq!(
            front_door_decision_due(d(2025, 8, 20)).unwrap(),
            d(2025, 8, 21)
        );
    }

    #[test]
    fn assessment_is_due_45_working_days_after_the_referral() {
        assert_eq!(assessment_due(d(2024, 11, 1)).unwrap(), d(2025, 1, 8));
        // Without holidays, 45 working days are 9 weeks: 1 September 2025 (Monday) -> 3 November.
        assert_eq!(assessment_due(d(2025, 9, 1)).unwrap(), d(2025, 11, 3));
    }

    #[test]
    fn initial_conference_is_due_15_working_days_after_the_strategy_discussion() {
        // Strategy discussion Monday 7 April 2025; Easter (18 and 21 April) moves the due date
        // from 28 April to 30 April.
        assert_eq!(
            initial_conference_due(d(2025, 4, 7)).unwrap(),
            d(2025, 4, 30)
        );
        assert_eq!(
            first_core_group_due(d(2025, 4, 30)).unwrap(),
            d(2025, 5, 15),
            "early May bank holiday on 5 May"
        );
    }

    #[test]
    fn child_protection_reviews_at_3_then_6_months() {
        assert_eq!(first_cp_review_due(d(2025, 11, 30)), d(2026, 2, 28));
        assert_eq!(first_cp_review_due(d(2023, 11, 30)), d(2024, 2, 29));
        assert_eq!(next_cp_review_due(d(2026, 2, 28)), d(2026, 8, 28));
    }

    #[test]
    fn looked_after_reviews_at_20_working_days_3_months_then_6_months() {
        // Looked after from Monday 1 December 2025: 20 working days with Christmas, Boxing Day and
        // New Year's Day out: 2-5 Dec (4), 8-12 (9), 15-19 (14), 22, 23, 24 (17), 29, 30, 31 (20).
        assert_eq!(
            cla_review_due(d(2025, 12, 1), None).unwrap(),
            d(2025, 12, 31)
        );
        assert_eq!(
            cla_review_due(d(2025, 12, 1), Some((d(2025, 12, 30), 1))).unwrap(),
            d(2026, 3, 30)
        );
        assert_eq!(
            cla_review_due(d(2025, 12, 1), Some((d(2026, 3, 20), 2))).unwrap(),
            d(2026, 9, 20)
        );
    }

    #[test]
    fn care_plan_and_private_fostering_visits() {
        assert_eq!(care_plan_due(d(2025, 12, 19)).unwrap(), d(2026, 1, 7));
        assert_eq!(
            private_fostering_first_visit_due(d(2026, 3, 27)).unwrap(),
            d(2026, 4, 9),
            "Easter 2026: 3 and 6 April"
        );
    }

    #[test]
    fn rag_against_a_due_date() {
        let due = d(2025, 12, 29);
        assert_eq!(Rag::of(due, d(2025, 12, 24)), Rag::Green);
        assert_eq!(Rag::of(due, due), Rag::Amber);
        assert_eq!(Rag::of(due, d(2025, 12, 30)), Rag::Red);
    }
}
