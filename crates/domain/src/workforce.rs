//! The workforce: teams and the workers in them (employed or agency, with start and end dates),
//! each worker's file (registration, role, hours, ASYE), joiners, movers and leavers (why they
//! left and where they went), and absences.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Team {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Worker {
    pub id: Uuid,
    pub name: String,
    pub team_id: Option<Uuid>,
    /// Job title, e.g. "Social worker", "Team manager".
    pub role_title: String,
    /// Agency (locum) worker rather than employed.
    pub agency: bool,
    pub started: NaiveDate,
    pub left: Option<NaiveDate>,
}

use crate::validate::FieldError;

/// A worker's role in the organisation, as the children's social work workforce census (CSWW)
/// codes it (`OrgRole`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrgRole {
    SeniorManager,
    MiddleManager,
    FirstLineManager,
    SeniorPractitioner,
    CaseHolder,
    QualifiedWithoutCases,
}

impl OrgRole {
    pub const ALL: [OrgRole; 6] = [
        OrgRole::SeniorManager,
        OrgRole::MiddleManager,
        OrgRole::FirstLineManager,
        OrgRole::SeniorPractitioner,
        OrgRole::CaseHolder,
        OrgRole::QualifiedWithoutCases,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            OrgRole::SeniorManager => "senior_manager",
            OrgRole::MiddleManager => "middle_manager",
            OrgRole::FirstLineManager => "first_line_manager",
            OrgRole::SeniorPractitioner => "senior_practitioner",
            OrgRole::CaseHolder => "case_holder",
            OrgRole::QualifiedWithoutCases => "qualified_without_cases",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            OrgRole::SeniorManager => "Senior manager",
            OrgRole::MiddleManager => "Middle manager",
            OrgRole::FirstLineManager => "First line manager",
            OrgRole::SeniorPractitioner => "Senior practitioner",
            OrgRole::CaseHolder => "Case holder",
            OrgRole::QualifiedWithoutCases => "Qualified, not holding cases",
        }
    }
    /// The census's code (1 to 6).
    pub fn code(self) -> u8 {
        OrgRole::ALL.iter().position(|r| *r == self).unwrap_or(0) as u8 + 1
    }
    pub fn parse(s: &str) -> Option<Self> {
        OrgRole::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Why a worker left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LeavingReason {
    Resignation,
    EndOfContract,
    Retirement,
    Redundancy,
    Dismissal,
    Other,
    NotKnown,
}

impl LeavingReason {
    pub const ALL: [LeavingReason; 7] = [
        LeavingReason::Resignation,
        LeavingReason::EndOfContract,
        LeavingReason::Retirement,
        LeavingReason::Redundancy,
        LeavingReason::Dismissal,
        LeavingReason::Other,
        LeavingReason::NotKnown,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            LeavingReason::Resignation => "resignation",
            LeavingReason::EndOfContract => "end_of_contract",
            LeavingReason::Retirement => "retirement",
            LeavingReason::Redundancy => "redundancy",
            LeavingReason::Dismissal => "dismissal",
            LeavingReason::Other => "other",
            LeavingReason::NotKnown => "not_known",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            LeavingReason::Resignation => "Resigned",
            LeavingReason::EndOfContract => "End of a fixed-term or agency contract",
            LeavingReason::Retirement => "Retired",
            LeavingReason::Redundancy => "Redundancy",
            LeavingReason::Dismissal => "Dismissed",
            LeavingReason::Other => "Another reason",
            LeavingReason::NotKnown => "Not known",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        LeavingReason::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Where a leaver went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Destination {
    /// Children's social work in another council, employed.
    AnotherCouncil,
    /// Agency (locum) social work: the "leavers to agency work" the scrutiny committee asks for.
    AgencyWork,
    /// Social work in the private, voluntary or health sector.
    OtherSocialWork,
    /// Out of social work.
    OutOfSocialWork,
    Retired,
    NotKnown,
}

impl Destination {
    pub const ALL: [Destination; 6] = [
        Destination::AnotherCouncil,
        Destination::AgencyWork,
        Destination::OtherSocialWork,
        Destination::OutOfSocialWork,
        Destination::Retired,
        Destination::NotKnown,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Destination::AnotherCouncil => "another_council",
            Destination::AgencyWork => "agency_work",
            Destination::OtherSocialWork => "other_social_work",
            Destination::OutOfSocialWork => "out_of_social_work",
            Destination::Retired => "retired",
            Destination::NotKnown => "not_known",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Destination::AnotherCouncil => "Employed by another council's children's services",
            Destination::AgencyWork => "Agency social work",
            Destination::OtherSocialWork => "Social work elsewhere (private, voluntary or health)",
            Destination::OutOfSocialWork => "Out of social work",
            Destination::Retired => "Retired",
            Destination::NotKnown => "Not known",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Destination::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Why a worker was absent: the census's `ReasonAbsence` codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AbsenceReason {
    #[serde(rename = "SIC")]
    Sickness,
    #[serde(rename = "MAT")]
    Maternity,
    #[serde(rename = "TRN")]
    Training,
    #[serde(rename = "PUB")]
    PublicDuties,
    #[serde(rename = "UNP")]
    Unpaid,
    #[serde(rename = "UNA")]
    Unauthorised,
    #[serde(rename = "OTH")]
    Other,
}

impl AbsenceReason {
    pub const ALL: [AbsenceReason; 7] = [
        AbsenceReason::Sickness,
        AbsenceReason::Maternity,
        AbsenceReason::Training,
        AbsenceReason::PublicDuties,
        AbsenceReason::Unpaid,
        AbsenceReason::Unauthorised,
        AbsenceReason::Other,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            AbsenceReason::Sickness => "SIC",
            AbsenceReason::Maternity => "MAT",
            AbsenceReason::Training => "TRN",
            AbsenceReason::PublicDuties => "PUB",
            AbsenceReason::Unpaid => "UNP",
            AbsenceReason::Unauthorised => "UNA",
            AbsenceReason::Other => "OTH",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            AbsenceReason::Sickness => "Sickness",
            AbsenceReason::Maternity => "Maternity, paternity or adoption leave",
            AbsenceReason::Training => "Training",
            AbsenceReason::PublicDuties => "Public duties",
            AbsenceReason::Unpaid => "Unpaid leave (authorised)",
            AbsenceReason::Unauthorised => "Unauthorised absence",
            AbsenceReason::Other => "Another paid absence",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        AbsenceReason::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A Social Work England registration number as entered: "SW" and its digits, spaces
/// removed, upper case.
pub fn normalise_swe(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase()
}

/// Whether `s` (normalised) looks like a Social Work England registration number: two letters
/// then 1 to 10 digits.
pub fn valid_swe(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 3
        && b.len() <= 12
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2..].iter().all(u8::is_ascii_digit)
}

fn check_fte(fte: f64, errors: &mut Vec<FieldError>) {
    if !(fte > 0.0 && fte <= 1.0) {
        errors.push(FieldError::new(
            "fte",
            "Full-time equivalent must be more than 0 and no more than 1, for example 0.8",
        ));
    }
}

fn check_name(field: &str, what: &str, value: &str, errors: &mut Vec<FieldError>) {
    if value.trim().is_empty() {
        errors.push(FieldError::new(field, format!("Enter {what}")));
    }
}

/// A joiner: a worker starting in the service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewJoiner {
    pub name: String,
    pub team_id: Option<Uuid>,
    pub role_title: String,
    pub org_role: OrgRole,
    pub agency: bool,
    /// Full-time equivalent, above 0 and at most 1.
    pub fte: f64,
    /// Social Work England registration number (social workers must have one).
    #[serde(default)]
    pub swe_number: Option<String>,
    pub started: NaiveDate,
    /// In the assessed and supported year in employment (newly qualified): when it began.
    #[serde(default)]
    pub asye_started: Option<NaiveDate>,
    /// When the ASYE ended (or is due to end).
    #[serde(default)]
    pub asye_ended: Option<NaiveDate>,
}

impl NewJoiner {
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        check_name("name", "the worker's name", &self.name, &mut errors);
        check_name("role_title", "the job title", &self.role_title, &mut errors);
        check_fte(self.fte, &mut errors);
        match &self.swe_number {
            Some(n) if !valid_swe(&normalise_swe(n)) => errors.push(FieldError::new(
                "swe_number",
                "Enter the Social Work England registration number as SW followed by its digits, for example SW123456",
            )),
            None if self.org_role != OrgRole::SeniorManager && self.asye_started.is_some() => {
                errors.push(FieldError::new(
                    "swe_number",
                    "Enter the Social Work England registration number: a worker in their ASYE is a registered social worker",
                ))
            }
            _ => {}
        }
        check_asye(
            self.started,
            self.asye_started,
            self.asye_ended,
            &mut errors,
        );
        errors
    }
}

fn check_asye(
    started: NaiveDate,
    asye_started: Option<NaiveDate>,
    asye_ended: Option<NaiveDate>,
    errors: &mut Vec<FieldError>,
) {
    match (asye_started, asye_ended) {
        (None, Some(_)) => errors.push(FieldError::new(
            "asye_started",
            "Enter when the ASYE began, or leave both ASYE dates blank",
        )),
        (Some(s), _) if s < started => errors.push(FieldError::new(
            "asye_started",
            "The ASYE cannot begin before the worker started",
        )),
        (Some(s), Some(e)) if e <= s => errors.push(FieldError::new(
            "asye_ended",
            "The ASYE must end after it began",
        )),
        _ => {}
    }
}

/// A mover: a worker changing team, job or hours from a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewMove {
    pub moved_on: NaiveDate,
    pub team_id: Option<Uuid>,
    pub role_title: String,
    pub org_role: OrgRole,
    pub fte: f64,
    pub agency: bool,
}

impl NewMove {
    pub fn validate(&self, worker: &StaffMember) -> Vec<FieldError> {
        let mut errors = Vec::new();
        check_name("role_title", "the job title", &self.role_title, &mut errors);
        check_fte(self.fte, &mut errors);
        if self.moved_on < worker.worker.started {
            errors.push(FieldError::new(
                "moved_on",
                "The date of the move cannot be before the worker started",
            ));
        }
        if let Some(last) = worker.moves.last()
            && self.moved_on < last.moved_on
        {
            errors.push(FieldError::new(
                "moved_on",
                "The date of the move cannot be before the last move recorded",
            ));
        }
        if worker.worker.left.is_some() {
            errors.push(FieldError::new("moved_on", "The worker has left"));
        }
        if self.team_id == worker.worker.team_id
            && self.role_title.trim() == worker.worker.role_title
            && self.org_role == worker.org_role
            && self.fte == worker.fte
            && self.agency == worker.worker.agency
        {
            errors.push(FieldError::new(
                "team_id",
                "Nothing has changed: choose the new team, job, hours or employment",
            ));
        }
        errors
    }
}

/// A leaver: the worker's last day, why they left and where they went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewLeaver {
    pub left: NaiveDate,
    pub reason: LeavingReason,
    pub destination: Destination,
}

impl NewLeaver {
    pub fn validate(&self, worker: &StaffMember, today: NaiveDate) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if worker.worker.left.is_some() {
            errors.push(FieldError::new("left", "The worker has already left"));
        } else if self.left < worker.worker.started {
            errors.push(FieldError::new(
                "left",
                "The leaving date cannot be before the worker started",
            ));
        } else if self.left > today + chrono::Days::new(366) {
            errors.push(FieldError::new(
                "left",
                "The leaving date must be within a year from today",
            ));
        }
        errors
    }
}

/// A period of absence: the working days lost in it and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAbsence {
    pub first_day: NaiveDate,
    /// The last day (None while it goes on).
    #[serde(default)]
    pub last_day: Option<NaiveDate>,
    /// Working days lost (halves allowed).
    pub working_days_lost: f64,
    pub reason: AbsenceReason,
}

impl NewAbsence {
    pub fn validate(&self, worker: &StaffMember, today: NaiveDate) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.first_day < worker.worker.started {
            errors.push(FieldError::new(
                "first_day",
                "The absence cannot begin before the worker started",
            ));
        }
        if self.first_day > today {
            errors.push(FieldError::new(
                "first_day",
                "The absence cannot begin in the future",
            ));
        }
        if let Some(l) = self.last_day
            && l < self.first_day
        {
            errors.push(FieldError::new(
                "last_day",
                "The last day cannot be before the first",
            ));
        }
        let days = self
            .last_day
            .map(|l| (l - self.first_day).num_days() + 1)
            .unwrap_or(i64::MAX);
        if self.working_days_lost.is_nan()
            || self.working_days_lost <= 0.0
            || (self.working_days_lost * 2.0).fract() != 0.0
        {
            errors.push(FieldError::new(
                "working_days_lost",
                "Enter the working days lost as a number of days or half days, for example 3 or 2.5",
            ));
        } else if self.working_days_lost > days as f64 {
            errors.push(FieldError::new(
                "working_days_lost",
                "The working days lost cannot be more than the days from the first to the last",
            ));
        }
        errors
    }
}

/// A change of team, job, hours or employment, as kept in the worker's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Move {
    pub id: Uuid,
    pub moved_on: NaiveDate,
    pub from_team_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
    pub role_title: String,
    pub org_role: OrgRole,
    pub fte: f64,
    pub agency: bool,
}

/// A recorded absence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Absence {
    pub id: Uuid,
    pub first_day: NaiveDate,
    pub last_day: Option<NaiveDate>,
    pub working_days_lost: f64,
    pub reason: AbsenceReason,
}

/// What a worker's file held on a day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snapshot {
    pub team_id: Option<Uuid>,
    pub org_role: OrgRole,
    pub fte: f64,
    pub agency: bool,
}

/// A worker's file: who they are in the service, their history of moves and their absences.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffMember {
    pub worker: Worker,
    pub org_role: OrgRole,
    pub fte: f64,
    pub swe_number: Option<String>,
    pub asye_started: Option<NaiveDate>,
    pub asye_ended: Option<NaiveDate>,
    pub leaving_reason: Option<LeavingReason>,
    pub destination: Option<Destination>,
    pub moves: Vec<Move>,
    pub absences: Vec<Absence>,
}

impl StaffMember {
    /// In their ASYE on `day`.
    pub fn in_asye(&self, day: NaiveDate) -> bool {
        self.asye_started.is_some_and(|s| s <= day) && self.asye_ended.is_none_or(|e| day <= e)
    }
    /// The team, job, hours and employment on `day`: the last entry of the history on or
    /// before it (what the file holds now, when the history does not reach back so far).
    pub fn at(&self, day: NaiveDate) -> Snapshot {
        match self.moves.iter().rev().find(|m| m.moved_on <= day) {
            Some(m) => Snapshot {
                team_id: m.team_id,
                org_role: m.org_role,
                fte: m.fte,
                agency: m.agency,
            },
            None => Snapshot {
                team_id: self.worker.team_id,
                org_role: self.org_role,
                fte: self.fte,
                agency: self.worker.agency,
            },
        }
    }
    /// A registered social worker as far as the record knows: their Social Work England number
    /// recorded, or "social worker" in their job title.
    pub fn social_worker(&self) -> bool {
        self.swe_number.is_some()
            || self
                .worker
                .role_title
                .to_lowercase()
                .contains("social worker")
    }
    /// Holds cases in the census's terms: a case holder or senior practitioner.
    pub fn case_holding(&self) -> bool {
        matches!(
            self.org_role,
            OrgRole::CaseHolder | OrgRole::SeniorPractitioner
        )
    }
    /// In post on `day`.
    pub fn in_post(&self, day: NaiveDate) -> bool {
        self.worker.started <= day && self.worker.left.is_none_or(|l| day <= l)
    }
}

pub mod caseload;
pub mod due;
pub mod indicators;
pub mod supervision;

#[cfg(test)]
mod tests;
