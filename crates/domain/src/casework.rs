//! After the front door: early help episodes (stepped down to and up from), child in need plans
//! with SMART actions and reviews, closing a child in need episode, and the child protection
//! pathway: strategy discussion, section 47 enquiry, initial conference (due 15 working days from
//! the strategy discussion), child protection plan by category, review conferences (3 months,
//! then 6-monthly) and core groups (the first within 10 working days of the initial conference).
//! Each new record validates itself here; the store saves only what passed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::codes::{self, CodeList};
use crate::journey::collection_year;
use crate::timescales;
use crate::validate::FieldError;

fn required(e: &mut Vec<FieldError>, field: &str, v: &str, message: &str) {
    if v.trim().is_empty() {
        e.push(FieldError::new(field, message));
    } else if v.chars().count() > 20_000 {
        e.push(FieldError::new(
            field,
            "This must be 20,000 characters or fewer",
        ));
    }
}

fn code(
    e: &mut Vec<FieldError>,
    field: &str,
    list: &CodeList,
    v: &str,
    on: NaiveDate,
    missing: &str,
) {
    if v.trim().is_empty() {
        e.push(FieldError::new(field, missing));
    } else if !list.is_valid(v, collection_year(on)) {
        e.push(FieldError::new(
            field,
            format!("{v:?} is not a {} code", list.name),
        ));
    }
}

fn not_future(e: &mut Vec<FieldError>, field: &str, label: &str, d: NaiveDate, today: NaiveDate) {
    if d > today {
        e.push(FieldError::new(
            field,
            format!("{label} must be today or in the past"),
        ));
    }
}

fn agencies(e: &mut Vec<FieldError>, list: &[String], on: NaiveDate) {
    if list.is_empty() {
        e.push(FieldError::new(
            "agencies",
            "Select the agencies who took part",
        ));
    } else if let Some(bad) = list
        .iter()
        .find(|a| !codes::meeting_agency().is_valid(a, collection_year(on)))
    {
        e.push(FieldError::new(
            "agencies",
            format!("{bad:?} is not an agency code"),
        ));
    }
}

// --- Early help ---

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewEarlyHelp {
    pub started_on: NaiveDate,
    /// The lead professional and their agency.
    pub lead: String,
    /// Why early help, and what the family wants to change.
    pub reason: String,
}

impl NewEarlyHelp {
    pub fn validate(&self, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        not_future(&mut e, "started", "The start date", self.started_on, today);
        required(&mut e, "lead", &self.lead, "Enter the lead professional");
        required(
            &mut e,
            "reason",
            &self.reason,
            "Enter why early help is offered",
        );
        e
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EarlyHelpEnd {
    pub ended_on: NaiveDate,
    /// `codes::early_help_end`; "step_up" records a contact to the front door.
    pub reason: String,
    pub note: String,
}

impl EarlyHelpEnd {
    pub fn validate(&self, started: NaiveDate, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        not_future(&mut e, "ended", "The end date", self.ended_on, today);
        if self.ended_on < started {
            e.push(FieldError::new(
                "ended",
                "The end date must be on or after the start date",
            ));
        }
        code(
            &mut e,
            "end_reason",
            codes::early_help_end(),
            &self.reason,
            self.ended_on,
            "Select why early help ended",
        );
        if self.reason == "step_up" {
            required(
                &mut e,
                "note",
                &self.note,
                "Enter the concerns for the step up to children's social care",
            );
        }
        e
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EarlyHelp {
    pub id: Uuid,
    pub child_id: Uuid,
    pub started_on: NaiveDate,
    pub lead: String,
    pub reason: String,
    /// "front_door" (a front-door decision), "step_down" (after an assessment) or "direct".
    pub origin: String,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub end_note: String,
    /// The contact made by a step up.
    pub step_up_contact: Option<Uuid>,
}

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

/// How often children on plans are visited: not set nationally, so each council sets its own
/// (specs/statutory-data.md §8 rows 7 and 8). Defaults: every 10 working days on a child
/// protection plan, every 20 on a child in need plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisitStandards {
    pub cp_working_days: u32,
    pub cin_working_days: u32,
}

impl Default for VisitStandards {
    fn default() -> Self {
        VisitStandards {
            cp_working_days: 10,
            cin_working_days: 20,
        }
    }
}

/// Everything after the front door on a child's record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Casework {
    pub early_help: Vec<EarlyHelp>,
    pub cin_plans: Vec<CinPlan>,
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
