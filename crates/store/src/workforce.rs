//! Teams and workers, as a part of the repository. Every change writes its audit entry in the
//! same transaction.

use async_trait::async_trait;
use chrono::NaiveDate;
use domain::workforce::{Team, Worker};
use uuid::Uuid;

use crate::{Actor, Result};

#[derive(Debug, Clone)]
pub struct NewWorker {
    pub name: String,
    pub team_id: Option<Uuid>,
    pub role_title: String,
    pub agency: bool,
    pub started: NaiveDate,
}

#[async_trait]
pub trait Workforce: Send + Sync {
    async fn create_team(&self, actor: Actor, name: &str) -> Result<Team>;
    async fn list_teams(&self) -> Result<Vec<Team>>;
    async fn create_worker(&self, actor: Actor, worker: NewWorker) -> Result<Worker>;
    async fn list_workers(&self) -> Result<Vec<Worker>>;
}

// The SQL, written once and expanded for each backend by `crate::sql::backend!` in a module
// of its own beside the other capabilities' (it uses the shared row types and helpers there).
macro_rules! sql {
    ($store:ty) => {
        use domain::workforce::*;
        use $crate::workforce::Workforce as WorkforceRepository;

        fn worker_from_row(r: &Row) -> Result<Worker, sqlx::Error> {
            Ok(Worker {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                team_id: r.try_get("team_id")?,
                role_title: r.try_get("role_title")?,
                agency: r.try_get("agency")?,
                started: r.try_get("started")?,
                left: r.try_get("left_on")?,
            })
        }

        #[async_trait::async_trait]
        impl WorkforceRepository for $store {
            async fn create_team(&self, actor: Actor, name: &str) -> Result<Team> {
                let mut tx = self.tx().await?;
                let team = Team { id: new_id(), name: name.trim().to_string() };
                if team.name.is_empty() {
                    return Err(StoreError::Invalid { field: "name", message: "Enter the team's name".into() });
                }
                sqlx::query("INSERT INTO team (id, name, created_at) VALUES ($1, $2, $3)")
                    .bind(team.id)
                    .bind(&team.name)
                    .bind(now())
                    .execute(&mut *tx)
                    .await?;
                audit(&mut tx, actor, AuditAction::Create, "team", Some(team.id), None, None, Some(to_json(&team)), "team created").await?;
                tx.commit().await?;
                Ok(team)
            }

            async fn list_teams(&self) -> Result<Vec<Team>> {
                let rows = sqlx::query("SELECT id, name FROM team ORDER BY name").fetch_all(&self.pool).await?;
                Ok(rows
                    .iter()
                    .map(|r| Ok(Team { id: r.try_get("id")?, name: r.try_get("name")? }))
                    .collect::<Result<_, sqlx::Error>>()?)
            }

            async fn create_worker(&self, actor: Actor, w: NewWorker) -> Result<Worker> {
                let mut tx = self.tx().await?;
                let worker = Worker {
                    id: new_id(),
                    name: w.name,
                    team_id: w.team_id,
                    role_title: w.role_title,
                    agency: w.agency,
                    started: w.started,
                    left: None,
                };
                sqlx::query(
                    "INSERT INTO worker (id, name, team_id, role_title, agency, started, left_on, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(worker.id)
                .bind(&worker.name)
                .bind(worker.team_id)
                .bind(&worker.role_title)
                .bind(worker.agency)
                .bind(worker.started)
                .bind(worker.left)
                .bind(now())
                .execute(&mut *tx)
                .await?;
                audit(&mut tx, actor, AuditAction::Create, "worker", Some(worker.id), None, None, Some(to_json(&worker)), "worker added").await?;
                tx.commit().await?;
                Ok(worker)
            }

            async fn list_workers(&self) -> Result<Vec<Worker>> {
                let rows = sqlx::query("SELECT * FROM worker ORDER BY name").fetch_all(&self.pool).await?;
                Ok(rows.iter().map(worker_from_row).collect::<Result<_, _>>()?)
            }

        }
    };
}
pub(crate) use sql;
