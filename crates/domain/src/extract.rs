//! What the performance report needs from the record, as plain data: the store fills it in one
//! read; the metrics crate turns it into the same events it reads from statutory returns.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordExtract {
    pub contacts: Vec<ContactRow>,
    pub early_help_starts: Vec<(Uuid, NaiveDate)>,
    pub referrals: Vec<ReferralRow>,
    pub assessments: Vec<AssessmentRow>,
    pub s47s: Vec<S47Row>,
    pub cp_plans: Vec<CpPlanRow>,
    /// Visits at which the child was seen: (child, date, seen alone).
    pub visits_seen: Vec<(Uuid, NaiveDate, bool)>,
    pub workers: Vec<WorkerRow>,
    /// Open-ended or dated allocations: (child, worker, from, to).
    pub allocations: Vec<(Uuid, Uuid, NaiveDate, Option<NaiveDate>)>,
    /// Children's dates of birth.
    #[serde(default)]
    pub dobs: Vec<(Uuid, NaiveDate)>,
    /// Looked-after episodes.
    #[serde(default)]
    pub cla_episodes: Vec<ClaEpisodeRow>,
    /// Missing or away from placement: (child, start).
    #[serde(default)]
    pub cla_missing: Vec<(Uuid, NaiveDate)>,
    /// Health of children looked after, by the year ending 31 March.
    #[serde(default)]
    pub cla_health: Vec<HealthRow>,
    /// Care leavers' status around their birthday, by the year ending 31 March.
    #[serde(default)]
    pub care_leavers: Vec<LeaverRow>,
    /// Personal education plan reviews: (child, date).
    #[serde(default)]
    pub peps: Vec<(Uuid, NaiveDate)>,
    /// Private fostering arrangements with the visits at which the child was seen.
    #[serde(default)]
    pub private_fostering: Vec<PrivateFosteringRow>,
    /// Case file audits with their grades as they stand after moderation.
    #[serde(default)]
    pub audits: Vec<AuditRow>,
}

/// A case file audit: the child, the day it was recorded, its overall grade and each domain's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub child: Uuid,
    pub audited_on: NaiveDate,
    pub overall: crate::quality::Grade,
    /// (domain key, grade).
    pub grades: Vec<(String, crate::quality::Grade)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivateFosteringRow {
    pub child: Uuid,
    pub notified: NaiveDate,
    pub starts: NaiveDate,
    pub ended: Option<NaiveDate>,
    /// Dates of the visits at which the child was seen, oldest first.
    pub seen: Vec<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaEpisodeRow {
    pub child: Uuid,
    pub started: NaiveDate,
    pub ended: Option<NaiveDate>,
    pub reason_new: String,
    pub legal_status: String,
    pub placement: String,
    pub reason_ceased: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthRow {
    pub child: Uuid,
    pub year: i32,
    pub health_assessment: bool,
    pub dental_check: bool,
    pub immunisations: bool,
    pub sdq_score: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaverRow {
    pub child: Uuid,
    pub year: i32,
    pub activity: Option<String>,
    pub accommodation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactRow {
    pub id: Uuid,
    pub children: Vec<Uuid>,
    pub received_at: NaiveDateTime,
    pub decision_due: NaiveDate,
    pub decided_at: Option<NaiveDateTime>,
    pub outcome: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralRow {
    pub id: Uuid,
    pub child: Uuid,
    pub date: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub closure_reason: Option<String>,
    /// No assessment was started on it.
    pub no_assessment: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentRow {
    pub child: Uuid,
    pub started: NaiveDate,
    pub authorised: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct S47Row {
    pub child: Uuid,
    pub started: NaiveDate,
    /// The initial conference held on it, if any.
    pub icpc: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CpPlanRow {
    pub child: Uuid,
    pub started: NaiveDate,
    pub ended: Option<NaiveDate>,
    pub initial_category: String,
    pub repeat: bool,
    /// Review conference dates, oldest first.
    pub reviews: Vec<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerRow {
    pub id: Uuid,
    pub role_title: String,
    pub agency: bool,
    pub started: NaiveDate,
    pub left: Option<NaiveDate>,
}

/// What the SSDA903 return for one collection year needs from the record, as plain data: the
/// children looked after at some time in the year or leaving care with a care leaver's row for
/// it, and their periods of care, episodes, reviews, missing episodes, health, care leaver status,
/// and allocations to workers. The store fills it in one read (`looked_after_export`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookedAfterExport {
    /// The collection year, named by its end (2026 is 1 April 2025 to 31 March 2026).
    pub year: i32,
    pub children: Vec<ExportChild>,
    pub periods: Vec<crate::looked_after::Period>,
    /// Every episode of the periods read, oldest first.
    pub episodes: Vec<crate::looked_after::Episode>,
    pub reviews: Vec<crate::looked_after::Review>,
    pub missing: Vec<crate::looked_after::Missing>,
    /// The year's health rows only.
    pub health: Vec<crate::looked_after::HealthYear>,
    /// The year's care leaver rows only.
    pub care_leavers: Vec<crate::looked_after::CareLeaverYear>,
    /// The children's allocations to workers, oldest first.
    pub allocations: Vec<crate::person::Allocation>,
    pub workers: Vec<ExportWorker>,
    /// The children's decisions to place for adoption with their matches, oldest first.
    #[serde(default)]
    pub adoption: Vec<crate::looked_after::adoption::AdoptionDecision>,
    /// Previous permanence recorded on the periods read.
    #[serde(default)]
    pub previous_permanence: Vec<crate::looked_after::PreviousPermanence>,
    /// The children's convictions and substance misuse, oldest first.
    #[serde(default)]
    pub oc2_events: Vec<crate::looked_after::health::Oc2Event>,
}

/// A child in the 903 return: the header's details as the record holds them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportChild {
    pub id: Uuid,
    pub council_child_id: Option<String>,
    pub sex: String,
    pub date_of_birth: Option<NaiveDate>,
    pub ethnicity: String,
    pub upn: Option<String>,
    pub uasc: bool,
    /// When UASC status ended before the 18th birthday, where recorded.
    #[serde(default)]
    pub uasc_ceased_on: Option<NaiveDate>,
    /// The current home address's postcode, if any.
    pub home_postcode: Option<String>,
    /// Dates of birth of the children the record holds her as the parent of (for a girl's
    /// MOTHER and MC_DOB), oldest first.
    pub own_children_born: Vec<NaiveDate>,
}

/// A worker, as far as the social worker episodes need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportWorker {
    pub id: Uuid,
    pub role_title: String,
    pub team_id: Option<Uuid>,
    pub left: Option<NaiveDate>,
}
