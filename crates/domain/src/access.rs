//! Who may use Hearth and what they did: users and their roles, and the audit log's entries.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a user may do is decided by their role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    SocialWorker,
    TeamManager,
    FrontDoor,
    PerformanceAnalyst,
    Administrator,
    /// An independent reviewing officer: chairs looked-after reviews and records them with their
    /// recommendations; may open the records of children in care (not restricted ones, unless a
    /// manager lifts the restriction), track recommendations, and change nothing else.
    Iro,
    /// A case file auditor (a quality lead): runs audit programmes, reads the records of the
    /// children in the samples they audit (each view an access entry, "case file audit"),
    /// records and moderates audits and their learning actions; never changes casework.
    Auditor,
    /// A workforce (HR) lead: records joiners, movers, leavers and absences and sees the
    /// workforce's figures; opens no child's record.
    Workforce,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::SocialWorker,
        Role::TeamManager,
        Role::FrontDoor,
        Role::PerformanceAnalyst,
        Role::Administrator,
        Role::Iro,
        Role::Auditor,
        Role::Workforce,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Role::SocialWorker => "social_worker",
            Role::TeamManager => "team_manager",
            Role::FrontDoor => "front_door",
            Role::PerformanceAnalyst => "performance_analyst",
            Role::Administrator => "administrator",
            Role::Iro => "iro",
            Role::Auditor => "auditor",
            Role::Workforce => "workforce",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Role::SocialWorker => "Social worker",
            Role::TeamManager => "Team manager",
            Role::FrontDoor => "Front door (MASH)",
            Role::PerformanceAnalyst => "Performance analyst",
            Role::Administrator => "Administrator",
            Role::Iro => "Independent reviewing officer (IRO)",
            Role::Auditor => "Case file auditor",
            Role::Workforce => "Workforce lead",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
    /// May open a child's record (subject to the record's restrictions; an auditor, only the
    /// records of the children they audit).
    pub fn can_view_records(self) -> bool {
        matches!(
            self,
            Role::SocialWorker | Role::TeamManager | Role::FrontDoor | Role::Iro | Role::Auditor
        )
    }
    /// May create children and correct their details.
    pub fn can_edit_records(self) -> bool {
        matches!(
            self,
            Role::SocialWorker | Role::TeamManager | Role::FrontDoor
        )
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

/// Which of the two logs an entry is in. The audit log holds changes and events (a sign-in, a
/// refusal, an export, a break-glass reason); the access log holds views (a child's record, a
/// list or a form that shows children's details), appended in batches by the store's one
/// access-log writer. Each has its own hash chain; views from before the access log existed
/// are in the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditLog {
    Audit,
    Access,
}

impl AuditLog {
    pub const ALL: [AuditLog; 2] = [AuditLog::Audit, AuditLog::Access];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditLog::Audit => "audit",
            AuditLog::Access => "access",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

/// One line of the audit log or the access log: a change, a view of a record, a refused
/// request, a sign-in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Which log holds it; `id` is unique within that log.
    pub log: AuditLog,
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
    /// Too many failed sign-ins: an account or a source address is locked for a while.
    SignInLocked,
    SignOut,
    /// A user opened a record outside their need to know, giving a reason (break-glass).
    BreakGlass,
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
            AuditAction::SignInLocked => "sign_in_locked",
            AuditAction::BreakGlass => "break_glass",
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
            AuditAction::SignInLocked,
            AuditAction::SignOut,
            AuditAction::BreakGlass,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }
}
