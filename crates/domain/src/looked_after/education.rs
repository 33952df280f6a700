//! Personal education plans (PEPs) for children in care: each termly PEP meeting with the
//! child's achievements, SMART targets (the area, the target, by when) whose progress is reviewed
//! at the next PEP, and the virtual school's sign-off. *Promoting the education of looked-after
//! and previously looked-after children* (DfE 2018); specs/statutory-data.md §8 row 18: the PEP
//! is initiated with the care plan (within 10 working days of an emergency placement) and
//! reviewed every school term. The 903 and the metrics read each PEP's date (`pep_review`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::reviews::age_on;
use super::school_term;
use crate::calendar::CalendarError;
use crate::timescales::care_plan_due;
use crate::validate::FieldError;

/// A SMART target set at a PEP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPepTarget {
    /// What the target is about: attainment in a subject, attendance, wellbeing...
    #[serde(default)]
    pub area: String,
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub by_when: Option<NaiveDate>,
}

impl NewPepTarget {
    /// Problems named `area`, `target` and `by_when` (the page names its rows' fields itself).
    pub fn validate(&self, reviewed_on: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        if self.area.trim().is_empty() {
            e.push(FieldError::new("area", "Enter what the target is about"));
        }
        if self.target.trim().is_empty() {
            e.push(FieldError::new("target", "Enter the target"));
        }
        match self.by_when {
            None => e.push(FieldError::new(
                "by_when",
                "Enter when the target is to be met",
            )),
            Some(by) if by <= reviewed_on => e.push(FieldError::new(
                "by_when",
                "The date the target is to be met by must be after the PEP",
            )),
            Some(_) => {}
        }
        e
    }
}

/// Progress on a target from an earlier PEP, reviewed at this one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TargetProgress {
    pub target_id: Uuid,
    pub progress: String,
    #[serde(default)]
    pub achieved: bool,
}

/// A PEP meeting as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPep {
    pub reviewed_on: NaiveDate,
    #[serde(default)]
    pub achievements: String,
    #[serde(default)]
    pub targets: Vec<NewPepTarget>,
    /// Progress on the last PEP's targets.
    #[serde(default)]
    pub progress: Vec<TargetProgress>,
    /// Who signed the PEP off for the virtual school.
    #[serde(default)]
    pub signed_off_by: Option<String>,
    #[serde(default)]
    pub signed_off_on: Option<NaiveDate>,
}

impl NewPep {
    /// The PEP itself (see [`NewPep::validate_pep`]), and each target's parts, named `targets`.
    pub fn validate(&self, entered_care: Option<NaiveDate>, today: NaiveDate) -> Vec<FieldError> {
        let mut e = self.validate_pep(entered_care, today);
        if self.targets.is_empty() {
            e.push(FieldError::new("targets", "Enter at least one target"));
        }
        for (i, t) in self.targets.iter().enumerate() {
            for p in t.validate(self.reviewed_on) {
                e.push(FieldError::new(
                    "targets",
                    format!("Target {}: {}", i + 1, p.message),
                ));
            }
        }
        e
    }

    /// The date (not in the future, not before the child started to be looked after), progress
    /// on earlier targets, and the virtual school's sign-off (a name and a date together, on or
    /// after the PEP and not in the future).
    pub fn validate_pep(
        &self,
        entered_care: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Vec<FieldError> {
        let mut e = Vec::new();
        if self.reviewed_on > today {
            e.push(FieldError::new(
                "reviewed",
                "The date of the PEP must be today or in the past",
            ));
        }
        match entered_care {
            None => e.push(FieldError::new(
                "reviewed",
                "The child is not looked after: a PEP needs a period of care",
            )),
            Some(entered) if self.reviewed_on < entered => e.push(FieldError::new(
                "reviewed",
                "The date of the PEP must be on or after the child started to be looked after",
            )),
            Some(_) => {}
        }
        for p in &self.progress {
            if p.progress.trim().is_empty() {
                e.push(FieldError::new(
                    "progress",
                    "Enter the progress made on each earlier target",
                ));
                break;
            }
        }
        let by = self
            .signed_off_by
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        match (by, self.signed_off_on) {
            (None, None) => {}
            (Some(_), None) => e.push(FieldError::new(
                "signed_off",
                "Enter the date the virtual school signed the PEP off",
            )),
            (None, Some(_)) => e.push(FieldError::new(
                "signed_off_by",
                "Enter who signed the PEP off for the virtual school",
            )),
            (Some(_), Some(on)) if on > today => e.push(FieldError::new(
                "signed_off",
                "The date of the sign-off must be today or in the past",
            )),
            (Some(_), Some(on)) if on < self.reviewed_on => e.push(FieldError::new(
                "signed_off",
                "The date of the sign-off must be on or after the PEP",
            )),
            _ => {}
        }
        e
    }
}

/// A target on the record, with its progress once reviewed at a later PEP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PepTarget {
    pub id: Uuid,
    pub pep_id: Uuid,
    pub child_id: Uuid,
    pub area: String,
    pub target: String,
    pub due_on: NaiveDate,
    pub progress: Option<String>,
    pub achieved: Option<bool>,
    /// The PEP at which progress was reviewed.
    pub reviewed_at: Option<Uuid>,
}

/// A PEP on the record (a `pep_review` row, extended), with the targets set at it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PepRecord {
    pub id: Uuid,
    pub child_id: Uuid,
    pub reviewed_on: NaiveDate,
    pub achievements: String,
    pub signed_off_by: Option<String>,
    pub signed_off_on: Option<NaiveDate>,
    pub recorded_by: Option<Uuid>,
    pub targets: Vec<PepTarget>,
}

/// Whether a child needs a PEP on a date: of school age, taken as 5 to 15 as indicator 36 does.
/// UNCONFIRMED: the 2018 guidance also expects PEPs in early years (from 3) and for young people
/// in education after 16; local practice varies — **verify** with the virtual school.
pub fn pep_applies(date_of_birth: Option<NaiveDate>, on: NaiveDate) -> bool {
    date_of_birth.is_some_and(|dob| (5..16).contains(&age_on(dob, on)))
}

/// The next PEP: the first within 10 working days of entering care (initiated with the care plan,
/// §8 rows 9 and 18); then one every school term, so the next is due by the end of the term after
/// the last PEP's ([`school_term`]). A PEP before this period of care does not count.
pub fn pep_due(
    entered_care: NaiveDate,
    last: Option<NaiveDate>,
) -> Result<NaiveDate, CalendarError> {
    match last.filter(|l| *l >= entered_care) {
        None => care_plan_due(entered_care),
        Some(l) => {
            let this_term_ends = school_term(l).1;
            let next = this_term_ends.succ_opt().expect("a real date");
            Ok(school_term(next).1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn target() -> NewPepTarget {
        NewPepTarget {
            area: "Reading".into(),
            target: "Read a chapter book independently each week".into(),
            by_when: Some(d(2025, 7, 18)),
        }
    }

    fn pep(on: NaiveDate) -> NewPep {
        NewPep {
            reviewed_on: on,
            achievements: "Star of the week in March.".into(),
            targets: vec![target()],
            progress: vec![],
            signed_off_by: Some("Virtual school head".into()),
            signed_off_on: Some(on),
        }
    }

    fn fields(p: &NewPep) -> Vec<String> {
        p.validate(Some(d(2025, 1, 6)), d(2025, 4, 1))
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn a_pep_before_care_started_or_with_targets_missing_their_parts_is_refused() {
        assert!(fields(&pep(d(2025, 3, 10))).is_empty());
        assert_eq!(fields(&pep(d(2025, 1, 3))), ["reviewed"]);
        let e = pep(d(2025, 1, 3)).validate(Some(d(2025, 1, 6)), d(2025, 4, 1));
        assert_eq!(
            e[0].message,
            "The date of the PEP must be on or after the child started to be looked after"
        );
        assert_eq!(fields(&pep(d(2025, 4, 2))), ["reviewed", "signed_off"]);
        let mut p = pep(d(2025, 3, 10));
        p.targets = vec![NewPepTarget {
            area: String::new(),
            target: "Attend every day".into(),
            by_when: None,
        }];
        let e = p.validate(Some(d(2025, 1, 6)), d(2025, 4, 1));
        assert_eq!(e.len(), 2);
        assert!(e.iter().all(|e| e.field == "targets"));
        assert_eq!(e[0].message, "Target 1: Enter what the target is about");
        assert_eq!(e[1].message, "Target 1: Enter when the target is to be met");
        p.targets.clear();
        assert_eq!(fields(&p), ["targets"]);
        let mut p = pep(d(2025, 3, 10));
        p.targets[0].by_when = Some(d(2025, 3, 10));
        assert_eq!(fields(&p), ["targets"]);
        // Sign-off: who and when together, on or after the PEP.
        let mut p = pep(d(2025, 3, 10));
        p.signed_off_on = None;
        assert_eq!(fields(&p), ["signed_off"]);
        p.signed_off_by = None;
        assert!(fields(&p).is_empty());
        p.signed_off_on = Some(d(2025, 3, 9));
        assert_eq!(fields(&p), ["signed_off_by"]);
        p.signed_off_by = Some("VSH".into());
        assert_eq!(fields(&p), ["signed_off"]);
        let mut p = pep(d(2025, 3, 10));
        p.progress = vec![TargetProgress {
            target_id: Uuid::nil(),
            progress: " ".into(),
            achieved: false,
        }];
        assert_eq!(fields(&p), ["progress"]);
        assert_eq!(
            pep(d(2025, 3, 10)).validate(None, d(2025, 4, 1))[0].field,
            "reviewed"
        );
    }

    #[test]
    fn peps_fall_due_within_10_working_days_then_each_term() {
        let entered = d(2025, 1, 6);
        assert_eq!(pep_due(entered, None).unwrap(), d(2025, 1, 20));
        // Last PEP in the spring term: the next by the end of the summer term.
        assert_eq!(
            pep_due(entered, Some(d(2025, 3, 10))).unwrap(),
            d(2025, 8, 31)
        );
        // In the summer term: by the end of the autumn term; in autumn: by the end of spring.
        assert_eq!(
            pep_due(entered, Some(d(2025, 6, 1))).unwrap(),
            d(2025, 12, 31)
        );
        assert_eq!(
            pep_due(entered, Some(d(2025, 10, 1))).unwrap(),
            d(2026, 4, 14)
        );
        // A PEP before this period of care does not count.
        assert_eq!(
            pep_due(entered, Some(d(2024, 10, 1))).unwrap(),
            d(2025, 1, 20)
        );
    }

    #[test]
    fn peps_for_children_of_school_age() {
        let on = d(2025, 3, 1);
        assert!(pep_applies(Some(d(2015, 6, 1)), on));
        assert!(!pep_applies(Some(d(2021, 6, 1)), on));
        assert!(!pep_applies(Some(d(2009, 1, 1)), on));
        assert!(!pep_applies(None, on));
    }
}
