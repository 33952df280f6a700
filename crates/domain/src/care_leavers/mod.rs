//! Care leavers: the personal adviser allocated beside the social worker, the pathway plan (from
//! 16 years 3 months, reviewed at least every 6 months, superseded with its history kept) and
//! keeping in touch after the young person has left care, with the 903's OC3 codes (in touch,
//! main activity, accommodation and its suitability). No I/O.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::validate::FieldError;

mod status;
mod support;
pub use status::*;
pub use support::*;

/// The role of a worker's allocation to a child: the social worker (one at a time, the 903's
/// social worker episodes), or the personal adviser from 16 (alongside the social worker).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AllocationRole {
    SocialWorker,
    PersonalAdviser,
}

impl AllocationRole {
    pub fn as_str(self) -> &'static str {
        match self {
            AllocationRole::SocialWorker => "social_worker",
            AllocationRole::PersonalAdviser => "personal_adviser",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "social_worker" => Some(AllocationRole::SocialWorker),
            "personal_adviser" => Some(AllocationRole::PersonalAdviser),
            _ => None,
        }
    }
}

/// 903 OC3 `IN_TOUCH` (specs/statutory-data.md).
pub const IN_TOUCH: &[(&str, &str)] = &[
    ("YES", "In touch"),
    ("NO", "Not in touch"),
    ("DIED", "Died"),
    ("REFU", "Young person refuses contact"),
    ("NREQ", "No longer requires services"),
    (
        "RHOM",
        "Returned to live with parents or others with parental responsibility for 6 months or more",
    ),
];

/// 903 OC3 `ACTIV`, main activity (F3/P3 are superseded and not offered).
pub const ACTIVITY: &[(&str, &str)] = &[
    ("F1", "Full-time higher education"),
    ("P1", "Part-time higher education"),
    ("F2", "Full-time other education"),
    ("P2", "Part-time other education"),
    ("F4", "Full-time apprenticeship"),
    ("P4", "Part-time apprenticeship"),
    (
        "F5",
        "Full-time training or employment (not an apprenticeship)",
    ),
    (
        "P5",
        "Part-time training or employment (not an apprenticeship)",
    ),
    (
        "G4",
        "Not in education, employment or training: illness or disability",
    ),
    ("G5", "Not in education, employment or training: other"),
    (
        "G6",
        "Not in education, employment or training: pregnancy or parenting",
    ),
    ("0", "Not known"),
];

/// 903 OC3 `ACCOM`, the letter of the accommodation type (its suitability is the digit).
pub const ACCOMMODATION: &[(&str, &str)] = &[
    ("B", "With parents or relatives"),
    ("C", "Community home or other residential care"),
    (
        "D",
        "Semi-independent or transitional, or self-contained with support",
    ),
    ("E", "Supported lodgings"),
    ("G", "Gone abroad"),
    ("H", "Deported"),
    ("K", "Ordinary lodgings, without formal support"),
    ("R", "Residence not known"),
    ("S", "No fixed abode or homeless"),
    ("T", "Foyers and similar"),
    (
        "U",
        "Independent living (own tenancy, student accommodation)",
    ),
    ("V", "Emergency accommodation"),
    ("W", "Bed and breakfast"),
    ("X", "In custody"),
    ("Y", "Other"),
    ("Z", "With former foster carers (staying put)"),
];

pub fn label(list: &[(&str, &str)], code: &str) -> String {
    list.iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| l.to_string())
        .unwrap_or_else(|| code.to_string())
}

pub(crate) fn known(list: &[(&str, &str)], code: &str) -> bool {
    list.iter().any(|(c, _)| *c == code)
}

/// A pathway plan is made from 16 years and 3 months.
pub fn pathway_plan_from(date_of_birth: NaiveDate) -> Option<NaiveDate> {
    date_of_birth.checked_add_months(Months::new(16 * 12 + 3))
}

/// A personal adviser is allocated from 16.
pub fn personal_adviser_from(date_of_birth: NaiveDate) -> Option<NaiveDate> {
    date_of_birth.checked_add_months(Months::new(16 * 12))
}

/// Checks a personal adviser's allocation from `from` for a young person born on `dob`.
pub fn validate_adviser(
    from: NaiveDate,
    dob: Option<NaiveDate>,
    today: NaiveDate,
) -> Vec<FieldError> {
    let mut e = Vec::new();
    if from > today {
        e.push(FieldError::new(
            "from",
            "Date of allocation must be today or in the past",
        ));
    }
    match dob.and_then(personal_adviser_from) {
        None => e.push(FieldError::new("from", "The young person's date of birth is not recorded: a personal adviser is allocated from 16")),
        Some(sixteen) if from < sixteen => e.push(FieldError::new(
            "from",
            format!("A personal adviser is allocated from the young person's 16th birthday ({})", sixteen.format("%-d %B %Y")),
        )),
        _ => {}
    }
    e
}

/// A personal adviser's allocation, as the child's page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdviserAllocation {
    pub id: Uuid,
    pub child_id: Uuid,
    pub worker_id: Uuid,
    pub worker_name: String,
    pub team_name: Option<String>,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

/// One action of a pathway plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPathwayAction {
    pub action: String,
    pub owner: String,
    pub due_on: NaiveDate,
}

/// A pathway plan, or its review (which supersedes the current plan).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPathwayPlan {
    pub plan_date: NaiveDate,
    /// The young person's own views, in their words.
    pub views: String,
    pub goals: String,
    pub actions: Vec<NewPathwayAction>,
    pub review_due: NaiveDate,
}

/// The longest a pathway plan may go without review.
pub const REVIEW_MONTHS: u32 = 6;

impl NewPathwayPlan {
    pub fn validate(&self, date_of_birth: Option<NaiveDate>, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        if self.plan_date > today {
            e.push(FieldError::new(
                "plan_date",
                "Date of the plan must be today or in the past",
            ));
        }
        match date_of_birth.and_then(pathway_plan_from) {
            None => e.push(FieldError::new("plan_date", "The young person's date of birth is not recorded: a pathway plan is made from 16 years and 3 months")),
            Some(from) if self.plan_date < from => e.push(FieldError::new(
                "plan_date",
                format!("A pathway plan is made from 16 years and 3 months (for this young person, {})", from.format("%-d %B %Y")),
            )),
            _ => {}
        }
        if self.views.trim().is_empty() {
            e.push(FieldError::new(
                "views",
                "Enter the young person's views, in their words",
            ));
        }
        if self.goals.trim().is_empty() {
            e.push(FieldError::new("goals", "Enter the goals of the plan"));
        }
        if self.actions.is_empty() {
            e.push(FieldError::new(
                "actions",
                "Enter at least one action, with its owner and due date",
            ));
        }
        for a in &self.actions {
            if a.action.trim().is_empty() {
                e.push(FieldError::new("actions", "Enter what each action is"));
                break;
            }
            if a.owner.trim().is_empty() {
                e.push(FieldError::new("actions", "Enter who owns each action"));
                break;
            }
            if a.due_on < self.plan_date {
                e.push(FieldError::new(
                    "actions",
                    "An action's due date must be on or after the date of the plan",
                ));
                break;
            }
        }
        let latest = self
            .plan_date
            .checked_add_months(Months::new(REVIEW_MONTHS));
        if self.review_due <= self.plan_date {
            e.push(FieldError::new(
                "review_due",
                "The review must be due after the date of the plan",
            ));
        } else if latest.is_some_and(|l| self.review_due > l) {
            e.push(FieldError::new(
                "review_due",
                "The plan must be reviewed within 6 months of its date",
            ));
        }
        e
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PathwayAction {
    pub id: Uuid,
    pub action: String,
    pub owner: String,
    pub due_on: NaiveDate,
    /// Where it has got to (`child_in_need::ACTION_STATUSES`) and the progress made.
    #[serde(default = "not_started")]
    pub status: String,
    #[serde(default)]
    pub progress: String,
    /// Send back with progress; a different stored version means someone else recorded some.
    #[serde(default = "first_version")]
    pub version: i64,
}

fn not_started() -> String {
    "not_started".into()
}

fn first_version() -> i64 {
    1
}

/// A pathway plan as recorded; a review records a new plan and this one is superseded (kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PathwayPlan {
    pub id: Uuid,
    pub child_id: Uuid,
    pub plan_date: NaiveDate,
    pub views: String,
    pub goals: String,
    pub review_due: NaiveDate,
    pub actions: Vec<PathwayAction>,
    /// The plan's review: the plan that superseded it, and when.
    pub superseded_by: Option<Uuid>,
    pub superseded_on: Option<NaiveDate>,
}

/// A contact with a care leaver by their personal adviser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewKeepingInTouch {
    pub contact_on: NaiveDate,
    /// Whether the young person was seen (else a call or message).
    pub seen: bool,
    /// Where they were seen or how contact was made.
    pub place: String,
    /// The young person's own words.
    pub words: String,
    /// 903 `IN_TOUCH`: whether the council is in touch (the young person's activity and
    /// accommodation are recorded apart, with the dates they began: [`NewLeavingCareStatus`]).
    pub in_touch: String,
}

impl NewKeepingInTouch {
    /// `left_care`: the end of the young person's last episode of care, `None` if they have not
    /// left care (still looked after, or never were).
    pub fn validate(&self, left_care: Option<NaiveDate>, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        if self.contact_on > today {
            e.push(FieldError::new(
                "contact_on",
                "Date of contact must be today or in the past",
            ));
        }
        match left_care {
            None => e.push(FieldError::new(
                "contact_on",
                "The young person has not left care: keeping in touch is recorded for care leavers",
            )),
            Some(left) if self.contact_on <= left => e.push(FieldError::new(
                "contact_on",
                format!(
                    "Date of contact must be after the young person left care ({})",
                    left.format("%-d %B %Y")
                ),
            )),
            _ => {}
        }
        if self.place.trim().is_empty() {
            e.push(FieldError::new(
                "place",
                "Enter where the young person was seen, or how you were in touch",
            ));
        }
        if !known(IN_TOUCH, &self.in_touch) {
            e.push(FieldError::new(
                "in_touch",
                "Choose whether the council is in touch from the list",
            ));
        }
        e
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeepingInTouch {
    pub id: Uuid,
    pub child_id: Uuid,
    pub contact_on: NaiveDate,
    pub seen: bool,
    pub place: String,
    pub words: String,
    pub in_touch: String,
}

/// A young person's leaving care part of the record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CareLeaving {
    /// Personal advisers, newest first.
    pub advisers: Vec<AdviserAllocation>,
    /// Pathway plans, newest first; the first without `superseded_by` is current.
    pub plans: Vec<PathwayPlan>,
    /// Keeping in touch contacts, newest first.
    pub contacts: Vec<KeepingInTouch>,
    /// Changes of activity and accommodation, newest first.
    #[serde(default)]
    pub statuses: Vec<LeavingCareStatus>,
    /// Needs assessments, newest first.
    #[serde(default)]
    pub assessments: Vec<NeedsAssessment>,
    /// Requests for support to 25, newest first.
    #[serde(default)]
    pub support: Vec<SupportRequest>,
}

impl CareLeaving {
    pub fn current_adviser(&self) -> Option<&AdviserAllocation> {
        self.advisers.iter().find(|a| a.to.is_none())
    }
    pub fn current_plan(&self) -> Option<&PathwayPlan> {
        self.plans.iter().find(|p| p.superseded_by.is_none())
    }
    pub fn is_empty(&self) -> bool {
        self.advisers.is_empty()
            && self.plans.is_empty()
            && self.contacts.is_empty()
            && self.statuses.is_empty()
            && self.assessments.is_empty()
            && self.support.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn plan(on: NaiveDate, review: NaiveDate) -> NewPathwayPlan {
        NewPathwayPlan {
            plan_date: on,
            views: "I want to go to college".into(),
            goals: "A college place".into(),
            actions: vec![NewPathwayAction {
                action: "Apply to college".into(),
                owner: "PA".into(),
                due_on: on,
            }],
            review_due: review,
        }
    }

    #[test]
    fn a_pathway_plan_is_from_16_years_3_months_and_reviewed_within_6_months() {
        let dob = d(2009, 1, 10);
        let today = d(2026, 12, 1);
        assert!(
            plan(d(2025, 4, 10), d(2025, 10, 10))
                .validate(Some(dob), today)
                .is_empty()
        );
        let early = plan(d(2025, 4, 9), d(2025, 10, 1)).validate(Some(dob), today);
        assert_eq!(early[0].field, "plan_date");
        assert!(early[0].message.contains("16 years and 3 months"));
        let late = plan(d(2025, 5, 1), d(2025, 11, 2)).validate(Some(dob), today);
        assert_eq!(late[0].field, "review_due");
        assert_eq!(
            plan(d(2025, 5, 1), d(2025, 11, 1)).validate(None, today)[0].field,
            "plan_date"
        );
    }

    fn contact(in_touch: &str) -> NewKeepingInTouch {
        NewKeepingInTouch {
            contact_on: d(2026, 6, 1),
            seen: true,
            place: "Her flat".into(),
            words: "I like it here".into(),
            in_touch: in_touch.into(),
        }
    }

    #[test]
    fn keeping_in_touch_is_after_leaving_care_with_known_codes() {
        let today = d(2026, 12, 1);
        let left = Some(d(2026, 1, 10));
        assert!(contact("YES").validate(left, today).is_empty());
        assert_eq!(contact("YES").validate(None, today)[0].field, "contact_on");
        assert_eq!(
            contact("YES").validate(Some(d(2026, 6, 1)), today)[0].field,
            "contact_on"
        );
        assert_eq!(contact("MAYBE").validate(left, today)[0].field, "in_touch");
        assert!(contact("NO").validate(left, today).is_empty());
        let mut blank = contact("YES");
        blank.place = " ".into();
        assert_eq!(blank.validate(left, today)[0].field, "place");
    }

    #[test]
    fn a_personal_adviser_is_allocated_from_16() {
        let dob = d(2010, 3, 1);
        assert!(validate_adviser(d(2026, 3, 1), Some(dob), d(2026, 12, 1)).is_empty());
        assert_eq!(
            validate_adviser(d(2026, 2, 28), Some(dob), d(2026, 12, 1))[0].field,
            "from"
        );
    }
}
