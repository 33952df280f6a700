//! Child protection: strategy discussion, section 47 enquiry, initial conference (due 15 working
//! days from the strategy discussion), the plan by category (repeat plans flagged), review
//! conferences (3 months, then 6-monthly) and core groups (the first within 10 working days of
//! the initial conference).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::codes::{self};
use crate::rules::casework::{agencies, code, not_future, required};
use crate::timescales;
use crate::validate::FieldError;

// --- Child protection ---

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewStrategy {
    pub referral_id: Uuid,
    pub held_on: NaiveDate,
    /// `codes::meeting_agency`.
    pub agencies: Vec<String>,
    /// Did the discussion initiate a section 47 enquiry?
    pub s47: bool,
    pub notes: String,
}

impl NewStrategy {
    pub fn validate(&self, referral: NaiveDate, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        not_future(&mut e, "held", "The date", self.held_on, today);
        if self.held_on < referral {
            e.push(FieldError::new(
                "held",
                "The strategy discussion cannot be before the referral",
            ));
        }
        agencies(&mut e, &self.agencies, self.held_on);
        required(
            &mut e,
            "notes",
            &self.notes,
            "Enter what was discussed and decided",
        );
        e
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Strategy {
    pub id: Uuid,
    pub child_id: Uuid,
    pub referral_id: Uuid,
    pub held_on: NaiveDate,
    pub agencies: Vec<String>,
    pub s47: bool,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct S47 {
    pub id: Uuid,
    pub child_id: Uuid,
    pub strategy_id: Uuid,
    pub started_on: NaiveDate,
    /// 15 working days from the strategy discussion.
    pub icpc_due: NaiveDate,
    pub completed_on: Option<NaiveDate>,
    pub outcome: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct S47Completion {
    pub completed_on: NaiveDate,
    /// `codes::s47_outcome`.
    pub outcome: String,
}

impl S47Completion {
    pub fn validate(&self, started: NaiveDate, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        not_future(
            &mut e,
            "completed",
            "The date completed",
            self.completed_on,
            today,
        );
        if self.completed_on < started {
            e.push(FieldError::new(
                "completed",
                "The enquiry cannot end before it started",
            ));
        }
        code(
            &mut e,
            "outcome",
            codes::s47_outcome(),
            &self.outcome,
            self.completed_on,
            "Select the outcome of the enquiry",
        );
        e
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConferenceKind {
    Initial,
    Review,
}

impl ConferenceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ConferenceKind::Initial => "initial",
            ConferenceKind::Review => "review",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "initial" => Some(ConferenceKind::Initial),
            "review" => Some(ConferenceKind::Review),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewConference {
    pub kind: ConferenceKind,
    pub held_on: NaiveDate,
    /// Partner attendance, by agency (`codes::meeting_agency`).
    pub agencies: Vec<String>,
    /// Initial: the child is made the subject of a plan. Review: the plan continues.
    pub plan: bool,
    /// The category of abuse, when there is (still) a plan (`codes::abuse_category`).
    pub category: Option<String>,
    /// A review that ends the plan: why.
    pub end_reason: String,
}

impl NewConference {
    pub fn validate(&self, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        not_future(
            &mut e,
            "held",
            "The date of the conference",
            self.held_on,
            today,
        );
        agencies(&mut e, &self.agencies, self.held_on);
        if self.plan {
            code(
                &mut e,
                "category",
                codes::abuse_category(),
                self.category.as_deref().unwrap_or(""),
                self.held_on,
                "Select the category of abuse",
            );
        } else if self.kind == ConferenceKind::Review {
            required(
                &mut e,
                "end_reason",
                &self.end_reason,
                "Enter why the plan ends",
            );
        }
        e
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Conference {
    pub id: Uuid,
    pub child_id: Uuid,
    pub kind: ConferenceKind,
    pub held_on: NaiveDate,
    pub due_on: NaiveDate,
    pub agencies: Vec<String>,
    pub plan: bool,
    pub category: Option<String>,
    pub plan_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCoreGroup {
    pub held_on: NaiveDate,
    pub agencies: Vec<String>,
    pub notes: String,
}

impl NewCoreGroup {
    pub fn validate(&self, plan_started: NaiveDate, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        not_future(&mut e, "held", "The date", self.held_on, today);
        if self.held_on < plan_started {
            e.push(FieldError::new(
                "held",
                "A core group cannot meet before the plan started",
            ));
        }
        agencies(&mut e, &self.agencies, self.held_on);
        required(
            &mut e,
            "notes",
            &self.notes,
            "Enter the progress against the plan",
        );
        e
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoreGroup {
    pub held_on: NaiveDate,
    pub agencies: Vec<String>,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CpPlan {
    pub id: Uuid,
    pub child_id: Uuid,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub initial_category: String,
    pub latest_category: String,
    pub end_reason: String,
    /// The child had an earlier plan (a repeat plan).
    pub repeat: bool,
    pub core_groups: Vec<CoreGroup>,
    /// Conferences on this plan (the initial and the reviews), oldest first.
    pub conferences: Vec<Conference>,
}

impl CpPlan {
    /// When the next review conference is due: 3 months after the initial conference, then 6
    /// months after the latest review.
    pub fn next_review_due(&self) -> Option<NaiveDate> {
        if self.ended_on.is_some() {
            return None;
        }
        let reviews: Vec<&Conference> = self
            .conferences
            .iter()
            .filter(|c| c.kind == ConferenceKind::Review)
            .collect();
        Some(match reviews.iter().map(|c| c.held_on).max() {
            Some(last) => timescales::next_cp_review_due(last),
            None => timescales::first_cp_review_due(self.started_on),
        })
    }
    /// The first core group is due 10 working days after the initial conference, until held.
    pub fn first_core_group_due(&self) -> Option<NaiveDate> {
        if self.ended_on.is_some() || !self.core_groups.is_empty() {
            return None;
        }
        timescales::first_core_group_due(self.started_on).ok()
    }
}

/// The child protection part of a child's record, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChildProtection {
    pub strategies: Vec<Strategy>,
    pub s47s: Vec<S47>,
    pub conferences: Vec<Conference>,
    pub cp_plans: Vec<CpPlan>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn conf(kind: ConferenceKind, held: NaiveDate) -> Conference {
        Conference {
            id: Uuid::now_v7(),
            child_id: Uuid::nil(),
            kind,
            held_on: held,
            due_on: held,
            agencies: vec![],
            plan: true,
            category: Some("NEG".into()),
            plan_id: None,
        }
    }

    #[test]
    fn reviews_are_due_at_three_months_then_every_six() {
        let mut p = CpPlan {
            id: Uuid::now_v7(),
            child_id: Uuid::nil(),
            started_on: d(2025, 11, 28),
            ended_on: None,
            initial_category: "NEG".into(),
            latest_category: "NEG".into(),
            end_reason: String::new(),
            repeat: false,
            core_groups: vec![],
            conferences: vec![conf(ConferenceKind::Initial, d(2025, 11, 28))],
        };
        assert_eq!(p.next_review_due(), Some(d(2026, 2, 28)));
        // 10 working days from Friday 28 November 2025: Friday 12 December.
        assert_eq!(p.first_core_group_due(), Some(d(2025, 12, 12)));
        p.conferences
            .push(conf(ConferenceKind::Review, d(2026, 2, 20)));
        assert_eq!(p.next_review_due(), Some(d(2026, 8, 20)));
        p.core_groups.push(CoreGroup {
            held_on: d(2025, 12, 10),
            agencies: vec![],
            notes: String::new(),
        });
        assert_eq!(p.first_core_group_due(), None);
        p.ended_on = Some(d(2026, 8, 1));
        assert_eq!(p.next_review_due(), None);
    }

    #[test]
    fn conferences_need_agencies_and_a_category_for_a_plan() {
        let mut c = NewConference {
            kind: ConferenceKind::Initial,
            held_on: d(2026, 1, 5),
            agencies: vec!["police".into(), "health".into()],
            plan: true,
            category: Some("EMO".into()),
            end_reason: String::new(),
        };
        assert!(c.validate(d(2026, 1, 5)).is_empty());
        c.category = None;
        c.agencies = vec!["martians".into()];
        let f: Vec<String> = c
            .validate(d(2026, 1, 5))
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(f, ["agencies", "category"]);
        c.kind = ConferenceKind::Review;
        c.plan = false;
        c.agencies = vec!["school".into()];
        assert_eq!(c.validate(d(2026, 1, 5))[0].field, "end_reason");
    }
}
