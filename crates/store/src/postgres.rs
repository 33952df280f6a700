//! The production store: PostgreSQL.

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::{Postgres, Transaction};

use crate::Result;

pub struct PgStore {
    pub(crate) pool: PgPool,
}

impl PgStore {
    /// Connects and applies the migrations.
    pub async fn connect(url: &str) -> Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .connect(url)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(PgStore { pool })
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
