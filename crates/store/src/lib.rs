//! Hearth's store: one repository with two implementations, SQLite (the embedded default, one
//! file in WAL mode) and PostgreSQL (production). Migrations for each are embedded in the binary
//! and applied when the store opens.
//!
//! The repository is a trait per capability, in a module named as in `domain` (`person`,
//! `front_door`, `assessment`, `case_notes`, `early_help`, `child_in_need`, `child_protection`,
//! `looked_after`, `private_fostering`, `quality`, `work`, `workforce`, `access`, `extract`), each with its
//! SQL; [`child_record`] reads the whole of a child's record from every capability's part, and
//! [`Repository`] gathers the traits for `Arc<dyn Repository>`.
//!
//! Every change runs in a transaction that also appends its audit entry (who, when, what, before
//! and after), so a change and its audit entry land together or not at all. Every view of a
//! child's record appends an access entry. Case records are never deleted: there is no delete in
//! the trait, and the schemas refuse DELETE with triggers; the audit log is append-only.

use std::sync::Arc;

use async_trait::async_trait;
use uuid::Uuid;

pub mod access;
pub mod assessment;
pub mod audit_chain;
pub mod auth;
pub mod bulk;
mod bulk_sql;
pub mod care_leavers;
pub mod case_notes;
pub mod case_record;
pub mod child_in_need;
pub mod child_protection;
pub mod child_record;
mod chronology;
pub mod correction;
pub mod drafts;
pub mod early_help;
pub mod extract;
pub mod front_door;
pub mod inspection;
pub mod looked_after;
pub mod person;
mod postgres;
pub mod private_fostering;
pub mod quality;
mod sql;
mod sqlite;
pub mod sso;
pub mod work;
pub mod workforce;

pub use access::{Access, AuditCursor, AuditQuery, NewSession, NewUser, SessionUser, UserChange};
pub use assessment::Assessments;
pub use bulk::{BulkCouncil, BulkCounts, BulkLoad, BulkProgramme, BulkUser};
pub use care_leavers::CareLeavers;
pub use case_notes::CaseNotes;
pub use case_record::{CaseRecord, CaseRecords};
pub use child_in_need::ChildInNeed;
pub use child_protection::ChildProtectionPathway;
pub use child_record::{ChildRecord, ChildRecords};
pub use correction::{Correct, Correctable, Corrections};
pub use drafts::{Drafts, WorkingDraft};
pub use early_help::EarlyHelpEpisodes;
pub use extract::Extract;
pub use front_door::FrontDoor;
pub use inspection::Inspection;
pub use looked_after::adoption::LookedAfterAdoption;
pub use looked_after::care::LookedAfterCare;
pub use looked_after::plans::{CarePlans, LookedAfterPlans};
pub use looked_after::reviews::{CareReviews, LookedAfterReviews};
pub use person::{
    AccessFacts, AllocationView, NewRelationship, People, PersonSummary, RelatedPerson, SearchQuery,
};
pub use postgres::PgStore;
pub use private_fostering::PrivateFostering;
pub use quality::Quality;
pub use sqlite::{SqliteStore, access_log_path};
pub use sso::SingleSignOn;
pub use work::{WorkDue, WorkScope};
pub use workforce::{NewWorker, Workforce};

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
    /// The access entry could not be written, so the record is not returned.
    #[error("the access log could not be written: {0}")]
    AccessLog(String),
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

/// The one repository: every capability's part. SQLite and PostgreSQL implement each part with the
/// same SQL (see `sql.rs` and each capability's module) and pass the same conformance suite
/// (`tests/it`).
#[async_trait]
pub trait Repository:
    Access
    + Workforce
    + People
    + ChildRecords
    + CaseRecords
    + FrontDoor
    + Assessments
    + CaseNotes
    + Corrections
    + EarlyHelpEpisodes
    + ChildInNeed
    + ChildProtectionPathway
    + PrivateFostering
    + CareLeavers
    + Quality
    + LookedAfterReviews
    + LookedAfterCare
    + LookedAfterPlans
    + LookedAfterAdoption
    + WorkDue
    + Extract
    + Inspection
    + BulkLoad
    + SingleSignOn
    + Drafts
    + Send
    + Sync
{
    /// "sqlite" or "postgres".
    fn backend(&self) -> &'static str;

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
