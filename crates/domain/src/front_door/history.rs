//! What screening needs to know of each child on a contact, on the contact's page: their other
//! contacts and their referrals in the 12 months before it, child protection plans now and
//! before, periods in care, an open child in need episode or early help, and the allocated
//! worker. A child whose record the screener may not see is shown as restricted, without it.

use chrono::{Months, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Another contact about the child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EarlierContact {
    pub id: Uuid,
    pub received_at: NaiveDateTime,
    /// CIN census referral source code.
    pub source: String,
    /// The front-door outcome, if decided (`codes::front_door_outcome`).
    pub outcome: Option<String>,
}

/// A span of the child's record: a plan or a period in care, open when it has no end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Span {
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    /// The plan's latest category of abuse, or the period's category of need.
    pub category: String,
}

/// One child's history at screening.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScreeningHistory {
    pub child_id: Uuid,
    /// Other contacts received in the 12 months before this one, newest first.
    pub contacts: Vec<EarlierContact>,
    /// Referrals dated in the 12 months before this contact, newest first.
    pub referrals: Vec<super::Referral>,
    /// Child protection plans, newest first.
    pub cp_plans: Vec<Span>,
    /// Periods in care, newest first.
    pub care: Vec<Span>,
    /// The referral date of an open child in need episode.
    pub open_episode: Option<NaiveDate>,
    /// The start of an open early help episode.
    pub early_help: Option<NaiveDate>,
    /// The allocated social worker, if any.
    pub worker: Option<String>,
}

impl ScreeningHistory {
    /// The start of the 12 months before a contact received at `received`.
    pub fn window_start(received: NaiveDateTime) -> NaiveDate {
        received
            .date()
            .checked_sub_months(Months::new(12))
            .expect("a date 12 months earlier")
    }

    /// Whether the child has nothing on the record the screener should know.
    pub fn is_empty(&self) -> bool {
        self.contacts.is_empty()
            && self.referrals.is_empty()
            && self.cp_plans.is_empty()
            && self.care.is_empty()
            && self.open_episode.is_none()
            && self.early_help.is_none()
            && self.worker.is_none()
    }

    /// A child protection plan open now.
    pub fn on_plan(&self) -> bool {
        self.cp_plans.iter().any(|p| p.ended_on.is_none())
    }

    /// In care now.
    pub fn in_care(&self) -> bool {
        self.care.iter().any(|p| p.ended_on.is_none())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_is_the_twelve_months_before_the_contact() {
        let received = NaiveDate::from_ymd_opt(2026, 2, 28)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        assert_eq!(
            ScreeningHistory::window_start(received),
            NaiveDate::from_ymd_opt(2025, 2, 28).unwrap()
        );
        let leap = NaiveDate::from_ymd_opt(2028, 2, 29)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        assert_eq!(
            ScreeningHistory::window_start(leap),
            NaiveDate::from_ymd_opt(2027, 2, 28).unwrap()
        );
    }
}
