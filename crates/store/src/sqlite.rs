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
    /// Connections to the database with the access log's file attached (as `access`), for the
    /// audit pages, `hearth audit` and the backup: the only ones that read the access log.
    pub(crate) audit_pool: SqlitePool,
    /// Connections of their own for the lists that read much of the record (work due, search,
    /// the report's reading of the whole record), so that many of them at once cannot take
    /// every connection from the quick reads and the writes (a child's page, a visit).
    pub(crate) list_pool: SqlitePool,
    /// The one appender of access (view) entries, with a connection of its own to the access
    /// log's file.
    pub(crate) access_log: AccessLog,
}

/// The access log's file beside the database: `hearth-access.db` for `hearth.db` (`hearth-access`
/// for `hearth`). Views are committed there, in batches, so that their commits do not touch the
/// database's write-ahead log: SQLite drops a connection's whole page cache whenever its database
/// has had a commit from another connection, and a commit per batch of views would leave every
/// reader of the record starting cold.
pub fn access_log_path(path: &Path) -> std::path::PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match path.extension() {
        Some(ext) => format!("{stem}-access.{}", ext.to_string_lossy()),
        None => format!("{stem}-access"),
    };
    path.with_file_name(name)
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

/// The -wal and -shm files beside `path`, the owner's only.
fn sides_owner_only(path: &Path) -> Result<()> {
    for suffix in ["-wal", "-shm"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        owner_only(Path::new(&side), false).map_err(io_error(path))?;
    }
    Ok(())
}

fn connect_options(path: &Path, synchronous: SqliteSynchronous) -> Result<SqliteConnectOptions> {
    Ok(SqliteConnectOptions::from_str("sqlite:")?
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
        .statement_cache_capacity(400))
}

/// How many connections each of the database's pools keeps (`HEARTH_SQLITE_CONNECTIONS`, 8
/// unless set; one pool for quick reads and writes, one for the lists that read much of the record):
/// each is a thread of its own in the driver, and every query a hand-over between threads, so
/// more connections than the machine has cores cost more in switching than they save in waiting.
/// Measured on 2 cores (50 clients, 50,000-child demo, a release build): the child's page alone
/// 481-500 pages a second with 32 connections, 524 with 16, 574-740 with 8; the mix of pages
/// (search, work due, the report beside the child's page) 162 a second with 32, 192 with 8.
pub fn connections() -> u32 {
    std::env::var("HEARTH_SQLITE_CONNECTIONS")
        .ok()
        .and_then(|v| v.trim().parse::<u32>().ok())
        .filter(|n| (1..=256).contains(n))
        .unwrap_or(8)
}

/// The version of the migration that moved views into the access log's file.
const ACCESS_LOG_MIGRATION: i64 = 40;

impl SqliteStore {
    /// Opens (creating if needed) the database file and the access log's file beside it
    /// ([`access_log_path`]) and applies the migrations. The files (and their -wal and -shm) are
    /// the owner's only; every commit is synced to disk before it returns (`synchronous=FULL`:
    /// a power cut loses no acknowledged change or view). A database whose access log's file
    /// has gone is refused, not given a new, empty access log.
    pub async fn open(path: &Path) -> Result<Self> {
        Self::open_with(path, SqliteSynchronous::Full).await
    }

    /// [`SqliteStore::open`] with another `synchronous` setting: for measuring its cost only.
    pub async fn open_with(path: &Path, synchronous: SqliteSynchronous) -> Result<Self> {
        let access_path = access_log_path(path);
        let had_database = path.exists();
        let had_access_log = access_path.exists();
        owner_only(path, true).map_err(io_error(path))?;
        let options = connect_options(path, synchronous)?;
        // Readers in WAL mode run side by side; see [`connections`] for how many.
        let pool = SqlitePoolOptions::new()
            .max_connections(connections())
            .connect_with(options.clone())
            .await?;
        if had_database && !had_access_log && Self::has_access_log_migration(&pool).await? {
            return Err(crate::StoreError::Invalid {
                field: "path",
                message: format!(
                    "the access log {} is missing: restore it beside the database from the backup                      taken with it (hearth backup copies both)",
                    access_path.display()
                ),
            });
        }
        owner_only(&access_path, true).map_err(io_error(&access_path))?;
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(connect_options(&access_path, synchronous)?)
            .await?;
        sqlx::migrate!("./migrations/sqlite-access")
            .run(&writer)
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        sides_owner_only(path)?;
        sides_owner_only(&access_path)?;
        crate::sql::sqlite_impl::access::seal_unchained(&pool).await?;
        crate::sql::sqlite_impl::person::fill_name_keys(&pool).await?;
        Self::without_sampled_statistics(&pool).await?;
        let list_pool = SqlitePoolOptions::new()
            .max_connections(connections())
            .connect_with(options.clone())
            .await?;
        let attached = access_path.to_string_lossy().into_owned();
        let audit_pool = SqlitePoolOptions::new()
            .max_connections(4)
            .after_connect(move |conn, _| {
                let attached = attached.clone();
                Box::pin(async move {
                    sqlx::query("ATTACH DATABASE $1 AS access")
                        .bind(attached)
                        .execute(&mut *conn)
                        .await?;
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        let access_log = AccessLog::start(move |rows| {
            Box::pin(crate::sql::sqlite_impl::access::write_views(
                writer.clone(),
                rows,
            ))
        });
        Ok(SqliteStore {
            pool,
            list_pool,
            audit_pool,
            access_log,
        })
    }

    /// Whether the database has had the migration that moved views into the access log's file.
    async fn has_access_log_migration(pool: &SqlitePool) -> Result<bool> {
        let table: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '_sqlx_migrations'",
        )
        .fetch_one(pool)
        .await?;
        if table == 0 {
            return Ok(false);
        }
        let applied: i64 =
            sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations WHERE version = $1")
                .bind(ACCESS_LOG_MIGRATION)
                .fetch_one(pool)
                .await?;
        Ok(applied > 0)
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
        let access_copy = access_log_path(path);
        if access_copy.exists() {
            return Err(crate::StoreError::Invalid {
                field: "path",
                message: format!(
                    "{} exists already; choose a new file for the backup",
                    access_copy.display()
                ),
            });
        }
        owner_only(&access_copy, true).map_err(io_error(&access_copy))?;
        // VACUUM INTO writes a consistent, compacted copy while other connections keep working:
        // the database, then the access log's file beside the copy (as the store expects it).
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.pool)
            .await?;
        sqlx::query("VACUUM access INTO $1")
            .bind(access_copy.to_string_lossy().into_owned())
            .execute(&self.audit_pool)
            .await?;
        Ok(())
    }
}
