//! Single assessments, as a part of the repository: started on a referral, completed (an outcome
//! of early help steps the child down to it) and authorised by a manager. Every change writes its
//! audit entry in the same transaction.

use async_trait::async_trait;
use chrono::NaiveDate;
use domain::assessment::{Assessment, AssessmentCompletion, AssessmentFramework};
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
    /// Saves the assessment as written so far (a draft: nothing need be complete). An
    /// assessment already completed is returned by its manager before it is written again.
    async fn save_assessment_draft(
        &self,
        actor: Actor,
        id: Uuid,
        expected_version: i64,
        framework: AssessmentFramework,
        summary: String,
    ) -> Result<Assessment>;
    /// A manager's authorisation of a completed assessment, with the manager's comment.
    async fn authorise_assessment(
        &self,
        actor: Actor,
        id: Uuid,
        expected_version: i64,
        on: NaiveDate,
        comment: String,
    ) -> Result<Assessment>;
    /// A manager returns a completed assessment to its worker with what to change: it is in
    /// progress again, written as it was, and the return is kept on it.
    async fn return_assessment(
        &self,
        actor: Actor,
        id: Uuid,
        expected_version: i64,
        comment: String,
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
            let section = |n: &str| r.try_get::<String, _>(n);
            let framework = AssessmentFramework {
                developmental_needs: section("developmental_needs")?,
                parenting_capacity: section("parenting_capacity")?,
                family_environment: section("family_environment")?,
                child_views: section("child_views")?,
                parents_views: section("parents_views")?,
                analysis: section("analysis")?,
            };
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
                authorised_comment: r.try_get("authorised_comment")?,
                framework,
                draft_saved_at: r.try_get("draft_saved_at")?,
                returns: Vec::new(),
                version: r.try_get("version")?,
            })
        }

        /// Each assessment's returns to its worker, oldest first (`of`: the assessments' condition).
        async fn attach_returns(conn: &mut Conn, of: &str, id: Uuid, to: &mut [Assessment]) -> Result<(), StoreError> {
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT ar.*, u.display_name FROM assessment_return ar JOIN assessment a ON a.id = ar.assessment_id \
                 LEFT JOIN app_user u ON u.id = ar.returned_by WHERE {of} = $1 ORDER BY ar.returned_at"
            )))
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
            for r in &rows {
                let of: Uuid = r.try_get("assessment_id")?;
                if let Some(a) = to.iter_mut().find(|a| a.id == of) {
                    a.returns.push(AssessmentReturn {
                        returned_at: r.try_get("returned_at")?,
                        returned_by: r.try_get("display_name")?,
                        completed_on: r.try_get("completed_on")?,
                        comment: r.try_get("comment")?,
                    });
                }
            }
            Ok(())
        }

        async fn fetch_assessment(conn: &mut Conn, id: Uuid) -> Result<Assessment, StoreError> {
            let row = sqlx::query(sqlx::AssertSqlSafe(format!("{ASSESSMENT_SELECT} WHERE a.id = $1")))
                .bind(id)
                .fetch_one(&mut *conn)
                .await
                .map_err(not_found("assessment"))?;
            let mut a = [assessment_from_row(&row)?];
            attach_returns(conn, "a.id", id, &mut a).await?;
            let [a] = a;
            Ok(a)
        }

        /// The assessment at the version the caller was showing, or the conflict.
        async fn assessment_at(conn: &mut Conn, id: Uuid, expected_version: i64) -> Result<Assessment, StoreError> {
            let a = fetch_assessment(conn, id).await?;
            if a.version != expected_version {
                return Err(StoreError::Conflict { expected: expected_version, actual: a.version });
            }
            Ok(a)
        }

        /// A child's single assessments, newest first, for the child's page (read in the caller's
        /// transaction).
        pub(super) async fn load_for_child(conn: &mut Conn, child_id: Uuid) -> Result<Vec<Assessment>, StoreError> {
            let mut all = sqlx::query(sqlx::AssertSqlSafe(format!(
                "{ASSESSMENT_SELECT} WHERE a.child_id = $1 ORDER BY a.started_on DESC, a.created_at DESC"
            )))
            .bind(child_id)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(assessment_from_row)
            .collect::<Result<Vec<_>, _>>()?;
            if !all.is_empty() {
                attach_returns(conn, "a.child_id", child_id, &mut all).await?;
            }
            Ok(all)
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
                let before = assessment_at(&mut tx, id, expected_version).await?;
                refuse(c.validate(before.started_on, local_now().date()))?;
                if before.authorised_on.is_some() {
                    return Err(invalid("completed", "An authorised assessment cannot be changed"));
                }
                if before.completed_on.is_some() {
                    return Err(invalid("completed", "The assessment has already been completed: a manager returns it to be changed"));
                }
                let f = c.framework.trimmed();
                sqlx::query(
                    "UPDATE assessment SET completed_on = $1, factors = $2, outcome = $3, summary = $4, \
                     developmental_needs = $5, parenting_capacity = $6, family_environment = $7, child_views = $8, \
                     parents_views = $9, analysis = $10, version = version + 1 WHERE id = $11 AND version = $12",
                )
                .bind(c.completed_on)
                .bind(Json(&c.factors))
                .bind(&c.outcome)
                .bind(c.summary.trim())
                .bind(&f.developmental_needs)
                .bind(&f.parenting_capacity)
                .bind(&f.family_environment)
                .bind(&f.child_views)
                .bind(&f.parents_views)
                .bind(&f.analysis)
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

            async fn authorise_assessment(&self, actor: Actor, id: Uuid, expected_version: i64, on: NaiveDate, comment: String) -> Result<Assessment> {
                refuse(validate_comment("comment", &comment, "Enter your comment on the assessment"))?;
                let mut tx = self.tx().await?;
                let before = assessment_at(&mut tx, id, expected_version).await?;
                let Some(completed) = before.completed_on else {
                    return Err(invalid("authorised", "Only a completed assessment can be authorised"));
                };
                if before.authorised_on.is_some() {
                    return Err(invalid("authorised", "The assessment has already been authorised"));
                }
                if on < completed || on > local_now().date() {
                    return Err(invalid("authorised", "The date authorised must be between the date completed and today"));
                }
                sqlx::query("UPDATE assessment SET authorised_on = $1, authorised_by = $2, authorised_comment = $3, version = version + 1 WHERE id = $4 AND version = $5")
                    .bind(on)
                    .bind(actor.0)
                    .bind(comment.trim())
                    .bind(id)
                    .bind(expected_version)
                    .execute(&mut *tx)
                    .await?;
                let after = fetch_assessment(&mut tx, id).await?;
                audit(&mut tx, actor, AuditAction::Update, "assessment", Some(id), Some(after.child_id), Some(to_json(&before)), Some(to_json(&after)), "assessment authorised").await?;
                tx.commit().await?;
                Ok(after)
            }

            async fn save_assessment_draft(&self, actor: Actor, id: Uuid, expected_version: i64, framework: AssessmentFramework, summary: String) -> Result<Assessment> {
                let mut e = framework.validate_draft();
                if summary.chars().count() > 20_000 {
                    e.push(domain::validate::FieldError::new("summary", "The summary must be 20000 characters or fewer"));
                }
                refuse(e)?;
                let mut tx = self.tx().await?;
                let before = assessment_at(&mut tx, id, expected_version).await?;
                if before.completed_on.is_some() {
                    return Err(invalid("summary", "The assessment has been completed: a manager returns it to be changed"));
                }
                let f = framework.trimmed();
                sqlx::query(
                    "UPDATE assessment SET developmental_needs = $1, parenting_capacity = $2, family_environment = $3, \
                     child_views = $4, parents_views = $5, analysis = $6, summary = $7, draft_saved_at = $8, version = version + 1 \
                     WHERE id = $9 AND version = $10",
                )
                .bind(&f.developmental_needs)
                .bind(&f.parenting_capacity)
                .bind(&f.family_environment)
                .bind(&f.child_views)
                .bind(&f.parents_views)
                .bind(&f.analysis)
                .bind(summary.trim())
                .bind(now())
                .bind(id)
                .bind(expected_version)
                .execute(&mut *tx)
                .await?;
                let after = fetch_assessment(&mut tx, id).await?;
                audit(&mut tx, actor, AuditAction::Update, "assessment", Some(id), Some(after.child_id), Some(to_json(&before)), Some(to_json(&after)), "assessment draft saved").await?;
                tx.commit().await?;
                Ok(after)
            }

            async fn return_assessment(&self, actor: Actor, id: Uuid, expected_version: i64, comment: String) -> Result<Assessment> {
                refuse(validate_comment("comment", &comment, "Enter what the worker should change"))?;
                let mut tx = self.tx().await?;
                let before = assessment_at(&mut tx, id, expected_version).await?;
                let Some(completed) = before.completed_on else {
                    return Err(invalid("comment", "Only a completed assessment can be returned to the worker"));
                };
                if before.authorised_on.is_some() {
                    return Err(invalid("comment", "An authorised assessment cannot be returned"));
                }
                sqlx::query("INSERT INTO assessment_return (id, assessment_id, returned_at, returned_by, completed_on, comment) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(new_id())
                    .bind(id)
                    .bind(now())
                    .bind(actor.0)
                    .bind(completed)
                    .bind(comment.trim())
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("UPDATE assessment SET completed_on = NULL, outcome = NULL, version = version + 1 WHERE id = $1 AND version = $2")
                    .bind(id)
                    .bind(expected_version)
                    .execute(&mut *tx)
                    .await?;
                let after = fetch_assessment(&mut tx, id).await?;
                audit(&mut tx, actor, AuditAction::Update, "assessment", Some(id), Some(after.child_id), Some(to_json(&before)), Some(to_json(&after)), "assessment returned to the worker").await?;
                tx.commit().await?;
                Ok(after)
            }

        }
    };
}
pub(crate) use sql;
