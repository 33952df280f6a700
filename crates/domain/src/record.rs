//! The record's core types: people (children and the adults around them), their identifiers,
//! addresses and relationships; workers, teams and allocations; users and roles.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Whether a person on the record is a child the service works with or an adult around them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonKind {
    Child,
    Adult,
}

impl PersonKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PersonKind::Child => "child",
            PersonKind::Adult => "adult",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "child" => Some(PersonKind::Child),
            "adult" => Some(PersonKind::Adult),
            _ => None,
        }
    }
}

/// A child's identifiers as the statutory returns need them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identifiers {
    /// The council's own child identifier (CIN LAchildID, 903 CHILD).
    pub council_child_id: Option<String>,
    /// NHS number: 10 digits with a modulus-11 check digit.
    pub nhs_number: Option<String>,
    /// Unique pupil number: 13 characters, a check letter then 12 characters.
    pub upn: Option<String>,
    /// A former UPN (kept when a child's UPN changed, e.g. after adoption).
    pub former_upn: Option<String>,
}

/// The details of a person that a user enters or corrects. Validated by [`PersonDetails::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonDetails {
    pub kind: PersonKind,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: Option<NaiveDate>,
    /// For an unborn child: the expected date of birth.
    pub expected_date_of_birth: Option<NaiveDate>,
    /// Sex code (CIN census/903 list).
    pub sex: String,
    /// Ethnicity code (DfE list), empty when not yet known.
    pub ethnicity: String,
    /// Disability codes (CIN census list).
    pub disabilities: Vec<String>,
    pub identifiers: Identifiers,
    /// Unaccompanied asylum-seeking child.
    pub uasc: bool,
    /// A restricted record is seen only by the allocated worker and managers.
    pub restricted: bool,
}

/// A person as stored, with its version (each correction increments it; history is in the audit log).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: Uuid,
    #[serde(flatten)]
    pub details: PersonDetails,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Person {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.details.given_name, self.details.family_name)
    }
    /// Age in whole years on `on`, when the date of birth is known.
    pub fn age_on(&self, on: NaiveDate) -> Option<u32> {
        let dob = self.details.date_of_birth?;
        on.years_since(dob)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub id: Uuid,
    pub person_id: Uuid,
    pub line1: String,
    pub line2: String,
    pub town: String,
    pub postcode: String,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAddress {
    pub line1: String,
    pub line2: String,
    pub town: String,
    pub postcode: String,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

/// "`person` is the `kind` of `related`": e.g. person = mother, kind = parent, related = child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relationship {
    pub id: Uuid,
    pub person_id: Uuid,
    pub kind: String,
    pub related_person_id: Uuid,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    pub id: Uuid,
    pub child_id: Uuid,
    pub worker_id: Uuid,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

/// What a user may do is decided by their role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    SocialWorker,
    TeamManager,
    FrontDoor,
    PerformanceAnalyst,
    Administrator,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::SocialWorker,
        Role::TeamManager,
        Role::FrontDoor,
        Role::PerformanceAnalyst,
        Role::Administrator,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Role::SocialWorker => "social_worker",
            Role::TeamManager => "team_manager",
            Role::FrontDoor => "front_door",
            Role::PerformanceAnalyst => "performance_analyst",
            Role::Administrator => "administrator",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Role::SocialWorker => "Social worker",
            Role::TeamManager => "Team manager",
            Role::FrontDoor => "Front door (MASH)",
            Role::PerformanceAnalyst => "Performance analyst",
            Role::Administrator => "Administrator",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
    /// May open a child's record (subject to the record's restrictions).
    pub fn can_view_records(self) -> bool {
        matches!(
            self,
            Role::SocialWorker | Role::TeamManager | Role::FrontDoor
        )
    }
    /// May create children and correct their details.
    pub fn can_edit_records(self) -> bool {
        self.can_view_records()
    }
    /// May see restricted records without being allocated to them.
    pub fn sees_restricted_records(self) -> bool {
        matches!(self, Role::TeamManager)
    }
    /// May manage user accounts.
    pub fn can_manage_users(self) -> bool {
        matches!(self, Role::Administrator)
    }
}

/// A user account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The worker this user is, when they hold cases.
    pub worker_id: Option<Uuid>,
    pub active: bool,
}

/// One line of the audit log: a change, a view of a record, a refused request, a sign-in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// The user who acted; None for the system (migrations, the command line).
    pub actor: Option<Uuid>,
    pub action: AuditAction,
    pub entity_type: String,
    pub entity_id: Option<Uuid>,
    /// The child (or person) concerned, so that everything about one child can be listed.
    pub person_id: Option<Uuid>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    Create,
    Update,
    /// A record was viewed (access entry).
    View,
    /// A request was refused for lack of a role or because of a restriction.
    Denied,
    SignIn,
    SignInFailed,
    SignOut,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Create => "create",
            AuditAction::Update => "update",
            AuditAction::View => "view",
            AuditAction::Denied => "denied",
            AuditAction::SignIn => "sign_in",
            AuditAction::SignInFailed => "sign_in_failed",
            AuditAction::SignOut => "sign_out",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [
            AuditAction::Create,
            AuditAction::Update,
            AuditAction::View,
            AuditAction::Denied,
            AuditAction::SignIn,
            AuditAction::SignInFailed,
            AuditAction::SignOut,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }
}

/// One dated line of a child's chronology, built from the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChronologyEntry {
    pub date: NaiveDate,
    pub at: DateTime<Utc>,
    pub category: String,
    pub summary: String,
    pub recorded_by: Option<String>,
}
