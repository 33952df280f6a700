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

/// Creates `path` empty, readable and writable by its owner only (0600), unless it exists; an
/// existing file is made 0600. SQLite gives its -wal and -shm files the database's permissions.
fn owner_only(path: &Path, create: bool) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        if create && !path.exists() {
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path)?;
        }
        if path.exists() {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    #[cfg(not(unix))]
    let _ = (path, create);
    Ok(())
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> crate::StoreError + '_ {
    move |e| crate::StoreError::Invalid {
        field: "path",
        message: format!("{}: {e}", path.display()),
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and applies the migrations. The file (and
    /// its -wal and -shm) are the owner's only; every commit is synced to disk before it returns
    /// (`synchronous=FULL`: a power cut loses no acknowledged change).
    pub async fn open(path: &Path) -> Result<Self> {
        Self::open_with(path, SqliteSynchronous::Full).await
    }

    /// [`SqliteStore::open`] with another `synchronous` setting: for measuring its cost only.
    pub async fn open_with(path: &Path, synchronous: SqliteSynchronous) -> Result<Self> {
        owner_only(path, true).map_err(io_error(path))?;
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(synchronous)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // A larger page cache per connection (8 MB; 2 MB by default). No memory map: a
            // reader unmaps the whole file whenever another connection has committed (measured:
            // 9% of the child's page under load in munmap).
            .pragma("cache_size", "-8192")
            .statement_cache_capacity(400);
        // Readers in WAL mode run side by side: enough connections that quick reads (a child's
        // page) do not queue behind slow ones (a service's work due, a search, the report's
        // reading of the whole record) for a free connection.
        let pool = SqlitePoolOptions::new()
            .max_connections(32)
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        for suffix in ["-wal", "-shm"] {
            let mut side = path.as_os_str().to_owned();
            side.push(suffix);
            owner_only(Path::new(&side), false).map_err(io_error(path))?;
        }
        crate::sql::sqlite_impl::access::seal_unchained(&pool).await?;
        crate::sql::sqlite_impl::person::fill_name_keys(&pool).await?;
        Self::without_sampled_statistics(&pool).await?;
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

    /// Keeps ANALYZE's per-index summaries (`sqlite_stat1`) but not its samples of key values
    /// (`sqlite_stat4`). The bundled SQLite is built with STAT4, and with samples present every
    /// prepared statement whose plan looked at a bound value is compiled again whenever it is run
    /// with another value: measured under load on the child's page (50 clients, 50,000-child
    /// demo), re-preparing took 23% of the server's time. Our queries are lookups by key, for
    /// which the summaries are enough. Runs when the store opens and after a bulk load's
    /// ANALYZE; the schema is then touched so that every open connection reloads its statistics.
    pub(crate) async fn without_sampled_statistics(pool: &sqlx::SqlitePool) -> Result<()> {
        let sampled: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_stat4'",
        )
        .fetch_one(pool)
        .await?;
        if sampled == 0 {
            return Ok(());
        }
        let samples: i64 = sqlx::query_scalar("SELECT count(*) FROM sqlite_stat4")
            .fetch_one(pool)
            .await?;
        if samples == 0 {
            return Ok(());
        }
        let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query("DELETE FROM sqlite_stat4")
            .execute(&mut *tx)
            .await?;
        // A change of schema makes every connection reload the statistics.
        sqlx::query("CREATE TABLE hearth_statistics_reload (x INTEGER)")
            .execute(&mut *tx)
            .await?;
        sqlx::query("DROP TABLE hearth_statistics_reload")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// After a bulk load's ANALYZE: see [`SqliteStore::without_sampled_statistics`].
    pub(crate) async fn after_analyze(&self) -> Result<()> {
        Self::without_sampled_statistics(&self.pool).await
    }

    /// How the access log's writer begins its transactions.
    /// A LIKE that ignores case: SQLite's LIKE ignores the case of ASCII letters (as its lower() changes only those).
    pub(crate) const CASE_INSENSITIVE_LIKE: &'static str = "LIKE";

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
        // The copy holds the whole record: the owner's only, from the start.
        owner_only(path, true).map_err(io_error(path))?;
        // VACUUM INTO writes a consistent, compacted copy while other connections keep working.
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
