//! Hearth's store: one repository trait with two implementations, SQLite (the embedded default,
//! one file in WAL mode) and PostgreSQL (production). Migrations for each are embedded in the
//! binary and applied when the store opens.
//!
//! Every change runs in a transaction that also appends its audit entry (who, when, what, before
//! and after), so a change and its audit entry land together or not at all. Every view of a
//! child's record appends an access entry. Case records are never deleted: there is no delete in
//! the trait, and the schemas refuse DELETE with triggers; the audit log is append-only.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use domain::access::{AuditAction, AuditEntry, Role, User};
use domain::chronology::ChronologyEntry;
use domain::person::{
    Address, Allocation, NewAddress, Person, PersonDetails, PersonKind, Relationship,
};
use domain::workforce::{Team, Worker};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub mod auth;
pub mod bulk;
mod bulk_sql;
pub mod casework;
mod casework_sql;
mod chronology;
pub mod journey;
mod journey_sql;
mod pf_sql;
mod postgres;
pub mod private_fostering;
mod sql;
mod sqlite;

pub use bulk::{BulkCouncil, BulkCounts, BulkLoad};
pub use casework::{CaseRecord, Casework};
pub use journey::{Journey, WorkScope};
pub use postgres::PgStore;
pub use private_fostering::PrivateFostering;
pub use sqlite::SqliteStore;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error(
        "the record was changed by someone else since you opened it (version {expected} expected, {actual} found)"
    )]
    Conflict { expected: i64, actual: i64 },
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    #[error("{0}")]
    Unsupported(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Who is acting: a signed-in user, or the system (the command line, demo loaders).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor(pub Option<Uuid>);

impl Actor {
    pub const SYSTEM: Actor = Actor(None);
    pub fn user(id: Uuid) -> Self {
        Actor(Some(id))
    }
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub worker_id: Option<Uuid>,
    /// An argon2 PHC string; see [`auth::hash_password`].
    pub password_hash: String,
}

#[derive(Debug, Clone)]
pub struct NewWorker {
    pub name: String,
    pub team_id: Option<Uuid>,
    pub role_title: String,
    pub agency: bool,
    pub started: NaiveDate,
}

#[derive(Debug, Clone)]
pub struct NewRelationship {
    pub person_id: Uuid,
    pub kind: String,
    pub related_person_id: Uuid,
    pub from: Option<NaiveDate>,
}

/// A server-side session: the cookie holds a random token; the store keeps only its hash.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_hash: String,
    pub user_id: Uuid,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct SessionUser {
    pub user: User,
    pub csrf_token: String,
}

/// Find people by name, date of birth or identifier. Empty criteria match everyone.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SearchQuery {
    /// Part of a first or last name, or a whole "first last"; or an identifier (council child ID,
    /// NHS number, UPN) which matches exactly.
    pub text: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub kind: Option<PersonKind>,
    pub limit: u32,
}

/// A line of search results: enough to recognise the person and decide whether the user may open
/// the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonSummary {
    pub id: Uuid,
    pub kind: PersonKind,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub expected_date_of_birth: Option<NaiveDate>,
    pub council_child_id: Option<String>,
    pub restricted: bool,
    /// The worker currently allocated, for children.
    pub allocated_worker_id: Option<Uuid>,
    pub allocated_worker_name: Option<String>,
}

impl PersonSummary {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }
}

/// What deciding whether a user may open a record needs to know of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessFacts {
    pub kind: PersonKind,
    pub restricted: bool,
    /// Workers currently allocated to the child.
    pub allocated_workers: Vec<Uuid>,
}

/// A relationship seen from one person: "`other` is this person's `kind`", or the reverse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedPerson {
    pub relationship: Relationship,
    /// The other person.
    pub other: PersonSummary,
    /// True when the other person is the relationship's subject ("other is the kind of this
    /// person", e.g. other = mother, kind = parent); false for the reverse direction.
    pub other_is_subject: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationView {
    pub allocation: Allocation,
    pub worker_name: String,
    pub team_name: Option<String>,
}

/// Everything on a child's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildRecord {
    pub person: Person,
    pub addresses: Vec<Address>,
    pub relationships: Vec<RelatedPerson>,
    pub allocations: Vec<AllocationView>,
    /// Contacts about the child and referrals made.
    #[serde(default)]
    pub front_door: domain::front_door::ChildFrontDoor,
    #[serde(default)]
    pub assessments: Vec<domain::assessment::Assessment>,
    /// Visits, case notes and management oversight.
    #[serde(default)]
    pub notes: Vec<domain::case_notes::Note>,
    #[serde(default)]
    pub early_help: Vec<domain::early_help::EarlyHelp>,
    #[serde(default)]
    pub cin_plans: Vec<domain::child_in_need::CinPlan>,
    /// Strategy discussions, section 47 enquiries, conferences and plans.
    #[serde(default)]
    pub child_protection: domain::child_protection::ChildProtection,
    /// Periods of care: episodes, reviews and missing episodes.
    #[serde(default)]
    pub looked_after: domain::looked_after::LookedAfter,
    /// Private fostering arrangements with their visits, newest first.
    #[serde(default)]
    pub private_fostering: Vec<domain::private_fostering::Arrangement>,
    /// Newest first.
    pub chronology: Vec<ChronologyEntry>,
}

impl ChildRecord {
    pub fn current_address(&self) -> Option<&Address> {
        self.addresses
            .iter()
            .filter(|a| a.to.is_none())
            .max_by_key(|a| a.from)
    }
    pub fn current_allocation(&self) -> Option<&AllocationView> {
        self.allocations.iter().find(|a| a.allocation.to.is_none())
    }
}

#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub person_id: Option<Uuid>,
    pub actor: Option<Uuid>,
    pub action: Option<AuditAction>,
    pub limit: u32,
}

/// The one repository trait. SQLite and PostgreSQL implement it with the same SQL (see `sql.rs`)
/// and pass the same conformance suite (`tests/it`).
#[async_trait]
pub trait Repository: Journey + Casework + PrivateFostering + BulkLoad + Send + Sync {
    /// "sqlite" or "postgres".
    fn backend(&self) -> &'static str;

    // Users and sessions.
    async fn create_user(&self, actor: Actor, user: NewUser) -> Result<User>;
    /// The user and their password hash, for signing in.
    async fn user_credentials(&self, username: &str) -> Result<Option<(User, String)>>;
    async fn get_user(&self, id: Uuid) -> Result<User>;
    async fn list_users(&self) -> Result<Vec<User>>;
    async fn set_password(&self, actor: Actor, user_id: Uuid, password_hash: String) -> Result<()>;
    async fn create_session(&self, session: NewSession) -> Result<()>;
    /// The session's user, if the session exists, has not expired and the user is active.
    async fn session_user(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<SessionUser>>;
    async fn delete_session(&self, token_hash: &str) -> Result<()>;

    // Teams, workers and allocations.
    async fn create_team(&self, actor: Actor, name: &str) -> Result<Team>;
    async fn list_teams(&self) -> Result<Vec<Team>>;
    async fn create_worker(&self, actor: Actor, worker: NewWorker) -> Result<Worker>;
    async fn list_workers(&self) -> Result<Vec<Worker>>;
    /// Allocates a child to a worker from `from`, ending the current allocation the day before.
    async fn allocate(
        &self,
        actor: Actor,
        child_id: Uuid,
        worker_id: Uuid,
        from: NaiveDate,
    ) -> Result<Allocation>;

    // People.
    async fn create_person(&self, actor: Actor, details: PersonDetails) -> Result<Person>;
    /// Corrects a person's details. `expected_version` is the version the user saw; a different
    /// stored version is a conflict and nothing is saved.
    async fn update_person(
        &self,
        actor: Actor,
        id: Uuid,
        expected_version: i64,
        details: PersonDetails,
    ) -> Result<Person>;
    /// A person without an access entry: for internal use (forms, checks), not for showing a record.
    async fn get_person(&self, id: Uuid) -> Result<Person>;
    async fn add_address(
        &self,
        actor: Actor,
        person_id: Uuid,
        address: NewAddress,
    ) -> Result<Address>;
    async fn add_relationship(&self, actor: Actor, rel: NewRelationship) -> Result<Relationship>;
    /// Records a new person (a parent, carer or relative) and how they are related to an existing
    /// person ("the new person is the `kind` of `related_person_id`"), in one transaction.
    async fn add_related_person(
        &self,
        actor: Actor,
        details: PersonDetails,
        kind: String,
        related_person_id: Uuid,
    ) -> Result<(Person, Relationship)>;
    async fn search_people(&self, query: &SearchQuery) -> Result<Vec<PersonSummary>>;
    async fn access_facts(&self, id: Uuid) -> Result<AccessFacts>;
    /// A child's whole record, writing an access entry for `actor` in the same transaction.
    async fn view_child_record(&self, actor: Actor, id: Uuid, purpose: &str)
    -> Result<ChildRecord>;
    async fn count_people(&self) -> Result<i64>;

    // Audit.
    /// Records an event that changes nothing else: a refusal, a sign-in, an export.
    async fn record_event(
        &self,
        actor: Actor,
        action: AuditAction,
        person_id: Option<Uuid>,
        detail: &str,
    ) -> Result<()>;
    /// Newest first.
    async fn audit_entries(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>>;

    /// Everything the performance report needs from the record, in one read.
    async fn extract(&self) -> Result<domain::extract::RecordExtract>;

    /// Copies the whole database to `path` while it stays in use (SQLite only).
    async fn backup(&self, path: &std::path::Path) -> Result<()>;
}

pub type DynRepository = Arc<dyn Repository>;

/// Opens the store named by `url`: `sqlite://path/to/file.db` (or a plain path), or
/// `postgres://...`. Applies the embedded migrations.
pub async fn open(url: &str) -> Result<DynRepository> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PgStore::connect(url).await?))
    } else {
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        Ok(Arc::new(
            SqliteStore::open(std::path::Path::new(path)).await?,
        ))
    }
}
