//! Child in need: closing the episode with the CIN census reason, and child in need plans with
//! SMART actions (need, action, owner, due date, progress) and reviews.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::codes::{self};
use crate::rules::casework::{code, not_future, required};
use crate::validate::FieldError;

// --- Child in need: closing the episode, plans ---

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EpisodeClosure {
    pub closed_on: NaiveDate,
    /// `codes::closure_reason`.
    pub reason: String,
}

impl EpisodeClosure {
    pub fn validate(&self, referral: NaiveDate, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        not_future(&mut e, "closed", "The closure date", self.closed_on, today);
        if self.closed_on < referral {
            e.push(FieldError::new(
                "closed",
                "The closure date must be on or after the referral",
            ));
        }
        code(
            &mut e,
            "closure_reason",
            codes::closure_reason(),
            &self.reason,
            self.closed_on,
            "Select the reason for closure",
        );
        e
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCinPlan {
    pub referral_id: Uuid,
    pub started_on: NaiveDate,
    /// `codes::primary_need`: the child's main need.
    pub primary_need: String,
}

impl NewCinPlan {
    pub fn validate(&self, referral: NaiveDate, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        not_future(&mut e, "started", "The start date", self.started_on, today);
        if self.started_on < referral {
            e.push(FieldError::new(
                "started",
                "The plan cannot start before the referral",
            ));
        }
        code(
            &mut e,
            "primary_need",
            codes::primary_need(),
            &self.primary_need,
            self.started_on,
            "Select the child's main need",
        );
        e
    }
}

/// A SMART action on a plan: the need it meets, what will be done, by whom, by when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPlanAction {
    pub need: String,
    pub action: String,
    pub owner: String,
    pub due_on: NaiveDate,
}

impl NewPlanAction {
    pub fn validate(&self, plan_started: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        required(
            &mut e,
            "need",
            &self.need,
            "Enter the need or outcome this action is for",
        );
        required(&mut e, "action", &self.action, "Enter what will be done");
        required(&mut e, "owner", &self.owner, "Enter who will do it");
        if self.due_on < plan_started {
            e.push(FieldError::new(
                "due",
                "The due date must be on or after the start of the plan",
            ));
        }
        e
    }
}

pub const ACTION_STATUSES: &[(&str, &str)] = &[
    ("not_started", "Not started"),
    ("in_progress", "In progress"),
    ("done", "Done"),
    ("not_done", "Not done: no longer needed or not achieved"),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionProgress {
    pub status: String,
    pub progress: String,
}

impl ActionProgress {
    pub fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        if !ACTION_STATUSES.iter().any(|(c, _)| *c == self.status) {
            e.push(FieldError::new(
                "status",
                "Select where the action has got to",
            ));
        }
        required(
            &mut e,
            "progress",
            &self.progress,
            "Enter the progress made",
        );
        e
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanAction {
    pub id: Uuid,
    pub need: String,
    pub action: String,
    pub owner: String,
    pub due_on: NaiveDate,
    pub status: String,
    pub progress: String,
    /// Send back with progress; a different stored version means someone else recorded some.
    #[serde(default = "first_version")]
    pub version: i64,
}

fn first_version() -> i64 {
    1
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanReview {
    pub held_on: NaiveDate,
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CinPlan {
    pub id: Uuid,
    pub child_id: Uuid,
    pub referral_id: Uuid,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    /// Why the plan ended (asked for when it is ended).
    #[serde(default)]
    pub end_reason: String,
    pub primary_need: String,
    pub actions: Vec<PlanAction>,
    pub reviews: Vec<PlanReview>,
}

impl CinPlan {
    /// Whether every open action is specific, owned and timed (the SMART test on the plan).
    pub fn actions_overdue(&self, today: NaiveDate) -> usize {
        self.actions
            .iter()
            .filter(|a| {
                a.due_on < today && matches!(a.status.as_str(), "not_started" | "in_progress")
            })
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::early_help::*;

    #[allow(dead_code)]
    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn smart_actions_and_step_ups_need_their_parts() {
        let a = NewPlanAction {
            need: "Regular school attendance".into(),
            action: String::new(),
            owner: "Mum".into(),
            due_on: d(2025, 1, 1),
        };
        let f: Vec<String> = a
            .validate(d(2025, 6, 1))
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(f, ["action", "due"]);
        let end = EarlyHelpEnd {
            ended_on: d(2026, 1, 10),
            reason: "step_up".into(),
            note: String::new(),
        };
        assert_eq!(end.validate(d(2025, 9, 1), d(2026, 1, 10))[0].field, "note");
        let closure = EpisodeClosure {
            closed_on: d(2026, 1, 10),
            reason: "RC10".into(),
        };
        assert_eq!(
            closure.validate(d(2025, 9, 1), d(2026, 1, 10))[0].field,
            "closure_reason"
        );
    }
}
