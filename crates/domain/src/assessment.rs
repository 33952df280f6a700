//! Single assessments: started on a referral, due 45 working days from it, written by the
//! Assessment Framework's three domains (the child's developmental needs, parenting capacity,
//! family and environmental factors) with the child's and the parents' views and the worker's
//! analysis, saved as a draft while being written, completed with the CIN census factors
//! identified and an outcome, and authorised by a manager (or returned to the worker with a
//! comment).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::calendar::collection_year;
use crate::codes;
use crate::rules::entry::{code, max_len, required};
use crate::validate::FieldError;

/// The assessment as written by the Assessment Framework (Working Together to Safeguard Children):
/// its three domains, the views of the child and of the parents, and the analysis.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssessmentFramework {
    /// The child's developmental needs: health, education, emotional and behavioural development,
    /// identity, family and social relationships, social presentation, self-care skills.
    #[serde(default)]
    pub developmental_needs: String,
    /// Parenting capacity: basic care, ensuring safety, emotional warmth, stimulation, guidance and
    /// boundaries, stability.
    #[serde(default)]
    pub parenting_capacity: String,
    /// Family and environmental factors: family history and functioning, wider family, housing,
    /// employment, income, the family's social integration, community resources.
    #[serde(default)]
    pub family_environment: String,
    /// The child's views, wishes and feelings (for a child too young to say, what was observed).
    #[serde(default)]
    pub child_views: String,
    /// The parents' or carers' views (or that they would not take part, and why).
    #[serde(default)]
    pub parents_views: String,
    /// The analysis: what the information means for the child, the risks and strengths, and why
    /// the outcome follows.
    #[serde(default)]
    pub analysis: String,
}

/// One section of the framework: its field, its question, what it covers, what completing it
/// requires.
#[derive(Debug, Clone, Copy)]
pub struct Section {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub missing: &'static str,
}

/// The framework's sections, in the order the assessment is written.
pub const FRAMEWORK_SECTIONS: [Section; 6] = [
    Section {
        name: "developmental_needs",
        label: "The child's developmental needs",
        hint: "Health, education, emotional and behavioural development, identity, family and social relationships, social presentation, self-care skills.",
        missing: "Enter the child's developmental needs",
    },
    Section {
        name: "parenting_capacity",
        label: "Parenting capacity",
        hint: "Basic care, ensuring safety, emotional warmth, stimulation, guidance and boundaries, stability.",
        missing: "Enter what the assessment found of parenting capacity",
    },
    Section {
        name: "family_environment",
        label: "Family and environmental factors",
        hint: "Family history and functioning, wider family, housing, employment, income, the family's social integration, community resources.",
        missing: "Enter the family and environmental factors",
    },
    Section {
        name: "child_views",
        label: "The child's views, wishes and feelings",
        hint: "In the child's own words where they can give them; for a baby or a child who cannot say, what was observed of them and with their carers.",
        missing: "Enter the child's views, or what was observed of a child too young to say",
    },
    Section {
        name: "parents_views",
        label: "The parents' or carers' views",
        hint: "Or that they would not take part, and why.",
        missing: "Enter the parents' or carers' views, or why they were not given",
    },
    Section {
        name: "analysis",
        label: "Analysis",
        hint: "What the information means for the child: the risks, the strengths, what is likely to happen without help, and why the outcome follows.",
        missing: "Enter the analysis of what the assessment found",
    },
];

/// Longest a section may be.
pub const SECTION_MAX: usize = 20_000;

impl AssessmentFramework {
    /// A section's text by its field name.
    pub fn section(&self, name: &str) -> &str {
        match name {
            "developmental_needs" => &self.developmental_needs,
            "parenting_capacity" => &self.parenting_capacity,
            "family_environment" => &self.family_environment,
            "child_views" => &self.child_views,
            "parents_views" => &self.parents_views,
            "analysis" => &self.analysis,
            _ => "",
        }
    }

    /// Builds the framework from a lookup of each section's text.
    pub fn from_sections(mut get: impl FnMut(&str) -> String) -> Self {
        AssessmentFramework {
            developmental_needs: get("developmental_needs"),
            parenting_capacity: get("parenting_capacity"),
            family_environment: get("family_environment"),
            child_views: get("child_views"),
            parents_views: get("parents_views"),
            analysis: get("analysis"),
        }
    }

    /// What a draft may hold: anything, up to each section's length.
    pub fn validate_draft(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        for f in FRAMEWORK_SECTIONS {
            max_len(&mut e, f.name, f.label, self.section(f.name), SECTION_MAX);
        }
        e
    }

    /// A completed assessment has every section written.
    pub fn validate_complete(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        for f in FRAMEWORK_SECTIONS {
            required(&mut e, f.name, self.section(f.name), f.missing);
        }
        e.extend(self.validate_draft());
        e
    }

    pub fn trimmed(&self) -> Self {
        AssessmentFramework::from_sections(|n| self.section(n).trim().to_string())
    }
}

/// An assessment a manager sent back to its worker, with what to change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssessmentReturn {
    pub returned_at: DateTime<Utc>,
    pub returned_by: Option<String>,
    /// The completion date it had when it was returned.
    pub completed_on: NaiveDate,
    pub comment: String,
}

/// A manager's comment when returning an assessment, or on authorising one.
pub fn validate_comment(field: &str, comment: &str, missing: &str) -> Vec<FieldError> {
    let mut e = Vec::new();
    required(&mut e, field, comment, missing);
    max_len(&mut e, field, "The comment", comment, 5_000);
    e
}

/// Completing a single assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssessmentCompletion {
    pub completed_on: NaiveDate,
    /// CIN census factor codes; "21" (no factors) stands alone.
    pub factors: Vec<String>,
    /// `codes::assessment_outcome`.
    pub outcome: String,
    /// The summary of the findings and the recommendation.
    pub summary: String,
    /// The assessment itself, by the Assessment Framework.
    #[serde(flatten)]
    pub framework: AssessmentFramework,
}

impl AssessmentCompletion {
    pub fn validate(&self, started: NaiveDate, today: NaiveDate) -> Vec<FieldError> {
        let mut e = Vec::new();
        let year = collection_year(self.completed_on);
        if self.completed_on > today {
            e.push(FieldError::new(
                "completed",
                "The date completed must be today or in the past",
            ));
        } else if self.completed_on < started {
            e.push(FieldError::new(
                "completed",
                "The date completed must be the same as or after the date the assessment started",
            ));
        }
        if self.factors.is_empty() {
            e.push(FieldError::new(
                "factors",
                "Select the factors identified, or \"No factors identified\"",
            ));
        } else if let Some(bad) = self
            .factors
            .iter()
            .find(|f| !codes::assessment_factor().is_valid(f, year))
        {
            e.push(FieldError::new(
                "factors",
                format!("{bad:?} is not an assessment factor code"),
            ));
        } else if self.factors.len() > 1 && self.factors.iter().any(|f| f == "21") {
            e.push(FieldError::new(
                "factors",
                "\"No factors identified\" cannot be selected with other factors",
            ));
        }
        code(
            &mut e,
            "outcome",
            codes::assessment_outcome(),
            &self.outcome,
            year,
            "Select the outcome of the assessment",
        );
        required(
            &mut e,
            "summary",
            &self.summary,
            "Enter a summary of the assessment's findings",
        );
        max_len(&mut e, "summary", "The summary", &self.summary, 20_000);
        e.extend(self.framework.validate_complete());
        e
    }
}

/// A single (child and family) assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assessment {
    pub id: Uuid,
    pub child_id: Uuid,
    pub referral_id: Uuid,
    pub referral_date: NaiveDate,
    pub started_on: NaiveDate,
    /// 45 working days from the referral.
    pub due_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
    pub factors: Vec<String>,
    pub outcome: Option<String>,
    pub summary: String,
    pub authorised_on: Option<NaiveDate>,
    pub authorised_by: Option<String>,
    /// The manager's comment on authorising it.
    pub authorised_comment: String,
    /// The assessment as written (a draft until completed).
    pub framework: AssessmentFramework,
    /// When the draft was last saved.
    pub draft_saved_at: Option<DateTime<Utc>>,
    /// Each time a manager returned it to the worker, oldest first.
    pub returns: Vec<AssessmentReturn>,
    pub version: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, NaiveDateTime};

    #[allow(dead_code)]
    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    #[allow(dead_code)]
    fn dt(y: i32, m: u32, day: u32, h: u32) -> NaiveDateTime {
        d(y, m, day).and_hms_opt(h, 0, 0).unwrap()
    }
    fn written() -> AssessmentFramework {
        AssessmentFramework::from_sections(|n| format!("{n}: what the worker found"))
    }

    #[test]
    fn a_completed_assessment_has_every_section_of_the_framework_and_a_draft_need_not() {
        let mut f = written();
        assert!(f.validate_complete().is_empty());
        f.child_views = "  ".into();
        f.analysis = String::new();
        let e = f.validate_complete();
        let fields: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["child_views", "analysis"]);
        assert!(e[0].message.contains("too young to say"));
        // A draft may be half written, but not longer than a section may be.
        assert!(f.validate_draft().is_empty());
        f.parenting_capacity = "x".repeat(SECTION_MAX + 1);
        assert_eq!(f.validate_draft()[0].field, "parenting_capacity");
        assert_eq!(f.section("parenting_capacity").len(), SECTION_MAX + 1);
        assert_eq!(f.section("nonsense"), "");
        assert_eq!(
            validate_comment("comment", " ", "Enter what to change")[0].message,
            "Enter what to change"
        );
    }

    #[test]
    fn assessment_factors_follow_the_census_rules() {
        let mut c = AssessmentCompletion {
            completed_on: d(2026, 2, 1),
            factors: vec!["3B".into(), "4B".into()],
            outcome: "cin_plan".into(),
            summary: "Domestic abuse; mother's mental health".into(),
            framework: written(),
        };
        assert!(c.validate(d(2026, 1, 5), d(2026, 3, 1)).is_empty());
        c.factors = vec!["21".into(), "3B".into()];
        assert_eq!(c.validate(d(2026, 1, 5), d(2026, 3, 1))[0].field, "factors");
        c.factors = vec!["18A".into()];
        assert!(
            c.validate(d(2026, 1, 5), d(2026, 3, 1))[0]
                .message
                .contains("18A")
        );
        c.factors = vec!["21".into()];
        c.completed_on = d(2026, 1, 4);
        assert_eq!(
            c.validate(d(2026, 1, 5), d(2026, 3, 1))[0].field,
            "completed"
        );
    }
}
