//! The embedded default: one SQLite file in WAL mode.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

use crate::Result;
use crate::access::AccessLog;

pub struct SqliteStore {
    pub(crate) pool: SqlitePool,
    /// The one appender of access (view) entries, with a connection of its own.
    pub(crate) access_log: AccessLog,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and applies the migrations.
    pub async fn open(path: &Path) -> Result<Self> {
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        crate::sql::sqlite_impl::access::seal_unchained(&pool).await?;
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        let access_log = AccessLog::start(move |rows| {
            Box::pin(crate::sql::sqlite_impl::access::write_views(
                writer.clone(),
                rows,
            ))
        });
        Ok(SqliteStore { pool, access_log })
    }

    /// How the access log's writer begins its transactions.
    pub(crate) const WRITE_BEGIN: &'static str = "BEGIN IMMEDIATE";

    /// Write transactions take the write lock at once (BEGIN IMMEDIATE), so two writers queue on
    /// the busy timeout instead of failing when a read lock is upgraded.
    pub(crate) async fn tx(&self) -> Result<Transaction<'static, Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Reads take a plain deferred transaction: a consistent snapshot (WAL) that never waits
    /// for the write lock.
    pub(crate) async fn read_tx(&self) -> Result<Transaction<'static, Sqlite>> {
        Ok(self.pool.begin().await?)
    }

    pub(crate) async fn backup_to(&self, path: &Path) -> Result<()> {
        if path.exists() {
            return Err(crate::StoreError::Invalid {
                field: "path",
                message: format!(
                    "{} exists already; choose a new file for the backup",
                    path.display()
                ),
            });
        }
        let target = path.to_str().ok_or(crate::StoreError::Invalid {
            field: "path",
            message: "the backup path must be valid UTF-8".into(),
        })?;
        // VACUUM INTO writes a consistent, compacted copy while other connections keep working.
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
