//! The store conformance suite: every test runs against SQLite and against PostgreSQL.
//!
//! PostgreSQL is required: the URL comes from `HEARTH_TEST_DATABASE_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`); each test creates a database of its own and drops
//! it afterwards. A missing server fails the PostgreSQL tests, it does not skip them.

use chrono::{NaiveDate, NaiveDateTime};
use domain::access::Role;
use domain::front_door::{NewContact, NewDecision, Referral};
use domain::person::{Identifiers, PersonDetails, PersonKind};
use sqlx::Connection;
use store::{Actor, DynRepository, NewUser};
use uuid::Uuid;

mod assessment;
mod audit_chain;
mod bulk;
mod care_leavers;
mod case_notes;
mod child_in_need;
mod child_protection;
mod conformance;
mod corrections;
mod early_help;
mod files;
mod front_door;
mod inspection;
mod looked_after_adoption;
mod looked_after_care;
mod looked_after_plans;
mod looked_after_reviews;
mod private_fostering;
mod quality;
mod quality_bulk;
mod search;
mod sso;
mod work;
mod workforce;

/// A store under test, and how to reach its database directly (to try what the trait forbids).
pub struct Fixture {
    pub store: DynRepository,
    pub raw: Raw,
    _dir: Option<TempDir>,
}

pub enum Raw {
    Sqlite(std::path::PathBuf),
    Postgres {
        admin_url: String,
        url: String,
        db: String,
    },
}

pub struct TempDir(std::path::PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn pg_admin_url() -> String {
    std::env::var("HEARTH_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

impl Fixture {
    pub async fn sqlite() -> Fixture {
        let dir = std::env::temp_dir().join(format!("hearth-it-{}", uuid::Uuid::now_v7().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("hearth.db");
        let store = store::open(path.to_str().unwrap())
            .await
            .expect("open SQLite store");
        Fixture {
            store,
            raw: Raw::Sqlite(path),
            _dir: Some(TempDir(dir)),
        }
    }

    pub async fn postgres() -> Fixture {
        let admin_url = pg_admin_url();
        let db = format!("hearth_it_{}", uuid::Uuid::now_v7().simple());
        let mut admin = sqlx::PgConnection::connect(&admin_url).await.unwrap_or_else(|e| {
            panic!("PostgreSQL is required for the store tests ({admin_url}): {e}. Start it or set HEARTH_TEST_DATABASE_URL.")
        });
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db}")))
            .execute(&mut admin)
            .await
            .unwrap();
        let url = match admin_url.rsplit_once('/') {
            Some((base, _)) => format!("{base}/{db}"),
            None => panic!("HEARTH_TEST_DATABASE_URL must name a database"),
        };
        let store = store::open(&url).await.expect("open PostgreSQL store");
        Fixture {
            store,
            raw: Raw::Postgres { admin_url, url, db },
            _dir: None,
        }
    }

    /// Runs a statement directly on the access log's database, outside the repository: on
    /// SQLite the access log's own file beside the database, on PostgreSQL the database.
    pub async fn raw_execute_access(&self, sql: &'static str) -> Result<u64, sqlx::Error> {
        match &self.raw {
            Raw::Sqlite(path) => {
                let access = store::access_log_path(path);
                let mut c =
                    sqlx::SqliteConnection::connect(&format!("sqlite://{}", access.display()))
                        .await?;
                Ok(sqlx::query(sql).execute(&mut c).await?.rows_affected())
            }
            Raw::Postgres { .. } => self.raw_execute(sql).await,
        }
    }

    /// Runs a statement directly on the database, outside the repository.
    pub async fn raw_execute(&self, sql: &'static str) -> Result<u64, sqlx::Error> {
        match &self.raw {
            Raw::Sqlite(path) => {
                let mut c =
                    sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
                        .await?;
                Ok(sqlx::query(sql).execute(&mut c).await?.rows_affected())
            }
            Raw::Postgres { url, .. } => {
                let mut c = sqlx::PgConnection::connect(url).await?;
                Ok(sqlx::query(sql).execute(&mut c).await?.rows_affected())
            }
        }
    }

    /// Runs a query that returns one integer (a count) directly on the database.
    pub async fn raw_count(&self, sql: &'static str) -> i64 {
        match &self.raw {
            Raw::Sqlite(path) => {
                let mut c =
                    sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
                        .await
                        .unwrap();
                sqlx::query_scalar(sql).fetch_one(&mut c).await.unwrap()
            }
            Raw::Postgres { url, .. } => {
                let mut c = sqlx::PgConnection::connect(url).await.unwrap();
                sqlx::query_scalar(sql).fetch_one(&mut c).await.unwrap()
            }
        }
    }

    pub async fn close(self) {
        drop(self.store);
        if let Raw::Postgres { admin_url, db, .. } = &self.raw {
            let mut admin = sqlx::PgConnection::connect(admin_url).await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {db} WITH (FORCE)"
            )))
            .execute(&mut admin)
            .await
            .unwrap();
        }
    }
}

/// Declares a conformance test once; it runs as `<name>::sqlite` and `<name>::postgres`.
#[macro_export]
macro_rules! conformance {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let f = $crate::Fixture::sqlite().await;
                super::$name(&f).await;
                f.close().await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let f = $crate::Fixture::postgres().await;
                super::$name(&f).await;
                f.close().await;
            }
        }
    };
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn child(given: &str, family: &str, dob: NaiveDate, cid: &str) -> PersonDetails {
    PersonDetails {
        kind: PersonKind::Child,
        given_name: given.into(),
        family_name: family.into(),
        date_of_birth: Some(dob),
        expected_date_of_birth: None,
        sex: "2".into(),
        ethnicity: "WBRI".into(),
        disabilities: vec!["NONE".into()],
        identifiers: Identifiers {
            council_child_id: Some(cid.into()),
            nhs_number: None,
            upn: None,
            former_upn: None,
        },
        uasc: false,
        restricted: false,
    }
}

pub fn adult(given: &str, family: &str) -> PersonDetails {
    PersonDetails {
        kind: PersonKind::Adult,
        given_name: given.into(),
        family_name: family.into(),
        date_of_birth: Some(date(1990, 5, 5)),
        expected_date_of_birth: None,
        sex: "2".into(),
        ethnicity: String::new(),
        disabilities: vec![],
        identifiers: Identifiers::default(),
        uasc: false,
        restricted: false,
    }
}

pub async fn user(store: &DynRepository, username: &str, role: Role) -> domain::access::User {
    store
        .create_user(
            Actor::SYSTEM,
            NewUser {
                username: username.into(),
                display_name: format!("{username} (test)"),
                role,
                worker_id: None,
                password_hash: store::auth::hash_password("a long test password"),
            },
        )
        .await
        .unwrap()
}

/// On the hour.
fn at(d: NaiveDate, h: u32) -> NaiveDateTime {
    d.and_hms_opt(h, 0, 0).unwrap()
}

/// A contact about `kid` on `on`, decided with `outcome`; the referrals it made.
pub async fn through_front_door(
    s: &DynRepository,
    actor: Actor,
    kid: Uuid,
    on: NaiveDate,
    outcome: &str,
) -> Vec<Referral> {
    let c = s
        .record_contact(
            actor,
            NewContact {
                received_at: at(on, 9),
                source: "6".into(),
                contact_name: "PC Example".into(),
                contact_agency: "Police".into(),
                reason: "Domestic abuse incident at the home; child present.".into(),
                consent: "not_sought".into(),
                children: vec![kid],
            },
        )
        .await
        .unwrap();
    s.decide_contact(
        actor,
        c.id,
        c.version,
        NewDecision {
            outcome: outcome.into(),
            decided_at: at(on, 15),
            direction: "As decided.".into(),
            rationale: "As assessed at the front door.".into(),
            quality: None,
            quality_comment: String::new(),
        },
    )
    .await
    .unwrap()
    .1
}
