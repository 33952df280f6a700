//! The production store: PostgreSQL.

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::{Postgres, Transaction};

use crate::Result;
use crate::access::AccessLog;

pub struct PgStore {
    pub(crate) pool: PgPool,
    /// The pool that lists the audit and access logs (the same pool: on PostgreSQL both are
    /// tables of the one database).
    pub(crate) audit_pool: PgPool,
    /// The pool for lists that read much of the record (work due, search, the report's
    /// reading): the same pool on PostgreSQL.
    pub(crate) list_pool: PgPool,
    /// The one appender of access (view) entries, with a connection of its own.
    pub(crate) access_log: AccessLog,
}

impl PgStore {
    /// Connects and applies the migrations.
    pub async fn connect(url: &str) -> Result<Self> {
        // As for SQLite: quick reads should not queue behind slow ones for a connection.
        let pool = PgPoolOptions::new()
            .max_connections(32)
            .connect(url)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        crate::sql::postgres_impl::access::seal_unchained(&pool).await?;
        crate::sql::postgres_impl::person::fill_name_keys(&pool).await?;
        let writer = PgPoolOptions::new().max_connections(1).connect(url).await?;
        let access_log = AccessLog::start(move |rows| {
            Box::pin(crate::sql::postgres_impl::access::write_views(
                writer.clone(),
                rows,
            ))
        });
        Ok(PgStore {
            audit_pool: pool.clone(),
            list_pool: pool.clone(),
            pool,
            access_log,
        })
    }

    /// How the access log's writer begins its transactions.
    /// A LIKE that ignores case: PostgreSQL's LIKE is case-sensitive; ILIKE is not.
    pub(crate) const CASE_INSENSITIVE_LIKE: &'static str = "ILIKE";

    pub(crate) const WRITE_BEGIN: &'static str = "BEGIN";

    /// Nothing to do after a bulk load's ANALYZE (SQLite drops its sampled statistics).
    pub(crate) async fn after_analyze(&self) -> Result<()> {
        Ok(())
    }

    /// Reads see one snapshot of the record.
    pub(crate) async fn read_tx(&self) -> Result<Transaction<'static, Postgres>> {
        Ok(self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await?)
    }

    pub(crate) async fn tx(&self) -> Result<Transaction<'static, Postgres>> {
        Ok(self.pool.begin().await?)
    }

    pub(crate) async fn backup_to(&self, _path: &std::path::Path) -> Result<()> {
        Err(crate::StoreError::Unsupported(
            "hearth backup copies the embedded SQLite database; back up PostgreSQL with pg_dump or your \
             provider's point-in-time recovery"
                .into(),
        ))
    }
}
