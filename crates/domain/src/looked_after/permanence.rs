//! Permanence plans for children in care: the plan for where the child will grow up (return to
//! family, adoption, special guardianship, a child arrangements order, long-term fostering,
//! residential care, supported living, other), its target date, early permanence (fostering for
//! adoption, concurrent planning) and twin tracking. A plan is never overwritten: a new plan
//! supersedes the last, which stays on the record with the date it was superseded.
//!
//! The plan's categories follow Ofsted's Annex A List 8 (specs/statutory-data.md §1.4/§7 List 8:
//! return to family, adoption, SGO/CAO, supported living, long-term residential, long-term
//! fostering, other), with SGO and CAO kept apart. The plan is due by the second looked-after
//! review (*The Children Act 1989 guidance and regulations, volume 2: care planning, placement and
//! case review*, para 2.3): **UNCONFIRMED — verify the paragraph** before quoting it to users.

use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::calendar::CalendarError;
use crate::codes::{Code, CodeList};
use crate::timescales::cla_review_due;
use crate::validate::FieldError;

const fn always(code: &'static str, label: &'static str) -> Code {
    Code {
        code,
        label,
        valid_from: None,
        valid_to: None,
    }
}

/// The permanence plan.
pub fn permanence_plan() -> &'static CodeList {
    static L: OnceLock<CodeList> = OnceLock::new();
    L.get_or_init(|| CodeList {
        name: "permanence plan",
        codes: vec![
            always("return_to_family", "Return to family"),
            always("adoption", "Adoption"),
            always("special_guardianship", "Special guardianship order"),
            always("child_arrangements", "Child arrangements order"),
            always("long_term_fostering", "Long-term fostering"),
            always("residential", "Long-term residential care"),
            always("supported_living", "Supported living in the community"),
            always("other", "Other"),
        ],
    })
}

/// Early permanence: a placement with carers approved both to foster and to adopt.
pub fn early_permanence() -> &'static CodeList {
    static L: OnceLock<CodeList> = OnceLock::new();
    L.get_or_init(|| CodeList {
        name: "early permanence",
        codes: vec![
            always("foster_for_adoption", "Fostering for adoption"),
            always("concurrent_planning", "Concurrent planning"),
        ],
    })
}

/// A permanence plan as agreed (at a review or a permanence planning meeting).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPermanencePlan {
    /// One of [`permanence_plan`]'s codes.
    pub plan: String,
    /// When the plan was agreed.
    pub agreed_on: NaiveDate,
    /// When the plan is to be achieved by.
    pub target_on: NaiveDate,
    /// `foster_for_adoption` or `concurrent_planning`, with a plan of adoption.
    #[serde(default)]
    pub early_permanence: Option<String>,
    /// The parallel plan when twin tracking (another of [`permanence_plan`]'s codes).
    #[serde(default)]
    pub parallel_plan: Option<String>,
    /// Why this plan.
    #[serde(default)]
    pub rationale: String,
}

fn some(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl NewPermanencePlan {
    /// The plan's code; agreed today or before, not before the child entered care (and only for
    /// a child in care); a target date not in the past (a new plan); early permanence only with
    /// a plan of adoption; a parallel plan other than the plan itself.
    pub fn validate(&self, entered_care: Option<NaiveDate>, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        if !permanence_plan().is_valid(&self.plan, 0) {
            e.push(FieldError::new("plan", "Select the permanence plan"));
        }
        if self.agreed_on > today {
            e.push(FieldError::new(
                "agreed",
                "The date the plan was agreed must be today or in the past",
            ));
        }
        match entered_care {
            None => e.push(FieldError::new(
                "agreed",
                "The child is not looked after: a permanence plan needs a period of care",
            )),
            Some(entered) if self.agreed_on < entered => e.push(FieldError::new(
                "agreed",
                "The date the plan was agreed must be on or after the child entered care",
            )),
            Some(_) => {}
        }
        if self.target_on < today {
            e.push(FieldError::new(
                "target",
                "The target date must be today or in the future",
            ));
        }
        if let Some(ep) = some(&self.early_permanence) {
            if !early_permanence().is_valid(ep, 0) {
                e.push(FieldError::new(
                    "early_permanence",
                    "Select fostering for adoption or concurrent planning",
                ));
            } else if self.plan != "adoption" {
                e.push(FieldError::new(
                    "early_permanence",
                    "Early permanence is for a plan of adoption",
                ));
            }
        }
        if let Some(p) = some(&self.parallel_plan) {
            if !permanence_plan().is_valid(p, 0) {
                e.push(FieldError::new("parallel_plan", "Select the parallel plan"));
            } else if p == self.plan {
                e.push(FieldError::new(
                    "parallel_plan",
                    "The parallel plan must be different from the permanence plan",
                ));
            }
        }
        e
    }
}

/// A permanence plan on the record; `superseded_on` once a later plan replaced it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PermanencePlan {
    pub id: Uuid,
    pub child_id: Uuid,
    pub plan: String,
    pub agreed_on: NaiveDate,
    pub target_on: NaiveDate,
    pub early_permanence: Option<String>,
    pub parallel_plan: Option<String>,
    pub rationale: String,
    /// Whether twin tracking (a parallel plan is recorded).
    pub twin_track: bool,
    pub superseded_on: Option<NaiveDate>,
    pub superseded_by: Option<Uuid>,
    pub recorded_by: Option<Uuid>,
}

impl PermanencePlan {
    /// The plan in words, with early permanence and the parallel plan.
    pub fn describe(&self) -> String {
        let mut s = permanence_plan()
            .label(&self.plan)
            .unwrap_or("Other")
            .to_string();
        if let Some(ep) = self
            .early_permanence
            .as_deref()
            .and_then(|c| early_permanence().label(c))
        {
            s.push_str(&format!(" ({})", ep.to_lowercase()));
        }
        if let Some(p) = self
            .parallel_plan
            .as_deref()
            .and_then(|c| permanence_plan().label(c))
        {
            s.push_str(&format!(", twin tracking with {}", p.to_lowercase()));
        }
        s
    }
}

/// The date the permanence plan is due: by the second looked-after review of the period of care.
/// `held` are the dates of the reviews held in this period. With two or more held, the second
/// review's date; with one, the second's due date (3 months after the first); with none, the
/// second review's due date were the first held on its own due date.
pub fn permanence_plan_due(
    entered_care: NaiveDate,
    held: &[NaiveDate],
) -> Result<NaiveDate, CalendarError> {
    let mut held: Vec<NaiveDate> = held
        .iter()
        .copied()
        .filter(|h| *h >= entered_care)
        .collect();
    held.sort();
    match held.as_slice() {
        [_, second, ..] => Ok(*second),
        [first] => cla_review_due(entered_care, Some((*first, 1))),
        [] => {
            let first = cla_review_due(entered_care, None)?;
            cla_review_due(entered_care, Some((first, 1)))
        }
    }
}

/// The plan in force: the latest not superseded.
pub fn current_plan(plans: &[PermanencePlan]) -> Option<&PermanencePlan> {
    plans
        .iter()
        .filter(|p| p.superseded_on.is_none())
        .max_by_key(|p| (p.agreed_on, p.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn plan(code: &str) -> NewPermanencePlan {
        NewPermanencePlan {
            plan: code.into(),
            agreed_on: d(2025, 3, 1),
            target_on: d(2026, 6, 1),
            early_permanence: None,
            parallel_plan: None,
            rationale: "Parents unable to care safely.".into(),
        }
    }

    fn fields(p: &NewPermanencePlan, entered: Option<NaiveDate>) -> Vec<String> {
        p.validate(entered, d(2025, 4, 1))
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn a_plan_needs_a_code_a_target_not_past_and_a_fitting_early_permanence() {
        let entered = Some(d(2025, 1, 6));
        assert!(fields(&plan("adoption"), entered).is_empty());
        assert_eq!(fields(&plan("foster"), entered), ["plan"]);
        let mut p = plan("long_term_fostering");
        p.target_on = d(2025, 3, 31);
        assert_eq!(fields(&p, entered), ["target"]);
        p.target_on = d(2025, 4, 1);
        assert!(fields(&p, entered).is_empty());
        p.early_permanence = Some("foster_for_adoption".into());
        assert_eq!(fields(&p, entered), ["early_permanence"]);
        let mut p = plan("adoption");
        p.early_permanence = Some("concurrent_planning".into());
        p.parallel_plan = Some("return_to_family".into());
        assert!(fields(&p, entered).is_empty());
        p.parallel_plan = Some("adoption".into());
        assert_eq!(fields(&p, entered), ["parallel_plan"]);
        // Agreed before care began, in the future, or for a child not in care.
        let mut p = plan("adoption");
        p.agreed_on = d(2025, 1, 1);
        assert_eq!(fields(&p, entered), ["agreed"]);
        p.agreed_on = d(2025, 4, 2);
        assert_eq!(fields(&p, entered), ["agreed"]);
        assert_eq!(fields(&plan("adoption"), None), ["agreed"]);
        let e = plan("x").validate(entered, d(2025, 4, 1));
        assert_eq!(e[0].message, "Select the permanence plan");
    }

    #[test]
    fn the_plan_is_due_by_the_second_review() {
        // Entered care Monday 6 January 2025: first review due 3 February, the second 3 months on.
        let entered = d(2025, 1, 6);
        assert_eq!(permanence_plan_due(entered, &[]).unwrap(), d(2025, 5, 3));
        assert_eq!(
            permanence_plan_due(entered, &[d(2025, 1, 30)]).unwrap(),
            d(2025, 4, 30)
        );
        assert_eq!(
            permanence_plan_due(entered, &[d(2025, 4, 20), d(2025, 1, 30), d(2025, 9, 1)]).unwrap(),
            d(2025, 4, 20)
        );
        // A review from an earlier period does not count.
        assert_eq!(
            permanence_plan_due(entered, &[d(2024, 6, 1), d(2025, 1, 30)]).unwrap(),
            d(2025, 4, 30)
        );
    }

    #[test]
    fn the_current_plan_is_the_latest_not_superseded() {
        let mk = |code: &str, on, sup: Option<NaiveDate>| PermanencePlan {
            id: Uuid::now_v7(),
            child_id: Uuid::nil(),
            plan: code.into(),
            agreed_on: on,
            target_on: d(2026, 1, 1),
            early_permanence: Some("foster_for_adoption".into()),
            parallel_plan: Some("return_to_family".into()),
            rationale: String::new(),
            twin_track: true,
            superseded_on: sup,
            superseded_by: None,
            recorded_by: None,
        };
        let plans = vec![
            mk("return_to_family", d(2025, 2, 1), Some(d(2025, 5, 1))),
            mk("adoption", d(2025, 5, 1), None),
        ];
        let c = current_plan(&plans).unwrap();
        assert_eq!(c.plan, "adoption");
        assert_eq!(
            c.describe(),
            "Adoption (fostering for adoption), twin tracking with return to family"
        );
        assert!(current_plan(&plans[..1]).is_none());
    }
}
