//! Private fostering: a child under 16 (under 18 if disabled) cared for for 28 days or more by
//! someone who is not a parent, a person with parental responsibility or a close relative. The
//! council must be told of the arrangement, must visit the child and judge whether the carer is
//! suitable, and must keep visiting while the arrangement lasts (the Children (Private
//! Arrangements for Fostering) Regulations 2005, SI 2005/1533; specs/statutory-data.md §8 rows
//! 23 to 25):
//!
//! - notification by the proposer at least 6 weeks before the arrangement starts (immediately if
//!   it starts within 6 weeks); the end of an arrangement within 48 hours;
//! - the first visit within 7 working days of the notification (reg 4 for a proposed
//!   arrangement; reg 7 for one already running is believed to be the same and is a setting here
//!   until verified);
//! - later visits at intervals of at most 6 weeks in the first year of the arrangement and at
//!   most 12 weeks after, the child seen alone unless that is inappropriate, with a written
//!   report after each visit;
//! - an arrangement the council only learns of once running is deemed to start when the council
//!   becomes aware of it, so its first year counts from the notification.
//!
//! Each new record validates itself here; the store saves only what passed.

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::calendar::{Calendar, CalendarError};
use crate::validate::FieldError;

/// Who told the council of the arrangement.
pub const NOTIFIERS: &[(&str, &str)] = &[
    ("carer", "The private foster carer"),
    ("parent", "A parent or someone with parental responsibility"),
    (
        "arranger",
        "Someone else involved in making the arrangement",
    ),
    (
        "professional",
        "A professional who became aware of it (school, health, police)",
    ),
    ("other", "Someone else"),
];

/// How the carer is related to the child. Close relatives (grandparents, brothers and sisters,
/// aunts and uncles, step-parents) are not private foster carers, so they are not on the list.
pub const CARER_RELATIONSHIPS: &[(&str, &str)] = &[
    ("family_friend", "Family friend"),
    (
        "wider_family",
        "Relative who is not a close relative (for example a cousin or great-aunt)",
    ),
    (
        "host_family",
        "Host family (for example for a language school or a student from overseas)",
    ),
    ("partner_family", "The family of a boyfriend or girlfriend"),
    ("other", "Someone else not related to the child"),
];

/// The outcome of the council's assessment of the arrangement's suitability.
pub const SUITABILITY: &[(&str, &str)] = &[
    ("suitable", "Suitable"),
    (
        "suitable_with_requirements",
        "Suitable, with requirements on the carer",
    ),
    (
        "unsuitable",
        "Not suitable: the arrangement is prohibited or the child is safeguarded",
    ),
];

/// Why an arrangement ended.
pub const END_REASONS: &[(&str, &str)] = &[
    ("returned_home", "The child returned to a parent"),
    ("age", "The child reached 16 (18 if disabled)"),
    ("looked_after", "The child became looked after"),
    (
        "order",
        "The carer obtained a child arrangements order or special guardianship",
    ),
    ("moved", "The child moved to other carers or another area"),
    ("prohibited", "The council prohibited the arrangement"),
    (
        "not_private_fostering",
        "It was not a private fostering arrangement (under 28 days, or a close relative)",
    ),
    ("other", "Another reason"),
];

/// The label of a code in one of the lists above (the code itself if it is not in the list).
pub fn label<'a>(list: &'a [(&'a str, &'a str)], code: &'a str) -> &'a str {
    list.iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, l)| l)
}

fn in_list(list: &[(&str, &str)], v: &str) -> bool {
    list.iter().any(|(c, _)| *c == v)
}

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

fn not_future(e: &mut Vec<FieldError>, field: &str, label: &str, d: NaiveDate, today: NaiveDate) {
    if d > today {
        e.push(FieldError::new(
            field,
            format!("{label} must be today or in the past"),
        ));
    }
}

/// The visiting timescales. The defaults are the regulations'; the first visit to an arrangement
/// already running when the council learnt of it (reg 7) is believed to be due in the same 7
/// working days, unverified, so it is a setting of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timescales {
    /// Working days from the notification of a proposed arrangement to the first visit (reg 4).
    pub first_visit_proposed: u32,
    /// Working days from the notification of an existing arrangement to the first visit (reg 7).
    pub first_visit_existing: u32,
    /// Longest interval between visits in the first year of the arrangement, in weeks (reg 8).
    pub first_year_weeks: u32,
    /// Longest interval between visits after the first year, in weeks (reg 8).
    pub later_weeks: u32,
}

impl Default for Timescales {
    fn default() -> Self {
        Timescales {
            first_visit_proposed: 7,
            first_visit_existing: 7,
            first_year_weeks: 6,
            later_weeks: 12,
        }
    }
}

/// Notice the proposer must give before an arrangement starts (reg 3): 6 weeks.
pub const NOTICE_DAYS: i64 = 42;
/// Time to tell the council that an arrangement has ended (reg 10): 48 hours, taken as 2 days.
pub const END_NOTICE_DAYS: i64 = 2;

// --- New records ---

/// A notification of a private fostering arrangement, proposed or already running.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewArrangement {
    /// When the council was told.
    pub notified_on: NaiveDate,
    /// [`NOTIFIERS`].
    pub notified_by: String,
    /// When the child started (or will start) living with the carer.
    pub starts_on: NaiveDate,
    pub expected_end: Option<NaiveDate>,
    /// [`CARER_RELATIONSHIPS`].
    pub carer_relationship: String,
    /// The carer's name and where the child lives, in brief.
    pub carer: String,
    /// Why the child lives away from home (education, parent abroad, family breakdown ...).
    pub reason: String,
}

impl NewArrangement {
    /// `child_dob` and `disabled` come from the child's record: private fostering is for
    /// children under 16, or under 18 if disabled.
    pub fn validate(
        &self,
        today: NaiveDate,
        child_dob: Option<NaiveDate>,
        disabled: bool,
    ) -> Vec<FieldError> {
        let mut e = Vec::new();
        not_future(
            &mut e,
            "notified",
            "The date of notification",
            self.notified_on,
            today,
        );
        if !in_list(NOTIFIERS, &self.notified_by) {
            e.push(FieldError::new(
                "notified_by",
                "Select who told the council",
            ));
        }
        if self.expected_end.is_some_and(|end| end <= self.starts_on) {
            e.push(FieldError::new(
                "expected_end",
                "The expected end must be after the start of the arrangement",
            ));
        }
        if let Some(dob) = child_dob {
            let limit = if disabled { 18 } else { 16 };
            let age = self.starts_on.years_since(dob).map_or(-1, |y| y as i64);
            if self.starts_on < dob {
                e.push(FieldError::new(
                    "start",
                    "The arrangement cannot start before the child was born",
                ));
            } else if age >= limit {
                e.push(FieldError::new(
                    "start",
                    format!(
                        "The child is {age} at the start: private fostering is for children under 16 (under 18 if disabled)"
                    ),
                ));
            }
        }
        if !in_list(CARER_RELATIONSHIPS, &self.carer_relationship) {
            e.push(FieldError::new(
                "carer_relationship",
                "Select how the carer is related to the child",
            ));
        }
        required(
            &mut e,
            "carer",
            &self.carer,
            "Enter the carer's name and where the child lives",
        );
        required(
            &mut e,
            "reason",
            &self.reason,
            "Enter why the child lives away from home",
        );
        e
    }
}

/// The council's assessment of whether the arrangement is suitable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assessment {
    pub assessed_on: NaiveDate,
    /// [`SUITABILITY`].
    pub outcome: String,
}

impl Assessment {
    pub fn validate(&self, notified_on: NaiveDate, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        not_future(
            &mut e,
            "assessed",
            "The date of the assessment",
            self.assessed_on,
            today,
        );
        if self.assessed_on < notified_on {
            e.push(FieldError::new(
                "assessed",
                "The assessment cannot be before the notification",
            ));
        }
        if !in_list(SUITABILITY, &self.outcome) {
            e.push(FieldError::new(
                "suitability",
                "Select whether the arrangement is suitable",
            ));
        }
        e
    }
}

/// The end of an arrangement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArrangementEnd {
    pub ended_on: NaiveDate,
    /// [`END_REASONS`].
    pub reason: String,
    /// When the council was told it had ended (due within 48 hours).
    pub notified_on: NaiveDate,
}

impl ArrangementEnd {
    pub fn validate(&self, notified: NaiveDate, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        not_future(&mut e, "ended", "The end date", self.ended_on, today);
        if self.ended_on < notified {
            e.push(FieldError::new(
                "ended",
                "The end date must be on or after the notification of the arrangement",
            ));
        }
        if !in_list(END_REASONS, &self.reason) {
            e.push(FieldError::new(
                "end_reason",
                "Select why the arrangement ended",
            ));
        }
        not_future(
            &mut e,
            "end_notified",
            "The date the council was told",
            self.notified_on,
            today,
        );
        if self.notified_on < self.ended_on && self.reason != "not_private_fostering" {
            e.push(FieldError::new(
                "end_notified",
                "The council cannot be told of the end before the end date",
            ));
        }
        e
    }
}

/// A visit to a privately fostered child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewVisit {
    pub visited_on: NaiveDate,
    pub child_seen: bool,
    pub seen_alone: bool,
    /// Why the child was not seen alone (the regulations expect it unless inappropriate).
    pub not_alone_reason: String,
    /// The child's own words.
    pub childs_words: String,
    /// For a child too young to speak, or who chose not to: what was observed.
    pub observation: String,
    /// The written report of the visit.
    pub report: String,
}

impl NewVisit {
    pub fn validate(&self, notified_on: NaiveDate, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        not_future(
            &mut e,
            "visited",
            "The date of the visit",
            self.visited_on,
            today,
        );
        if self.visited_on < notified_on {
            e.push(FieldError::new(
                "visited",
                "The visit cannot be before the notification",
            ));
        }
        if self.child_seen {
            if !self.seen_alone && self.not_alone_reason.trim().is_empty() {
                e.push(FieldError::new(
                    "not_alone_reason",
                    "Enter why it was not appropriate to see the child alone",
                ));
            }
            if self.childs_words.trim().is_empty() && self.observation.trim().is_empty() {
                e.push(FieldError::new(
                    "childs_words",
                    "Enter the child's own words, or for a child who does not speak, what you observed",
                ));
            }
        } else if self.seen_alone {
            e.push(FieldError::new(
                "seen_alone",
                "A child who was not seen cannot have been seen alone",
            ));
        }
        required(
            &mut e,
            "report",
            &self.report,
            "Enter the report of the visit",
        );
        e
    }
}

// --- Records ---

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VisitKind {
    /// The first visit at which the child was seen (regs 4 and 7).
    Initial,
    /// The visits after it (reg 8).
    Statutory,
}

impl VisitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            VisitKind::Initial => "initial",
            VisitKind::Statutory => "statutory",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "initial" => Some(VisitKind::Initial),
            "statutory" => Some(VisitKind::Statutory),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            VisitKind::Initial => "Initial visit",
            VisitKind::Statutory => "Statutory visit",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Visit {
    pub id: Uuid,
    pub arrangement_id: Uuid,
    pub child_id: Uuid,
    pub visited_on: NaiveDate,
    pub kind: VisitKind,
    pub child_seen: bool,
    pub seen_alone: bool,
    pub not_alone_reason: String,
    pub childs_words: String,
    pub observation: String,
    pub report: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Arrangement {
    pub id: Uuid,
    pub child_id: Uuid,
    pub notified_on: NaiveDate,
    pub notified_by: String,
    pub starts_on: NaiveDate,
    pub expected_end: Option<NaiveDate>,
    pub carer_relationship: String,
    pub carer: String,
    pub reason: String,
    pub assessed_on: Option<NaiveDate>,
    pub suitability: Option<String>,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub end_notified_on: Option<NaiveDate>,
    /// Oldest first.
    pub visits: Vec<Visit>,
}

/// A visit that fell due, and when (if ever) it was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitDue {
    pub due: NaiveDate,
    /// The next visit at which the child was seen, on or after the one before.
    pub made: Option<NaiveDate>,
}

impl VisitDue {
    pub fn in_time(&self) -> bool {
        self.made.is_some_and(|m| m <= self.due)
    }
}

/// The first visit due after the notification: `days` working days later.
pub fn first_visit_due(notified_on: NaiveDate, days: u32) -> Result<NaiveDate, CalendarError> {
    Calendar::england().add_working_days(notified_on, days)
}

/// When the arrangement is taken to start: when it starts, or when the council became aware of
/// it if that was later (reg 8).
pub fn deemed_start(starts_on: NaiveDate, notified_on: NaiveDate) -> NaiveDate {
    starts_on.max(notified_on)
}

/// The next visit after one on `last`: within 6 weeks while the last visit was in the first year
/// of the arrangement (counted from `deemed_start`), within 12 weeks once in the second year or
/// later.
pub fn next_visit_due(deemed_start: NaiveDate, last: NaiveDate, t: &Timescales) -> NaiveDate {
    let anniversary = deemed_start
        .checked_add_months(Months::new(12))
        .unwrap_or(deemed_start);
    let weeks = if last < anniversary {
        t.first_year_weeks
    } else {
        t.later_weeks
    };
    last + Days::new(7 * u64::from(weeks))
}

/// Every visit due on an arrangement up to `up_to` (or its end, if earlier): the first visit from
/// the notification, then each next visit from the one before. `seen` are the dates of the
/// visits at which the child was seen. A missed visit is counted once: the chain stops at it.
pub fn visits_due(
    notified_on: NaiveDate,
    starts_on: NaiveDate,
    ended_on: Option<NaiveDate>,
    seen: &[NaiveDate],
    up_to: NaiveDate,
    t: &Timescales,
) -> Vec<VisitDue> {
    let mut seen: Vec<NaiveDate> = seen.iter().copied().filter(|d| *d >= notified_on).collect();
    seen.sort();
    let stop = ended_on.map_or(up_to, |e| e.min(up_to));
    let days = if starts_on > notified_on {
        t.first_visit_proposed
    } else {
        t.first_visit_existing
    };
    let start = deemed_start(starts_on, notified_on);
    let mut out = Vec::new();
    let Ok(mut due) = first_visit_due(notified_on, days) else {
        return out;
    };
    let mut next = seen.into_iter();
    loop {
        match next.next() {
            Some(made) => {
                if due > stop && made > stop {
                    break;
                }
                out.push(VisitDue {
                    due,
                    made: Some(made),
                });
                due = next_visit_due(start, made, t);
            }
            None => {
                if due < stop {
                    out.push(VisitDue { due, made: None });
                }
                break;
            }
        }
    }
    out
}

impl Arrangement {
    pub fn deemed_start(&self) -> NaiveDate {
        deemed_start(self.starts_on, self.notified_on)
    }

    /// The arrangement was already running when the council was told (reg 7), not proposed.
    pub fn existing(&self) -> bool {
        self.starts_on <= self.notified_on
    }

    /// The dates of the visits at which the child was seen, oldest first.
    pub fn seen_dates(&self) -> Vec<NaiveDate> {
        let mut v: Vec<NaiveDate> = self
            .visits
            .iter()
            .filter(|v| v.child_seen)
            .map(|v| v.visited_on)
            .collect();
        v.sort();
        v
    }

    /// The first visit is due 7 working days after the notification (settable).
    pub fn initial_visit_due(&self, t: &Timescales) -> Result<NaiveDate, CalendarError> {
        let days = if self.existing() {
            t.first_visit_existing
        } else {
            t.first_visit_proposed
        };
        first_visit_due(self.notified_on, days)
    }

    /// The date of the initial visit: the first at which the child was seen.
    pub fn initial_visit(&self) -> Option<NaiveDate> {
        self.seen_dates().first().copied()
    }

    /// Whether the initial visit was on time: `None` while it is not yet due (or the date is
    /// outside the calendar).
    pub fn initial_visit_in_time(&self, t: &Timescales, today: NaiveDate) -> Option<bool> {
        let due = self.initial_visit_due(t).ok()?;
        match self.initial_visit() {
            Some(d) => Some(d <= due),
            None if today > due => Some(false),
            None => None,
        }
    }

    /// The next visit due on an open arrangement: the initial visit until it is made, then 6
    /// weeks (first year) or 12 weeks (later) after the latest visit at which the child was seen.
    pub fn next_visit_due(&self, t: &Timescales) -> Option<NaiveDate> {
        if self.ended_on.is_some() {
            return None;
        }
        match self.seen_dates().last() {
            None => self.initial_visit_due(t).ok(),
            Some(last) => Some(next_visit_due(self.deemed_start(), *last, t)),
        }
    }

    /// Every visit due on the arrangement up to `up_to`.
    pub fn visits_due(&self, t: &Timescales, up_to: NaiveDate) -> Vec<VisitDue> {
        visits_due(
            self.notified_on,
            self.starts_on,
            self.ended_on,
            &self.seen_dates(),
            up_to,
            t,
        )
    }

    /// A proposed arrangement notified at least 6 weeks ahead; `None` for one already running.
    pub fn notified_in_advance(&self) -> Option<bool> {
        (!self.existing()).then(|| (self.starts_on - self.notified_on).num_days() >= NOTICE_DAYS)
    }

    /// The end notified within 48 hours; `None` while open.
    pub fn end_notified_in_time(&self) -> Option<bool> {
        let (ended, told) = (self.ended_on?, self.end_notified_on?);
        Some((told - ended).num_days() <= END_NOTICE_DAYS)
    }
}

/// A child's private fostering, as the child's page shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrivateFostering {
    /// Newest first.
    pub arrangements: Vec<Arrangement>,
}

#[cfg(test)]
mod tests;
