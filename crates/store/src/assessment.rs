//! Single assessments, as a part of the repository: started on a referral, completed (an outcome
//! of early help steps the child down to it) and authorised by a manager. Every change writes its
//! audit entry in the same transaction.

use async_trait::async_trait;
use chrono::NaiveDate;
use domain::assessment::{Assessment, AssessmentCompletion};
use uuid::Uuid;

use crate::{Actor, Result};

#[async_trait]
pub trait Assessments: Send + Sync {
    /// Starts a single assessment on a referral; due 45 working days from the referral.
    async fn start_assessment(
        &self,
        actor: Actor,
        referral_id: Uuid,
        started_on: NaiveDate,
    ) -> Result<Assessment>;
    async fn get_assessment(&self, id: Uuid) -> Result<Assessment>;
    async fn complete_assessment(
        &self,
        actor: Actor,
        id: Uuid,
        expected_version: i64,
        completion: AssessmentCompletion,
    ) -> Result<Assessment>;
    /// A manager's authorisation of a completed assessment.
    async fn authorise_assessment(
        &self,
        actor: Actor,
        id: Uuid,
        expected_version: i64,
        on: NaiveDate,
    ) -> Result<Assessment>;
}

// The SQL, written once and expanded for each backend by `crate::sql::backend!` in a module
// of its own beside the other capabilities' (it uses the shared row types and helpers there).
macro_rules! sql {
    ($store:ty) => {
        use domain::assessment::*;
        use $crate::assessment::Assessments as AssessmentRepository;
        use super::early_help::insert_early_help;
        use super::front_door::referral_from_row;

        const ASSESSMENT_SELECT: &str = "SELECT a.*, r.referral_date, au.display_name AS authorised_by_name \
            FROM assessment a JOIN referral r ON r.id = a.referral_id LEFT JOIN app_user au ON au.id = a.authorised_by ";

        fn assessment_from_row(r: &Row) -> Result<Assessment, sqlx::Error> {
            let Json(factors): Json<Vec<String>> = r.try_get("factors")?;
            Ok(Assessment {
                id: r.try_get("id")?,
                child_id: r.try_get("child_id")?,
                referral_id: r.try_get("referral_id")?,
                referral_date: r.try_get("referral_date")?,
                started_on: r.try_get("started_on")?,
                due_on: r.try_get("due_on")?,
                completed_on: r.try_get("completed_on")?,
                factors,
                outcome: r.try_get("outcome")?,
                summary: r.try_get("summary")?,
                authorised_on: r.try_get("authorised_on")?,
                authorised_by: r.try_get("authorised_by_name")?,
                version: r.try_get("version")?,
            })
        }

        async fn fetch_assessment(conn: &mut Conn, id: Uuid) -> Result<Assessment, StoreError> {
            let row = sqlx::query(sqlx::AssertSqlSafe(format!("{ASSESSMENT_SELECT} WHERE a.id = $1")))
                .bind(id)
                .fetch_one(&mut *conn)
                .await
                .map_err(not_found("assessment"))?;
            Ok(assessment_from_row(&row)?)
        }

        /// A child's single assessments, newest first, for the child's page (read in the caller's
        /// transaction).
        pub(super) async fn load_for_child(conn: &mut Conn, child_id: Uuid) -> Result<Vec<Assessment>, StoreError> {
            Ok(sqlx::query(sqlx::AssertSqlSafe(format!(
                "{ASSESSMENT_SELECT} WHERE a.child_id = $1 ORDER BY a.started_on DESC, a.created_at DESC"
            )))
            .bind(child_id)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(assessment_from_row)
            .collect::<Result<Vec<_>, _>>()?)
        }

        #[async_trait::async_trait]
        impl AssessmentRepository for $store {
            async fn start_assessment(&self, actor: Actor, referral_id: Uuid, started_on: NaiveDate) -> Result<Assessment> {
                let mut tx = self.tx().await?;
                let referral = sqlx::query("SELECT * FROM referral WHERE id = $1")
                    .bind(referral_id)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(not_found("referral"))?;
                let referral = referral_from_row(&referral)?;
                if started_on < referral.referral_date {
                    return Err(invalid("started", "The assessment cannot start before the referral"));
                }
                if started_on > local_now().date() {
                    return Err(invalid("started", "The date started must be today or in the past"));
                }
                let open: Option<Uuid> = sqlx::query_scalar("SELECT id FROM assessment WHERE referral_id = $1")
                    .bind(referral_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                if open.is_some() {
                    return Err(invalid("referral_id", "An assessment has already been started on this referral"));
                }
                let due = domain::timescales::assessment_due(referral.referral_date)
                    .map_err(|e| invalid("started", e.to_string()))?;
                let id = new_id();
                sqlx::query(
                    "INSERT INTO assessment (id, child_id, referral_id, started_on, due_on, factors, summary, version, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, '', 1, $7)",
                )
                .bind(id)
                .bind(referral.child_id)
                .bind(referral_id)
                .bind(started_on)
                .bind(due)
                .bind(Json(Vec::<String>::new()))
                .bind(now())
                .execute(&mut *tx)
                .await?;
                let a = fetch_assessment(&mut tx, id).await?;
                audit(&mut tx, actor, AuditAction::Create, "assessment", Some(id), Some(a.child_id), None, Some(to_json(&a)), "assessment started").await?;
                tx.commit().await?;
                Ok(a)
            }

            async fn get_assessment(&self, id: Uuid) -> Result<Assessment> {
                let mut conn = self.pool.acquire().await?;
                fetch_assessment(&mut conn, id).await
            }

            async fn complete_assessment(&self, actor: Actor, id: Uuid, expected_version: i64, c: AssessmentCompletion) -> Result<Assessment> {
                let mut tx = self.tx().await?;
                let before = fetch_assessment(&mut tx, id).await?;
                refuse(c.validate(before.started_on, local_now().date()))?;
                if before.version != expected_version {
                    return Err(StoreError::Conflict { expected: expected_version, actual: before.version });
                }
                if before.authorised_on.is_some() {
                    return Err(invalid("completed", "An authorised assessment cannot be changed"));
                }
                sqlx::query(
                    "UPDATE assessment SET completed_on = $1, factors = $2, outcome = $3, summary = $4, version = version + 1 \
                     WHERE id = $5 AND version = $6",
                )
                .bind(c.completed_on)
                .bind(Json(&c.factors))
                .bind(&c.outcome)
                .bind(c.summary.trim())
                .bind(id)
                .bind(expected_version)
                .execute(&mut *tx)
                .await?;
                let after = fetch_assessment(&mut tx, id).await?;
                audit(&mut tx, actor, AuditAction::Update, "assessment", Some(id), Some(after.child_id), Some(to_json(&before)), Some(to_json(&after)), "assessment completed").await?;
                if c.outcome == "early_help" {
                    let open: Option<Uuid> = sqlx::query_scalar("SELECT id FROM early_help WHERE child_id = $1 AND ended_on IS NULL")
                        .bind(after.child_id).fetch_optional(&mut *tx).await?;
                    if open.is_none() {
                        let eh = domain::early_help::NewEarlyHelp {
                            started_on: c.completed_on,
                            lead: "To be allocated by early help".into(),
                            reason: c.summary.trim().to_string(),
                        };
                        insert_early_help(&mut tx, actor, after.child_id, &eh, "step_down").await?;
                    }
                }
                tx.commit().await?;
                Ok(after)
            }

            async fn authorise_assessment(&self, actor: Actor, id: Uuid, expected_version: i64, on: NaiveDate) -> Result<Assessment> {
                let mut tx = self.tx().await?;
                let before = fetch_assessment(&mut tx, id).await?;
                if before.version != expected_version {
                    return Err(StoreError::Conflict { expected: expected_version, actual: before.version });
                }
                let Some(completed) = before.completed_on else {
                    return Err(invalid("authorised", "Only a completed assessment can be authorised"));
                };
                if before.authorised_on.is_some() {
                    return Err(invalid("authorised", "The assessment has already been authorised"));
                }
                if on < completed || on > local_now().date() {
                    return Err(invalid("authorised", "The date authorised must be between the date completed and today"));
                }
                sqlx::query("UPDATE assessment SET authorised_on = $1, authorised_by = $2, version = version + 1 WHERE id = $3 AND version = $4")
                    .bind(on)
                    .bind(actor.0)
                    .bind(id)
                    .bind(expected_version)
                    .execute(&mut *tx)
                    .await?;
                let after = fetch_assessment(&mut tx, id).await?;
                audit(&mut tx, actor, AuditAction::Update, "assessment", Some(id), Some(after.child_id), Some(to_json(&before)), Some(to_json(&after)), "assessment authorised").await?;
                tx.commit().await?;
                Ok(after)
            }

        }
    };
}
pub(crate) use sql;
