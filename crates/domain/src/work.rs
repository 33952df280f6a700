//! Work due: what is owed to each child by when, on a worker's or a team's list, and the
//! council's own visiting standards for children on plans.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::timescales::Rag;

/// What kind of work an item is: the work due page's filter, and how it is grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WorkKind {
    /// A contact waiting for the front door's decision.
    FrontDoor,
    /// A child without an allocated worker after a front-door decision.
    Allocation,
    /// An assessment to complete or to authorise.
    Assessment,
    /// Section 47 enquiries, conferences and core groups.
    ChildProtection,
    /// Actions on child in need plans.
    PlanAction,
    /// Statutory and council-standard visits.
    Visit,
    /// Looked-after reviews, health assessments, SDQs and the IRO's recommendations.
    Care,
    /// Pathway plans, keeping in touch and support for care leavers.
    LeavingCare,
    /// Private fostering visits.
    PrivateFostering,
    /// Learning actions from case file audits.
    Audit,
    /// Supervision of workers.
    Supervision,
}

impl WorkKind {
    pub const ALL: [WorkKind; 11] = [
        WorkKind::FrontDoor,
        WorkKind::Allocation,
        WorkKind::Assessment,
        WorkKind::ChildProtection,
        WorkKind::PlanAction,
        WorkKind::Visit,
        WorkKind::Care,
        WorkKind::LeavingCare,
        WorkKind::PrivateFostering,
        WorkKind::Audit,
        WorkKind::Supervision,
    ];

    /// The code used in a filter's query string.
    pub fn code(self) -> &'static str {
        match self {
            WorkKind::FrontDoor => "front_door",
            WorkKind::Allocation => "allocation",
            WorkKind::Assessment => "assessment",
            WorkKind::ChildProtection => "child_protection",
            WorkKind::PlanAction => "plan_action",
            WorkKind::Visit => "visit",
            WorkKind::Care => "care",
            WorkKind::LeavingCare => "leaving_care",
            WorkKind::PrivateFostering => "private_fostering",
            WorkKind::Audit => "audit",
            WorkKind::Supervision => "supervision",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            WorkKind::FrontDoor => "Front-door decisions",
            WorkKind::Allocation => "Allocation",
            WorkKind::Assessment => "Assessments",
            WorkKind::ChildProtection => "Child protection",
            WorkKind::PlanAction => "Child in need plan actions",
            WorkKind::Visit => "Visits",
            WorkKind::Care => "Children in care",
            WorkKind::LeavingCare => "Care leavers",
            WorkKind::PrivateFostering => "Private fostering",
            WorkKind::Audit => "Case file audit actions",
            WorkKind::Supervision => "Supervision",
        }
    }

    pub fn from_code(code: &str) -> Option<WorkKind> {
        WorkKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// A piece of work due: on a worker's or team's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DueItem {
    pub kind: WorkKind,
    /// "Front-door decision", "Assessment", "Assessment authorisation", in full.
    pub what: String,
    pub due: NaiveDate,
    pub rag: Rag,
    pub child_id: Option<Uuid>,
    pub child_name: String,
    pub worker_name: Option<String>,
    /// Where to do it.
    pub link: String,
}

/// How often children on plans are visited: not set nationally, so each council sets its own
/// (specs/statutory-data.md §8 rows 7 and 8). Defaults: every 10 working days on a child
/// protection plan, every 20 on a child in need plan. Core groups after the first (within 10
/// working days of the initial conference, the one national timescale) meet "regularly"
/// (Working Together): the council sets how often; the default is every 30 working days
/// (about six weeks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisitStandards {
    pub cp_working_days: u32,
    pub cin_working_days: u32,
    pub core_group_working_days: u32,
}

impl Default for VisitStandards {
    fn default() -> Self {
        VisitStandards {
            cp_working_days: 10,
            cin_working_days: 20,
            core_group_working_days: 30,
        }
    }
}

/// Where a child is on their journey now, as the banner on their page and the caseload lists
/// say it: the plans and episodes open today, each with when it began.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseStatus {
    /// On a child protection plan since.
    pub cp_plan: Option<NaiveDate>,
    /// The plan's latest category of abuse (CIN census code).
    pub cp_category: Option<String>,
    /// Looked after since (the current period of care).
    pub looked_after: Option<NaiveDate>,
    /// The current legal status (903 code).
    pub legal_status: Option<String>,
    /// On a child in need plan since.
    pub cin_plan: Option<NaiveDate>,
    /// An open referral (a child in need episode) since, with no plan yet.
    pub open_referral: Option<NaiveDate>,
    /// Early help since.
    pub early_help: Option<NaiveDate>,
    /// Privately fostered since (the arrangement's notification).
    pub private_fostering: Option<NaiveDate>,
    /// A care leaver with a personal adviser.
    pub care_leaver: bool,
    pub restricted: bool,
}

impl CaseStatus {
    /// Each open part of the child's journey in words, most serious first, e.g. "On a child
    /// protection plan since 3 March 2026 (neglect)", "Looked after since 1 May 2025 (full care
    /// order)". Empty when nothing is open.
    pub fn lines(&self) -> Vec<String> {
        let date = |d: &NaiveDate| d.format("%-d %B %Y").to_string();
        let mut out = Vec::new();
        if let Some(since) = &self.looked_after {
            match self.legal_status.as_deref() {
                Some(code) => out.push(format!(
                    "Looked after since {} ({})",
                    date(since),
                    crate::looked_after::legal_status_label(code)
                )),
                None => out.push(format!("Looked after since {}", date(since))),
            }
        }
        if let Some(since) = &self.cp_plan {
            match self.cp_category.as_deref() {
                Some(c) => {
                    let category = crate::codes::abuse_category()
                        .label(c)
                        .map(str::to_lowercase)
                        .unwrap_or_else(|| c.to_string());
                    out.push(format!(
                        "On a child protection plan since {} ({category})",
                        date(since)
                    ));
                }
                None => out.push(format!("On a child protection plan since {}", date(since))),
            }
        }
        if let Some(since) = &self.cin_plan {
            out.push(format!("On a child in need plan since {}", date(since)));
        }
        if self.care_leaver {
            out.push("Care leaver with a personal adviser".into());
        }
        if let Some(since) = &self.open_referral {
            if self.cp_plan.is_none() && self.cin_plan.is_none() && self.looked_after.is_none() {
                out.push(format!("Open referral since {}", date(since)));
            }
        }
        if let Some(since) = &self.private_fostering {
            out.push(format!("Privately fostered, notified {}", date(since)));
        }
        if let Some(since) = &self.early_help {
            out.push(format!("Early help since {}", date(since)));
        }
        out
    }

    /// A short status for a list ("CP plan", "Looked after", …), most serious first.
    pub fn short(&self) -> &'static str {
        if self.looked_after.is_some() {
            "Looked after"
        } else if self.cp_plan.is_some() {
            "Child protection plan"
        } else if self.cin_plan.is_some() {
            "Child in need plan"
        } else if self.care_leaver {
            "Care leaver"
        } else if self.open_referral.is_some() {
            "Open referral"
        } else if self.private_fostering.is_some() {
            "Private fostering"
        } else if self.early_help.is_some() {
            "Early help"
        } else {
            "No open plan"
        }
    }
}

/// One child on a worker's caseload: the current allocation and the child's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseloadEntry {
    pub child_id: Uuid,
    pub child_name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub worker_id: Uuid,
    pub worker_name: String,
    /// "social_worker" or "personal_adviser".
    pub role: String,
    pub allocated_from: NaiveDate,
    pub status: CaseStatus,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_status_in_words_most_serious_first_with_labels_not_codes() {
        let s = CaseStatus {
            cp_plan: Some(d(2026, 3, 3)),
            cp_category: Some("NEG".into()),
            looked_after: Some(d(2026, 5, 1)),
            legal_status: Some("C2".into()),
            open_referral: Some(d(2026, 1, 10)),
            ..Default::default()
        };
        assert_eq!(
            s.lines(),
            vec![
                "Looked after since 1 May 2026 (full care order)".to_string(),
                "On a child protection plan since 3 March 2026 (neglect)".to_string(),
            ],
            "an open referral is not said beside a plan"
        );
        assert_eq!(s.short(), "Looked after");
        let referral = CaseStatus {
            open_referral: Some(d(2026, 1, 10)),
            ..Default::default()
        };
        assert_eq!(
            referral.lines(),
            vec!["Open referral since 10 January 2026".to_string()]
        );
        assert!(CaseStatus::default().lines().is_empty());
        assert_eq!(CaseStatus::default().short(), "No open plan");
    }

    #[test]
    fn every_kind_of_work_has_a_code_read_back() {
        for k in WorkKind::ALL {
            assert_eq!(WorkKind::from_code(k.code()), Some(k));
        }
        assert_eq!(WorkKind::from_code("nothing"), None);
    }
}
